// The heap snapshot analysis on small hand-made snapshots in V8's format (whose dominators are
// known, or checked against a brute-force computation on seeded random graphs), the streaming
// parser on every way of cutting its input into chunks, and the malformed input it must refuse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { className } from '../../src/runtime/heap-snapshot.js';
import { HeapSnapshotParser, parseHeapSnapshot } from '../../src/runtime/heap-snapshot-parser.js';
import { computeDominators } from '../../src/runtime/heap-dominators.js';
import { compareSnapshots, summarizeHeapSnapshot, type ConstructorSummary, type HeapSnapshotSummary } from '../../src/runtime/heap-summary.js';
import { retainerPath } from '../../src/runtime/retainer-path.js';
import { mulberry32 } from '../support/random.js';

// As Node 20's V8 writes them.
const NODE_FIELDS = ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'];
const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape', 'wasm object'];
const EDGE_FIELDS = ['type', 'name_or_index', 'to_node'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

type EdgeSpec = [type: string, nameOrIndex: string | number, to: number];
interface NodeSpec {
  type: string;
  name: string;
  size?: number;
  edges?: EdgeSpec[];
}

/** A .heapsnapshot text for the given nodes; node 0 is the root. */
function snapshotJson(nodes: NodeSpec[]): string {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const str = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) {
      i = strings.length;
      ids.set(s, i);
      strings.push(s);
    }
    return i;
  };
  const nf = NODE_FIELDS.length;
  const nodeNums: number[] = [];
  const edgeNums: number[] = [];
  nodes.forEach((n, i) => {
    const edges = n.edges ?? [];
    nodeNums.push(NODE_TYPES.indexOf(n.type), str(n.name), 2 * i + 1, n.size ?? 0, edges.length, 0, 0);
    for (const [type, name, to] of edges) {
      const numeric = type === 'element' || type === 'hidden';
      edgeNums.push(EDGE_TYPES.indexOf(type), numeric ? Number(name) : str(String(name)), to * nf);
    }
  });
  const meta = {
    node_fields: NODE_FIELDS,
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'],
    edge_fields: EDGE_FIELDS,
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
  };
  // Laid out like V8's output: one node or edge per line.
  const rows = (nums: number[], width: number): string => {
    const out: string[] = [];
    for (let i = 0; i < nums.length; i += width) out.push(nums.slice(i, i + width).join(','));
    return out.join(',\n');
  };
  return (
    `{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${nodes.length},"edge_count":${edgeNums.length / 3},"trace_function_count":0},\n` +
    `"nodes":[${rows(nodeNums, nf)}],\n"edges":[${rows(edgeNums, 3)}],\n` +
    `"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}`
  );
}

/*
 * The app heap used by several tests:
 *
 *   0 (root) --element--> 1 (GC roots) --element--> 2 (Global handles) --internal--> 3 system / Context
 *   3 --context 'sessions'--> 4 Map --internal 'table'--> 5 (array) --element 0,1--> 6, 7 SessionRecord
 *   6, 7 --property 'payload'--> 8, 9 (string, 100 B each)
 *   0 --shortcut--> 10 global --property 'cache'--> 4 Map      (a second, user-visible way to the Map)
 *   10 --weak--> 11 Object (reachable only through a weak edge: garbage)
 */
const APP: NodeSpec[] = [
  { type: 'synthetic', name: '', edges: [['element', 1, 1], ['shortcut', 'global', 10]] },
  { type: 'synthetic', name: '(GC roots)', edges: [['element', 1, 2]] },
  { type: 'synthetic', name: '(Global handles)', edges: [['internal', 'h', 3]] },
  { type: 'object', name: 'system / Context', size: 40, edges: [['context', 'sessions', 4]] },
  { type: 'object', name: 'Map', size: 32, edges: [['internal', 'table', 5]] },
  { type: 'array', name: '', size: 64, edges: [['element', 0, 6], ['element', 1, 7]] },
  { type: 'object', name: 'SessionRecord', size: 48, edges: [['property', 'payload', 8]] },
  { type: 'object', name: 'SessionRecord', size: 48, edges: [['property', 'payload', 9]] },
  { type: 'string', name: 'x'.repeat(20), size: 100 },
  { type: 'string', name: 'y'.repeat(20), size: 100 },
  { type: 'object', name: 'global', size: 16, edges: [['property', 'cache', 4], ['weak', 'ghost', 11]] },
  { type: 'object', name: 'Object', size: 24 },
];

