// V8 heap snapshots (.heapsnapshot JSON), pure: a streaming parser into typed arrays, the
// dominator tree and retained sizes, a per-constructor summary grouped the way DevTools does, a
// three-snapshot comparison that names the constructors that keep growing, and retainer paths.

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

const REQUIRED_NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count'] as const;
const REQUIRED_EDGE_FIELDS = ['type', 'name_or_index', 'to_node'] as const;
const MAX_U32 = 0xffffffff;

/** A Uint32Array that grows by doubling. */
class U32Builder {
  private buf: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.buf = new Uint32Array(Math.max(16, capacity));
  }
  reserve(capacity: number): void {
    if (capacity > this.buf.length) this.grow(capacity);
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.grow(this.buf.length * 2);
    this.buf[this.length++] = v;
  }
  done(): Uint32Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
  private grow(capacity: number): void {
    const next = new Uint32Array(capacity);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}

type Mode =
  | 'start' // before the top-level '{'
  | 'key' // expecting a key string or '}'
  | 'keyString' // inside a key string
  | 'colon'
  | 'value' // expecting the start of a value
  | 'numbers' // inside "nodes" or "edges"
  | 'strings' // inside "strings", between elements
  | 'stringToken' // inside one element of "strings"
  | 'raw' // inside any other value: captured ("snapshot") or skipped
  | 'afterValue'
  | 'done';

const CH_QUOTE = 34;
const CH_BACKSLASH = 92;
const CH_COMMA = 44;
const CH_COLON = 58;
const CH_LBRACE = 123;
const CH_RBRACE = 125;
const CH_LBRACKET = 91;
const CH_RBRACKET = 93;
const CH_0 = 48;
const CH_9 = 57;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function shown(c: number): string {
  return JSON.stringify(String.fromCharCode(c));
}

/**
 * Parses a .heapsnapshot as it streams in (HeapProfiler.addHeapSnapshotChunk), straight into
 * typed arrays: the text is never held whole. Throws an Error naming the character offset of
 * malformed input.
 */
export class HeapSnapshotParser {
  private mode: Mode = 'start';
  /** Characters consumed before the current chunk. */
  private offset = 0;
  private key = '';
  /** The part of a string token read so far (a token may span chunks). */
  private token = '';
  /** Inside a string: the previous character was an unescaped backslash. */
  private escaped = false;
  private tokenHasEscape = false;
  // "nodes" and "edges"
  private target: U32Builder | null = null;
  /** The number being read, -1 between numbers. */
  private num = -1;
  /** Whitespace followed the number being read: another digit would be a second number. */
  private numEnded = false;
  // "strings"
  private readonly strings: string[] = [];
  private expectString = true;
  // any other value: "snapshot" is captured, the rest skipped
  private rawDepth = 0;
  private rawInString = false;
  private rawSeen = false;
  private rawCapture: string[] | null = null;
  private rawStart = 0;
  private meta: unknown = undefined;
  private readonly nodes = new U32Builder();
  private readonly edges = new U32Builder();
  private readonly seen = new Set<string>();

