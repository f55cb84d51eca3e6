/**
 * `npm run diagram`: draws the allowed east-west traffic of every environment that enables the
 * mesh, from the same `mesh:` section the platform enforces, to `docs/mesh-<environment>.svg`.
 * Diagrams of environments that no longer enable the mesh are removed, so `docs/` always matches
 * `environments/`.
 *
 * Usage: node dist/scripts/diagram.js [--environments <dir>] [--out <dir>] [--plugins <dir>] [--check]
 *   --check  write nothing; exit 1 when a committed diagram is missing, stale or orphaned.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironments } from '../config/load';
import { effectiveMtlsMode } from '../config/sections/mesh';
import { TrafficMatrix } from '../constructs/mesh/traffic-matrix';
import { trafficMatrixDot } from '../constructs/mesh/traffic-diagram';

/** One environment's diagram source. */
export interface MeshDiagramSource {
  readonly environment: string;
  readonly file: string;
  readonly dot: string;
}

/**
 * Loads the environment files with the platform's loader (schema + every cross-field rule; any
 * problem aborts with all messages, naming file and field) and returns the DOT source for each
 * environment with `mesh.enabled: true`.
 */
export function meshDiagramSources(environmentsDir: string, pluginsDirectory?: string): MeshDiagramSource[] {
  const environments = loadEnvironments({ directory: environmentsDir, pluginsDirectory });
  return environments
    .filter((environment) => environment.mesh?.enabled === true)
    .map((environment) => {
      const mesh = environment.mesh!;
      return {
        environment: environment.name,
        file: path.join(environmentsDir, `${environment.name}.yaml`),
        dot: trafficMatrixDot(TrafficMatrix.resolve(mesh.services, mesh.traffic), {
          environment: environment.name,
          mtlsMode: effectiveMtlsMode(mesh, environment.production),
          gatewayNamespace: environment.namespaces.system,
        }),
      };
    });
}

/** Renders DOT to SVG with the WebAssembly Graphviz build (no system graphviz needed). */
export async function renderSvg(dot: string): Promise<string> {
  // A CommonJS require keeps the WebAssembly build out of the module graph until a diagram is drawn.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
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
export async function generateMeshDiagrams(options: { environmentsDir: string; outDir: string; pluginsDirectory?: string; check?: boolean }): Promise<DiagramRun> {
  const sources = meshDiagramSources(options.environmentsDir, options.pluginsDirectory);
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
    pluginsDirectory: argument('--plugins', path.join(process.cwd(), 'plugins')),
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