describe('parseHeapSnapshot', () => {
  it('reads nodes, edges and strings into typed arrays and knows where each node’s edges start', () => {
    const s = parseHeapSnapshot(snapshotJson(APP));
    assert.equal(s.nodeCount, 12);
    assert.equal(s.edgeCount, 12);
    assert.equal(s.nodeFieldCount, 7);
    assert.ok(s.nodes instanceof Uint32Array && s.edges instanceof Uint32Array);
    assert.deepEqual([...s.firstEdge], [0, 2, 3, 4, 5, 6, 8, 9, 10, 10, 10, 12, 12]);
    assert.deepEqual([...Array(12).keys()].map((n) => className(s, n)), [
      '(synthetic)', '(synthetic)', '(synthetic)', 'system / Context', 'Map', '(array)',
      'SessionRecord', 'SessionRecord', '(string)', '(string)', 'global', 'Object',
    ]);
  });

  it('gives the same graph however the text is cut into chunks, escapes included', () => {
    const nodes: NodeSpec[] = [
      { type: 'synthetic', name: '', edges: [['property', 'quote " back \\ nl \n é \u2028 😀', 1]] },
      { type: 'closure', name: 'handler "x"', size: 12345678 },
    ];
    const text = snapshotJson(nodes);
    const whole = parseHeapSnapshot(text);
    assert.ok(whole.strings.includes('quote " back \\ nl \n é \u2028 😀'));
    for (let cut = 1; cut < text.length; cut++) {
      const p = new HeapSnapshotParser();
      p.write(text.slice(0, cut));
      p.write(text.slice(cut));
      const s = p.end();
      assert.deepEqual([s.nodes, s.edges, s.strings], [whole.nodes, whole.edges, whole.strings], `cut at ${cut}`);
    }
    const oneByOne = new HeapSnapshotParser();
    for (const ch of text) oneByOne.write(ch);
    assert.deepEqual(oneByOne.end().strings, whole.strings);
  });

  it('skips values it does not need, whatever their shape, and accepts the keys in any order', () => {
    const text = snapshotJson(APP)
      .replace('"trace_tree":[]', '"trace_tree":[1,[2,{"a":"]}\\""}],3]')
      .replace('"samples":[]', '"samples":"x,}"')
      .replace('"locations":[]', '"locations":null,"extra":{"k":[true,false]},"n":-1.5e3');
    const reordered = `{"strings":${text.slice(text.indexOf('"strings":') + 10, -1)},${text.slice(1, text.indexOf(',\n"strings"'))}}`;
    for (const t of [text, reordered]) assert.equal(parseHeapSnapshot(t).nodeCount, 12);
  });

  const bad: Array<[string, (t: string) => string, RegExp]> = [
    ['not an object', () => '[1,2]', /^Error: heap snapshot: malformed at character 0: expected '\{' at the start of a heap snapshot, got "\["$/],
    ['truncated inside nodes', (t) => t.slice(0, t.indexOf('"edges"') - 10), /^Error: heap snapshot: the JSON ended early at character \d+ \(inside "nodes"\): truncated snapshot\?$/],
    ['empty input', () => '', /ended early at character 0 \(no data\)/],
    ['two numbers without a comma', (t) => t.replace('"nodes":[9,', '"nodes":[9 1,'), /expected ',' between numbers in "nodes"/],
    ['a trailing comma', (t) => t.replace('],\n"edges"', ',],\n"edges"'), /expected a number in "nodes", got '\]'/],
    ['a number over 32 bits', (t) => t.replace('"nodes":[9,', '"nodes":[94294967296,'), /a number in "nodes" does not fit in 32 bits/],
    ['garbage after the end', (t) => `${t} x`, /unexpected "x" after the end of the snapshot/],
    ['no meta data', (t) => t.replace(/"snapshot":\{"meta":.*?\},"node_count"/, '"snapshot":{"node_count"'), /^Error: heap snapshot: "snapshot.meta" is missing/],
    ['no nodes', (t) => t.replace(/"nodes":\[[^\]]*\],/, ''), /^Error: heap snapshot: the top-level "nodes" is missing$/],
    ['a meta data without edge_count', (t) => t.replace('"edge_count","trace_node_id"', '"trace_node_id","x"'), /"snapshot.meta.node_fields" lacks "edge_count"/],
    ['a key twice', (t) => t.replace('"samples":[]', '"edges":[]'), /key "edges" appears twice/],
  ];
  for (const [what, mangle, message] of bad) {
    it(`refuses ${what}, saying where`, () => {
      assert.throws(() => parseHeapSnapshot(mangle(snapshotJson(APP))), message);
    });
  }

  it('names the character offset of a malformed number', () => {
    const text = snapshotJson(APP);
    const at = text.indexOf('"nodes":[9,') + '"nodes":[9,'.length;
    const mangled = `${text.slice(0, at)}x${text.slice(at)}`;
    assert.throws(() => parseHeapSnapshot(mangled), {
      message: `heap snapshot: malformed at character ${at}: expected a non-negative integer, ',' or ']' in "nodes", got "x"`,
    });
    // The same offset when the text comes in small chunks.
    const p = new HeapSnapshotParser();
    assert.throws(() => {
      for (let i = 0; i < mangled.length; i += 7) p.write(mangled.slice(i, i + 7));
    }, new RegExp(`malformed at character ${at}:`));
  });

  it('refuses a graph whose parts do not fit together', () => {
    const mismatch = APP.map((n, i) => (i === 3 ? { ...n, edges: [] } : n));
    const text = snapshotJson(mismatch).replace('"nodes":[9,0,1,0,2,', '"nodes":[9,0,1,0,3,');
    assert.throws(() => parseHeapSnapshot(text), { message: 'heap snapshot: the nodes\' edge_count fields add up to 12 edges but "edges" holds 11' });
    const offByOne = snapshotJson(APP).replace('"edges":[1,1,7', '"edges":[1,1,8');
    assert.throws(() => parseHeapSnapshot(offByOne), { message: 'heap snapshot: edge 0 points to node offset 8, which is not the start of one of the 12 nodes' });
    const noString = snapshotJson(APP).replace('"edges":[1,1,7,\n5,1,', '"edges":[1,1,7,\n5,999,');
    assert.throws(() => parseHeapSnapshot(noString), { message: 'heap snapshot: edge 1 names string 999, beyond the 16 strings' });
    const extraNumber = snapshotJson(APP).replace('"nodes":[9,', '"nodes":[9,9,');
    assert.throws(() => parseHeapSnapshot(extraNumber), /"nodes" holds 85 numbers, not a multiple of the 7 node fields/);
  });
});

