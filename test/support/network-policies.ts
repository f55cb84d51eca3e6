/**
 * A small evaluator of Kubernetes NetworkPolicy semantics over the synthesized
 * `kubernetes_network_policy_v1` resources, so tests can ask "is this flow admitted?" the way the
 * cluster's CNI would answer: a flow passes when the destination's ingress policies and the
 * source's egress policies both admit it, and a pod no policy selects for a direction is open in
 * that direction.
 *
 * Modelled: podSelector / namespaceSelector (matchLabels, matchExpressions), ipBlock with except,
 * numeric TCP/UDP ports with endPort. Sources outside the cluster are plain IPs and match only
 * ipBlocks; pods match only selectors (ipBlock on pod IPs is implementation-defined upstream).
 */

type Labels = Record<string, string>;

/** A pod in the model. */
export interface PodEndpoint {
  readonly kind: 'pod';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
}

/** An address outside the cluster (a load balancer node, the Internet). */
export interface IpEndpoint {
  readonly kind: 'ip';
  readonly name: string;
  readonly ip: string;
}

export type Endpoint = PodEndpoint | IpEndpoint;

interface Selector {
  match_labels?: Labels;
  match_expressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

interface Peer {
  ip_block?: { cidr: string; except?: string[] };
  namespace_selector?: Selector;
  pod_selector?: Selector;
}

interface PortSpec {
  port?: string | number;
  end_port?: number;
  protocol?: string;
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PortSpec[];
}

interface Policy {
  namespace: string;
  name: string;
  podSelector: Selector;
  types: string[];
  ingress: Rule[];
  egress: Rule[];
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const one = <T>(v: T | T[] | undefined): T | undefined => (Array.isArray(v) ? v[0] : v);

function matches(selector: Selector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.match_labels ?? {})) if (labels[k] !== v) return false;
  for (const e of asList(selector.match_expressions)) {
    const has = e.key in labels;
    const value = labels[e.key];
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(value))) return false;
    if (e.operator === 'NotIn' && has && values.includes(value)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  const value = ipToInt(ip);
  return value >= start && value < start + size;
}

/** The cluster: its policies and the labels of its namespaces. */
export class NetworkModel {
  private readonly policies: Policy[];

  /**
   * @param json a synthesized stack
   * @param extraNamespaces namespaces that exist without being in the stack (kube-system, monitoring), with their labels
   */
  constructor(
    json: any,
    private readonly namespaceLabels: Record<string, Labels>,
  ) {
    this.policies = Object.values<any>(json.resource?.kubernetes_network_policy_v1 ?? {}).map((r) => {
      const spec = one<any>(r.spec);
      const metadata = one<any>(r.metadata);
      return {
        namespace: metadata.namespace,
        name: metadata.name,
        podSelector: one<Selector>(spec.pod_selector) ?? {},
        types: asList<string>(spec.policy_types),
        ingress: asList<Rule>(spec.ingress),
        egress: asList<Rule>(spec.egress),
      };
    });
  }

  /** The namespace labels from the stack's namespaces plus `kubernetes.io/metadata.name`. */
  public static namespacesOf(json: any, extra: Record<string, Labels> = {}): Record<string, Labels> {
    const out: Record<string, Labels> = {};
    for (const ns of Object.values<any>(json.resource?.kubernetes_namespace_v1 ?? {})) {
      const metadata = one<any>(ns.metadata);
      out[metadata.name] = { ...(metadata.labels ?? {}), 'kubernetes.io/metadata.name': metadata.name };
    }
    for (const [name, labels] of Object.entries(extra)) out[name] = { ...labels, 'kubernetes.io/metadata.name': name };
    return out;
  }

  /** Whether `source` may open a connection to `destination` on `port`. */
  public allows(source: Endpoint, destination: Endpoint, port: number, protocol = 'TCP'): boolean {
    return this.admits(destination, 'Ingress', source, port, protocol) && this.admits(source, 'Egress', destination, port, protocol);
  }

  /** The names of the policies that select a pod for a direction (for failure messages). */
  public selecting(pod: PodEndpoint, direction: 'Ingress' | 'Egress'): string[] {
    return this.policies.filter((p) => this.selects(p, pod, direction)).map((p) => `${p.namespace}/${p.name}`);
  }

  private selects(policy: Policy, pod: PodEndpoint, direction: 'Ingress' | 'Egress'): boolean {
    return policy.namespace === pod.namespace && policy.types.includes(direction) && matches(policy.podSelector, pod.labels);
  }

  private admits(subject: Endpoint, direction: 'Ingress' | 'Egress', peer: Endpoint, port: number, protocol: string): boolean {
    if (subject.kind === 'ip') return true; // outside the cluster: no policy applies
    const selecting = this.policies.filter((p) => this.selects(p, subject, direction));
    if (selecting.length === 0) return true;
    return selecting.some((policy) =>
      (direction === 'Ingress' ? policy.ingress : policy.egress).some((rule) => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        const peerOk = peers === undefined || asList(peers).length === 0 || asList(peers).some((p) => this.peerMatches(p, peer, policy.namespace));
        const ports = asList(rule.ports);
        const portOk = ports.length === 0 || ports.some((p) => portMatches(p, port, protocol));
        return peerOk && portOk;
      }),
    );
  }

  private peerMatches(peer: Peer, endpoint: Endpoint, policyNamespace: string): boolean {
    const ipBlock = one(peer.ip_block);
    if (ipBlock) {
      if (endpoint.kind !== 'ip') return false;
      return inCidr(endpoint.ip, ipBlock.cidr) && !asList(ipBlock.except).some((c) => inCidr(endpoint.ip, c));
    }
    if (endpoint.kind !== 'pod') return false;
    const namespaceSelector = one(peer.namespace_selector);
    const podSelector = one(peer.pod_selector);
    const namespaceOk = namespaceSelector
      ? matches(namespaceSelector, this.namespaceLabels[endpoint.namespace] ?? { 'kubernetes.io/metadata.name': endpoint.namespace })
      : endpoint.namespace === policyNamespace;
    return namespaceOk && matches(podSelector, endpoint.labels);
  }
}

function portMatches(spec: PortSpec, port: number, protocol: string): boolean {
  if ((spec.protocol ?? 'TCP') !== protocol) return false;
  if (spec.port === undefined) return true;
  const start = Number(spec.port);
  if (Number.isNaN(start)) return false; // named ports are not modelled: never a match
  return spec.end_port !== undefined ? port >= start && port <= spec.end_port : port === start;
}
