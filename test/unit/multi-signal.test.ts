// Unit tests of the multi-signal verdict: Holm's correction over correlated signals holds the family-wise
// false-positive rate at alpha on null series; a leak in one signal is found and named; the primary signal follows
// the preference; the trial analysis names the leaking signals; OOM in the output tail is recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSignals, type SignalInput } from '../../src/analyze/multi-signal.js';
import { analyzeTrial, DEFAULT_ANALYSIS, type AnalysisOptions } from '../../src/analyze/index.js';
import { EXTERNAL_ENVELOPE, externalEnvelope, heapSamples } from '../../src/pipeline/trial-analysis.js';
import type { TrialEvidence } from '../../src/probes/evidence.js';
import { findRuntimeOom } from '../../src/sample/oom.js';
import type { Sample } from '../../src/core/types.js';
import { gaussian, mulberry32 } from '../support/random.js';

const THROUGHPUT = 4000;

function samplesOf(values: number[], stepMs: number): Sample[] {
  return values.map((v, i) => ({
    t: i * stepMs,
    requests: Math.round((i * stepMs * THROUGHPUT) / 1000),
    total: { anon: v, rss: v, pss: v, uss: v, swap: 0 },
    processes: [],
  }));
}

/**
 * Two correlated signals of one 30 s trial under the null (no growth): anon = a shared AR(1) component plus its own
 * sawtooth-like noise; heap = the shared component scaled down plus small noise. `leakHeap` bytes per request go
 * into both (a JS-object leak shows in the heap and in anon).
 */
function pair(seed: number, leakHeap = 0): SignalInput[] {
  const random = mulberry32(seed);
  const n = 120;
  let shared = 0;
  const anon: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < n; i++) {
    shared = 0.6 * shared + gaussian(random) * 200_000;
    const req = (i * 250 * THROUGHPUT) / 1000;
    anon.push(60e6 + shared + gaussian(random) * 600_000 + leakHeap * req);
    heap.push(10e6 + 0.2 * shared + gaussian(random) * 20_000 + leakHeap * req);
  }
  return [
    { metric: 'anon', samples: samplesOf(anon, 250), minBytesPerRequest: 0 },
    { metric: 'heap', samples: samplesOf(heap, 250), minBytesPerRequest: 0 },
  ];
}

/** Significance alone decides: no practical floors, fixed warm-up, so the rate measured is the test's own. */
const NULL_OPTS: AnalysisOptions = { ...DEFAULT_ANALYSIS, minRelativeGrowth: 0, warmup: { mode: 'fixed', fraction: 0.25 } };

test("Holm's correction holds the family-wise false-positive rate at alpha over two correlated null signals", () => {
  const runs = 600;
  let anyLeak = 0;
  let uncorrected = 0;
  for (let seed = 1; seed <= runs; seed++) {
    const r = analyzeSignals(pair(seed), NULL_OPTS, THROUGHPUT, ['heap', 'anon']);
    if (r.leaking.length > 0) anyLeak++;
    if (r.signals.some((s) => s.pValue < NULL_OPTS.alpha && s.ciLow > 0)) uncorrected++;
  }
  // alpha = 0.01: 6 expected at most over 600 runs; allow binomial slack (P(X > 13 | p = 0.01) < 0.5%).
  console.log(`null runs: ${anyLeak} of ${runs} flagged with Holm, ${uncorrected} without`);
  assert.ok(anyLeak <= 13, `${anyLeak} of ${runs} null runs called a leak (uncorrected: ${uncorrected})`);
  assert.ok(anyLeak <= uncorrected, 'the correction never adds false positives');
});

test('a leak in the clean signal is found, named, and decides', () => {
  const r = analyzeSignals(pair(7, 64), { ...DEFAULT_ANALYSIS, minRelativeGrowth: 0 }, THROUGHPUT, ['heap', 'anon']);
  assert.ok(r.leaking.includes('heap'), JSON.stringify(r.signals.map((s) => [s.metric, s.verdict, s.reason])));
  assert.equal(r.primary.metric, 'heap');
  const heap = r.signals.find((s) => s.metric === 'heap')!;
  assert.ok(heap.ciLow < 64 && heap.ciHigh > 64, `interval ${heap.ciLow}..${heap.ciHigh} holds the 64 B/req leak`);
  assert.ok(heap.alphaTested !== null && heap.alphaTested <= NULL_OPTS.alpha / 2 + 1e-12, 'the smallest p-value is tested at alpha / 2');
});

test('each signal is held to its own floor', () => {
  const inputs = pair(11, 20);
  inputs[1]!.minBytesPerRequest = 100; // the heap's floor above the leak
  const r = analyzeSignals(inputs, { ...DEFAULT_ANALYSIS, minRelativeGrowth: 0 }, THROUGHPUT, ['heap', 'anon']);
  const heap = r.signals.find((s) => s.metric === 'heap')!;
  assert.equal(heap.verdict, 'no-leak');
  assert.match(heap.reason, /100 B\/req floor/);
});

