import { ApisSection, ApisSectionInput, apisSectionSchema, checkApisRules } from './apis-section';
import { Construct } from '../core/cdktf';
import type { HelmValues, KongReleases, PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { mergeValues } from '../core/values-merge';
import { PropsProblems } from '../core/validation';
import { ManifestChart } from '../manifest-chart';
import { KongApi } from './api';
import { CertificateAuthority, authorityId, caCertificateSecret, certManagerCertificate, defaultCertificateValues } from './certificates';
import { KongConsumers } from './consumers';
import { globalKongClusterPluginObject } from './plugin-resources';
import { ClientCertificateDelivery } from './client-certificate-delivery';
import { AUTHENTICATION_PLUGINS, BuildPluginContext, ClientCertificateHeader, PluginDeclaration, buildPlugin, kongPluginName } from './plugins';

/** Properties of {@link ApiAddOn}. */
export interface ApiAddOnProps {
  /** The `apis:` section (validated here again, defaults applied). */
  readonly section: ApisSectionInput;
  /** Ingress class when the section names none. @default kong */
  readonly defaultIngressClass?: string;
  /** Helm release (and chart) name of the generated resources. @default kong-apis */
  readonly releaseName?: string;
  /** Seconds Helm waits. @default 600 */
  readonly timeoutSeconds?: number;
  /** Release revisions kept. @default 10 */
  readonly maxHistory?: number;
  /**
   * How client certificates reach Kong (decides between mtls-auth and header-cert-auth).
   * @default ClientCertificateDelivery.tlsAtKong()
   */
  readonly clientCertificates?: ClientCertificateDelivery;
}

/**
 * Declarative API security as a platform add-on: APIs, routes, tenants, consumers, plugins and
 * certificates become Kong custom resources and annotated Ingresses (or HTTPRoutes) in one chart
 * generated at synth time, installed after the Kong releases (after the controller when there
 * is one, since it owns the CRDs' admission webhook and reconciles them; else after the gateway).
 *
 * Gateway values: the default certificate (mounted Secret + `ssl_cert`) and, when an
 * opentelemetry plugin is declared, `tracing_instrumentations`.
 */
export class ApiAddOn implements PlatformAddOn {
  public readonly id = 'apis';
  /** The validated section. */
  public readonly section: ApisSection;
  /** Set by `deploy`. */
  public chart?: ManifestChart;
  /** Set by `deploy`. */
  public consumers?: KongConsumers;
  /** Set by `deploy`. */
  public readonly apis: KongApi[] = [];

  constructor(private readonly props: ApiAddOnProps) {
    const parsed = apisSectionSchema.safeParse(props.section);
    if (!parsed.success) {
      const problems = new PropsProblems('ApiAddOn');
      for (const issue of parsed.error.issues) {
        const field = ['section', ...issue.path].join('.');
        let value: unknown = props.section;
        for (const part of issue.path) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[part];
        problems.add(field, value, issue.message);
      }
      problems.throwIfAny();
    }
    this.section = parsed.data!;
    if (this.section.routing === 'gateway-api' && !this.section.gateway) {
      throw new Error('ApiAddOn: apis.gateway is required when routing is "gateway-api"');
    }
    const issued = this.certManagerUses();
    if (issued.length > 0 && this.section.certManager !== 'provided') {
      throw new Error(
        `ApiAddOn: apis.${issued[0]}.certManager: cert-manager issues this certificate, but no stack installs cert-manager and the environment does not declare it ` +
          `(${issued.length} certificate(s): ${issued.join(', ')}). Install cert-manager in the cluster first and set apis.certManager: provided, ` +
          'or use an existing Secret (secretName); otherwise the chart fails with "no matches for kind Certificate"',
      );
    }
    const delivery = props.clientCertificates ?? ClientCertificateDelivery.tlsAtKong();
    for (const [path, declaration] of this.pluginDeclarations()) {
      const explicitHeader =
        declaration.plugin === 'header-cert-auth' && declaration.options.certificateHeaderName !== undefined && declaration.options.certificateHeaderFormat !== undefined;
      const problem = delivery.problemWith(declaration.plugin, explicitHeader);
      if (problem) throw new Error(`ApiAddOn: apis.${path}.plugin: ${problem}`);
    }
    this.clientCertificateHeader = delivery.header;
  }

  /**
   * The section's cross-field rules against the platform it joins: namespaces, ACL groups that no
   * consumer has (a typo locks everyone out), enterprise-only plugins without `enterprise: true`,
   * custom plugins that the gateway does not load, production guardrails. The same rules as the
   * environment file's `apis:` section.
   */
  public validate(context: PlatformContext): Array<{ field: string; value: unknown; message: string }> {
    const environment = {
      production: context.production,
      apis: this.props.section,
      namespaces: { applications: context.applicationNamespaces.map((name) => ({ name })) },
      plugins: { custom: [...(context.customPlugins ?? [])] },
    };
    return checkApisRules(environment, { delivery: this.props.clientCertificates ?? ClientCertificateDelivery.tlsAtKong() }).map((v) => {
      const rel = v.path.replace(/^apis\./, '');
      let value: unknown = this.props.section;
      for (const part of rel.split('.')) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
      return { field: `section.${rel}`, value, message: v.message };
    });
  }

  /** The header the edge forwards client certificates in, when it does. */
  private readonly clientCertificateHeader?: ClientCertificateHeader;

  /** Paths of the certificates cert-manager would issue (they become cert-manager.io/v1 Certificates). */
  private certManagerUses(): string[] {
    const s = this.section;
    return [
      ...s.certificates.servers.flatMap((server, i) => (server.source.certManager ? [`certificates.servers.${i}.source`] : [])),
      ...s.apis.flatMap((api, i) => (api.service.clientCertificate?.certManager ? [`apis.${i}.service.clientCertificate`] : [])),
    ];
  }

  /** Every plugin declaration with its path in the section. */
  private pluginDeclarations(): Array<[string, PluginDeclaration]> {
    const s = this.section;
    const out: Array<[string, PluginDeclaration]> = [];
    s.globalPlugins.forEach((d, i) => out.push([`globalPlugins.${i}`, d]));
    s.apis.forEach((api, a) => {
      api.plugins.forEach((d, i) => out.push([`apis.${a}.plugins.${i}`, d]));
      api.routes.forEach((route, r) => route.plugins.forEach((d, i) => out.push([`apis.${a}.routes.${r}.plugins.${i}`, d])));
    });
    return out;
  }

  /** The ingress class of every generated resource. */
  public get ingressClass(): string {
    return this.section.ingressClass ?? this.props.defaultIngressClass ?? 'kong';
  }

  public gatewayValues(_context: PlatformContext): HelmValues {
    const layers: HelmValues[] = [];
    const defaultCertificate = this.section.certificates.default;
    if (defaultCertificate) layers.push(defaultCertificateValues(defaultCertificate.secretName));
    if (this.allPluginKinds().includes('opentelemetry')) layers.push({ env: { tracing_instrumentations: 'all' } });
    return mergeValues(...layers);
  }

  public deploy(scope: Construct, context: PlatformContext, kong: KongReleases): void {
    const root = new Construct(scope, this.id);
    const section = this.section;
    const outside = this.namespaces().filter((namespace) => !context.applicationNamespaces.includes(namespace));
    if (outside.length > 0) {
      throw new Error(
        `${root.node.path}: namespaces ${outside.join(', ')} are not application namespaces ` +
          `(${context.applicationNamespaces.join(', ') || 'none'}); APIs and consumers live in team namespaces`,
      );
    }
    const after = kong.controller ?? kong.gateway;
    const chart = (this.chart = new ManifestChart(root, 'resources', {
      chartName: this.props.releaseName ?? 'kong-apis',
      namespace: context.systemNamespace,
      description: `Kong APIs, consumers, plugins and certificates of ${context.environment}`,
      timeout: this.props.timeoutSeconds,
      maxHistory: this.props.maxHistory,
      dependsOn: [after],
    }));
    const labels = { 'app.kubernetes.io/managed-by': 'kong-platform', 'kong-platform/environment': context.environment };

    const authorities: CertificateAuthority[] = section.certificates.authorities;
    const caCertificateId = (name: string): string => {
      const authority = authorities.find((a) => a.name === name);
      if (!authority) throw new Error(`${root.node.path}: unknown CA certificate "${name}" (declared: ${authorities.map((a) => a.name).join(', ') || 'none'})`);
      return authorityId(authority);
    };
    const pluginContext: BuildPluginContext = { production: context.production, caCertificateId, clientCertificateHeader: this.clientCertificateHeader };

    for (const authority of authorities) {
      const secret = caCertificateSecret(authority, this.ingressClass, labels);
      if (secret) chart.addManifest(secret);
    }
    for (const server of section.certificates.servers) {
      if (server.source.certManager) chart.addManifest(certManagerCertificate(server.name, server.namespace, server.hosts, server.source.certManager, 'server', labels));
    }

    let globalAuthentication = false;
    section.globalPlugins.forEach((declaration, index) => {
      let spec;
      try {
        spec = buildPlugin(declaration, pluginContext);
      } catch (error) {
        throw new Error(`${root.node.path}: globalPlugins.${index}: ${(error as Error).message}`, { cause: error });
      }
      globalAuthentication ||= spec.authenticates;
      chart.addManifest(globalKongClusterPluginObject(spec, declaration.name ?? `global-${kongPluginName(declaration)}`, this.ingressClass, context.systemNamespace, labels));
    });

    this.consumers = new KongConsumers(root, 'consumers', {
      tenants: section.tenants,
      consumerGroups: section.consumerGroups,
      chart,
      ingressClass: this.ingressClass,
      production: context.production,
      caCertificateId,
      labels,
      dependsOn: [after],
    });

    section.apis.forEach((api) => {
      this.apis.push(
        new KongApi(root, `${api.namespace}-${api.name}`, {
          api,
          chart,
          routing: section.routing === 'gateway-api' ? { kind: 'gateway-api', gateway: section.gateway! } : { kind: 'ingress', ingressClass: this.ingressClass },
          production: context.production,
          globalAuthentication,
          serverCertificates: section.certificates.servers,
          authorities,
          caCertificateId,
          clientCertificateHeader: this.clientCertificateHeader,
          clientIdentity: `${context.gatewayReleaseName}.${context.systemNamespace}.svc`,
          labels,
          dependsOn: [after],
        }),
      );
    });

    // Consumers reference their key Secrets by name: create those before the chart.
    const keySecrets = Object.values(this.consumers.keySecrets).map((secret) => `${secret.terraformResourceType}.${secret.friendlyUniqueId}`);
    if (keySecrets.length > 0) chart.release.dependsOn = [...new Set([...(chart.release.dependsOn ?? []), ...keySecrets])];
  }

  /** True when some API, route or global plugin authenticates (for reports). */
  public get declaresAuthentication(): boolean {
    return this.allPluginKinds().some((kind) => AUTHENTICATION_PLUGINS.includes(kind));
  }

  private allPluginKinds(): string[] {
    const s = this.section;
    return [
      ...s.globalPlugins,
      ...s.apis.flatMap((api) => [...api.plugins, ...api.routes.flatMap((route) => route.plugins)]),
      ...s.tenants.flatMap((tenant) => tenant.consumers.flatMap((consumer) => consumer.plugins)),
      ...s.consumerGroups.flatMap((group) => group.plugins),
    ].map((declaration) => declaration.plugin);
  }

  private namespaces(): string[] {
    const s = this.section;
    return [
      ...new Set([
        ...s.apis.map((a) => a.namespace),
        ...s.tenants.map((t) => t.namespace),
        ...s.consumerGroups.map((g) => g.namespace),
        ...s.certificates.authorities.map((a) => a.namespace),
        ...s.certificates.servers.map((c) => c.namespace),
      ]),
    ];
  }
}