  /** Feeds the next piece of the JSON text. */
  write(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.mode) {
        case 'numbers':
          i = this.scanNumbers(chunk, i);
          break;
        case 'stringToken':
        case 'keyString': {
          const j = this.scanString(chunk, i);
          if (j === n) {
            i = n;
            break;
          }
          const text = this.tokenHasEscape ? this.decodeString(this.token, j) : this.token;
          this.token = '';
          this.tokenHasEscape = false;
          if (this.mode === 'keyString') {
            this.key = text;
            this.mode = 'colon';
          } else {
            this.strings.push(text);
            this.expectString = false;
            this.mode = 'strings';
          }
          i = j + 1;
          break;
        }
        case 'raw':
          i = this.scanRaw(chunk, i);
          break;
        case 'value': {
          const c = chunk.charCodeAt(i);
          if (isSpace(c)) {
            i++;
          } else if (this.startValue(c, i)) {
            i++;
          } // else a raw value starts here: the 'raw' case reads this character
          break;
        }
        default:
          this.structural(chunk.charCodeAt(i), i);
          i++;
      }
    }
    this.offset += n;
  }

  /** The input ended: checks it was one complete snapshot and returns its graph. */
  end(): HeapSnapshot {
    if (this.mode !== 'done') {
      throw new Error(`heap snapshot: the JSON ended early at character ${this.offset} (${this.describeMode()}): truncated snapshot?`);
    }
    return buildSnapshot(this.meta, this.nodes.done(), this.edges.done(), this.strings, this.seen);
  }

  /** Reads integers of "nodes" or "edges" up to the closing ']' or the end of the chunk. */
  private scanNumbers(chunk: string, from: number): number {
    const n = chunk.length;
    const target = this.target!;
    let num = this.num;
    for (let i = from; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c >= CH_0 && c <= CH_9) {
        if (this.numEnded) this.fail(i, `expected ',' between numbers in "${this.key}"`);
        num = num < 0 ? c - CH_0 : num * 10 + (c - CH_0);
        if (num > MAX_U32) this.fail(i, `a number in "${this.key}" does not fit in 32 bits`);
      } else if (c === CH_COMMA) {
        if (num < 0) this.fail(i, `expected a number in "${this.key}", got ','`);
        target.push(num);
        num = -1;
        this.numEnded = false;
      } else if (c === CH_RBRACKET) {
        if (num >= 0) target.push(num);
        else if (target.length > 0) this.fail(i, `expected a number in "${this.key}", got ']'`);
        this.num = -1;
        this.numEnded = false;
        this.mode = 'afterValue';
        return i + 1;
      } else if (isSpace(c)) {
        // V8 writes a newline after each node; whitespace ends a number.
        if (num >= 0) this.numEnded = true;
      } else {
        this.fail(i, `expected a non-negative integer, ',' or ']' in "${this.key}", got ${shown(c)}`);
      }
    }
    this.num = num;
    return n;
  }

  /** Reads a string token up to its closing quote; returns the quote's index, or chunk.length. */
  private scanString(chunk: string, from: number): number {
    const n = chunk.length;
    let j = from;
    for (; j < n; j++) {
      const d = chunk.charCodeAt(j);
      if (this.escaped) {
        this.escaped = false;
      } else if (d === CH_BACKSLASH) {
        this.escaped = true;
        this.tokenHasEscape = true;
      } else if (d === CH_QUOTE) {
        break;
      }
    }
    this.token += chunk.slice(from, j);
    return j;
  }

  /** Skips (or, for "snapshot", captures) one JSON value of any shape. */
  private scanRaw(chunk: string, from: number): number {
    const n = chunk.length;
    let i = from;
    let done = false;
    for (; i < n && !done; i++) {
      const c = chunk.charCodeAt(i);
      if (this.rawInString) {
        if (this.escaped) this.escaped = false;
        else if (c === CH_BACKSLASH) this.escaped = true;
        else if (c === CH_QUOTE) {
          this.rawInString = false;
          done = this.rawDepth === 0;
        }
      } else if (c === CH_QUOTE) {
        this.rawInString = true;
        this.rawSeen = true;
      } else if (c === CH_LBRACE || c === CH_LBRACKET) {
        this.rawDepth++;
        this.rawSeen = true;
      } else if (c === CH_RBRACE || c === CH_RBRACKET) {
        if (this.rawDepth === 0) {
          // The '}' closing the snapshot ends a bare scalar value: leave it to the caller.
          if (c === CH_RBRACE && this.rawSeen) break;
          this.fail(i, this.rawSeen ? `unbalanced ${shown(c)} in the value of "${this.key}"` : `missing value for "${this.key}"`);
        }
        this.rawDepth--;
        done = this.rawDepth === 0;
      } else if (c === CH_COMMA && this.rawDepth === 0) {
        if (!this.rawSeen) this.fail(i, `missing value for "${this.key}"`);
        break;
      } else if (!isSpace(c)) {
        this.rawSeen = true;
      }
    }
    const ended = done || i < n;
    if (this.rawCapture) {
      this.rawCapture.push(chunk.slice(from, i));
      if (ended) this.finishRaw(i);
    }
    if (ended) this.mode = 'afterValue';
    return i;
  }

  private structural(c: number, i: number): void {
    if (isSpace(c)) return;
    switch (this.mode) {
      case 'start':
        if (c !== CH_LBRACE) this.fail(i, `expected '{' at the start of a heap snapshot, got ${shown(c)}`);
        this.mode = 'key';
        return;
      case 'key':
        if (c === CH_QUOTE) {
          this.mode = 'keyString';
          this.token = '';
          return;
        }
        if (c === CH_RBRACE && this.seen.size === 0) {
          this.mode = 'done';
          return;
        }
        this.fail(i, `expected a key string at the top level, got ${shown(c)}`);
        return;
      case 'colon':
        if (c !== CH_COLON) this.fail(i, `expected ':' after "${this.key}", got ${shown(c)}`);
        this.mode = 'value';
        return;
      case 'strings':
        if (c === CH_QUOTE) {
          if (!this.expectString) this.fail(i, `expected ',' between elements of "strings"`);
          this.mode = 'stringToken';
          this.token = '';
          return;
        }
        if (c === CH_COMMA && !this.expectString) {
          this.expectString = true;
          return;
        }
        if (c === CH_RBRACKET && (!this.expectString || this.strings.length === 0)) {
          this.mode = 'afterValue';
          return;
        }
        this.fail(i, `expected a string, ',' or ']' in "strings", got ${shown(c)}`);
        return;
      case 'afterValue':
        if (c === CH_COMMA) {
          this.mode = 'key';
          return;
        }
        if (c === CH_RBRACE) {
          this.mode = 'done';
          return;
        }
        this.fail(i, `expected ',' or '}' after the value of "${this.key}", got ${shown(c)}`);
        return;
      case 'done':
        this.fail(i, `unexpected ${shown(c)} after the end of the snapshot`);
        return;
      default:
        this.fail(i, `internal parser state ${this.mode}`);
    }
  }

  /** Starts the value of this.key at character c. True when c was consumed. */
  private startValue(c: number, i: number): boolean {
    if (this.seen.has(this.key)) this.fail(i, `key "${this.key}" appears twice`);
    this.seen.add(this.key);
    if (this.key === 'nodes' || this.key === 'edges' || this.key === 'strings') {
      if (c !== CH_LBRACKET) this.fail(i, `expected '[' to start "${this.key}", got ${shown(c)}`);
      if (this.key === 'strings') {
        this.mode = 'strings';
        this.expectString = true;
        return true;
      }
      this.target = this.key === 'nodes' ? this.nodes : this.edges;
      this.reserveFromMeta();
      this.num = -1;
      this.numEnded = false;
      this.mode = 'numbers';
      return true;
    }
    // Any other value: keep the text of "snapshot" (small: the meta data), skip the rest
    // (trace_tree, samples, locations: empty unless allocation tracking was on).
    this.rawCapture = this.key === 'snapshot' ? [] : null;
    this.rawDepth = 0;
    this.rawInString = false;
    this.rawSeen = false;
    this.escaped = false;
    this.rawStart = this.offset + i;
    this.mode = 'raw';
    return false;
  }

  private finishRaw(at: number): void {
    const text = (this.rawCapture ?? []).join('');
    this.rawCapture = null;
    try {
      this.meta = JSON.parse(text);
    } catch (err) {
      throw new Error(`heap snapshot: the "snapshot" value (characters ${this.rawStart}-${this.offset + at}) is not valid JSON: ${(err as Error).message}`);
    }
  }

  private reserveFromMeta(): void {
    const meta = this.meta as { node_count?: unknown; edge_count?: unknown; meta?: { node_fields?: unknown; edge_fields?: unknown } } | undefined;
    if (!meta || !meta.meta) return;
    const count = this.key === 'nodes' ? meta.node_count : meta.edge_count;
    const fields = this.key === 'nodes' ? meta.meta.node_fields : meta.meta.edge_fields;
    if (typeof count === 'number' && Array.isArray(fields) && count > 0 && count < 1e9) this.target!.reserve(count * fields.length);
  }

  private decodeString(raw: string, at: number): string {
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      this.fail(at, `invalid escape in the string "${raw.length > 60 ? `${raw.slice(0, 60)}…` : raw}"`);
    }
  }

  private describeMode(): string {
    switch (this.mode) {
      case 'start':
        return 'no data';
      case 'numbers':
        return `inside "${this.key}"`;
      case 'strings':
      case 'stringToken':
        return 'inside "strings"';
      case 'raw':
        return `inside the value of "${this.key}"`;
      default:
        return `after "${this.key || '{'}"`;
    }
  }

  private fail(i: number, what: string): never {
    throw new Error(`heap snapshot: malformed at character ${this.offset + i}: ${what}`);
  }
}

