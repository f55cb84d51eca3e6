import { GATEWAY, MatrixCaller, TrafficMatrix, callerRef } from './traffic-matrix';

/** What the diagram title says about the environment. */
export interface TrafficDiagramOptions {
  /** Environment name. */
  readonly environment: string;
  /** mTLS mode in effect. */
  readonly mtlsMode: 'PERMISSIVE' | 'STRICT';
  /** Namespace of the Kong gateway. */
  readonly gatewayNamespace: string;
}

const FONT = 'Helvetica';

/**
 * The traffic matrix as a Graphviz DOT graph: the Kong gateway, one box per declared service grouped
 * by namespace, one arrow per allowed call. Services nobody may call are drawn dashed, so "deny
 * unless allowed" is visible. Deterministic: same matrix, same text, same SVG.
 */
export function trafficMatrixDot(matrix: TrafficMatrix, options: TrafficDiagramOptions): string {
  const lines: string[] = [];
  const id = (caller: MatrixCaller | string) => quote(typeof caller === 'string' ? caller : callerRef(caller));
  const modeNote = options.mtlsMode === 'STRICT' ? 'mTLS STRICT: plaintext refused' : 'mTLS PERMISSIVE (rollout): plaintext still accepted';
  const title = `${options.environment}: allowed east-west traffic (everything else denied)\\n${modeNote}`;
  lines.push(`digraph ${quote(`mesh-${options.environment}`)} {`);
  lines.push(`  graph [rankdir=LR, fontname=${quote(FONT)}, fontsize=14, labelloc=t, label=${quote(title)}, nodesep=0.4, ranksep=1.0];`);
  lines.push(`  node [fontname=${quote(FONT)}, fontsize=12, shape=box, style="rounded,filled", fillcolor="#eef5ff", color="#3b6ea8"];`);
  lines.push(`  edge [fontname=${quote(FONT)}, fontsize=10, color="#2f7d32", fontcolor="#2f7d32"];`);
  lines.push('');
  lines.push(`  subgraph ${quote(`cluster_${options.gatewayNamespace}`)} {`);
  lines.push(`    label=${quote(`namespace ${options.gatewayNamespace}`)}; style="dashed"; color="#888888";`);
  lines.push(`    ${id(GATEWAY)} [label="Kong gateway", shape=hexagon, fillcolor="#fff4d6", color="#b7791f"];`);
  lines.push('  }');

  const called = new Set(matrix.edges.map((edge) => edge.to.ref));
  for (const namespace of matrix.namespaces) {
    if (namespace === options.gatewayNamespace) continue;
    lines.push('');
    lines.push(`  subgraph ${quote(`cluster_${namespace}`)} {`);
    lines.push(`    label=${quote(`namespace ${namespace}`)}; style="rounded"; color="#888888";`);
    for (const service of matrix.services.filter((candidate) => candidate.namespace === namespace)) {
      const port = service.port !== undefined ? `\\n:${service.port}` : '';
      const unreachable = called.has(service.ref) ? '' : ', style="rounded,dashed", fillcolor="#f4f4f4", color="#999999"';
      lines.push(`    ${id(service.ref)} [label=${quote(`${service.name}${port}`)}${unreachable}];`);
    }
    lines.push('  }');
  }
  lines.push('');
  for (const edge of matrix.edges) {
    lines.push(`  ${id(edge.from)} -> ${id(edge.to.ref)} [label="allow"];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}
