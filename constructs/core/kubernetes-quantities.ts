/** Kubernetes resource quantities, for the rules that compare them. */

/** Parses a Kubernetes CPU quantity to cores, or undefined when it is not one. */
export function parseCpu(quantity: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity);
  if (!m) return undefined;
  return m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
}

const MEMORY_FACTORS: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** Parses a Kubernetes memory quantity to bytes, or undefined when it is not one. */
export function parseMemory(quantity: string): number | undefined {
  const m = /^(\d+)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(quantity);
  if (!m) return undefined;
  return Number(m[1]) * MEMORY_FACTORS[m[2] ?? ''];
}