describe('computeDominators', () => {
  it('finds the dominators and retained sizes of a known graph', () => {
    const s = parseHeapSnapshot(snapshotJson(APP));
    const { idom, retained } = computeDominators(s);
    // 4 (Map) is reached from 3 (the context) and from 10 (global): only the root dominates it.
    assert.deepEqual([...idom], [0, 0, 1, 2, 0, 4, 5, 5, 6, 7, 0, -1]);
    assert.deepEqual([...retained], [448, 40, 40, 40, 392, 360, 148, 148, 100, 100, 16, 0]);
  });

  it('follows shortcut edges only from the root, and never weak ones', () => {
    const s = parseHeapSnapshot(snapshotJson([
      { type: 'synthetic', name: '', edges: [['element', 1, 1], ['shortcut', 'g', 2], ['weak', 'w', 4]] },
      { type: 'object', name: 'A', size: 1, edges: [['shortcut', 's', 3], ['property', 'b', 2]] },
      { type: 'object', name: 'B', size: 2, edges: [['property', 'c', 3]] },
      { type: 'object', name: 'C', size: 4 },
      { type: 'object', name: 'D', size: 8 },
    ]));
    const { idom, retained } = computeDominators(s);
    // B: reached by the root's shortcut and by A, so only the root dominates it. C: A's shortcut
    // does not count, so B dominates C. D: behind a weak edge, unreachable.
    assert.deepEqual([...idom], [0, 0, 0, 2, -1]);
    assert.deepEqual([...retained], [7, 1, 6, 4, 0]);
  });

  it('agrees with a brute-force computation on 300 random graphs', () => {
    const random = mulberry32(8);
    for (let g = 0; g < 300; g++) {
      const n = 2 + Math.floor(random() * 30);
      const types = ['property', 'element', 'internal', 'hidden', 'context', 'shortcut', 'weak'];
      const nodes: NodeSpec[] = Array.from({ length: n }, (_, i) => ({ type: i === 0 ? 'synthetic' : 'object', name: `N${i % 4}`, size: 1 + Math.floor(random() * 100), edges: [] }));
      const edgeCount = Math.floor(random() * n * 2.5);
      for (let e = 0; e < edgeCount; e++) {
        const from = Math.floor(random() * n);
        const to = Math.floor(random() * n);
        const type = types[Math.floor(random() * types.length)]!;
        nodes[from]!.edges!.push([type, type === 'element' || type === 'hidden' ? e : `p${e % 3}`, to]);
      }
      const s = parseHeapSnapshot(snapshotJson(nodes));
      const { idom, retained } = computeDominators(s);
      const expected = bruteForce(nodes);
      assert.deepEqual([...idom], expected.idom, `graph ${g}: ${JSON.stringify(nodes.map((x) => x.edges))}`);
      assert.deepEqual([...retained], expected.retained, `graph ${g}`);
    }
  });

  it('handles a retention chain 200,000 deep without recursion', () => {
    const depth = 200_000;
    const nodes: NodeSpec[] = [{ type: 'synthetic', name: '', edges: [['element', 0, 1]] }];
    for (let i = 1; i <= depth; i++) nodes.push({ type: 'object', name: 'Link', size: 8, edges: i < depth ? [['property', 'next', i + 1]] : [] });
    const s = parseHeapSnapshot(snapshotJson(nodes));
    const { idom, retained } = computeDominators(s);
    assert.equal(idom[depth], depth - 1);
    assert.equal(retained[1], depth * 8);
    const summary = summarizeHeapSnapshot(s);
    // Every Link is dominated by the one before it: the class retains the first one's size once.
    assert.deepEqual(summary.constructors.find((c) => c.name === 'Link'), { name: 'Link', count: depth, selfSize: depth * 8, retainedSize: depth * 8, maxRetainedSize: depth * 8 });
  });
});