/** Parses a whole .heapsnapshot text. */
export function parseHeapSnapshot(text: string): HeapSnapshot {
  const parser = new HeapSnapshotParser();
  parser.write(text);
  return parser.end();
}

interface SnapshotMeta {
  node_fields: string[];
  node_types: unknown[];
  edge_fields: string[];
  edge_types: unknown[];
}

function readMeta(meta: unknown): { m: SnapshotMeta; nodeTypes: string[]; edgeTypes: string[] } {
  const m = (meta as { meta?: unknown } | undefined)?.meta as Partial<SnapshotMeta> | undefined;
  if (!m || typeof m !== 'object') throw new Error('heap snapshot: "snapshot.meta" is missing (not a V8 .heapsnapshot?)');
  const list = (name: keyof SnapshotMeta): unknown[] => {
    const v = m[name];
    if (!Array.isArray(v)) throw new Error(`heap snapshot: "snapshot.meta.${name}" is not an array`);
    return v;
  };
  const nodeFields = list('node_fields');
  const edgeFields = list('edge_fields');
  for (const f of REQUIRED_NODE_FIELDS) if (!nodeFields.includes(f)) throw new Error(`heap snapshot: "snapshot.meta.node_fields" lacks "${f}" (has ${JSON.stringify(nodeFields)})`);
  for (const f of REQUIRED_EDGE_FIELDS) if (!edgeFields.includes(f)) throw new Error(`heap snapshot: "snapshot.meta.edge_fields" lacks "${f}" (has ${JSON.stringify(edgeFields)})`);
  const enumOf = (name: 'node_types' | 'edge_types', fields: unknown[]): string[] => {
    const types = list(name)[fields.indexOf('type')];
    if (!Array.isArray(types) || !types.every((t) => typeof t === 'string')) {
      throw new Error(`heap snapshot: "snapshot.meta.${name}" has no list of type names for the "type" field`);
    }
    return types as string[];
  };
  return { m: m as SnapshotMeta, nodeTypes: enumOf('node_types', nodeFields), edgeTypes: enumOf('edge_types', edgeFields) };
}

