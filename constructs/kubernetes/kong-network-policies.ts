import { NetworkPolicyV1, NetworkPolicyV1Spec } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct, ITerraformDependable } from '../core/cdktf';
import { ROUTABLE_NAMESPACE_LABEL } from './platform-namespaces';

/** An extra source the gateway pods admit (e.g. load balancer health checks). */
export interface GatewayIngressRule {
  /** Source CIDRs. */
  readonly cidrs: string[];
  /** TCP ports. */
  readonly ports: number[];
  /** Why the flow is needed (kept in the policy's annotation). */
  readonly reason: string;
}

/** An extra egress destination for the gateway pods (e.g. a SaaS control plane). */
export interface GatewayEgressRule {
  /** Destination CIDR. */
  readonly cidr: string;
  /** TCP ports. */
  readonly ports: number[];
}

export interface KongNetworkPoliciesProps {
  /** Namespace of Kong. */
  readonly systemNamespace: string;
  /** Helm release name of the gateway (pods carry `app.kubernetes.io/instance: <name>`). */
  readonly gatewayReleaseName: string;
  /** Helm release name of the controller. */
  readonly controllerReleaseName: string;
  /** Application namespaces: default-deny ingress there, except from the Kong gateway. */
  readonly applicationNamespaces: string[];
  /**
   * Sources allowed to reach the proxy ports (the load balancer in front of Kong).
   * @default any source (the Service is ClusterIP; the edge is the only way in)
   */
  readonly proxySourceCidrs?: string[];
  /**
   * Where the Kubernetes API server is, for the controller's egress.
   * @default any address on TCP 443 and 6443 (the API server address is not known at synth)
   */
  readonly apiServerCidrs?: string[];
  /**
   * Allow the gateway into every pod of each application namespace. Turn off when finer,
   * per-service policies are installed instead (the mesh traffic matrix).
   * @default true
   */
  readonly allowGatewayToApplicationNamespaces?: boolean;
  /** Extra egress for the gateway pods. @default none */
  readonly gatewayEgress?: GatewayEgressRule[];
  /** Extra ingress for the gateway pods (one policy per rule). @default none */
  readonly gatewayIngress?: GatewayIngressRule[];
  /** Resources to create first (the namespaces). */
  readonly dependsOn?: ITerraformDependable[];
}

const PROXY_PORTS = [8000, 8443];
const STATUS_PORT = 8100;
const ADMIN_TLS_PORT = 8444;
const WEBHOOK_PORT = 8080;
/** Namespaces labelled so may scrape Kong's status/metrics port. */
export const MONITORING_NAMESPACE_LABEL = 'kong-platform.io/monitoring';

/** Every pod of a namespace may resolve names with the cluster DNS in kube-system, and nothing more. */
export function dnsEgressPolicySpec(): NetworkPolicyV1Spec {
  return {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
    ],
  };
}

const tcp = (ports: number[]) => ports.map((p) => ({ port: String(p), protocol: 'TCP' }));

/**
 * Zero-trust networking for the Kong namespace: everything is denied, then exactly the
 * flows Kong needs are allowed (DNS; proxy ports from the edge; Admin API only from the
 * controller; controller to the API server; gateway to application namespaces). In each
 * application namespace, ingress is denied except from the Kong gateway.
 */
export class KongNetworkPolicies extends Construct {
  /** Every policy, by construct id. */
  public readonly policies: Record<string, NetworkPolicyV1> = {};

  constructor(scope: Construct, id: string, props: KongNetworkPoliciesProps) {
    super(scope, id);
    const ns = props.systemNamespace;
    const gateway = { matchLabels: { 'app.kubernetes.io/instance': props.gatewayReleaseName } };
    const controller = { matchLabels: { 'app.kubernetes.io/instance': props.controllerReleaseName } };
    const systemNamespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': ns } };

    this.add(ns, 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, props);
    this.add(ns, 'allow-dns-egress', dnsEgressPolicySpec(), props);
    this.add(
      ns,
      'gateway-ingress-proxy',
      {
        podSelector: gateway,
        policyTypes: ['Ingress'],
        ingress: [
          {
            ...(props.proxySourceCidrs && props.proxySourceCidrs.length > 0 ? { from: props.proxySourceCidrs.map((cidr) => ({ ipBlock: { cidr } })) } : {}),
            ports: tcp(PROXY_PORTS),
          },
          { from: [{ namespaceSelector: { matchLabels: { [MONITORING_NAMESPACE_LABEL]: 'true' } } }], ports: tcp([STATUS_PORT]) },
        ],
      },
      props,
    );
    this.add(
      ns,
      'gateway-ingress-admin-from-controller',
      {
        podSelector: gateway,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: controller }], ports: tcp([ADMIN_TLS_PORT]) }],
      },
      props,
    );
    this.add(
      ns,
      'gateway-egress-upstreams',
      {
        podSelector: gateway,
        policyTypes: ['Egress'],
        egress: [
          { to: [{ namespaceSelector: { matchLabels: { [ROUTABLE_NAMESPACE_LABEL]: 'true' } } }] },
          ...(props.gatewayEgress ?? []).map((rule) => ({ to: [{ ipBlock: { cidr: rule.cidr } }], ports: tcp(rule.ports) })),
        ],
      },
      props,
    );
    (props.gatewayIngress ?? []).forEach((rule, i) => {
      if (rule.cidrs.length === 0) throw new Error(`${this.node.path}: gatewayIngress[${i}] (${rule.reason}) needs at least one source CIDR`);
      this.add(
        ns,
        `gateway-ingress-extra-${i}`,
        {
          podSelector: gateway,
          policyTypes: ['Ingress'],
          ingress: [{ from: rule.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(rule.ports) }],
        },
        props,
        undefined,
        { 'kong-platform.io/reason': rule.reason },
      );
    });
    const apiServer = props.apiServerCidrs && props.apiServerCidrs.length > 0 ? props.apiServerCidrs : ['0.0.0.0/0'];
    this.add(
      ns,
      'controller-egress',
      {
        podSelector: controller,
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: gateway }], ports: tcp([ADMIN_TLS_PORT]) },
          { to: apiServer.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp([443, 6443]) },
        ],
      },
      props,
    );
    this.add(
      ns,
      'controller-ingress-webhook',
      {
        podSelector: controller,
        policyTypes: ['Ingress'],
        ingress: [{ ports: tcp([WEBHOOK_PORT]) }],
      },
      props,
    );

    for (const app of props.applicationNamespaces) {
      this.add(app, `${app}-default-deny-ingress`, { podSelector: {}, policyTypes: ['Ingress'] }, props, 'default-deny-ingress');
      if (props.allowGatewayToApplicationNamespaces === false) continue;
      this.add(
        app,
        `${app}-allow-from-kong-gateway`,
        {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ namespaceSelector: systemNamespaceSelector, podSelector: gateway }] }],
        },
        props,
        'allow-from-kong-gateway',
      );
    }
  }

  private add(namespace: string, id: string, spec: NetworkPolicyV1Spec, props: KongNetworkPoliciesProps, name = id, annotations?: Record<string, string>): void {
    this.policies[id] = new NetworkPolicyV1(this, id, {
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kong-platform' }, ...(annotations ? { annotations } : {}) },
      spec,
      dependsOn: props.dependsOn,
    });
  }
}
