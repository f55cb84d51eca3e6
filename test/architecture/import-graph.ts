import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** One import of one project file: `from` imports `to` (both relative to the project root, `.ts`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  /** `import type` / `export type`: erased at run time, still a dependency of the layer. */
  readonly typeOnly: boolean;
}

/** Project files (relative paths) and the imports between them. */
export interface ImportGraph {
  readonly files: string[];
  readonly edges: ImportEdge[];
}

/** The layers, top to bottom: a file may import its own layer and the layers listed for it. */
export interface LayerRule {
  readonly layer: string;
  /** Does this relative path belong to the layer? */
  readonly matches: (file: string) => boolean;
  /** Layers this one may import (its own is always allowed). */
  readonly mayImport: string[];
  /** Optional narrower check of an allowed edge (e.g. "only through a folder's index.ts"). */
  readonly edgeAllowed?: (edge: ImportEdge, targetLayer: string) => boolean;
}

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);

/**
 * The project's layers. Environment file → config/ (parse, map to props) → stacks/ → constructs/:
 * the library (constructs/) knows nothing of its consumers; config/ reaches into the library only
 * through an area's public entries: its main entry (`constructs/<area>/index.ts`) or, where the
 * area has one, its light entry (`constructs/<area>/rules.ts`: the area's provider-free validation
 * rules and constants, re-exported by its index.ts), so that validating an environment file does
 * not load the area's Terraform provider (test/architecture/light-entries.test.ts checks that).
 */
export const PROJECT_LAYERS: LayerRule[] = [
  { layer: 'main', matches: (f) => f === 'main.ts', mayImport: ['index', 'scripts', 'delivery', 'stacks', 'config', 'constructs'] },
  { layer: 'scripts', matches: under('scripts'), mayImport: ['index', 'delivery', 'stacks', 'config', 'constructs'] },
  { layer: 'index', matches: (f) => f === 'index.ts', mayImport: ['constructs'] },
  { layer: 'delivery', matches: under('delivery'), mayImport: ['stacks', 'config', 'constructs'] },
  { layer: 'stacks', matches: under('stacks'), mayImport: ['config', 'constructs'] },
  {
    layer: 'config',
    matches: under('config'),
    mayImport: ['constructs'],
    // The library's public API: an area's index.ts (constructs/policy/index.ts) or its light rules.ts
    // (constructs/aws/rules.ts), not a rule's internals (constructs/policy/rules/index.ts).
    edgeAllowed: (edge, target) => target !== 'constructs' || /^constructs\/[^/]+\/(index|rules)\.ts$/.test(edge.to),
  },
  { layer: 'constructs', matches: under('constructs'), mayImport: [] },
];

/** Every `.ts` file under the given folders (and the given root files), relative to `root`. */
export function projectFiles(root: string, folders: string[], rootFiles: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const folder of folders) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return [...rootFiles.filter((f) => fs.existsSync(path.join(root, f))), ...out].sort();
}

/**
 * Reads the relative imports of `files` with the TypeScript parser: `import`, `export ... from`,
 * `import x = require()`, `require()` / `import()` calls and `import('...')` type references.
 * Package imports (`cdktf`, `zod`) are not project edges and are left out.
 */
export function readImportGraph(root: string, files: string[], read: (file: string) => string = (f) => fs.readFileSync(path.join(root, f), 'utf8')): ImportGraph {
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  const resolve = (from: string, spec: string): string | undefined => {
    if (!spec.startsWith('.')) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
    for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (known.has(candidate)) return candidate;
    return `${base}.ts (unresolved)`;
  };
  for (const file of files) {
    const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const add = (spec: ts.Expression | undefined, typeOnly: boolean) => {
      if (!spec || !ts.isStringLiteralLike(spec)) return;
      const to = resolve(file, spec.text);
      if (to) edges.push({ from: file, to, typeOnly });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        const typeOnly =
          Boolean(clause?.isTypeOnly) ||
          Boolean(
            clause?.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            !clause.name &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly),
          );
        add(node.moduleSpecifier, typeOnly);
      } else if (ts.isExportDeclaration(node)) {
        add(node.moduleSpecifier, node.isTypeOnly);
      } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        add(node.moduleReference.expression, node.isTypeOnly);
      } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
        add(node.arguments[0], false);
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        add(node.argument.literal as ts.Expression, true);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { files, edges };
}

export function layerOf(file: string, rules: LayerRule[]): string | undefined {
  return rules.find((r) => r.matches(file))?.layer;
}

/** Edges that point against the layers, as readable lines (`from -> to: why`). */
export function layerViolations(graph: ImportGraph, rules: LayerRule[]): string[] {
  const out: string[] = [];
  for (const edge of graph.edges) {
    if (edge.to.endsWith('(unresolved)')) {
      out.push(`${edge.from} -> ${edge.to}: import of a file outside the project sources`);
      continue;
    }
    const fromLayer = layerOf(edge.from, rules);
    const toLayer = layerOf(edge.to, rules);
    if (!fromLayer || !toLayer) {
      out.push(`${edge.from} -> ${edge.to}: file in no layer`);
      continue;
    }
    if (fromLayer === toLayer) continue;
    const rule = rules.find((r) => r.layer === fromLayer)!;
    if (!rule.mayImport.includes(toLayer)) {
      out.push(`${edge.from} -> ${edge.to}: ${fromLayer} must not import ${toLayer} (allowed: ${rule.mayImport.join(', ') || 'its own layer only'})`);
    } else if (rule.edgeAllowed && !rule.edgeAllowed(edge, toLayer)) {
      out.push(`${edge.from} -> ${edge.to}: ${fromLayer} may import ${toLayer} only through its public entries (constructs/<area>/index.ts or rules.ts)`);
    }
  }
  return out;
}

/**
 * Import cycles (strongly connected components of more than one file, or a file importing
 * itself), each as `a -> b -> ... -> a`. Type-only edges are left out unless `includeTypeOnly`.
 */
export function importCycles(graph: ImportGraph, includeTypeOnly = false): string[][] {
  const next = new Map<string, string[]>();
  for (const f of graph.files) next.set(f, []);
  for (const e of graph.edges) if ((includeTypeOnly || !e.typeOnly) && next.has(e.to)) next.get(e.from)!.push(e.to);
  // Tarjan's algorithm.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!indices.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const f of graph.files) if (!indices.has(f)) strongConnect(f);
  // One concrete cycle per component, for the message.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    const pathTo = (target: string): string[] => {
      const prev = new Map<string, string>();
      const queue = [start];
      const seen = new Set([start]);
      while (queue.length > 0) {
        const v = queue.shift()!;
        for (const w of next.get(v) ?? []) {
          if (!members.has(w)) continue;
          if (w === target) {
            const route = [v];
            let u = v;
            while (prev.has(u)) {
              u = prev.get(u)!;
              route.unshift(u);
            }
            return [...route, target];
          }
          if (!seen.has(w)) {
            seen.add(w);
            prev.set(w, v);
            queue.push(w);
          }
        }
      }
      return [start, start];
    };
    return pathTo(start);
  });
}
