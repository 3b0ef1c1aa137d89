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
/** One constructor (DevTools "Summary" row) of a snapshot; only nodes reachable from the root count. */
export interface ConstructorSummary {
    name: string;
    count: number;
    /** Bytes of the instances themselves. */
    selfSize: number;
    /** Bytes freed if every instance went: instances dominated by another instance of the same class are not counted twice. */
    retainedSize: number;
    /** The largest retained size of one instance counted in retainedSize (a container's, when the class holds one). */
    maxRetainedSize: number;
}
export interface HeapSnapshotSummary {
    nodeCount: number;
    edgeCount: number;
    /** Nodes reachable from the root over strong edges; the rest is garbage V8 had not collected yet. */
    reachableCount: number;
    /** Sum of the self sizes of reachable nodes: the live heap as the snapshot saw it. */
    totalSize: number;
    /** Sorted by retained size, largest first. */
    constructors: ConstructorSummary[];
}
/** Immediate dominators (node ordinals) and retained sizes of every node. */
export interface Dominators {
    /** idom[n] is the ordinal of n's immediate dominator; the root's is itself; -1 when n is unreachable. */
    idom: Int32Array;
    /** Self size plus the retained sizes of the nodes n dominates; 0 when unreachable. */
    retained: Float64Array;
}
/**
 * Parses a .heapsnapshot as it streams in (HeapProfiler.addHeapSnapshotChunk), straight into
 * typed arrays: the text is never held whole. Throws an Error naming the character offset of
 * malformed input.
 */
export declare class HeapSnapshotParser {
    private mode;
    /** Characters consumed before the current chunk. */
    private offset;
    private key;
    /** The part of a string token read so far (a token may span chunks). */
    private token;
    /** Inside a string: the previous character was an unescaped backslash. */
    private escaped;
    private tokenHasEscape;
    private target;
    /** The number being read, -1 between numbers. */
    private num;
    /** Whitespace followed the number being read: another digit would be a second number. */
    private numEnded;
    private readonly strings;
    private expectString;
    private rawDepth;
    private rawInString;
    private rawSeen;
    private rawCapture;
    private rawStart;
    private meta;
    private readonly nodes;
    private readonly edges;
    private readonly seen;
    /** Feeds the next piece of the JSON text. */
    write(chunk: string): void;
    /** The input ended: checks it was one complete snapshot and returns its graph. */
    end(): HeapSnapshot;
    /** Reads integers of "nodes" or "edges" up to the closing ']' or the end of the chunk. */
    private scanNumbers;
    /** Reads a string token up to its closing quote; returns the quote's index, or chunk.length. */
    private scanString;
    /** Skips (or, for "snapshot", captures) one JSON value of any shape. */
    private scanRaw;
    private structural;
    /** Starts the value of this.key at character c. True when c was consumed. */
    private startValue;
    private finishRaw;
    private reserveFromMeta;
    private decodeString;
    private describeMode;
    private fail;
}
/** Parses a whole .heapsnapshot text. */
export declare function parseHeapSnapshot(text: string): HeapSnapshot;
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
/**
 * The dominator tree from the root (node 0) over the edges that retain: not weak ones, and not
 * shortcuts except from the root (V8 marks user global objects with root shortcuts), as DevTools
 * does. Lengauer-Tarjan with path compression, iterative (retention chains can be 100k deep).
 */
export declare function computeDominators(s: HeapSnapshot): Dominators;
/**
 * Per-constructor counts, self sizes and retained sizes of the reachable nodes, as DevTools'
 * Summary view groups them. A class's retained size counts an instance only when no other
 * instance of the same class dominates it.
 */
export declare function summarizeHeapSnapshot(s: HeapSnapshot, dom?: Dominators): HeapSnapshotSummary;
/** A constructor that grew in count and retained size from the first snapshot to the second and from the second to the third. */
export interface GrowingConstructor {
    name: string;
    /** Instances in the three snapshots. */
    counts: [number, number, number];
    /** Retained sizes in the three snapshots, bytes. */
    retainedSizes: [number, number, number];
    /** Retained size of the third minus the first, bytes. */
    retainedGrowth: number;
    /**
     * The same without each snapshot's largest instance: the growth spread over many instances.
     * The ranking key: a container (an Array or Object holding the leak) grows as one instance.
     */
    spreadGrowth: number;
    /** Instances added from the first to the third. */
    countGrowth: number;
    /** retainedGrowth / countGrowth: bytes each new instance keeps alive. */
    bytesPerInstance: number;
    /** True for the groups DevTools puts in parentheses ('(string)', '(array)', '(system)', ...): V8's internals, not a constructor of the app. */
    internal: boolean;
}
export interface CompareOptions {
    /** Ignore constructors whose retained size grew by less than this many bytes in total. Default 0. */
    minGrowthBytes?: number;
}
/**
 * memlab-style: the constructors whose instance count AND retained size grew in both steps
 * (a -> b and b -> c): steady growth, not a one-off cache fill. Constructors of the app rank
 * before V8's internal groups ('(string)', '(array)', ...), which the user cannot act on; within
 * each rank, by spreadGrowth (retained growth outside the largest instance), so that for
 * `items.push(new Item())` Item ranks above Array: Array's count grows too (arrays inside each
 * Item) and its retained size holds every Item, but through one instance, the container.
 */
export declare function compareSnapshots(a: HeapSnapshotSummary, b: HeapSnapshotSummary, c: HeapSnapshotSummary, opts?: CompareOptions): GrowingConstructor[];
/** True for DevTools' parenthesised groups and V8's 'system / ...' objects. */
export declare function isInternalClass(name: string): boolean;
/** One hop of a retainer path: the node reached and the edge it was reached by (none for the root). */
export interface RetainerStep {
    node: number;
    /** The node as DevTools would label it: 'Map', '(GC roots)', 'handler()', '(string)'. */
    label: string;
    /** Edge type and name by which the previous node holds this one; absent for the first step. */
    edgeType?: string;
    edgeName?: string | number;
}
export interface RetainerPath {
    steps: RetainerStep[];
    /** "(GC roots) -> (Global handles) -> ... -> Map 'sessions' -> SessionRecord" */
    text: string;
}
/**
 * The shortest chain of strong references from the root to `target`: a node ordinal, or a
 * constructor name (then the instance nearest the root). Breadth-first over non-weak edges (root
 * shortcuts included); among equally short paths, those through property, context and element
 * edges (names in the app's code) win over V8's internal ones. Null when nothing matches.
 */
export declare function retainerPath(s: HeapSnapshot, target: number | string): RetainerPath | null;
