// Retainer paths: the shortest chain of strong references from a heap snapshot's root to a node or a constructor.
import { className, edgeKinds, edgeTarget, edgeTypeName, nodeName, nodeType, type HeapSnapshot } from './heap-snapshot.js';

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

/** Edge types named after something in the app's code: tried first when two paths are equally short. */
const NAMED_EDGE_TYPES = new Set(['property', 'context', 'element']);

/**
 * The shortest chain of strong references from the root to `target`: a node ordinal, or a
 * constructor name (then the instance nearest the root). Breadth-first over non-weak edges (root
 * shortcuts included); among equally short paths, those through property, context and element
 * edges (names in the app's code) win over V8's internal ones. Null when nothing matches.
 */
export function retainerPath(s: HeapSnapshot, target: number | string): RetainerPath | null {
  // A path through the stack holds only while the app runs the code that has the object on its stack (a snapshot
  // taken mid-request): the lasting owner is found first with the stack roots left out, and they are tried only
  // when nothing else reaches the target.
  const stackRoots: number[] = [];
  for (let n = 0; n < s.nodeCount; n++) if (nodeName(s, n) === '(Stack roots)') stackRoots.push(n);
  return (stackRoots.length > 0 ? shortestRetainerPath(s, target, stackRoots) : null) ?? shortestRetainerPath(s, target, []);
}

function shortestRetainerPath(s: HeapSnapshot, target: number | string, avoid: readonly number[]): RetainerPath | null {
  const N = s.nodeCount;
  if (typeof target === 'number' && (!Number.isInteger(target) || target < 0 || target >= N)) {
    throw new Error(`retainerPath: node ${target} is not one of the snapshot's ${N} nodes (0-${N - 1})`);
  }
  const isTarget = typeof target === 'number' ? (n: number) => n === target : (n: number) => className(s, n) === target;
  const { weak, shortcut } = edgeKinds(s);
  const named = new Set<number>();
  s.edgeTypes.forEach((t, i) => NAMED_EDGE_TYPES.has(t) && named.add(i));
  const ef = s.edgeFieldCount;
  const via = new Int32Array(N).fill(-1); // edge ordinal by which the node was first reached
  const from = new Int32Array(N).fill(-1);
  const seen = new Uint8Array(N);
  for (const n of avoid) seen[n] = 1;
  let frontier = new Int32Array(N);
  let next = new Int32Array(N);
  let fSize = 1;
  frontier[0] = 0;
  seen[0] = 1;
  let found = isTarget(0) ? 0 : -1;
  while (found === -1 && fSize > 0) {
    let nSize = 0;
    // Two passes over the level: named edges first, so they claim the next level's nodes.
    for (let pass = 0; pass < 2 && found === -1; pass++) {
      for (let i = 0; i < fSize && found === -1; i++) {
        const v = frontier[i]!;
        for (let k = s.firstEdge[v]!, end = s.firstEdge[v + 1]!; k < end; k++) {
          const t = s.edges[k * ef + s.offsets.edgeType]!;
          if (t === weak || (t === shortcut && v !== 0)) continue;
          if (named.has(t) !== (pass === 0)) continue;
          const w = edgeTarget(s, k);
          if (seen[w]) continue;
          seen[w] = 1;
          via[w] = k;
          from[w] = v;
          next[nSize++] = w;
          if (isTarget(w)) {
            found = w;
            break;
          }
        }
      }
    }
    [frontier, next] = [next, frontier];
    fSize = nSize;
  }
  if (found === -1) return null;
  const chain: number[] = [];
  for (let n = found; n !== -1; n = from[n]!) chain.push(n);
  chain.reverse();
  const steps: RetainerStep[] = chain.map((n) => {
    const step: RetainerStep = { node: n, label: nodeLabel(s, n) };
    const k = via[n]!;
    if (k >= 0) {
      step.edgeType = edgeTypeName(s, k);
      const raw = s.edges[k * ef + s.offsets.edgeName]!;
      step.edgeName = step.edgeType === 'element' || step.edgeType === 'hidden' ? raw : (s.strings[raw] ?? String(raw));
    }
    return step;
  });
  // The synthetic root has no name; start the text at what it points to, as DevTools does.
  const shown = steps.length > 1 && steps[0]!.node === 0 ? steps.slice(1) : steps;
  return { steps, text: shown.map(stepText).join(' -> ') };
}

function nodeLabel(s: HeapSnapshot, n: number): string {
  const type = nodeType(s, n);
  const name = nodeName(s, n);
  if (type === 'synthetic') return name || '(root)';
  if (type === 'closure') return `${name || '(anonymous)'}()`;
  if (type === 'object' || type === 'native' || type === 'hidden') return name || className(s, n);
  return className(s, n);
}

function stepText(step: RetainerStep): string {
  if (step.edgeType === undefined) return step.label;
  switch (step.edgeType) {
    case 'property':
    case 'context':
    case 'shortcut':
      return `${step.label} '${String(step.edgeName)}'`;
    case 'element':
      return `${step.label} [${String(step.edgeName)}]`;
    default:
      return step.label;
  }
}