/** Dominators by definition: d dominates v when v cannot be reached from the root without d. */
function bruteForce(nodes: NodeSpec[]): { idom: number[]; retained: number[] } {
  const n = nodes.length;
  const reach = (removed: number): boolean[] => {
    const seen = new Array<boolean>(n).fill(false);
    if (removed === 0) return seen;
    const stack = [0];
    seen[0] = true;
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const [type, , to] of nodes[v]!.edges ?? []) {
        if (type === 'weak' || (type === 'shortcut' && v !== 0) || to === removed || seen[to]) continue;
        seen[to] = true;
        stack.push(to);
      }
    }
    return seen;
  };
  const all = reach(-1);
  const without = nodes.map((_, d) => reach(d));
  // strict dominators of v
  const doms = nodes.map((_, v) => (all[v] ? nodes.map((__, d) => d).filter((d) => d !== v && (d === 0 || !without[d]![v])) : []));
  const idom = nodes.map((_, v) => {
    if (!all[v]) return -1;
    if (v === 0) return 0;
    // Dominators form a chain: the immediate one has the most dominators of its own.
    return doms[v]!.reduce((best, d) => (doms[d]!.length > doms[best]!.length ? d : best));
  });
  const retained = nodes.map((node, v) => {
    if (!all[v]) return 0;
    if (v === 0) return nodes.reduce((sum, x, i) => sum + (all[i] ? x.size ?? 0 : 0), 0);
    return (node.size ?? 0) + nodes.reduce((sum, x, i) => sum + (i !== v && all[i] && !without[v]![i] ? x.size ?? 0 : 0), 0);
  });
  return { idom, retained };
}