test('with no leak, the primary signal is the cleanest conclusive one', () => {
  const r = analyzeSignals(pair(3), DEFAULT_ANALYSIS, THROUGHPUT, ['heap', 'anon']);
  assert.equal(r.leaking.length, 0);
  assert.equal(r.primary.metric, 'heap');
  const r2 = analyzeSignals(pair(3), DEFAULT_ANALYSIS, THROUGHPUT, ['anon', 'heap']);
  assert.equal(r2.primary.metric, 'anon');
});

test('an inconclusive signal does not count in the correction', () => {
  const inputs = pair(5, 64);
  inputs[0]!.samples = inputs[0]!.samples.slice(0, 5); // anon: too few points
  const r = analyzeSignals(inputs, { ...DEFAULT_ANALYSIS, minRelativeGrowth: 0 }, THROUGHPUT, ['heap', 'anon']);
  assert.equal(r.signals[0]!.verdict, 'inconclusive');
  assert.equal(r.signals[1]!.alphaTested, DEFAULT_ANALYSIS.alpha, 'one conclusive signal is tested at alpha itself');
});

test("the runtimes' out-of-memory messages are recognised, and ordinary lines are not", () => {
  const cases: Array<[string[], string | null]> = [
    [['<--- Last few GCs --->', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'], 'node'],
    [['Exception in thread "HTTP-Dispatcher" java.lang.OutOfMemoryError: Java heap space'], 'jvm'],
    [['Traceback (most recent call last):', '  File "server.py", line 9, in do_GET', 'MemoryError'], 'python'],
    [['ERROR: low memory warning', 'cache memory 80% full', 'OutOfMemoryErrors: 0'], null],
  ];
  for (const [lines, source] of cases) assert.equal(findRuntimeOom(lines)?.source ?? null, source, lines.join(' | '));
});

test('GC.heap_info: the heap in use of G1 (one line) and of a generational collector (summed), never metaspace', async () => {
  const { parseHeapInfoUsed } = await import('../../src/runtime/jvm-heap-info.js');
  const g1 = [
    '25976:',
    'Command executed successfully',
    ' garbage-first heap   total 40960K, used 7409K [0x0000000687400000, 0x0000000800000000)',
    '  region size 4096K, 0 young (0K), 0 survivors (0K)',
    ' Metaspace       used 9355K, committed 9536K, reserved 1114112K',
    '  class space    used 1130K, committed 1216K, reserved 1048576K',
  ].join('\n');
  assert.equal(parseHeapInfoUsed(g1), 7409 * 1024);
  const parallel = [
    ' PSYoungGen      total 76288K, used 2621K [0x00000007aab00000, 0x00000007b0000000, 0x0000000800000000)',
    '  eden space 65536K, 4% used [0x00000007aab00000,0x00000007aad8f6d8,0x00000007aeb00000)',
    ' ParOldGen       total 175104K, used 4433K [0x0000000700000000, 0x000000070ab00000, 0x00000007aab00000)',
    ' Metaspace       used 9355K, committed 9536K, reserved 1114112K',
  ].join('\n');
  assert.equal(parseHeapInfoUsed(parallel), (2621 + 4433) * 1024);
  assert.throws(() => parseHeapInfoUsed('12: Could not find any command', 'jcmd 12'), /jcmd 12: no heap line with "total \.\.\., used \.\.\."/);
});

test('the runtime is guessed past an env wrapper: node and java commands get their heap signal', async () => {
  const { runsNode, runsJava } = await import('../../src/config/sections.js');
  assert.equal(runsNode(['env', 'PORT=3000', 'LEAK_BYTES=64', 'node', 'server.js']), true);
  assert.equal(runsNode('/usr/bin/env -i PATH=/bin node server.js'), true);
  assert.equal(runsJava(['env', 'X=1', '/usr/lib/jvm/java-17/bin/java', '-jar', 'app.jar']), true);
  assert.equal(runsNode(['python3', 'node.py']), false);
  assert.equal(runsJava(['envoy', 'java']), false);
});

test('the baseline comparison runs on the deciding signal when the baseline has it, else on the signal both have', async () => {
  const { chooseComparedSignal, throughSignal } = await import('../../src/pipeline/compared-signal.js');
  const fig = (metric: 'anon' | 'heap', slope: number) => ({ metric, verdict: 'no-leak', bytesPerRequest: slope, alphaTested: 0.01 });
  const multi = { trials: [{ analysis: { metric: 'heap', bytesPerRequest: 3, signals: [fig('anon', 20), fig('heap', 3)] } }] };
  const anonOnly = { trials: [{ analysis: { metric: 'anon', bytesPerRequest: 25 } }] };
  const head = multi.trials as never;
  assert.deepEqual(chooseComparedSignal(head, [multi] as never, 'heap'), { metric: 'heap', common: true });
  const old = chooseComparedSignal(head, [anonOnly] as never, 'heap');
  assert.equal(old.metric, 'anon');
  assert.match(old.note ?? '', /the baseline has no heap signal/);
  assert.equal(throughSignal(head, 'anon')[0]!.analysis.bytesPerRequest, 20, 'the trial seen through anon carries anon figures');
  assert.equal(chooseComparedSignal(head, [{ trials: [{ analysis: { metric: 'rss' } }] }] as never, 'heap').common, false);
});

test('anon covered by a conclusive heap signal stands aside: it grows, is shown, and does not decide; the heap is tested at the full alpha', () => {
  const random = mulberry32(7);
  const anon: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < 120; i++) {
    const req = (i * 250 * THROUGHPUT) / 1000;
    anon.push(60e6 + 300 * req + gaussian(random) * 200_000); // V8 sizing its heap: anon grows 300 B/req
    heap.push(10e6 + gaussian(random) * 20_000); // the live heap after GC is flat
  }
  const inputs: SignalInput[] = [
    { metric: 'anon', samples: samplesOf(anon, 250), minBytesPerRequest: 32, coveredBy: 'heap' },
    { metric: 'heap', samples: samplesOf(heap, 250), minBytesPerRequest: 8 },
  ];
  const r = analyzeSignals(inputs, DEFAULT_ANALYSIS, THROUGHPUT, ['heap', 'anon']);
  assert.deepEqual(r.leaking, []);
  assert.equal(r.primary.metric, 'heap');
  const anonSignal = r.signals.find((s) => s.metric === 'anon')!;
  assert.equal(anonSignal.grewAside, true);
  assert.equal(anonSignal.coveredBy, 'heap');
  assert.equal(anonSignal.alphaTested, null);
  assert.ok(anonSignal.bytesPerRequest > 250, `anon slope ${anonSignal.bytesPerRequest} kept`);
  assert.equal(r.signals.find((s) => s.metric === 'heap')!.alphaTested, DEFAULT_ANALYSIS.alpha, 'one deciding signal: no Holm split');

  // With the heap inconclusive (too few readings), anon decides, and its growth is a leak.
  const fewHeap: SignalInput[] = [inputs[0]!, { ...inputs[1]!, samples: samplesOf(heap.slice(0, 6), 250) }];
  const r2 = analyzeSignals(fewHeap, DEFAULT_ANALYSIS, THROUGHPUT, ['heap', 'anon']);
  assert.deepEqual(r2.leaking, ['anon']);
  assert.equal(r2.signals.find((s) => s.metric === 'anon')!.grewAside, undefined);
});

test("Node's heap readings take external memory at its lowest over the last 3, brought forward along its trend: in-flight buffers drop out, a rise keeps its slope", () => {
  // External memory rises 20 B a request (a Buffer leak) with in-flight buffers of up to 600 KiB in a third of the
  // readings, as on the Express example; the readings space out as the load goes on (a growing heap's GC pauses).
  const rnd = mulberry32(11);
  let requests = 0;
  const heapSeries = Array.from({ length: 40 }, (_, i) => {
    requests += 500 + 40 * i;
    const v8HeapBytes = 8e6 + Math.round(gaussian(rnd) * 5e3);
    const externalBytes = 2e6 + 20 * requests + (rnd() < 0.35 ? Math.round(rnd() * 600 * 1024) : 0);
    return { t: i * 625, requests, usedBytes: v8HeapBytes + externalBytes, v8HeapBytes, externalBytes };
  });
  const samples = heapSamples({ runtime: { kind: 'node', heapSeries } } as unknown as TrialEvidence);
  assert.equal(samples.length, 40);
  for (let i = 0; i < 40; i++) assert.ok(samples[i]!.total.anon <= heapSeries[i]!.usedBytes + 1, `reading ${i} is never raised`);
  const opts = { ...DEFAULT_ANALYSIS, minBytesPerRequest: 8, minPoints: 8, minWindow: 1 };
  const enveloped = analyzeTrial(samples, opts, 1);
  const raw = analyzeTrial(heapSeries.map((h) => ({ t: h.t, requests: h.requests, total: { anon: h.usedBytes, rss: 0, pss: 0, uss: 0, swap: 0 }, processes: [] })), opts, 1);
  assert.ok(Math.abs(enveloped.bytesPerRequest - 20) < 1, `slope ${enveloped.bytesPerRequest}`);
  assert.ok(enveloped.ciHigh - enveloped.ciLow < raw.ciHigh - raw.ciLow, `interval ${enveloped.ciLow}..${enveloped.ciHigh} against ${raw.ciLow}..${raw.ciHigh}`);
  // A steady rise with no spikes, readings spacing out: every reading keeps its own external memory, so the slope
  // is exact (a plain rolling minimum would lag by two readings and read it low).
  const steady = heapSeries.map((h) => ({ ...h, externalBytes: 2e6 + 256 * h.requests }));
  const env = externalEnvelope(steady)!;
  steady.forEach((h, i) => assert.ok(Math.abs(env[i]! - h.externalBytes) < 1e-6 * h.externalBytes, `reading ${i}: ${env[i]} against ${h.externalBytes}`));
  assert.equal(EXTERNAL_ENVELOPE, 3);
  // A JVM reading (no split) is taken as it is.
  const jvm = heapSamples({ runtime: { kind: 'jvm', heapSeries: [{ t: 0, requests: 0, usedBytes: 123 }] } } as unknown as TrialEvidence);
  assert.equal(jvm[0]!.total.anon, 123);
});
