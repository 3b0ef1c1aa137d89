// A streaming parser of V8's .heapsnapshot JSON into the typed-array model of heap-snapshot.ts: chunks in, no object
// per node, and a clear error for malformed input.
import type { HeapSnapshot } from './heap-snapshot.js';

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
