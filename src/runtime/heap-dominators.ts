// The dominator tree of a heap snapshot and every node's retained size (Lengauer-Tarjan, iterative).
import { edgeKinds, type HeapSnapshot } from './heap-snapshot.js';

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
export function computeDominators(s: HeapSnapshot): Dominators {
  const N = s.nodeCount;
  const { weak, shortcut } = edgeKinds(s);
  const ef = s.edgeFieldCount;
  const { edgeType: eT, edgeTo: eTo } = s.offsets;
  const nf = s.nodeFieldCount;
  const retains = (from: number, k: number): boolean => {
    const t = s.edges[k * ef + eT]!;
    return t !== weak && (t !== shortcut || from === 0);
  };

  // 1. Depth-first numbering from the root.
  const dfnum = new Int32Array(N).fill(-1);
  const vertex = new Int32Array(N); // dfs number -> node
  const parent = new Int32Array(N); // dfs number -> parent's dfs number
  const nextEdge = new Uint32Array(N); // per node: next edge to look at
  const stack = new Int32Array(N);
  let count = 0;
  let top = 0;
  dfnum[0] = count;
  vertex[count++] = 0;
  parent[0] = -1;
  stack[top++] = 0;
  nextEdge[0] = s.firstEdge[0]!;
  while (top > 0) {
    const v = stack[top - 1]!;
    const end = s.firstEdge[v + 1]!;
    let k = nextEdge[v]!;
    let pushed = false;
    for (; k < end; k++) {
      if (!retains(v, k)) continue;
      const w = s.edges[k * ef + eTo]! / nf;
      if (dfnum[w] !== -1) continue;
      dfnum[w] = count;
      vertex[count] = w;
      parent[count] = dfnum[v]!;
      count++;
      nextEdge[v] = k + 1;
      nextEdge[w] = s.firstEdge[w]!;
      stack[top++] = w;
      pushed = true;
      break;
    }
    if (!pushed) {
      nextEdge[v] = end;
      top--;
    }
  }

  // 2. Predecessors (in dfs numbers) of reachable nodes, as CSR.
  const predStart = new Uint32Array(count + 1);
  for (let v = 0; v < N; v++) {
    if (dfnum[v] === -1) continue;
    for (let k = s.firstEdge[v]!, end = s.firstEdge[v + 1]!; k < end; k++) {
      if (!retains(v, k)) continue;
      predStart[dfnum[s.edges[k * ef + eTo]! / nf]! + 1]!++;
    }
  }
  for (let i = 0; i < count; i++) predStart[i + 1]! += predStart[i]!;
  const preds = new Int32Array(predStart[count]!);
  const fill = predStart.slice(0, count);
  for (let v = 0; v < N; v++) {
    const dv = dfnum[v]!;
    if (dv === -1) continue;
    for (let k = s.firstEdge[v]!, end = s.firstEdge[v + 1]!; k < end; k++) {
      if (!retains(v, k)) continue;
      const w = dfnum[s.edges[k * ef + eTo]! / nf]!;
      preds[fill[w]!++] = dv;
    }
  }

  // 3. Lengauer-Tarjan, all in dfs numbers.
  const semi = new Int32Array(count);
  const ancestor = new Int32Array(count).fill(-1);
  const label = new Int32Array(count);
  const idomD = new Int32Array(count);
  const bucketHead = new Int32Array(count).fill(-1);
  const bucketNext = new Int32Array(count).fill(-1);
  for (let i = 0; i < count; i++) {
    semi[i] = i;
    label[i] = i;
  }
  const path = stack; // reused
  const evaluate = (v: number): number => {
    if (ancestor[v] === -1) return v;
    // Compress the ancestor chain of v, iteratively.
    let depth = 0;
    let x = v;
    while (ancestor[ancestor[x]!] !== -1) {
      path[depth++] = x;
      x = ancestor[x]!;
    }
    while (depth > 0) {
      const y = path[--depth]!;
      const a = ancestor[y]!;
      if (semi[label[a]!]! < semi[label[y]!]!) label[y] = label[a]!;
      ancestor[y] = ancestor[a]!;
    }
    return label[v]!;
  };
  for (let w = count - 1; w > 0; w--) {
    for (let k = predStart[w]!, end = predStart[w + 1]!; k < end; k++) {
      const u = evaluate(preds[k]!);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    const sw = semi[w]!;
    bucketNext[w] = bucketHead[sw]!;
    bucketHead[sw] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== -1; ) {
      const next = bucketNext[v]!;
      const u = evaluate(v);
      idomD[v] = semi[u]! < semi[v]! ? u : p;
      v = next;
    }
    bucketHead[p] = -1;
  }
  idomD[0] = 0;
  for (let w = 1; w < count; w++) if (idomD[w] !== semi[w]) idomD[w] = idomD[idomD[w]!]!;

  // 4. Back to node ordinals; retained sizes bottom-up (a dominator precedes what it dominates).
  const idom = new Int32Array(N).fill(-1);
  const retainedD = new Float64Array(count);
  for (let d = 0; d < count; d++) {
    const v = vertex[d]!;
    idom[v] = vertex[idomD[d]!]!;
    retainedD[d] = s.nodes[v * nf + s.offsets.nodeSelfSize]!;
  }
  for (let d = count - 1; d > 0; d--) retainedD[idomD[d]!]! += retainedD[d]!;
  const retained = new Float64Array(N);
  for (let d = 0; d < count; d++) retained[vertex[d]!] = retainedD[d]!;
  return { idom, retained };
}
