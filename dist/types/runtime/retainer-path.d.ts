import { type HeapSnapshot } from './heap-snapshot.js';
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