describe('summarizeHeapSnapshot', () => {
  it('groups reachable nodes as DevTools does, with class retained sizes, largest first', () => {
    const summary = summarizeHeapSnapshot(parseHeapSnapshot(snapshotJson(APP)));
    assert.equal(summary.nodeCount, 12);
    assert.equal(summary.reachableCount, 11, 'the Object behind a weak edge is garbage');
    assert.equal(summary.totalSize, 448);
    const rows = Object.fromEntries(summary.constructors.map((c) => [c.name, c]));
    assert.deepEqual(rows.SessionRecord, { name: 'SessionRecord', count: 2, selfSize: 96, retainedSize: 296, maxRetainedSize: 148 });
    assert.deepEqual(rows['(string)'], { name: '(string)', count: 2, selfSize: 200, retainedSize: 200, maxRetainedSize: 100 });
    assert.deepEqual(rows.Map, { name: 'Map', count: 1, selfSize: 32, retainedSize: 392, maxRetainedSize: 392 });
    assert.equal(rows.Object, undefined);
    // The root's group retains everything; the rest follow by retained size.
    assert.deepEqual(summary.constructors.map((c) => c.name), ['(synthetic)', 'Map', '(array)', 'SessionRecord', '(string)', 'system / Context', 'global']);
  });
});

describe('compareSnapshots', () => {
  const summary = (rows: Array<[string, number, number, number?]>): HeapSnapshotSummary => ({
    nodeCount: 0,
    edgeCount: 0,
    reachableCount: 0,
    totalSize: 0,
    constructors: rows.map(([name, count, retainedSize, maxRetainedSize]): ConstructorSummary => ({ name, count, selfSize: 0, retainedSize, maxRetainedSize: maxRetainedSize ?? 0 })),
  });

  it('names the constructors whose count and retained size grew in both steps, the app’s own first', () => {
    const a = summary([['SessionRecord', 10, 10_000], ['(array)', 50, 20_000], ['Cache', 5, 500], ['Once', 1, 100], ['Shrinks', 10, 1000], ['Flat', 3, 300], ['Object', 100, 5000]]);
    const b = summary([['SessionRecord', 110, 110_000], ['(array)', 60, 140_000], ['Cache', 6, 600], ['Once', 50, 5000], ['Shrinks', 20, 900], ['Flat', 3, 900], ['Object', 200, 10_000]]);
    const c = summary([['SessionRecord', 210, 210_000], ['(array)', 70, 260_000], ['Cache', 7, 700], ['Once', 50, 5000], ['Shrinks', 30, 800], ['Flat', 3, 1500], ['Object', 300, 15_000], ['NewLate', 40, 40_000]]);
    const grown = compareSnapshots(a, b, c);
    assert.deepEqual(grown.map((g) => g.name), ['SessionRecord', 'Object', 'Cache', '(array)']);
    assert.deepEqual(grown[0], {
      name: 'SessionRecord',
      counts: [10, 110, 210],
      retainedSizes: [10_000, 110_000, 210_000],
      retainedGrowth: 200_000,
      spreadGrowth: 200_000,
      countGrowth: 200,
      bytesPerInstance: 1000,
      internal: false,
    });
    assert.equal(grown[3]!.internal, true);
    assert.deepEqual(compareSnapshots(a, b, c, { minGrowthBytes: 5000 }).map((g) => g.name), ['SessionRecord', 'Object', '(array)']);
  });

  it('ranks the leaking class above the class of the one container that holds it', () => {
    // items.push(new Item()): each Item holds a small array, and one big Array holds every Item.
    const a = summary([['Array', 101, 10_100, 9000], ['Item', 100, 9000, 90]]);
    const b = summary([['Array', 201, 20_100, 18_000], ['Item', 200, 18_000, 90]]);
    const c = summary([['Array', 301, 30_100, 27_000], ['Item', 300, 27_000, 90]]);
    const grown = compareSnapshots(a, b, c);
    assert.deepEqual(grown.map((g) => [g.name, g.retainedGrowth, g.spreadGrowth]), [['Item', 18_000, 18_000], ['Array', 20_000, 2000]]);
  });

  it('finds nothing in a heap that does not grow', () => {
    const a = summary([['SessionRecord', 100, 10_000]]);
    assert.deepEqual(compareSnapshots(a, a, a), []);
  });
});

