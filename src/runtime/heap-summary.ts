// A heap snapshot summarised per constructor as DevTools' Summary view groups it, and three summaries compared to name
// the constructors that keep growing.
import { computeDominators, type Dominators } from './heap-dominators.js';
import { className, nodeSelfSize, type HeapSnapshot } from './heap-snapshot.js';

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
export function summarizeHeapSnapshot(s: HeapSnapshot, dom: Dominators = computeDominators(s)): HeapSnapshotSummary {
  const N = s.nodeCount;
  const classOf = new Int32Array(N).fill(-1);
  const names: string[] = [];
  const ids = new Map<string, number>();
  let reachable = 0;
  let totalSize = 0;
  for (let n = 0; n < N; n++) {
    if (dom.idom[n] === -1) continue;
    reachable++;
    totalSize += nodeSelfSize(s, n);
    const name = className(s, n);
    let c = ids.get(name);
    if (c === undefined) {
      c = names.length;
      ids.set(name, c);
      names.push(name);
    }
    classOf[n] = c;
  }
  const count = new Float64Array(names.length);
  const self = new Float64Array(names.length);
  const retained = new Float64Array(names.length);
  const maxRetained = new Float64Array(names.length);
  for (let n = 0; n < N; n++) {
    const c = classOf[n]!;
    if (c === -1) continue;
    count[c]!++;
    self[c]! += nodeSelfSize(s, n);
  }

  // Walk the dominator tree depth-first, counting how many instances of each class are on the path.
  const childStart = new Uint32Array(N + 1);
  for (let n = 1; n < N; n++) if (dom.idom[n]! >= 0 && n !== 0) childStart[dom.idom[n]! + 1]!++;
  for (let n = 0; n < N; n++) childStart[n + 1]! += childStart[n]!;
  const children = new Int32Array(childStart[N]!);
  const fill = childStart.slice(0, N);
  for (let n = 1; n < N; n++) if (dom.idom[n]! >= 0) children[fill[dom.idom[n]!]!++] = n;
  const onPath = new Int32Array(names.length);
  const stack = new Int32Array(reachable + 1);
  const cursor = new Uint32Array(N);
  let top = 0;
  const enter = (n: number): void => {
    const c = classOf[n]!;
    if (onPath[c] === 0) {
      retained[c]! += dom.retained[n]!;
      if (dom.retained[n]! > maxRetained[c]!) maxRetained[c] = dom.retained[n]!;
    }
    onPath[c]!++;
    cursor[n] = childStart[n]!;
    stack[top++] = n;
  };
  enter(0);
  while (top > 0) {
    const n = stack[top - 1]!;
    if (cursor[n]! < childStart[n + 1]!) {
      enter(children[cursor[n]!++]!);
    } else {
      onPath[classOf[n]!]!--;
      top--;
    }
  }

  const constructors: ConstructorSummary[] = names.map((name, c) => ({
    name,
    count: count[c]!,
    selfSize: self[c]!,
    retainedSize: retained[c]!,
    maxRetainedSize: maxRetained[c]!,
  }));
  constructors.sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nodeCount: N, edgeCount: s.edgeCount, reachableCount: reachable, totalSize, constructors };
}

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
export function compareSnapshots(a: HeapSnapshotSummary, b: HeapSnapshotSummary, c: HeapSnapshotSummary, opts: CompareOptions = {}): GrowingConstructor[] {
  const minGrowth = opts.minGrowthBytes ?? 0;
  const index = (sum: HeapSnapshotSummary): Map<string, ConstructorSummary> => new Map(sum.constructors.map((k) => [k.name, k]));
  const none = { count: 0, retainedSize: 0, maxRetainedSize: 0 };
  const ia = index(a);
  const ib = index(b);
  const grown: GrowingConstructor[] = [];
  for (const kc of c.constructors) {
    const ka = ia.get(kc.name) ?? none;
    const kb = ib.get(kc.name) ?? none;
    const grows = ka.count < kb.count && kb.count < kc.count && ka.retainedSize < kb.retainedSize && kb.retainedSize < kc.retainedSize;
    if (!grows) continue;
    const retainedGrowth = kc.retainedSize - ka.retainedSize;
    if (retainedGrowth < minGrowth) continue;
    const countGrowth = kc.count - ka.count;
    grown.push({
      name: kc.name,
      counts: [ka.count, kb.count, kc.count],
      retainedSizes: [ka.retainedSize, kb.retainedSize, kc.retainedSize],
      retainedGrowth,
      spreadGrowth: kc.retainedSize - kc.maxRetainedSize - (ka.retainedSize - ka.maxRetainedSize),
      countGrowth,
      bytesPerInstance: retainedGrowth / countGrowth,
      internal: isInternalClass(kc.name),
    });
  }
  grown.sort(
    (x, y) => Number(x.internal) - Number(y.internal) || y.spreadGrowth - x.spreadGrowth || y.retainedGrowth - x.retainedGrowth || (x.name < y.name ? -1 : 1),
  );
  return grown;
}

/** True for DevTools' parenthesised groups and V8's 'system / ...' objects. */
export function isInternalClass(name: string): boolean {
  return (name.startsWith('(') && name.endsWith(')')) || name.startsWith('system / ') || name === '';
}
