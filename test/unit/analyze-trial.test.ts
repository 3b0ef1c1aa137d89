// Unit tests of the per-trial analysis (warm-up, floor series, verdict) and of combineTrials, on
// synthetic sample series shaped like the ones the sampler records: 250 ms apart, ~30 s of load.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeTrial,
  combineTrials,
  DEFAULT_ANALYSIS,
  findWarmupEnd,
  robustSeries,
  robustWindowSize,
  type AnalysisOptions,
} from '../../src/analyze/index.js';
import type { Sample, TrialAnalysis } from '../../src/core/types.js';
import { gaussian, mulberry32 } from '../support/random.js';


interface Shape {
  seed: number;
  durationMs?: number;
  /** Requests per second. */
  throughput?: number;
  baseBytes?: number;
  /** Bytes retained per request. */
  leak?: number;
  /** Standard deviation of independent noise per sample, bytes. */
  noise?: number;
  /** A bounded cache: grows by `fillBytes` over the first `fillFraction` of the requests. */
  fillBytes?: number;
  fillFraction?: number;
  /** GC sawtooth: heap climbs by `teeth` bytes then drops, every `periodMs`. */
  teeth?: number;
  periodMs?: number;
  phase?: number;
}

/** Samples every 250 ms from 1 s before load to the end of the run; memory rounded to pages. */
function synth(shape: Shape): Sample[] {
  const random = mulberry32(shape.seed);
  const durationMs = shape.durationMs ?? 30_000;
  const throughput = shape.throughput ?? 10_000;
  const totalRequests = (throughput * durationMs) / 1000;
  const samples: Sample[] = [];
  let requests = 0;
  for (let t = -1000; t <= durationMs; t += 250) {
    if (t > 0) requests += Math.max(0, Math.round(throughput * 0.25 * (1 + 0.1 * gaussian(random))));
    let bytes = (shape.baseBytes ?? 40e6) + (shape.leak ?? 0) * requests;
    if (shape.fillBytes) bytes += shape.fillBytes * Math.min(1, requests / totalRequests / (shape.fillFraction ?? 0.4));
    if (shape.teeth) {
      const cycle = t / (shape.periodMs ?? 4000) + (shape.phase ?? 0);
      bytes += shape.teeth * (cycle - Math.floor(cycle));
    }
    bytes += (shape.noise ?? 100e3) * gaussian(random);
    const anon = Math.round(bytes / 4096) * 4096;
    samples.push({ t, requests, total: { rss: anon + 30e6, pss: anon + 20e6, uss: anon + 10e6, anon, swap: 0 }, processes: [] });
  }
  return samples;
}

function assertAllFinite(a: TrialAnalysis): void {
  for (const [key, value] of Object.entries(a)) {
    if (typeof value === 'number') assert.ok(Number.isFinite(value), `${key} is ${value}`);
  }
}

test('a linear leak of 512 B/req is a leak, estimated within 10%', () => {
  const a = analyzeTrial(synth({ seed: 1, leak: 512, noise: 300e3 }), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'leak', a.reason);
  assert.ok(Math.abs(a.bytesPerRequest - 512) < 51.2, `slope ${a.bytesPerRequest}`);
  assert.ok(a.ciLow < 512 && 512 < a.ciHigh, `CI ${a.ciLow}..${a.ciHigh}`);
  assert.ok(a.pValue < 0.01);
  // A straight line has no plateau: the warm-up stays at the fixed 25%.
  assert.equal(a.warmupMethod, 'fixed');
  assert.ok(a.requestsAnalysed > 0.7 * 300_000);
  assert.ok(a.points >= 20, `${a.points} points`);
  assert.equal(a.metric, 'anon');
  assert.equal(a.confidence, 0.95);
  close(a.bytesPerSecond, a.bytesPerRequest * 10_000);
  close(a.growthPerMillionRequests, a.bytesPerRequest * 1e6);
  close(a.relativeGrowth, (a.bytesPerRequest * a.requestsAnalysed) / a.startBytes);
  assert.ok(a.startBytes > 40e6 && a.endBytes > a.startBytes && a.peakBytes >= a.endBytes - 1e6);
  assert.match(a.reason, /512 B\/req/);
  assertAllFinite(a);
});

