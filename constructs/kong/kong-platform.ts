import { Construct, TerraformStack } from '../core/cdktf';
import { HelmValues, PlatformAddOn, PlatformContext } from '../core/platform-add-on';
import { mergeValues } from '../core/values-merge';
import { HelmReleaseOptions } from '../kubernetes/hardened-helm-release';
import { KongNetworkPolicies } from '../kubernetes/kong-network-policies';
import { ApplicationNamespace, PlatformNamespaces, PodSecurityLevel } from '../kubernetes/platform-namespaces';
import { AdminApiCertificateIssuer, AdminApiMtls } from './admin-api-mtls';
import { ContainerImage } from './container-image';
import { CustomPlugin, CustomPluginConfigMaps } from './custom-plugin';
import { KongChartOptions } from './kong-chart';
import { KongGateway, KongGatewayOptions } from './kong-gateway';
import { KongIngressController, KongIngressControllerOptions } from './kong-ingress-controller';
import { PropsValidationError } from '../core/validation';
import { PolicyAspect, PolicyWaiver, applyPolicies, describeRule } from '../policy/policy-aspect';
import type { PolicyCloud } from '../policy/rule';
import { addOnProblems, kongPlatformProblems } from './kong-platform-rules';
import { DeploymentProfile } from './profiles';

/** The policy guardrails (constructs/policy) of the platform's stack. */
export interface KongPlatformPolicyProps {
  /**
   * Attach the guardrails to the platform's stack (production: a violation is an error at synth,
   * elsewhere a warning). Not attached again when the stack already has guardrails (e.g. the
   * environment-file stacks attach their own, with the file's waivers). @default true
   */
  readonly enabled?: boolean;
  /** Written exceptions, one rule each (the same waivers as `policy.waivers` in environment files). @default none */
  readonly waivers?: readonly PolicyWaiver[];
  /** Registries every image must come from (KP-K8S-009). @default the registries of `images` */
  readonly registries?: readonly string[];
  /** The cluster's cloud: only its own internal load balancer annotations count (KP-KONG-006). @default any cloud's */
  readonly cloud?: PolicyCloud;
}

/** The two images of the platform, and how to pull them. */
export interface KongImages {
  /** Kong Gateway. */
  readonly gateway: ContainerImage;
  /** Kong Ingress Controller. */
  readonly controller: ContainerImage;
  /** Existing dockerconfigjson Secret in the Kong namespace. @default none (node credentials, e.g. ECR/ACR pull roles) */
  readonly pullSecretName?: string;
}

export interface KongPlatformProps {
  /** Environment name (labels, names). */
  readonly environment: string;
  /** Production: digests, HA profile and strict checks are required. @default false */
  readonly production?: boolean;
  /** @default HA when production, else DEV */
  readonly profile?: DeploymentProfile;
  readonly images: KongImages;
  /** Namespace of Kong. @default "kong" */
  readonly systemNamespace?: string;
  /** Team namespaces Kong routes to. @default none */
  readonly applicationNamespaces?: ApplicationNamespace[];
  /** @default "restricted" */
  readonly podSecurityLevel?: PodSecurityLevel;
  /** @default profile defaults */
  readonly gateway?: KongGatewayOptions;
  /** @default profile defaults; watches the application namespaces (and Kong's) when some are declared */
  readonly controller?: KongIngressControllerOptions;
  /**
   * Who generates the keys of the Admin API mutual TLS between controller and gateway. The
   * Terraform issuer keeps them in state, which KP-SEC-002 refuses in production (unless waived);
   * `AdminApiCertificateIssuer.certManager()` keeps them in the cluster (cert-manager required).
   * @default AdminApiCertificateIssuer.terraform()
   */
  readonly adminApiCertificates?: AdminApiCertificateIssuer;
  /** Custom Lua plugins, enabled beside the bundled ones. @default none */
  readonly customPlugins?: CustomPlugin[];
  /** @default kong chart 3.4.1 from charts.konghq.com */
  readonly chart?: KongChartOptions;
  /** @default atomic, wait, 600 s, 10 revisions */
  readonly release?: HelmReleaseOptions;
  /** Add-ons (cloud edge, mesh, Konnect, API configuration), applied in order. @default none */
  readonly addOns?: PlatformAddOn[];
  /** Release names. @default "kong-gateway" and "kong-controller" */
  readonly releaseNames?: { readonly gateway?: string; readonly controller?: string };
  /** Policy guardrails of the platform's stack. @default on: errors in production, warnings elsewhere */
  readonly policy?: KongPlatformPolicyProps;
}