function buildSnapshot(meta: unknown, nodes: Uint32Array, edges: Uint32Array, strings: string[], seen: Set<string>): HeapSnapshot {
  for (const key of ['snapshot', 'nodes', 'edges', 'strings']) if (!seen.has(key)) throw new Error(`heap snapshot: the top-level "${key}" is missing`);
  const { m, nodeTypes, edgeTypes } = readMeta(meta);
  const nodeFieldCount = m.node_fields.length;
  const edgeFieldCount = m.edge_fields.length;
  if (nodes.length % nodeFieldCount !== 0) {
    throw new Error(`heap snapshot: "nodes" holds ${nodes.length} numbers, not a multiple of the ${nodeFieldCount} node fields`);
  }
  if (edges.length % edgeFieldCount !== 0) {
    throw new Error(`heap snapshot: "edges" holds ${edges.length} numbers, not a multiple of the ${edgeFieldCount} edge fields`);
  }
  const nodeCount = nodes.length / nodeFieldCount;
  const edgeCount = edges.length / edgeFieldCount;
  if (nodeCount === 0) throw new Error('heap snapshot: "nodes" is empty (no root node)');
  const offsets = {
    nodeType: m.node_fields.indexOf('type'),
    nodeName: m.node_fields.indexOf('name'),
    nodeId: m.node_fields.indexOf('id'),
    nodeSelfSize: m.node_fields.indexOf('self_size'),
    nodeEdgeCount: m.node_fields.indexOf('edge_count'),
    edgeType: m.edge_fields.indexOf('type'),
    edgeName: m.edge_fields.indexOf('name_or_index'),
    edgeTo: m.edge_fields.indexOf('to_node'),
  };
  const firstEdge = new Uint32Array(nodeCount + 1);
  let e = 0;
  for (let n = 0; n < nodeCount; n++) {
    firstEdge[n] = e;
    const base = n * nodeFieldCount;
    e += nodes[base + offsets.nodeEdgeCount]!;
    const type = nodes[base + offsets.nodeType]!;
    if (type >= nodeTypes.length) throw new Error(`heap snapshot: node ${n} has type ${type}, beyond the ${nodeTypes.length} node types`);
    if (nodes[base + offsets.nodeName]! >= strings.length) {
      throw new Error(`heap snapshot: node ${n} names string ${nodes[base + offsets.nodeName]}, beyond the ${strings.length} strings`);
    }
  }
  firstEdge[nodeCount] = e;
  if (e !== edgeCount) throw new Error(`heap snapshot: the nodes' edge_count fields add up to ${e} edges but "edges" holds ${edgeCount}`);
  const numericNames = new Set(['element', 'hidden']);
  for (let k = 0; k < edgeCount; k++) {
    const base = k * edgeFieldCount;
    const to = edges[base + offsets.edgeTo]!;
    if (to % nodeFieldCount !== 0 || to >= nodes.length) {
      throw new Error(`heap snapshot: edge ${k} points to node offset ${to}, which is not the start of one of the ${nodeCount} nodes`);
    }
    const type = edges[base + offsets.edgeType]!;
    const typeName = edgeTypes[type];
    if (typeName === undefined) throw new Error(`heap snapshot: edge ${k} has type ${type}, beyond the ${edgeTypes.length} edge types`);
    if (!numericNames.has(typeName) && edges[base + offsets.edgeName]! >= strings.length) {
      throw new Error(`heap snapshot: edge ${k} names string ${edges[base + offsets.edgeName]}, beyond the ${strings.length} strings`);
    }
  }
  return { nodeFieldCount, edgeFieldCount, nodeCount, edgeCount, nodes, edges, strings, nodeTypes, edgeTypes, firstEdge, offsets };
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
function edgeTypeName(s: HeapSnapshot, k: number): string {
  return s.edgeTypes[s.edges[k * s.edgeFieldCount + s.offsets.edgeType]!] ?? 'unknown';
}

/** The node ordinal edge k points to. */
function edgeTarget(s: HeapSnapshot, k: number): number {
  return s.edges[k * s.edgeFieldCount + s.offsets.edgeTo]! / s.nodeFieldCount;
}

/** Indexes of the edge types that need care: weak edges never retain, shortcuts only from the root. */
function edgeKinds(s: HeapSnapshot): { weak: number; shortcut: number } {
  return { weak: s.edgeTypes.indexOf('weak'), shortcut: s.edgeTypes.indexOf('shortcut') };
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