test('a cache that fills for 40% of the run and then stays flat is a plateau, not a leak', () => {
  const samples = synth({ seed: 2, fillBytes: 30e6, fillFraction: 0.4, noise: 200e3 });
  const a = analyzeTrial(samples, DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.equal(a.warmupMethod, 'plateau');
  const total = samples[samples.length - 1]!.requests;
  assert.ok(a.warmupEndRequests > 0.35 * total && a.warmupEndRequests < 0.5 * total, `${a.warmupEndRequests} of ${total}`);
  assert.ok(a.requestsAnalysed >= 0.4 * total);
  // Fixed mode keeps the tail of the filling in the window (Theil-Sen's median mostly shrugs it off).
  const fixed = analyzeTrial(samples, { ...DEFAULT_ANALYSIS, warmup: { mode: 'fixed', fraction: 0.25 } }, 10_000);
  assert.equal(fixed.warmupMethod, 'fixed');
  assert.ok(fixed.warmupEndRequests >= 0.25 * total && fixed.warmupEndRequests < 0.3 * total);
  assert.ok(fixed.bytesPerRequest > a.bytesPerRequest);
});

test('a GC sawtooth without a trend is not a leak', () => {
  const a = analyzeTrial(synth({ seed: 3, teeth: 15e6, periodMs: 4000, phase: 0.3, noise: 200e3 }), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.ok(a.peakBytes > 54e6, 'the peak is the top of a tooth');
  assertAllFinite(a);
});

test('pure noise is not a leak', () => {
  const a = analyzeTrial(synth({ seed: 4, noise: 500e3 }), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.ok(Math.abs(a.bytesPerRequest) < 32);
});

test('a constant series gives slope 0 and no NaN', () => {
  const a = analyzeTrial(synth({ seed: 5, noise: 0 }), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'no-leak');
  assert.equal(a.bytesPerRequest, 0);
  assert.equal(a.startBytes, a.endBytes);
  assertAllFinite(a);
});

test('too few requests is inconclusive, saying how many', () => {
  const a = analyzeTrial(synth({ seed: 6, throughput: 20, leak: 512 }), DEFAULT_ANALYSIS, 20);
  assert.equal(a.verdict, 'inconclusive');
  assert.match(a.reason, /requests/);
  assert.match(a.reason, /1,000/);
  assertAllFinite(a);
});

test('too few points is inconclusive, saying how many', () => {
  const a = analyzeTrial(synth({ seed: 7, durationMs: 3000, leak: 512 }), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'inconclusive');
  assert.match(a.reason, new RegExp(`only ${a.points} memory points.*12 needed`));
});

test('no samples at all is inconclusive and every figure is finite', () => {
  const a = analyzeTrial([], DEFAULT_ANALYSIS, 0);
  assert.equal(a.verdict, 'inconclusive');
  assertAllFinite(a);
});

test('a slow leak below the bytes-per-request floor is no leak, naming the floor', () => {
  const a = analyzeTrial(synth({ seed: 8, throughput: 30_000, leak: 8, noise: 100e3 }), DEFAULT_ANALYSIS, 30_000);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.ok(a.pValue < 0.01, 'the growth itself is significant');
  assert.match(a.reason, /slope 8(\.\d)? B\/req \(95% CI [\d.]+\.\.[\d.]+\) is below the 32 B\/req floor/);
});

test('growth too small relative to the process is no leak, naming the relative floor', () => {
  const a = analyzeTrial(synth({ seed: 9, throughput: 1500, leak: 100, baseBytes: 4e9, noise: 50e3 }), DEFAULT_ANALYSIS, 1500);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.match(a.reason, /below the 2% floor/);
});

test('samples before the load starts are ignored, and indexes refer to the samples given', () => {
  const samples = synth({ seed: 10, leak: 512 });
  const preload = samples.filter((s) => s.t < 0).length;
  for (const s of samples) if (s.t < 0) s.total.anon = 1e6; // the app was still starting
  const a = analyzeTrial(samples, DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'leak', a.reason);
  assert.ok(a.warmupEndIndex >= preload);
  assert.equal(samples[a.warmupEndIndex]!.requests, a.warmupEndRequests);
  assert.equal(samples[a.warmupEndIndex]!.t, a.warmupEndMs);
});

test('no false positives over 200 seeded sawtooth-and-noise series', () => {
  const started = performance.now();
  const leaks: string[] = [];
  for (let seed = 1; seed <= 200; seed++) {
    const random = mulberry32(10_000 + seed);
    const throughput = [1500, 5000, 10_000, 30_000][seed % 4]!;
    const shape: Shape = {
      seed,
      throughput,
      teeth: 5e6 + 15e6 * random(),
      periodMs: 1000 + 8000 * random(),
      phase: random(),
      noise: 50e3 + 500e3 * random(),
    };
    const a = analyzeTrial(synth(shape), DEFAULT_ANALYSIS, throughput);
    if (a.verdict === 'leak') leaks.push(`${JSON.stringify(shape)}: ${a.reason}`);
  }
  assert.deepEqual(leaks, []);
  assert.ok(performance.now() - started < 2000, 'fast enough for the unit suite');
});

test('robustSeries takes each window floor, with x at the floor sample', () => {
  const samples = synth({ seed: 11, teeth: 15e6, periodMs: 2000, noise: 0 }).filter((s) => s.t >= 0);
  assert.equal(robustWindowSize(samples.length), Math.max(3, Math.floor(samples.length / 30)));
  assert.equal(robustWindowSize(20), 3, 'never fewer than 3 samples per window');
  assert.equal(robustWindowSize(1200), 40, 'long runs keep ~30 windows');
  const series = robustSeries(samples, { metric: 'anon' });
  assert.equal(series.y.length, Math.floor(samples.length / series.windowSize));
  series.index.forEach((at, k) => {
    assert.equal(series.x[k], samples[at]!.requests);
    assert.equal(series.y[k], samples[at]!.total.anon);
  });
  const overall = Math.min(...samples.map((s) => s.total.anon));
  assert.equal(Math.min(...series.y), overall);
});

test('findWarmupEnd: fixed fraction of requests, and a steady leak is never cut by plateau detection', () => {
  const running = synth({ seed: 12, leak: 256, noise: 2e6 }).filter((s) => s.t >= 0);
  const total = running[running.length - 1]!.requests;
  const fixed = findWarmupEnd(running, 'anon', { mode: 'fixed', fraction: 0.25 });
  assert.equal(fixed.method, 'fixed');
  assert.ok(running[fixed.index]!.requests >= 0.25 * total && running[fixed.index - 1]!.requests < 0.25 * total);
  for (let seed = 20; seed < 40; seed++) {
    const leak = synth({ seed, leak: 256, noise: 1e6, teeth: 5e6, periodMs: 3000 }).filter((s) => s.t >= 0);
    assert.equal(findWarmupEnd(leak, 'anon', { mode: 'auto', fraction: 0.25 }).method, 'fixed', `seed ${seed}`);
  }
});

test('combineTrials: majority of conclusive trials, medians of their figures', () => {
  const trial = (verdict: TrialAnalysis['verdict'], slope: number): TrialAnalysis => ({
    ...analyzeTrial([], DEFAULT_ANALYSIS, 0),
    verdict,
    bytesPerRequest: slope,
    ciLow: slope - 10,
    ciHigh: slope + 10,
    pValue: verdict === 'leak' ? 0.001 : 0.5,
  });
  const leak = combineTrials([trial('leak', 500), trial('leak', 520), trial('no-leak', 5), trial('inconclusive', 9999)]);
  assert.equal(leak.verdict, 'leak');
  assert.deepEqual([leak.trialsLeaking, leak.trialsConclusive, leak.bytesPerRequest, leak.ciLow], [2, 3, 500, 490]);
  const tie = combineTrials([trial('leak', 500), trial('no-leak', 0)]);
  assert.equal(tie.verdict, 'no-leak', 'half is not more than half');
  const none = combineTrials([trial('inconclusive', 7), trial('inconclusive', 9)]);
  assert.equal(none.verdict, 'inconclusive');
  assert.equal(none.bytesPerRequest, 8);
  const empty = combineTrials([]);
  assert.equal(empty.verdict, 'inconclusive');
  assert.ok([empty.bytesPerRequest, empty.ciLow, empty.ciHigh, empty.pValue].every(Number.isFinite));
});

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `expected ${expected}, got ${actual}`);
}

// Keep the options type in use, so a change to it shows up here first.
const _options: AnalysisOptions = DEFAULT_ANALYSIS;
void _options;

/** Adds `bytes` to every sample from `atMs` on: a one-off allocation, as a pool or an arena. */
function withStep(samples: Sample[], atMs: number, bytes: number): Sample[] {
  return samples.map((s) => {
    if (s.t < atMs) return s;
    const anon = s.total.anon + bytes;
    return { ...s, total: { ...s.total, anon, rss: s.total.rss + bytes, pss: s.total.pss + bytes, uss: s.total.uss + bytes } };
  });
}

test('a one-off jump on a flat series is not a leak, and the reason says so', () => {
  // Two allocations of 30 MB: together a significant rise, yet neither is growth per request.
  const a = analyzeTrial(withStep(withStep(synth({ seed: 21, noise: 200e3 }), 14_000, 30e6), 23_000, 30e6), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.match(a.reason, /one-off jump of 28\.\d MiB/);
});

test('a leak with a one-off jump is still a leak, estimated without the jump', () => {
  const a = analyzeTrial(withStep(synth({ seed: 22, leak: 512, noise: 200e3 }), 20_000, 60e6), DEFAULT_ANALYSIS, 10_000);
  assert.equal(a.verdict, 'leak', a.reason);
  assert.ok(Math.abs(a.bytesPerRequest - 512) < 51.2, `slope ${a.bytesPerRequest} should not count the 60 MB jump`);
  assert.match(a.reason, /one-off jumps of .* taken out/);
});

test('growth that keeps slowing down (warm-up not finished) is not a leak', () => {
  // Exponential approach to a plateau (100 MB, 6 s time constant): still rising after the fixed 25%,
  // significantly and above the floors, but ever slower. (Much larger tails do pass as leaks in a
  // 30 s run: the second half alone then grows by more than the floors; a longer run tells.)
  const samples = synth({ seed: 23, noise: 100e3 }).map((s) => {
    const extra = s.t < 0 ? 0 : 100e6 * (1 - Math.exp(-s.t / 6000));
    const anon = Math.round((s.total.anon + extra) / 4096) * 4096;
    return { ...s, total: { ...s.total, anon } };
  });
  const a = analyzeTrial(samples, { ...DEFAULT_ANALYSIS, warmup: { mode: 'fixed', fraction: 0.25 } }, 10_000);
  assert.equal(a.verdict, 'no-leak', a.reason);
  assert.match(a.reason, /slowing down/);
});

// --- Over time (a load command without a counter): seconds, B/s and a per-second floor.

/** The same series with `requests` as the gate records it without a counter: milliseconds of load. */
function overTime(samples: Sample[]): Sample[] {
  return samples.map((s) => ({ ...s, requests: Math.max(0, Math.round(s.t)) }));
}

test('over time the slope is bytes per second and tested against min-bytes-per-second', async () => {
  const { analyzeTrialOverTime } = await import('../../src/analyze/analyze-trial.js');
  // 200 B/req at 1,000 req/s: 200 KB/s.
  const samples = overTime(synth({ seed: 7, throughput: 1000, leak: 200, noise: 20_000 }));
  const a = analyzeTrialOverTime(samples, DEFAULT_ANALYSIS, 1000);
  assert.equal(a.verdict, 'leak', a.reason);
  assert.ok(Math.abs(a.bytesPerRequest - 200_000) / 200_000 < 0.1, `slope ${a.bytesPerRequest} B/s`);
  assert.equal(a.bytesPerSecond, a.bytesPerRequest, 'per second already: not multiplied by the request rate');
  assert.ok(Math.abs(a.growthPerMillionRequests - 200e6) / 200e6 < 0.1, `growth/1M ${a.growthPerMillionRequests}`);
  assert.match(a.reason, /B\/s/);
  assert.doesNotMatch(a.reason, /B\/req|requests/);
  assert.ok(a.requestsAnalysed > 15 && a.requestsAnalysed < 31, `seconds analysed ${a.requestsAnalysed}`);

  // 0.8 B/req at 1,000 req/s is 800 B/s: under the 1 KiB/s floor. Over milliseconds it was 0.8 B/ms against a
  // 32 B/ms floor, and per request it would be tested against 32 B/req; neither is what the floor means.
  // Five minutes, so the growth spans enough 4 KiB pages to fit.
  const slowLeak = overTime(synth({ seed: 8, durationMs: 300_000, throughput: 1000, leak: 0.8, noise: 200 }));
  const small = analyzeTrialOverTime(slowLeak, DEFAULT_ANALYSIS, 1000);
  assert.equal(small.verdict, 'no-leak', small.reason);
  assert.match(small.reason, /1\.0 KiB\/s floor/);
  const lower = analyzeTrialOverTime(slowLeak, { ...DEFAULT_ANALYSIS, minBytesPerSecond: 100, minRelativeGrowth: 0 }, 1000);
  assert.equal(lower.verdict, 'leak', lower.reason);
  assert.ok(Math.abs(lower.bytesPerRequest - 800) / 800 < 0.2, `slope ${lower.bytesPerRequest} B/s`);
});

test('over time, min-requests becomes the seconds that hold that many requests at the reported throughput', async () => {
  const { analyzeTrialOverTime } = await import('../../src/analyze/analyze-trial.js');
  const samples = overTime(synth({ seed: 9, durationMs: 10_000, throughput: 100, leak: 2000 }));
  // 100 req/s for ~7 s after warm-up is ~700 requests: under min-requests 1000.
  const slow = analyzeTrialOverTime(samples, DEFAULT_ANALYSIS, 100);
  assert.equal(slow.verdict, 'inconclusive', slow.reason);
  assert.match(slow.reason, /s of load after warm-up, fewer than the 10 s of load/);
  // Throughput unknown (not reported): no minimum from min-requests; min-points still applies.
  assert.equal(analyzeTrialOverTime(samples, DEFAULT_ANALYSIS, 0).verdict, 'leak');
  assert.equal(analyzeTrialOverTime(samples, DEFAULT_ANALYSIS, 0).growthPerMillionRequests, 0);
});
