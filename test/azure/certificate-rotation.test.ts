import { synthCluster } from './fixture';

// Kong's backend certificate rotation, played forward over the synthesized expressions: at no moment may
// Kong present a certificate whose root the Application Gateway no longer trusts (that is a 502 on every
// request). The gateway learns roots in a cluster apply; Kong presents a new certificate only after the
// next platform apply.

const { json } = synthCluster();
const PLAN_YEAR = 'tonumber(formatdate("YYYY", plantimestamp()))';

/** Evaluates one of our Terraform expressions for a plan in `year`; resource references become their slot. */
function evaluate(expression: string, year: number, references: Record<string, string>): unknown {
  let js = expression
    .replace(/^\$\{/, '')
    .replace(/\}$/, '')
    .split(PLAN_YEAR)
    .join(String(year))
    .replace(/\bfloor\(/g, 'Math.floor(');
  for (const [reference, slot] of Object.entries(references)) js = js.split(reference).join(JSON.stringify(slot));
  if (/[a-z_]+\.[a-z]/i.test(js.replace(/Math\.floor/g, '').replace(/"[^"]*"/g, ''))) throw new Error(`cannot evaluate ${expression}`);
  return new Function(`return (${js});`)();
}

/** slot -> the expression whose change re-issues that slot's root (via replace_triggered_by). */
function slots(): Record<string, { cert: string; generation: string }> {
  const out: Record<string, { cert: string; generation: string }> = {};
  for (const [name, ca] of Object.entries<any>(json.resource.tls_self_signed_cert)) {
    const slot = /\((\w)\)$/.exec(ca.subject[0].common_name)![1];
    const [trigger] = ca.lifecycle.replace_triggered_by as string[];
    const dataName = /^\$\{terraform_data\.([\w-]+)\}$/.exec(trigger)![1];
    out[slot] = { cert: `tls_self_signed_cert.${name}.cert_pem`, generation: json.resource.terraform_data[dataName].triggers_replace.generation };
  }
  return out;
}

interface Outcome {
  readonly violations: string[];
  readonly rotations: number;
}

/**
 * Cluster applies at the given months (`[year, month]`), platform applies at others; returns every moment
 * Kong's presented certificate chains to a root that is no longer trusted.
 */
function play(signerExpression: string, clusterApplies: Array<[number, number]>, platformApplies: Array<[number, number]>): Outcome {
  const bySlot = slots();
  const references = Object.fromEntries(Object.entries(bySlot).map(([slot, s]) => [s.cert, slot]));
  const events = [...clusterApplies.map((at) => ({ at, kind: 'cluster' as const })), ...platformApplies.map((at) => ({ at, kind: 'platform' as const }))].sort(
    (x, y) => x.at[0] * 12 + x.at[1] - (y.at[0] * 12 + y.at[1]) || (x.kind === 'cluster' ? -1 : 1),
  );
  const generationValue: Record<string, unknown> = {};
  const issued: Record<string, number> = {};
  let leafRoot = '';
  let presented = '';
  let rotations = 0;
  const violations: string[] = [];
  for (const { at, kind } of events) {
    const [year] = at;
    if (kind === 'cluster') {
      for (const [slot, s] of Object.entries(bySlot)) {
        const value = evaluate(s.generation, year, {});
        if (slot in generationValue && generationValue[slot] !== value) {
          issued[slot] += 1;
          rotations += 1;
        }
        if (!(slot in generationValue)) issued[slot] = 0;
        generationValue[slot] = value;
      }
      const signer = String(evaluate(signerExpression, year, references));
      leafRoot = `${signer}#${issued[signer]}`;
      if (presented === '') presented = leafRoot; // the first platform apply follows the first cluster apply
      const trusted = Object.keys(bySlot).map((slot) => `${slot}#${issued[slot]}`);
      if (!trusted.includes(presented)) violations.push(`${at.join('-')}: Kong presents a certificate of root ${presented}, the gateway trusts ${trusted.join(', ')}`);
    } else if (leafRoot !== '') {
      presented = leafRoot;
    }
  }
  return { violations, rotations };
}

const months = (fromYear: number, toYear: number, every: number, offset = 0): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let i = offset; (fromYear * 12 + i) / 12 < toYear + 1; i += every) out.push([fromYear + Math.floor(i / 12), (i % 12) + 1]);
  return out;
};

const LEAF = () => Object.values<any>(json.resource.tls_locally_signed_cert)[0].ca_cert_pem as string;

describe('backend certificate rotation never breaks the chain', () => {
  test('GIVEN the cluster stack THEN there are two roots, none renewed early by the TLS provider, each valid > 2 years', () => {
    const roots = Object.values<any>(json.resource.tls_self_signed_cert);
    expect(roots).toHaveLength(2);
    for (const root of roots) {
      expect(root.early_renewal_hours).toBeUndefined();
      expect(root.validity_period_hours).toBeGreaterThan(2 * 365 * 24);
    }
    expect(Object.keys(slots()).sort()).toEqual(['a', 'b']);
  });

  test.each([
    ['cluster monthly, platform every 6 months', months(2026, 2040, 1), months(2026, 2040, 6, 3)],
    ['cluster and platform monthly', months(2026, 2040, 1), months(2026, 2040, 1)],
    ['cluster only in January, platform only in November', months(2027, 2040, 12), months(2027, 2040, 12, 10)],
    ['first apply in an odd year, cluster quarterly, platform 2 months later', months(2027, 2041, 3), months(2027, 2041, 3, 2)],
  ])('WHEN %s THEN Kong always presents a trusted chain, and roots do rotate', (_name, cluster, platform) => {
    const outcome = play(LEAF(), cluster, platform);
    expect(outcome.violations).toEqual([]);
    expect(outcome.rotations).toBeGreaterThanOrEqual(10);
  });

  test('GIVEN a signer that is NOT the newer root (a broken order) THEN the replay finds the 502 (the check can fail)', () => {
    // Same expression with the branches swapped: Kong's certificate comes from the root re-issued next.
    const swapped = LEAF().replace(/\? (\S+) : (\S+)\}$/, (_m, x: string, y: string) => `? ${y} : ${x}}`);
    expect(swapped).not.toBe(LEAF());
    expect(play(swapped, months(2026, 2030, 1), months(2026, 2030, 6, 3)).violations.length).toBeGreaterThan(0);
  });

  test('GIVEN a cluster stack left alone for more than a year THEN both roots re-issue in one apply: the documented condition (docs/azure.md)', () => {
    const outcome = play(
      LEAF(),
      [
        [2026, 1],
        [2028, 2],
      ],
      [
        [2026, 2],
        [2028, 3],
      ],
    );
    expect(outcome.violations).toEqual([expect.stringMatching(/^2028-2: Kong presents a certificate of root/)]);
  });

  test('GIVEN a cluster deployed with the single root THEN the upgrade moves that root into slot a (kept, still trusted) instead of replacing it', () => {
    // The addresses the one-root construct had in this stack (computed from the previous code, commit 7cf0365).
    expect(json.moved).toEqual(
      expect.arrayContaining([
        { from: 'tls_private_key.kong-backend-certificate_ca-key_F30A89A9', to: expect.stringMatching(/^tls_private_key\.kong-backend-certificate_ca-a-key_/) },
        { from: 'tls_self_signed_cert.kong-backend-certificate_ca_F5C46278', to: expect.stringMatching(/^tls_self_signed_cert\.kong-backend-certificate_ca-a_/) },
      ]),
    );
    const targets = (json.moved as Array<{ to: string }>).map((m) => m.to.split('.')[1]);
    for (const target of targets) expect(Object.keys({ ...json.resource.tls_private_key, ...json.resource.tls_self_signed_cert })).toContain(target);
  });
});
