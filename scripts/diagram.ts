/**
 * `npm run diagram`: draws the allowed east-west traffic of every environment that enables the
 * mesh, from the same `mesh:` section the platform enforces, to `docs/mesh-<environment>.svg`.
 * Diagrams of environments that no longer enable the mesh are removed, so `docs/` always matches
 * `environments/`.
 *
 * Usage: node dist/scripts/diagram.js [--environments <dir>] [--out <dir>] [--check]
 *   --check  write nothing; exit 1 when a committed diagram is missing, stale or orphaned.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { checkMeshRules, effectiveMtlsMode, meshSectionSchema } from '../config/sections/mesh';
import { TrafficMatrix } from '../constructs/mesh/traffic-matrix';
import { trafficMatrixDot } from '../constructs/mesh/traffic-diagram';

/** One environment's diagram source. */
export interface MeshDiagramSource {
  readonly environment: string;
  readonly file: string;
  readonly dot: string;
}

/**
 * Reads every `<name>.yaml` in `environmentsDir` and returns the DOT source for those with
 * `mesh.enabled: true`. The `mesh:` section is validated with the same schema and rules as the
 * environment loader; any problem aborts with every message, naming file and field.
 */
export function meshDiagramSources(environmentsDir: string): MeshDiagramSource[] {
  const problems: string[] = [];
  const sources: MeshDiagramSource[] = [];
  const files = fs
    .readdirSync(environmentsDir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  for (const name of files) {
    const file = path.join(environmentsDir, name);
    const raw = parse(fs.readFileSync(file, 'utf8')) as Record<string, any> | null;
    if (!raw || typeof raw !== 'object' || raw.mesh === undefined) continue;
    const parsed = meshSectionSchema.safeParse(raw.mesh);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${file}: mesh.${issue.path.join('.')}: ${issue.message}`);
      continue;
    }
    const violations = checkMeshRules(raw);
    for (const violation of violations) problems.push(`${file}: ${violation.path}: ${violation.message}`);
    if (violations.length > 0 || !parsed.data.enabled) continue;
    const environment = typeof raw.name === 'string' ? raw.name : name.replace(/\.ya?ml$/, '');
    const matrix = TrafficMatrix.resolve(parsed.data.services, parsed.data.traffic);
    sources.push({
      environment,
      file,
      dot: trafficMatrixDot(matrix, {
        environment,
        mtlsMode: effectiveMtlsMode(parsed.data, raw.production === true),
        gatewayNamespace: typeof raw.namespaces?.system === 'string' ? raw.namespaces.system : 'kong',
      }),
    });
  }
  if (problems.length > 0) throw new Error(`Invalid mesh configuration:\n  ${problems.join('\n  ')}`);
  return sources;
}

/** Renders DOT to SVG with the WebAssembly Graphviz build (no system graphviz needed). */
export async function renderSvg(dot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const viz = await (require('@viz-js/viz') as typeof import('@viz-js/viz')).instance();
  return viz.renderString(dot, { format: 'svg', engine: 'dot' });
}

/** Diagram file name of an environment. */
export function diagramFileName(environment: string): string {
  return `mesh-${environment}.svg`;
}

/** Result of {@link generateMeshDiagrams}. */
export interface DiagramRun {
  /** Files written (or, with `check`, that would change). */
  readonly changed: string[];
  /** Orphaned diagrams removed (or, with `check`, that would be removed). */
  readonly removed: string[];
}

/** Writes (or with `check`, compares) `docs/mesh-<env>.svg` for every mesh environment. */
export async function generateMeshDiagrams(options: { environmentsDir: string; outDir: string; check?: boolean }): Promise<DiagramRun> {
  const sources = meshDiagramSources(options.environmentsDir);
  const changed: string[] = [];
  const wanted = new Set<string>();
  for (const source of sources) {
    const target = path.join(options.outDir, diagramFileName(source.environment));
    wanted.add(path.basename(target));
    const svg = await renderSvg(source.dot);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (current === svg) continue;
    changed.push(target);
    if (!options.check) {
      fs.mkdirSync(options.outDir, { recursive: true });
      fs.writeFileSync(target, svg);
    }
  }
  const removed = (fs.existsSync(options.outDir) ? fs.readdirSync(options.outDir) : [])
    .filter((name) => /^mesh-.+\.svg$/.test(name) && !wanted.has(name))
    .map((name) => path.join(options.outDir, name));
  if (!options.check) removed.forEach((file) => fs.rmSync(file));
  return { changed, removed };
}

function argument(flag: string, fallback: string): string {
  const index = process.argv.indexOf(flag);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const run = await generateMeshDiagrams({
    environmentsDir: argument('--environments', path.join(process.cwd(), 'environments')),
    outDir: argument('--out', path.join(process.cwd(), 'docs')),
    check,
  });
  const verb = check ? 'out of date' : 'written';
  for (const file of run.changed) console.log(`${verb}: ${path.relative(process.cwd(), file)}`);
  for (const file of run.removed) console.log(`${check ? 'orphaned' : 'removed'}: ${path.relative(process.cwd(), file)}`);
  if (run.changed.length === 0 && run.removed.length === 0) console.log('mesh diagrams are up to date');
  if (check && (run.changed.length > 0 || run.removed.length > 0)) {
    console.error('Run `npm run diagram` and commit docs/.');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
