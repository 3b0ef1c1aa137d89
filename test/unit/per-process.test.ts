// Per-process attribution on synthetic sample series with known growth: which pid grows, its slope
// and share, pids that appear late or vanish, the warm-up cut, carried-forward pss, and the
// sentence that names the process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { attributeProcesses, describeGrowth, indexAtRequests, describeProcess, shortCommandLine, topGrowingProcess } from '../../src/analyze/per-process.js';
import { attributeGrowth } from '../../src/pipeline/gate.js';
import type { TrialEvidence } from '../../src/probes/index.js';
import type { ProcessFigures, Sample, TrialAnalysis } from '../../src/core/types.js';

const MIB = 1024 * 1024;

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function proc(pid: number, ppid: number, anon: number, pss = anon): ProcessFigures {
  return { pid, ppid, comm: 'node', rss: anon + 30 * MIB, pss, uss: pss, anon, swap: 0 };
}

function sample(i: number, processes: ProcessFigures[], full?: boolean): Sample {
  const total = { rss: 0, pss: 0, uss: 0, anon: 0, swap: 0 };
  for (const p of processes) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += p[k];
  return { t: i * 250, requests: i * 500, total, processes, ...(full === undefined ? {} : { full }) };
}

/**
 * A cluster of 120 samples, 500 requests apart: primary 100, workers 101-103. 102 keeps 1000 B
 * per request it serves (a third of them); 101 grows 20 MiB during warm-up (the first 20 samples)
 * and then stays flat; 103 exits at sample 60; 104 starts at sample 80. Every series has +-1 MiB
 * of GC noise.
 */
function cluster(): Sample[] {
  const r = noise(7);
  const out: Sample[] = [];
  for (let i = 0; i < 120; i++) {
    const requests = i * 500;
    const ps = [proc(100, 1, 40 * MIB + r() * MIB)];
    ps.push(proc(101, 100, 45 * MIB + Math.min(i, 20) * MIB + r() * MIB));
    ps.push(proc(102, 100, 45 * MIB + (requests / 3) * 1000 + r() * MIB));
    if (i < 60) ps.push(proc(103, 100, 45 * MIB + r() * MIB));
    if (i >= 80) ps.push(proc(104, 100, 45 * MIB + r() * MIB));
    out.push(sample(i, ps));
  }
  return out;
}