/**
 * A complete Kong platform in one cluster: namespaces with Pod Security Admission,
 * default-deny NetworkPolicies, the gateway and the ingress controller as two hardened
 * Helm releases joined by gateway discovery over Admin API mutual TLS, custom plugins,
 * and the add-ons. Needs the `kubernetes` and `helm` providers configured in its stack.
 */
export class KongPlatform extends Construct {
  public readonly context: PlatformContext;
  public readonly namespaces: PlatformNamespaces;
  public readonly networkPolicies: KongNetworkPolicies;
  /** Undefined when no in-cluster controller talks to the Admin API. */
  public readonly adminApiMtls?: AdminApiMtls;
  public readonly plugins: CustomPluginConfigMaps;
  public readonly gateway: KongGateway;
  /** Undefined when an add-on replaces the in-cluster controller (e.g. Konnect-managed data planes). */
  public readonly controller?: KongIngressController;

  constructor(scope: Construct, id: string, props: KongPlatformProps) {
    super(scope, id);
    // Every problem of the props and of every add-on, in one error, before any resource exists.
    // A JavaScript caller may pass anything: the context below is read defensively until the props are known good.
    const given = (props ?? {}) as Partial<KongPlatformProps>;
    const production = given.production ?? false;
    const addOns = Array.isArray(given.addOns) ? given.addOns : [];
    const applicationNamespaces = Array.isArray(given.applicationNamespaces) ? given.applicationNamespaces : [];
    this.context = {
      environment: given.environment as string,
      production,
      systemNamespace: given.systemNamespace ?? 'kong',
      gatewayReleaseName: given.releaseNames?.gateway ?? 'kong-gateway',
      controllerReleaseName: given.releaseNames?.controller ?? 'kong-controller',
      applicationNamespaces: applicationNamespaces.map((n) => n?.name),
      customPlugins: (Array.isArray(given.customPlugins) ? given.customPlugins : []).map((p) => p?.name),
    };
    const problems = [...kongPlatformProblems(props, this.node.path), ...addOnProblems(addOns, this.context, this.node.path)];
    if (problems.length > 0) throw new PropsValidationError(problems);
    const stack = TerraformStack.of(this);
    if (props.policy?.enabled !== false && PolicyAspect.of(stack).length === 0) {
      const aspect = applyPolicies(stack, {
        production,
        environment: props.environment,
        waivers: props.policy?.waivers ?? [],
        registries: props.policy?.registries ?? [...new Set([props.images.gateway.registry, props.images.controller.registry])],
        cloud: props.policy?.cloud,
      });
      // Production: unwaived violations fail synth's validation pass, before anything is written.
      this.node.addValidation({
        validate: () =>
          production
            ? aspect
                .checkAll()
                .violations.filter((v) => !v.waiver)
                .map((v) => `${describeRule(v.rule)} at ${v.path}: ${v.message}`)
            : [],
      });
    }
    const ctx = this.context;
    const collect = <T>(hook: (a: PlatformAddOn) => T | undefined): T[] => addOns.map(hook).filter((v): v is T => v !== undefined);

    const labels = collect((a) => a.namespaceLabels?.(ctx));
    this.namespaces = new PlatformNamespaces(this, 'namespaces', {
      systemNamespace: ctx.systemNamespace,
      applicationNamespaces,
      podSecurityLevel: props.podSecurityLevel,
      systemLabels: Object.assign({}, ...labels.map((l) => l.system ?? {})),
      applicationLabels: Object.assign({}, ...labels.map((l) => l.applications ?? {})),
    });
    const namespaces = this.namespaces.all;

    this.networkPolicies = new KongNetworkPolicies(this, 'network-policies', {
      systemNamespace: ctx.systemNamespace,
      gatewayReleaseName: ctx.gatewayReleaseName,
      controllerReleaseName: ctx.controllerReleaseName,
      applicationNamespaces: ctx.applicationNamespaces,
      proxySourceCidrs: props.gateway?.trustedIps,
      gatewayEgress: collect((a) => a.gatewayEgress?.(ctx)).flat(),
      gatewayIngress: collect((a) => a.gatewayIngress?.(ctx)).flat(),
      allowGatewayToApplicationNamespaces: !addOns.some((a) => a.providesApplicationIngressPolicies?.(ctx) ?? false),
      dependsOn: namespaces,
    });

    const controllerWanted = addOns.every((a) => a.needsIngressController?.(ctx) ?? true);
    const adminApiMtls = controllerWanted
      ? new AdminApiMtls(this, 'admin-api-mtls', {
          namespace: ctx.systemNamespace,
          gatewayReleaseName: ctx.gatewayReleaseName,
          issuer: props.adminApiCertificates,
          dependsOn: [this.namespaces.system],
        })
      : undefined;
    this.adminApiMtls = adminApiMtls;
    this.plugins = new CustomPluginConfigMaps(this, 'custom-plugins', {
      namespace: ctx.systemNamespace,
      plugins: props.customPlugins ?? [],
      dependsOn: [this.namespaces.system],
    });

    const gatewayAddOnValues: HelmValues[] = collect((a) => a.gatewayValues?.(ctx));
    this.gateway = new KongGateway(this, 'gateway', {
      escapeHatchField: 'gateway.extraValues',
      ...props.gateway,
      namespace: ctx.systemNamespace,
      releaseName: ctx.gatewayReleaseName,
      image: props.images.gateway,
      pullSecretName: props.images.pullSecretName,
      profile: props.profile,
      production,
      adminApi: adminApiMtls ? { serverSecretName: adminApiMtls.serverSecretName, podAnnotations: adminApiMtls.gatewayPodAnnotations } : undefined,
      additionalValues: [this.plugins.values, ...gatewayAddOnValues],
      chart: props.chart,
      release: props.release,
      dependsOn: [...namespaces, ...(adminApiMtls?.dependables ?? []), ...this.plugins.configMaps],
    });

    if (adminApiMtls) {
      const watchNamespaces = props.controller?.watchNamespaces ?? (ctx.applicationNamespaces.length > 0 ? [ctx.systemNamespace, ...ctx.applicationNamespaces] : []);
      this.controller = new KongIngressController(this, 'controller', {
        escapeHatchField: 'controller.extraValues',
        ...props.controller,
        watchNamespaces,
        namespace: ctx.systemNamespace,
        releaseName: ctx.controllerReleaseName,
        gatewayReleaseName: ctx.gatewayReleaseName,
        image: props.images.controller,
        gatewayImage: props.images.gateway,
        pullSecretName: props.images.pullSecretName,
        profile: props.profile,
        production,
        adminClientSecretName: adminApiMtls.clientSecretName,
        adminServerName: adminApiMtls.serverName,
        adminPodAnnotations: adminApiMtls.controllerPodAnnotations,
        additionalValues: [mergeValues(...collect((a) => a.controllerValues?.(ctx)))],
        chart: props.chart,
        release: props.release,
        // The controller's readiness needs a discovered gateway.
        dependsOn: [...namespaces, ...adminApiMtls.dependables, this.gateway.release],
      });
    }

    for (const addOn of addOns) {
      addOn.deploy?.(this, ctx, { gateway: this.gateway.release, controller: this.controller?.release });
    }
  }
}
