import { Annotations as KubernetesAnnotations } from '@cdktf/provider-kubernetes/lib/annotations';
import { routeObjectName } from './object-names';
import { DataKubernetesServiceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1';
import { ApiConfig, ApiConfigInput, ServerCertificateConfig, apiSchema, effectiveTlsVerify } from './apis-section';
import { Construct } from '../core/cdktf';
import type { ITerraformDependable } from '../core/cdktf';
import { KubernetesObject, ManifestChart } from '../manifest-chart';
import { CertificateAuthority, authoritySecretName, certManagerCertificate, hostCovered, tlsSecretName } from './certificates';
import { attachPlugins } from './plugin-attachments';
import { PLUGINS_ANNOTATION } from './plugin-resources';
import { AUTHENTICATION_PLUGINS, BuildPluginContext, ClientCertificateHeader, kongPluginName } from './plugins';

/** KIC Service annotations for the upstream connection (checked against the KIC annotation reference, 3.4+). */
export const SERVICE_ANNOTATIONS = {
  protocol: 'konghq.com/protocol',
  clientCert: 'konghq.com/client-cert',
  tlsVerify: 'konghq.com/tls-verify',
  tlsVerifyDepth: 'konghq.com/tls-verify-depth',
  caCertificatesSecret: 'konghq.com/ca-certificates-secret',
} as const;

/**
 * Field manager of the platform's Service annotations. The application team's own manager
 * (kubectl, Helm, Argo CD) owns the rest of the Service; `force` takes over only these keys.
 */
export const SERVICE_ANNOTATIONS_FIELD_MANAGER = 'kong-platform';

/** KIC route annotations (Ingress and HTTPRoute). */
export const ROUTE_ANNOTATIONS = {
  plugins: PLUGINS_ANNOTATION,
  stripPath: 'konghq.com/strip-path',
  methods: 'konghq.com/methods',
  protocols: 'konghq.com/protocols',
  httpsRedirectStatusCode: 'konghq.com/https-redirect-status-code',
} as const;

/** How routes reach KIC. */
export type ApiRouting =
  { readonly kind: 'ingress'; readonly ingressClass: string } | { readonly kind: 'gateway-api'; readonly gateway: { readonly name: string; readonly namespace: string } };

/** Properties of {@link KongApi}. */
export interface KongApiProps {
  /** The API as in the environment file (validated again here, defaults applied). */
  readonly api: ApiConfigInput;
  /** Chart that receives the generated objects. */
  readonly chart: ManifestChart;
  /** Ingresses (with their class) or HTTPRoutes (attached to a Gateway). */
  readonly routing: ApiRouting;
  /** Production: no unauthenticated API unless public, no unverified TLS upstream without a waiver. @default false */
  readonly production?: boolean;
  /** A global authentication plugin covers every route. @default false */
  readonly globalAuthentication?: boolean;
  /** SNI certificates; routes use those of their namespace that cover their hosts. @default none */
  readonly serverCertificates?: ServerCertificateConfig[];
  /** CA certificates, by name, for `service.caCertificates` and `mtls-auth`. @default none */
  readonly authorities?: CertificateAuthority[];
  /** Maps a CA certificate name to its Kong id (mtls-auth config). */
  readonly caCertificateId: (name: string) => string;
  /** The header the edge forwards client certificates in (header-cert-auth defaults). @default none */
  readonly clientCertificateHeader?: ClientCertificateHeader;
  /** DNS name in the client certificate cert-manager issues for Kong. @default kong-gateway.kong.svc */
  readonly clientIdentity?: string;
  /** Labels on every generated object. @default none */
  readonly labels?: Record<string, string>;
  /** What the Service annotations wait for (the controller release). @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One API: its routes as annotated Ingresses (or HTTPRoutes), its KongPlugins per API and per
 * route, and the KIC annotations on the team's upstream Service (protocol, upstream TLS
 * verification, CA certificates, client certificate) applied with `kubernetes_annotations`, so
 * the team keeps owning its Service.
 */
export class KongApi extends Construct {
  /** The validated API, defaults applied. */
  public readonly api: ApiConfig;
  /** Names of the generated Ingresses or HTTPRoutes. */
  public readonly routeObjectNames: string[] = [];
  /** Annotations put on the upstream Service (empty for a plain http upstream). */
  public readonly serviceAnnotations: Record<string, string>;
  /** The `kubernetes_annotations` resource, when the Service needs annotations. */
  public readonly serviceAnnotationsResource?: KubernetesAnnotations;
  /**
   * The prerequisite check of the annotations: a read of the team's Service (`data.kubernetes_service_v1`),
   * which fails with `services "<name>" not found` while the Service does not exist.
   */
  public readonly upstreamServiceCheck?: DataKubernetesServiceV1;

  constructor(scope: Construct, id: string, props: KongApiProps) {
    super(scope, id);
    const parsed = apiSchema.safeParse(props.api);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${this.node.path}: api.${issue.path.join('.')}: ${issue.message}`);
    }
    const api = (this.api = parsed.data);
    const production = props.production ?? false;
    const labels = { 'app.kubernetes.io/managed-by': 'kong-platform', 'kong-platform/api': api.name, ...(props.labels ?? {}) };
    const context: BuildPluginContext = { production, caCertificateId: props.caCertificateId, clientCertificateHeader: props.clientCertificateHeader };
    const objects: KubernetesObject[] = [];

    const apiPlugins = attachPlugins(this, 'plugins', api.name, api.namespace, api.plugins, context, labels);
    objects.push(...apiPlugins.objects);

    const routeNames = new Set<string>();
    let everyRouteAuthenticated = true;
    api.routes.forEach((route, index) => {
      if (routeNames.has(route.name)) throw new Error(`${this.node.path}: routes.${index}.name: "${route.name}" is declared twice`);
      routeNames.add(route.name);
      const objectName = routeObjectName(api.name, route.name);
      const routePlugins = attachPlugins(this, `routes.${index}.plugins`, objectName, api.namespace, route.plugins, context, labels);
      objects.push(...routePlugins.objects);
      // A route-level plugin replaces the API-level one of the same kind for this route.
      const overridden = new Set(route.plugins.map(kongPluginName));
      const inherited = api.plugins.map((declaration, i) => ({ kind: kongPluginName(declaration), name: apiPlugins.names[i] })).filter((entry) => !overridden.has(entry.kind));
      const pluginNames = [...inherited.map((entry) => entry.name), ...routePlugins.names];
      const authenticated = routePlugins.authenticates || inherited.some((entry) => AUTHENTICATION_PLUGINS.includes(entry.kind));
      everyRouteAuthenticated &&= authenticated;

      const annotations: Record<string, string> = { [ROUTE_ANNOTATIONS.stripPath]: String(route.stripPath) };
      if (pluginNames.length > 0) annotations[ROUTE_ANNOTATIONS.plugins] = pluginNames.join(',');
      if (props.routing.kind === 'ingress') {
        if (route.methods) annotations[ROUTE_ANNOTATIONS.methods] = route.methods.join(',');
        if (route.httpsOnly) {
          annotations[ROUTE_ANNOTATIONS.protocols] = 'https';
          annotations[ROUTE_ANNOTATIONS.httpsRedirectStatusCode] = '301';
        }
        objects.push(this.ingress(objectName, route, annotations, labels, props));
      } else {
        objects.push(this.httpRoute(objectName, route, annotations, labels, props.routing.gateway));
      }
      this.routeObjectNames.push(objectName);
    });

    if (production && !api.public && !props.globalAuthentication && !everyRouteAuthenticated) {
      throw new Error(
        `${this.node.path}: API "${api.name}" has a route without an authentication plugin (${AUTHENTICATION_PLUGINS.join(', ')}) ` +
          'in a production environment; add one, or set public: true if anonymous access is intended',
      );
    }

    this.serviceAnnotations = this.upstreamAnnotations(api, production, props, labels, objects);
    if (Object.keys(this.serviceAnnotations).length > 0) {
      // The Service belongs to the application team and is deployed after the platform made its
      // namespace: its upstream settings (protocol, TLS verification, CA, client certificate) have no
      // field in a Kong CRD the platform could own (KongUpstreamPolicy covers balancing and health
      // checks only), so they stay Service annotations, with the dependency spelled out:
      // 1. a read of the Service first: a missing Service fails here with a clear error, not as a
      //    failed patch; it is read at plan time once its namespace and the controller exist;
      // 2. `force`: server-side apply takes these keys over from the team's field manager instead of
      //    conflicting on every change (the team must not set them itself: docs/apis.md).
      this.upstreamServiceCheck = new DataKubernetesServiceV1(this, 'upstream-service', {
        metadata: { name: api.service.name, namespace: api.namespace },
        dependsOn: props.dependsOn,
      });
      this.serviceAnnotationsResource = new KubernetesAnnotations(this, 'service-annotations', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: api.service.name, namespace: api.namespace },
        annotations: this.serviceAnnotations,
        fieldManager: SERVICE_ANNOTATIONS_FIELD_MANAGER,
        force: true,
        dependsOn: [...(props.dependsOn ?? []), this.upstreamServiceCheck],
      });
    }
    props.chart.addManifest(...objects);
  }

  private ingress(name: string, route: ApiConfig['routes'][number], annotations: Record<string, string>, labels: Record<string, string>, props: KongApiProps): KubernetesObject {
    const api = this.api;
    const tls = new Map<string, string[]>();
    for (const host of route.hosts) {
      const certificate = (props.serverCertificates ?? []).find((c) => c.namespace === api.namespace && c.hosts.some((covered) => hostCovered(covered, host)));
      if (!certificate) continue;
      const secret = tlsSecretName(certificate.name, certificate.source);
      tls.set(secret, [...(tls.get(secret) ?? []), host]);
    }
    if (route.httpsOnly && tls.size === 0) {
      throw new Error(`${this.node.path}: route "${route.name}" is httpsOnly but no certificate in namespace "${api.namespace}" covers ${route.hosts.join(', ')}`);
    }
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name, namespace: api.namespace, labels, annotations },
      spec: {
        ingressClassName: (props.routing as { ingressClass: string }).ingressClass,
        ...(tls.size > 0 ? { tls: [...tls.entries()].map(([secretName, hosts]) => ({ hosts, secretName })) } : {}),
        rules: route.hosts.map((host) => ({
          host,
          http: {
            paths: route.paths.map((path) => ({
              path,
              pathType: route.pathType,
              backend: { service: { name: api.service.name, port: { number: api.service.port } } },
            })),
          },
        })),
      },
    };
  }

  private httpRoute(
    name: string,
    route: ApiConfig['routes'][number],
    annotations: Record<string, string>,
    labels: Record<string, string>,
    gateway: { name: string; namespace: string },
  ): KubernetesObject {
    const api = this.api;
    const pathType = route.pathType === 'Exact' ? 'Exact' : 'PathPrefix';
    const matches = route.paths.flatMap((path) => (route.methods ?? [undefined]).map((method) => ({ path: { type: pathType, value: path }, ...(method ? { method } : {}) })));
    return {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: api.namespace, labels, annotations },
      spec: {
        parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
        hostnames: route.hosts,
        rules: [{ matches, backendRefs: [{ name: api.service.name, port: api.service.port }] }],
      },
    };
  }

  private upstreamAnnotations(api: ApiConfig, production: boolean, props: KongApiProps, labels: Record<string, string>, objects: KubernetesObject[]): Record<string, string> {
    const service = api.service;
    const verify = effectiveTlsVerify(service);
    const annotations: Record<string, string> = {};
    if (service.protocol !== 'http') annotations[SERVICE_ANNOTATIONS.protocol] = service.protocol;
    if (verify === undefined) {
      if (service.tlsVerify !== undefined || service.tlsVerifyDepth !== undefined || service.caCertificates.length > 0 || service.clientCertificate) {
        throw new Error(
          `${this.node.path}: service: tlsVerify, tlsVerifyDepth, caCertificates and clientCertificate need an https or grpcs upstream, protocol is "${service.protocol}"`,
        );
      }
      return annotations;
    }
    if (!verify && production && !service.tlsVerifyWaiver) {
      throw new Error(
        `${this.node.path}: service.tlsVerify: must not be false for a ${service.protocol} upstream in a production environment; ` +
          'add caCertificates or an explicit tlsVerifyWaiver with a reason',
      );
    }
    // KIC leaves upstream verification off unless told: always say it.
    annotations[SERVICE_ANNOTATIONS.tlsVerify] = String(verify);
    if (service.tlsVerifyDepth !== undefined) annotations[SERVICE_ANNOTATIONS.tlsVerifyDepth] = String(service.tlsVerifyDepth);
    if (service.caCertificates.length > 0) {
      const secrets = service.caCertificates.map((name) => {
        const authority = (props.authorities ?? []).find((a) => a.name === name);
        if (!authority) throw new Error(`${this.node.path}: service.caCertificates: unknown CA certificate "${name}"`);
        if (authority.namespace !== api.namespace) {
          throw new Error(`${this.node.path}: service.caCertificates: "${name}" is in namespace "${authority.namespace}", the Service in "${api.namespace}"`);
        }
        return authoritySecretName(authority);
      });
      annotations[SERVICE_ANNOTATIONS.caCertificatesSecret] = secrets.join(',');
    }
    if (service.clientCertificate) {
      const name = `${api.name}-upstream-client`;
      if (service.clientCertificate.certManager) {
        objects.push(certManagerCertificate(name, api.namespace, [props.clientIdentity ?? 'kong-gateway.kong.svc'], service.clientCertificate.certManager, 'client', labels));
      }
      annotations[SERVICE_ANNOTATIONS.clientCert] = tlsSecretName(name, service.clientCertificate);
    }
    return annotations;
  }
}