describe('attributeProcesses', () => {
  it('finds the worker that grows, with its slope per request of the whole tree and its share', () => {
    const growth = attributeProcesses(cluster(), { warmupEndIndex: 20, metric: 'anon' });
    assert.equal(growth[0]!.pid, 102);
    const slope = growth[0]!.slopeBytesPerRequest;
    assert.ok(Math.abs(slope - 1000 / 3) < 0.05 * (1000 / 3), `slope ${slope.toFixed(1)} B/req, expected ~333`);
    assert.ok(growth[0]!.share > 0.9, `share ${growth[0]!.share}`);
    assert.ok(Math.abs(growth[0]!.endBytes - growth[0]!.startBytes - 99 * 500 * 333.3) < 2 * MIB);
    assert.deepEqual(growth.map((g) => g.pid).sort(), [100, 101, 102, 103, 104]);
    const total = growth.reduce((a, g) => a + g.share, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, 'shares of the growing processes add up to 1');
    for (const g of growth.slice(1)) assert.ok(Math.abs(g.slopeBytesPerRequest) < 40, `pid ${g.pid} is flat: ${g.slopeBytesPerRequest.toFixed(1)} B/req`);
  });

  it('fits a pid that vanished or appeared on the samples it is in', () => {
    const growth = attributeProcesses(cluster(), { warmupEndIndex: 20, metric: 'anon' });
    const gone = growth.find((g) => g.pid === 103)!;
    assert.deepEqual([gone.points, gone.appearedLate, gone.vanished, gone.requests], [40, false, true, 39 * 500]);
    const late = growth.find((g) => g.pid === 104)!;
    assert.deepEqual([late.points, late.appearedLate, late.vanished], [40, true, false]);
    const worker = growth.find((g) => g.pid === 102)!;
    assert.deepEqual([worker.points, worker.appearedLate, worker.vanished], [100, false, false]);
  });

  it('counts only what comes after warm-up', () => {
    // The first 30 samples: 101 rises 1 MiB per sample for 20 of them, then stays flat.
    const early = cluster().slice(0, 30);
    const all = attributeProcesses(early, { warmupEndIndex: 0, metric: 'anon' });
    assert.equal(all[0]!.pid, 101, 'with the warm-up in the window, 101 grows most');
    assert.ok(all[0]!.slopeBytesPerRequest > 1000, `${all[0]!.slopeBytesPerRequest.toFixed(0)} B/req`);
    const after = attributeProcesses(early, { warmupEndIndex: 20, metric: 'anon' }).find((g) => g.pid === 101)!;
    // 10 samples with +-1 MiB of noise over 4,500 requests: flat within a few hundred B/req.
    assert.ok(after.slopeBytesPerRequest < all[0]!.slopeBytesPerRequest / 4, `after warm-up 101 is flat: ${after.slopeBytesPerRequest.toFixed(0)} B/req`);
  });

  it('starts after the warm-up the analysis found, by request count, when the analysis counted only full samples', () => {
    // 30 samples 500 requests apart, pss read at every other one: 101 rises 1 MiB per sample during the warm-up (the
    // first 20 samples) and then stays flat; 102 keeps 100 B per request throughout. The analysis of pss saw the 15
    // full samples and put the warm-up end at its 10th: sample 20 here, 10,000 requests.
    const samples = Array.from({ length: 30 }, (_, i) =>
      sample(i, [proc(100, 1, 40 * MIB), proc(101, 100, 45 * MIB + Math.min(i, 20) * MIB), proc(102, 100, 45 * MIB + i * 500 * 100)], i % 2 === 0),
    );
    const analysis = { metric: 'pss', verdict: 'leak', warmupEndIndex: 10, warmupEndRequests: 10_000 } as TrialAnalysis;
    assert.equal(indexAtRequests(samples, analysis.warmupEndRequests), 20);
    const evidence: TrialEvidence = {};
    attributeGrowth(evidence, samples, analysis, undefined, 100);
    assert.deepEqual(
      evidence.processes?.map((p) => [p.pid, p.points, Math.round(p.slopeBytesPerRequest)]),
      [[102, 5, 100], [100, 5, 0], [101, 5, 0]],
      'the full samples 20, 22, ..., 28 only: 102 grows, 101 is flat',
    );
    assert.match(evidence.growingProcess ?? '', /^grows in pid 102 /);
    // Index 10 taken as an index into these samples would count 101's last 10 MiB of warm-up.
    const wrong = attributeProcesses(samples, { warmupEndIndex: analysis.warmupEndIndex, metric: 'pss' });
    assert.equal(wrong[0]!.pid, 101);
  });

  it('maps a request count to the first sample at or past it, ignoring samples before the load', () => {
    const s = (t: number, requests: number) => ({ t, requests });
    assert.equal(indexAtRequests([s(-50, 0), s(0, 0), s(250, 400), s(500, 900)], 0), 1);
    assert.equal(indexAtRequests([s(0, 0), s(250, 400), s(500, 900)], 401), 2);
    assert.equal(indexAtRequests([s(0, 0), s(250, 400)], 5000), 2, 'past the end: an empty window');
  });

  it('uses only full samples for pss, whose other values were carried forward', () => {
    // pss of 102 rises 1 MiB per sample, but only every 4th sample read it: the others carry a stale value.
    const samples: Sample[] = [];
    for (let i = 0; i < 40; i++) {
      const full = i % 4 === 0;
      const pss = (50 + (full ? i : i - (i % 4))) * MIB;
      samples.push(sample(i, [proc(100, 1, 40 * MIB), proc(102, 100, 50 * MIB + i * MIB, pss)], full));
    }
    const g = attributeProcesses(samples, { warmupEndIndex: 0, metric: 'pss' }).find((p) => p.pid === 102)!;
    assert.equal(g.points, 10);
    assert.ok(Math.abs(g.slopeBytesPerRequest - MIB / 500) < 1, `${g.slopeBytesPerRequest} B/req`);
    assert.equal(attributeProcesses(samples, { warmupEndIndex: 0, metric: 'anon' }).find((p) => p.pid === 102)!.points, 40);
  });

  it('handles an empty window, a single sample, and refuses a bad warm-up index', () => {
    assert.deepEqual(attributeProcesses([], { warmupEndIndex: 0, metric: 'anon' }), []);
    const one = attributeProcesses([sample(0, [proc(1, 0, MIB)])], { warmupEndIndex: 0, metric: 'anon' });
    assert.deepEqual(one.map((g) => [g.pid, g.slopeBytesPerRequest, g.startBytes, g.share]), [[1, 0, MIB, 0]]);
    assert.throws(() => attributeProcesses([], { warmupEndIndex: -1, metric: 'anon' }), {
      name: 'RangeError',
      message: 'attributeProcesses: warmupEndIndex must be an integer >= 0, got -1',
    });
  });
});

