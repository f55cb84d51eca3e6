import { PropsProblem, PropsProblems } from '../core/validation';
import { ADMIN_NETWORK_BUDGET, addressCoverage, tooWide } from '../policy/address-ranges';

/**
 * The rules of an EKS environment (EksClusterStack's props: its environment name, production flag
 * and `aws` section), in one pass, so every problem comes out together before anything is built.
 * The constructs that own each resource use the same functions on their own props (AwsNetwork
 * the zones and NAT gateways, EksManagedNodeGroup the node group name, VpcCni network policy), and
 * the environment-file loader runs {@link eksEnvironmentProblems} next to the schema. Inputs are
 * read defensively: a JavaScript caller or a raw YAML file may pass anything.
 */

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** EKS refuses node group names over 63 characters. */
export const EKS_NODE_GROUP_NAME_MAX = 63;

/** The EKS node group name of group `group` in environment `environment` (EksClusterStack's naming). */
export function eksNodeGroupName(environment: string, group: string): string {
  return `kong-${environment}-${group}`;
}

/** Zone names the region's own (`<region><letter>`), each once; at least 3 in production. */
export function availabilityZoneProblems(
  p: PropsProblems,
  prefix: string,
  input: { readonly names?: unknown; readonly count?: unknown; readonly region?: unknown; readonly production: boolean },
): void {
  const names = Array.isArray(input.names) ? input.names : undefined;
  const field = `${prefix}${names ? 'availabilityZoneNames' : 'availabilityZoneCount'}`;
  const count = names ? names.length : typeof input.count === 'number' ? input.count : 3;
  if (count < 2 || count > 6) p.add(field, names ?? count, 'must give 2 to 6 availability zones');
  else if (input.production && count < 3) p.add(field, names ?? count, `must give at least 3 availability zones in production (got ${count})`);
  if (!names) return;
  const seen = new Map<string, number>();
  names.forEach((zone: unknown, i: number) => {
    if (typeof zone !== 'string') return;
    const at = `${prefix}availabilityZoneNames.${i}`;
    const region = input.region;
    if (seen.has(zone)) p.add(at, zone, `is listed twice (also ${prefix}availabilityZoneNames.${seen.get(zone)}): each zone once`);
    else if (typeof region === 'string' && !(zone.length === region.length + 1 && zone.startsWith(region) && /[a-z]$/.test(zone))) {
      p.add(at, zone, `is not a zone of ${prefix}region ${region}: use ${region}a, ${region}b, ...`);
    }
    seen.set(zone, i);
  });
}

/** One NAT gateway per zone in production. */
export function natGatewayProblems(p: PropsProblems, prefix: string, natGateways: unknown, production: boolean): void {
  if (production && natGateways === 'single') {
    p.add(`${prefix}natGateways`, natGateways, 'must be "perZone" in production (a single NAT gateway is a zone-wide single point of failure)');
  }
}

/** The public API endpoint admits admin networks only in production, judged by the addresses the list covers. */
export function eksEndpointProblems(p: PropsProblems, prefix: string, endpoint: unknown, production: boolean): void {
  if (!isObject(endpoint)) return;
  const cidrs = Array.isArray(endpoint.publicAccessCidrs) ? endpoint.publicAccessCidrs.filter((c: unknown): c is string => typeof c === 'string') : [];
  if (endpoint.privateAccess === false && cidrs.length === 0) {
    p.add(`${prefix}endpoint`, endpoint, 'needs privateAccess or publicAccessCidrs: otherwise nothing can reach the Kubernetes API');
  }
  if (!production || cidrs.length === 0 || addressCoverage(cidrs).invalid.length > 0) return;
  const wide = tooWide(cidrs, ADMIN_NETWORK_BUDGET);
  if (wide) {
    p.add(
      `${prefix}endpoint.publicAccessCidrs`,
      cidrs,
      `must list admin networks only in production: these ${wide}; list your admin networks or use an empty list (private endpoint)`,
    );
  }
}

/** NetworkPolicies are enforced in production. */
export function vpcCniProblems(p: PropsProblems, prefix: string, vpcCni: unknown, production: boolean): void {
  if (production && isObject(vpcCni) && vpcCni.enableNetworkPolicy === false) {
    p.add(`${prefix}enableNetworkPolicy`, false, 'must be true in production: without it the NetworkPolicies of the platform are not enforced');
  }
}

/** Sizes in order; the EKS node group name within 63 characters. */
export function nodeGroupProblems(p: PropsProblems, prefix: string, group: Raw, nodeGroupName: string | undefined, nameField: string): void {
  const min = typeof group.minSize === 'number' ? group.minSize : 2;
  const max = typeof group.maxSize === 'number' ? group.maxSize : 6;
  if (min > max) p.add(`${prefix}minSize`, min, `must not exceed maxSize (${max})`);
  if (typeof group.desiredSize === 'number' && (group.desiredSize < min || group.desiredSize > max)) {
    p.add(`${prefix}desiredSize`, group.desiredSize, `must be between minSize (${min}) and maxSize (${max})`);
  }
  if (nodeGroupName !== undefined && nodeGroupName.length > EKS_NODE_GROUP_NAME_MAX) {
    p.add(
      nameField,
      group.name,
      `makes the EKS node group name ${JSON.stringify(nodeGroupName)} (${nodeGroupName.length} characters), over EKS's ${EKS_NODE_GROUP_NAME_MAX}: shorten the group or environment name`,
    );
  }
}

/**
 * Every rule of an EKS environment: `{ environment, production, aws }` as EksClusterStack takes
 * them. Fields are reported as `aws.<field>`, which is also the environment file's path.
 */
export function eksEnvironmentProblems(props: unknown, constructPath: string): PropsProblem[] {
  const p = new PropsProblems(constructPath);
  const raw = isObject(props) ? props : {};
  const aws = isObject(raw.aws) ? raw.aws : undefined;
  if (!aws) return [];
  const production = raw.production === true;
  eksEndpointProblems(p, 'aws.', aws.endpoint, production);
  availabilityZoneProblems(p, 'aws.', { names: aws.availabilityZoneNames, count: aws.availabilityZoneCount, region: aws.region, production });
  natGatewayProblems(p, 'aws.', aws.natGateways, production);
  vpcCniProblems(p, 'aws.vpcCni.', aws.vpcCni, production);
  const names = new Map<string, number>();
  (Array.isArray(aws.nodeGroups) ? aws.nodeGroups : []).forEach((group: unknown, i: number) => {
    if (!isObject(group)) return;
    const at = `aws.nodeGroups.${i}`;
    if (typeof group.name === 'string' && names.has(group.name)) {
      p.add(`${at}.name`, group.name, `is used twice (also aws.nodeGroups.${names.get(group.name)}.name): node group names are unique`);
      return;
    }
    if (typeof group.name === 'string') names.set(group.name, i);
    const nodeGroupName = typeof raw.environment === 'string' && typeof group.name === 'string' ? eksNodeGroupName(raw.environment, group.name) : undefined;
    nodeGroupProblems(p, `${at}.`, group, nodeGroupName, `${at}.name`);
  });
  return [...p.problems];
}
