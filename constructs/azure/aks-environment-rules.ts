import { PropsProblem, PropsProblems } from '../core/validation';
import { ADMIN_NETWORK_BUDGET, addressCoverage, tooWide } from '../policy/address-ranges';
import { certificateReissueDaysProblem } from '../core/certificate-reissue';
import { certificateProblem } from '../apis/apis-section';

/**
 * The production rules of an AKS environment (AksClusterStack's props: production flag and
 * `azure` section), in one pass. HardenedAksCluster and AzureContainerRegistry use the same
 * functions on their own props, and the environment-file loader runs
 * {@link aksEnvironmentProblems} next to the schema. Inputs are read defensively.
 */

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** In production the API server is private, or public to admin networks only (judged by the addresses the list covers). */
export function aksApiServerProblems(p: PropsProblems, prefix: string, apiServer: unknown, production: boolean): void {
  if (!production) return;
  const server = isObject(apiServer) ? apiServer : {};
  const ranges = Array.isArray(server.authorizedIpRanges) ? server.authorizedIpRanges.filter((r): r is string => typeof r === 'string') : [];
  if (server.privateCluster === false && ranges.length === 0) {
    p.add(`${prefix}apiServer`, apiServer, 'a public API server needs authorizedIpRanges in production: list your admin networks, or set privateCluster to true');
  }
  if (ranges.length === 0 || addressCoverage(ranges).invalid.length > 0) return;
  const wide = tooWide(ranges, ADMIN_NETWORK_BUDGET);
  if (wide)
    p.add(`${prefix}apiServer.authorizedIpRanges`, ranges, `must list admin networks only in production: these ${wide}; list your admin networks, or use a private cluster`);
}

/** Production spreads over all 3 zones. */
export function aksZoneProblems(p: PropsProblems, prefix: string, availabilityZones: unknown, production: boolean): void {
  if (!Array.isArray(availabilityZones)) return;
  const seen = new Map<unknown, number>();
  availabilityZones.forEach((zone, i) => {
    if (seen.has(zone)) p.add(`${prefix}availabilityZones.${i}`, zone, `is listed twice (also ${prefix}availabilityZones.${seen.get(zone)}): each zone once`);
    else seen.set(zone, i);
  });
  if (production && new Set(availabilityZones).size < 3) {
    p.add(`${prefix}availabilityZones`, availabilityZones, `must list all 3 zones in production (got ${new Set(availabilityZones).size})`);
  }
}

/** In production the registry is reached through its private endpoint only. */
export function registryPublicAccessProblems(p: PropsProblems, prefix: string, publicNetworkAccess: unknown, production: boolean): void {
  if (production && publicNetworkAccess === true) {
    p.add(`${prefix}publicNetworkAccess`, true, 'must be false in production: nodes and the pipeline reach the registry through its private endpoint');
  }
}

/**
 * A cert-manager backend certificate: the gateway's trusted roots must be usable CA certificates (a key,
 * a leaf or an expired CA would fail every backend check), and the re-issue period in range.
 */
export function backendCertificateProblems(p: PropsProblems, prefix: string, backendCertificate: unknown): void {
  if (!isObject(backendCertificate) || backendCertificate.issuer !== 'cert-manager') return;
  const pems = backendCertificate.caCertificatePems;
  if (!Array.isArray(pems) || pems.length === 0) {
    p.add(`${prefix}caCertificatePems`, pems, "must list the issuer's CA certificate (PEM): the gateway trusts nothing else");
  } else {
    pems.forEach((pem, i) => {
      const problem = typeof pem === 'string' ? certificateProblem(pem) : 'must be a PEM certificate';
      if (problem) p.add(`${prefix}caCertificatePems.${i}`, typeof pem === 'string' ? `${pem.slice(0, 30)}...` : pem, problem);
    });
  }
  if (backendCertificate.reissueEveryDays !== undefined) {
    const problem = certificateReissueDaysProblem(backendCertificate.reissueEveryDays);
    if (problem) p.add(`${prefix}reissueEveryDays`, backendCertificate.reissueEveryDays, problem);
  }
}

/** Every production rule of an AKS environment; fields are reported as `azure.<field>`, also the environment file's path. */
export function aksEnvironmentProblems(props: unknown, constructPath: string): PropsProblem[] {
  const p = new PropsProblems(constructPath);
  const raw = isObject(props) ? props : {};
  const azure = isObject(raw.azure) ? raw.azure : undefined;
  if (!azure) return [];
  const production = raw.production === true;
  aksApiServerProblems(p, 'azure.', azure.apiServer, production);
  registryPublicAccessProblems(p, 'azure.acr.', isObject(azure.acr) ? azure.acr.publicNetworkAccess : undefined, production);
  aksZoneProblems(p, 'azure.', azure.availabilityZones, production);
  backendCertificateProblems(p, 'azure.edge.backendCertificate.', isObject(azure.edge) ? azure.edge.backendCertificate : undefined);
  return [...p.problems];
}