describe('retainerPath', () => {
  const s = parseHeapSnapshot(snapshotJson(APP));

  it('takes the shortest strong path, preferring names from the app’s code at equal length', () => {
    const path = retainerPath(s, 'SessionRecord');
    assert.ok(path);
    // root -> global -> Map (3 hops to the Map) beats root -> GC roots -> Global handles -> Context -> Map.
    assert.equal(path.text, "global 'global' -> Map 'cache' -> (array) -> SessionRecord [0]");
    assert.deepEqual(path.steps.map((x) => x.node), [0, 10, 4, 5, 6]);
    assert.deepEqual(path.steps[2], { node: 4, label: 'Map', edgeType: 'property', edgeName: 'cache' });
  });

  it('reaches a given node, by ordinal', () => {
    assert.equal(retainerPath(s, 9)?.text, "global 'global' -> Map 'cache' -> (array) -> SessionRecord [1] -> (string) 'payload'");
    assert.equal(retainerPath(s, 3)?.text, '(GC roots) [1] -> (Global handles) [1] -> system / Context');
  });

  it('prefers a property edge over an internal one when both are equally short', () => {
    const t = parseHeapSnapshot(snapshotJson([
      { type: 'synthetic', name: '', edges: [['element', 1, 1], ['element', 2, 2]] },
      { type: 'object', name: 'Internal', edges: [['internal', 'x', 3]] },
      { type: 'object', name: 'Named', edges: [['property', 'leaks', 3]] },
      { type: 'object', name: 'Leaky', size: 10 },
    ]));
    assert.equal(retainerPath(t, 'Leaky')?.text, "Named [2] -> Leaky 'leaks'");
  });

  it('leaves the stack roots out while another path reaches the target (a snapshot taken mid-request), not otherwise', () => {
    const nodes: NodeSpec[] = [
      { type: 'synthetic', name: '', edges: [['element', 1, 1], ['element', 2, 2]] },
      { type: 'synthetic', name: '(GC roots)', edges: [['element', 1, 3]] },
      { type: 'object', name: 'Window', edges: [['property', 'app', 4]] },
      { type: 'synthetic', name: '(Stack roots)', edges: [['element', 7, 6]] },
      { type: 'object', name: 'App', edges: [['property', 'sessions', 5]] },
      { type: 'object', name: 'Map', edges: [['internal', 'table', 6]] },
      { type: 'object', name: 'SessionRecord', size: 10 },
    ];
    // Via the stack: root -> (GC roots) -> (Stack roots) -> SessionRecord, 3 hops; via the app: 4 hops.
    assert.equal(retainerPath(parseHeapSnapshot(snapshotJson(nodes)), 'SessionRecord')?.text, "Window [2] -> App 'app' -> Map 'sessions' -> SessionRecord");
    // Held by the stack alone: the stack path it is.
    const onlyStack = nodes.map((n) => (n.name === 'Map' ? { ...n, edges: [] } : n));
    assert.equal(retainerPath(parseHeapSnapshot(snapshotJson(onlyStack)), 'SessionRecord')?.text, '(GC roots) [1] -> (Stack roots) [1] -> SessionRecord [7]');
  });

  it('returns null when no instance is reachable, and refuses a node that does not exist', () => {
    assert.equal(retainerPath(s, 'Object'), null, 'only behind a weak edge');
    assert.equal(retainerPath(s, 'NoSuchClass'), null);
    assert.throws(() => retainerPath(s, 12), { message: "retainerPath: node 12 is not one of the snapshot's 12 nodes (0-11)" });
  });
});
