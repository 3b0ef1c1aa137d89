import { type Dominators } from './heap-dominators.js';
import { type HeapSnapshot } from './heap-snapshot.js';
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
