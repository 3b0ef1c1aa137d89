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
export declare function nodeType(s: HeapSnapshot, n: number): string;
/** The node's name: a constructor name for objects, the text of a string, a root's name. */
export declare function nodeName(s: HeapSnapshot, n: number): string;
export declare function nodeSelfSize(s: HeapSnapshot, n: number): number;
/** The node's stable id (the same object has the same id in later snapshots of the same process). */
export declare function nodeId(s: HeapSnapshot, n: number): number;
/**
 * The group DevTools' Summary view puts the node in: the constructor name for objects and native
 * objects, '(system)' for hidden ones, '(compiled code)' for code, and '(type)' for the rest:
 * '(closure)', '(string)', '(array)', '(concatenated string)', ...
 */
export declare function className(s: HeapSnapshot, n: number): string;
/** The type name of edge k (an edge ordinal; node n's edges are firstEdge[n] .. firstEdge[n + 1] - 1). */
export declare function edgeTypeName(s: HeapSnapshot, k: number): string;
/** The node ordinal edge k points to. */
export declare function edgeTarget(s: HeapSnapshot, k: number): number;
/** Indexes of the edge types that need care: weak edges never retain, shortcuts only from the root. */
export declare function edgeKinds(s: HeapSnapshot): {
    weak: number;
    shortcut: number;
};
