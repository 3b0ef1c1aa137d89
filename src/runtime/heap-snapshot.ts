// V8 heap snapshots (.heapsnapshot JSON): the graph in typed arrays and the accessors every analysis of it reads.
// The rest is pure and split by responsibility: heap-snapshot-parser.ts (a streaming parser into this model),
// heap-dominators.ts (the dominator tree and retained sizes), heap-summary.ts (a per-constructor summary grouped the
// way DevTools does, and a three-snapshot comparison that names the constructors that keep growing) and
// retainer-path.ts (the shortest chain of strong references from the root).

/** The graph of one snapshot, held in typed arrays (no object per node). */
export interface HeapSnapshot {
  readonly nodeFieldCount: number;
  readonly edgeFieldCount: number;
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** nodeCount * nodeFieldCount values, in the order of meta.node_fields. */
  readonly nodes: Uint32Array;
  /** edgeCount * edgeFieldCount values, in the order of meta.edge_fields; to_node is a field offset. */
  readonly edges: Uint32Array;
  readonly strings: readonly string[];
  readonly nodeTypes: readonly string[];
  readonly edgeTypes: readonly string[];
  /** Edge ordinal of each node's first edge; firstEdge[nodeCount] === edgeCount. */
  readonly firstEdge: Uint32Array;
  readonly offsets: {
    readonly nodeType: number;
    readonly nodeName: number;
    readonly nodeId: number;
    readonly nodeSelfSize: number;
    readonly nodeEdgeCount: number;
    readonly edgeType: number;
    readonly edgeName: number;
    readonly edgeTo: number;
  };
}

/** The node's type name ('object', 'closure', 'string', 'hidden', ...). */
export function nodeType(s: HeapSnapshot, n: number): string {
  return s.nodeTypes[s.nodes[n * s.nodeFieldCount + s.offsets.nodeType]!] ?? 'unknown';
}

/** The node's name: a constructor name for objects, the text of a string, a root's name. */
export function nodeName(s: HeapSnapshot, n: number): string {
  return s.strings[s.nodes[n * s.nodeFieldCount + s.offsets.nodeName]!] ?? '';
}

export function nodeSelfSize(s: HeapSnapshot, n: number): number {
  return s.nodes[n * s.nodeFieldCount + s.offsets.nodeSelfSize]!;
}

/** The node's stable id (the same object has the same id in later snapshots of the same process). */
export function nodeId(s: HeapSnapshot, n: number): number {
  return s.nodes[n * s.nodeFieldCount + s.offsets.nodeId]!;
}

/**
 * The group DevTools' Summary view puts the node in: the constructor name for objects and native
 * objects, '(system)' for hidden ones, '(compiled code)' for code, and '(type)' for the rest:
 * '(closure)', '(string)', '(array)', '(concatenated string)', ...
 */
export function className(s: HeapSnapshot, n: number): string {
  const type = nodeType(s, n);
  switch (type) {
    case 'object':
    case 'native':
      return nodeName(s, n);
    case 'hidden':
      return '(system)';
    case 'code':
      return '(compiled code)';
    default:
      return `(${type})`;
  }
}

/** The type name of edge k (an edge ordinal; node n's edges are firstEdge[n] .. firstEdge[n + 1] - 1). */
export function edgeTypeName(s: HeapSnapshot, k: number): string {
  return s.edgeTypes[s.edges[k * s.edgeFieldCount + s.offsets.edgeType]!] ?? 'unknown';
}

/** The node ordinal edge k points to. */
export function edgeTarget(s: HeapSnapshot, k: number): number {
  return s.edges[k * s.edgeFieldCount + s.offsets.edgeTo]! / s.nodeFieldCount;
}

/** Indexes of the edge types that need care: weak edges never retain, shortcuts only from the root. */
export function edgeKinds(s: HeapSnapshot): { weak: number; shortcut: number } {
  return { weak: s.edgeTypes.indexOf('weak'), shortcut: s.edgeTypes.indexOf('shortcut') };
}
