import { type HeapSnapshot } from './heap-snapshot.js';
/** Immediate dominators (node ordinals) and retained sizes of every node. */
export interface Dominators {
    /** idom[n] is the ordinal of n's immediate dominator; the root's is itself; -1 when n is unreachable. */
    idom: Int32Array;
    /** Self size plus the retained sizes of the nodes n dominates; 0 when unreachable. */
    retained: Float64Array;
}
/**
 * The dominator tree from the root (node 0) over the edges that retain: not weak ones, and not
 * shortcuts except from the root (V8 marks user global objects with root shortcuts), as DevTools
 * does. Lengauer-Tarjan with path compression, iterative (retention chains can be 100k deep).
 */
export declare function computeDominators(s: HeapSnapshot): Dominators;