describe('naming the process that grows', () => {
  it('says which pid, what it runs, and how much of the growth is its', () => {
    const cmdlines = new Map([[102, { cmdline: 'node server.js' }]]);
    const growth = attributeProcesses(cluster(), { warmupEndIndex: 20, metric: 'anon', cmdlines });
    assert.equal(topGrowingProcess(growth)!.pid, 102);
    assert.equal(growth[0]!.cmdline, 'node server.js');
    assert.match(describeGrowth(growth, 100)!, /^grows in pid 102 \(node server\.js, child of pid 100\): 3\d\d B\/req, 9\d\.\d% of the tree's growth$/);
    assert.equal(describeProcess({ pid: 100, ppid: 1, comm: 'node' }, 100), "pid 100 (node, the app's main process)");
    assert.equal(describeProcess({ pid: 7, ppid: 1, comm: 'sh', cmdline: 'x'.repeat(80) }), `pid 7 (${'x'.repeat(19)}...${'x'.repeat(38)})`);
  });

  it('shortens a command line by the program directory, then the middle, so the script stays in view', () => {
    assert.equal(shortCommandLine('/usr/bin/node server.js'), 'node server.js');
    assert.equal(shortCommandLine('python3 -m http.server'), 'python3 -m http.server');
    const deep = '/usr/bin/node /check/work/main/a/very/deep/checkout/examples/node-cluster/server.js --port 0';
    const short = shortCommandLine(deep);
    assert.equal(short.length, 60);
    assert.match(short, /^node \/check\/work.*\.\.\..*node-cluster\/server\.js --port 0$/);
    // Two depths of checkout give the same ending.
    assert.equal(shortCommandLine(deep).slice(-30), shortCommandLine(deep.replace('/check/work', '/w')).slice(-30));
  });

  it('names nobody when nothing grows or there is one process', () => {
    const flat = cluster().map((s) => ({ ...s, processes: s.processes.filter((p) => p.pid !== 102 && p.pid !== 101) }));
    const growth = attributeProcesses(flat, { warmupEndIndex: 20, metric: 'anon' });
    const top = topGrowingProcess(growth);
    // Noise alone may tilt a flat series a little; a real verdict comes from the trial analysis.
    assert.ok(top === null || top.slopeBytesPerRequest < 40);
    const shrinking = growth.map((g) => ({ ...g, slopeBytesPerRequest: -1 }));
    assert.equal(topGrowingProcess(shrinking), null);
    assert.equal(describeGrowth(shrinking), null);
    assert.equal(topGrowingProcess(growth.slice(0, 1)), null);
  });
});
