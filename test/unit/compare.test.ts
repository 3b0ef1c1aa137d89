// Unit tests of the baseline comparison: the Student t distribution and Welch's test against
// published values, the regression verdict per path (Welch, prediction interval, 1-vs-1 interval),
// its false-regression and detection rates measured by seeded simulation, the CUSUM of two memory
// curves, and the time-to-limit projection.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrial, DEFAULT_ANALYSIS } from '../../src/analyze/index.js';
import {
  compareWithBaseline,
  cusumDivergence,
  DEFAULT_COMPARE,
  differenceNoiseSigma,
  predictionTest,
  projectBytesAfter,
  projectTimeToLimit,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
  tabularCusum,
  welchConfidenceInterval,
  welchTTest,
  type CompareOptions,
} from '../../src/compare/index.js';
import type { Environment, MetricName, Report, Sample, TrialReport, Verdict } from '../../src/core/types.js';
import { parseOsRelease, runnerImageOf } from '../../src/core/environment.js';
import { gaussian, mulberry32 } from '../support/random.js';


function close(actual: number, expected: number, tolerance: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);
}

const MiB = 1024 * 1024;

const ENV: Environment = {
  os: 'Linux 6.8',
  kernel: '6.8',
  arch: 'x64',
  cpus: 4,
  cpuModel: 'test cpu',
  memoryBytes: 16 * 1024 * MiB,
  node: 'v20.19.0',
  runner: null,
};

interface TrialShape {
  slope: number;
  /** Half-width of the trial's own slope interval (default 40 B/req). */
  ciHalf?: number;
  peak?: number;
  verdict?: Verdict;
  samples?: Sample[];
  warmupEndIndex?: number;
  metric?: MetricName;
}

/** A TrialReport with just the figures the comparison reads. */
function trial(shape: TrialShape, index = 0): TrialReport {
  const ciHalf = shape.ciHalf ?? 40;
  return {
    index,
    startedAt: '2025-01-01T00:00:00.000Z',
    samples: shape.samples ?? [],
    load: { tool: 'test', requests: 300_000, ok: 300_000, non2xx: 0, errors: 0, timeouts: 0, durationMs: 30_000, throughput: 10_000, latency: { p50: 1, p90: 2, p99: 3, max: 4, mean: 1 } },
    exit: { code: 0, signal: null, early: false },
    analysis: {
      metric: shape.metric ?? 'anon',
      verdict: shape.verdict ?? (shape.slope - ciHalf > 32 ? 'leak' : 'no-leak'),
      reason: 'test',
      warmupEndIndex: shape.warmupEndIndex ?? 0,
      warmupEndRequests: 0,
      warmupEndMs: 0,
      warmupMethod: 'fixed',
      points: 30,
      requestsAnalysed: 225_000,
      bytesPerRequest: shape.slope,
      ciLow: shape.slope - ciHalf,
      ciHigh: shape.slope + ciHalf,
      confidence: 0.95,
      pValue: 0.5,
      mkS: 0,
      tau: 0,
      startBytes: 40 * MiB,
      endBytes: 40 * MiB,
      peakBytes: shape.peak ?? 60 * MiB,
      relativeGrowth: 0,
      bytesPerSecond: shape.slope * 10_000,
      growthPerMillionRequests: shape.slope * 1e6,
    },
    outputTail: [],
  };
}

/** A Report holding the given trials; only the fields the comparison reads are meaningful. */
function report(trials: TrialReport[], extra: { env?: Partial<Environment>; createdAt?: string; name?: string; error?: string } = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'leakgate', version: '0.1.0' },
    name: extra.name ?? 'main',
    createdAt: extra.createdAt ?? '2025-01-01T00:00:00.000Z',
    environment: { ...ENV, ...extra.env },
    config: {},
    trials,
    summary: {
      verdict: 'no-leak', reason: '', metric: 'anon', bytesPerRequest: 0, ciLow: 0, ciHigh: 0, pValue: 1, trialsLeaking: 0,
      trialsConclusive: trials.length, requests: 0, throughput: 0, startBytes: 0, peakBytes: 0, growthPerMillionRequests: 0, memoryLimitBytes: null, secondsToLimit: null,
    },
    gate: { failed: false, reasons: [] },
    error: extra.error ?? null,
    comparison: null,
    baselineNote: null,
  };
}

function trials(slopes: number[], peaks?: number[]): TrialReport[] {
  return slopes.map((slope, i) => trial({ slope, peak: peaks?.[i] ?? 60 * MiB }, i));
}

// ---------------------------------------------------------------------------------------------
// Distributions and tests with known answers
// ---------------------------------------------------------------------------------------------

test('the regularized incomplete beta matches its closed forms', () => {
  // I_x(1, 1) = x and I_x(a, 1) = x^a (Abramowitz & Stegun 26.5.1 with B(a,1) = 1/a).
  for (const x of [0.01, 0.3, 0.5, 0.9]) {
    close(regularizedIncompleteBeta(x, 1, 1), x, 1e-12, `I_${x}(1,1)`);
    close(regularizedIncompleteBeta(x, 3.5, 1), x ** 3.5, 1e-12, `I_${x}(3.5,1)`);
  }
  // I_x(1/2, 1/2) = (2/π)·asin(√x), the arcsine distribution.
  close(regularizedIncompleteBeta(0.25, 0.5, 0.5), (2 / Math.PI) * Math.asin(0.5), 1e-12);
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
});

test('Student t CDF: df = 1 is Cauchy, df = 2 has a closed form, df = ∞ is normal', () => {
  // Cauchy: P(T < t) = 1/2 + atan(t)/π, so P(T < 1) = 0.75.
  close(studentTCdf(1, 1), 0.75, 1e-12, 'P(T<1 | df 1)');
  close(studentTCdf(-3, 1), 0.5 + Math.atan(-3) / Math.PI, 1e-12);
  close(studentTCdf(0, 7), 0.5, 1e-15);
  // df = 2: P(T < t) = 1/2 + t / (2√(2 + t²)).
  for (const t of [-4, -0.5, 1.3, 10]) close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-12, `df 2 at ${t}`);
  close(studentTCdf(1.96, Infinity), 0.975, 1e-4);
  // Far tails keep their precision (no 1 - cdf cancellation): df 30, t = -20.
  assert.ok(studentTCdf(-20, 30) > 0 && studentTCdf(-20, 30) < 1e-17);
});

test('Student t quantiles match the standard table (df 10, df 1, df 4)', () => {
  // Two-sided critical values, e.g. NIST/SEMATECH e-Handbook §1.3.6.7.2.
  close(studentTQuantile(0.95, 10), 1.812461, 1e-6, 't_0.95,10');
  close(studentTQuantile(0.975, 10), 2.228139, 1e-6, 't_0.975,10');
  close(studentTQuantile(0.99, 10), 2.763769, 1e-6, 't_0.99,10');
  close(studentTQuantile(0.995, 10), 3.169273, 1e-6, 't_0.995,10');
  close(studentTQuantile(0.025, 10), -2.228139, 1e-6, 't_0.025,10');
  close(studentTQuantile(0.975, 1), Math.tan(Math.PI * 0.475), 1e-8, 't_0.975,1 = 12.706');
  close(studentTQuantile(0.999, 1), Math.tan(Math.PI * 0.499), 1e-6, 't_0.999,1 = 318.3');
  close(studentTQuantile(0.99, 4), 3.746947, 1e-6, 't_0.99,4');
  // Round trip at a fractional df, as Welch's are.
  close(studentTCdf(studentTQuantile(0.9, 5.37), 5.37), 0.9, 1e-12);
});

test("Welch's t-test reproduces R's t.test on the sleep data (Student 1908; R datasets::sleep)", () => {
  // R: t.test(extra ~ group, data = sleep) ->
  //   t = -1.8608, df = 17.776, p-value = 0.07939, 95 percent CI -3.3654832 0.2054832
  const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
  const w = welchTTest(group1, group2);
  close(w.meanA, 0.75, 1e-12);
  close(w.meanB, 2.33, 1e-12);
  close(w.t, -1.8608, 5e-5, 't');
  close(w.df, 17.776, 5e-4, 'df');
  close(w.pTwoSided, 0.07939, 5e-6, 'two-sided p');
  // One-sided: P(T ≤ t) is half the two-sided p (0.0397), P(T ≥ t) its complement.
  close(w.pLess, 0.07939 / 2, 5e-6, 'one-sided p (less)');
  close(w.pGreater, 1 - 0.07939 / 2, 5e-6, 'one-sided p (greater)');
  const ci = welchConfidenceInterval(w, 0.95);
  close(ci.low, -3.3654832, 1e-6, 'CI low');
  close(ci.high, 0.2054832, 1e-6, 'CI high');
});

test('the prediction test of one value against a history matches a hand computation', () => {
  // History 10, 12, 14: mean 12, s = 2, scale = 2·√(1 + 1/3) = 2.3094; value 20 gives
  // t = 8 / 2.3094 = 3.4641 on 2 df, P(T ≥ t) = 1/2 - t/(2√(2 + t²)) = 0.037090.
  const p = predictionTest([10, 12, 14], 20);
  close(p.mean, 12, 1e-12);
  close(p.sd, 2, 1e-12);
  close(p.scale, 2 * Math.sqrt(4 / 3), 1e-12);
  close(p.t, 3.464102, 1e-6);
  assert.equal(p.df, 2);
  close(p.pGreater, 0.5 - 3.464102 / (2 * Math.sqrt(2 + 12)), 1e-6, 'p');
  close(p.pGreater, 0.03709, 1e-5);
});

// ---------------------------------------------------------------------------------------------
// compareWithBaseline: paths and rules
// ---------------------------------------------------------------------------------------------

test('3 vs 3: a clear +256 B/req regression is a Welch-t regression with its interval', () => {
  const c = compareWithBaseline(trials([262, 250, 270]), [report(trials([5, -3, 8]))], DEFAULT_COMPARE, ENV, 'anon');
  assert.equal(c.slope.verdict, 'regression', c.slope.reason);
  assert.equal(c.slope.test, 'welch-t');
  assert.ok(c.slope.pValue !== null && c.slope.pValue < 0.01);
  close(c.slope.effect, 782 / 3 - 10 / 3, 1e-9);
  assert.ok(c.slope.effectCiLow > 200 && c.slope.effectCiHigh < 320, `${c.slope.effectCiLow}..${c.slope.effectCiHigh}`);
  assert.equal(c.slope.tolerance, 32);
  assert.match(c.slope.reason, /slope regressed by/);
  assert.equal(c.peak.verdict, 'unchanged');
  assert.equal(c.advisory, false);
  assert.equal(c.baselineTrials, 3);
  assert.deepEqual(c.baseline, { name: 'main', createdAt: '2025-01-01T00:00:00.000Z', toolVersion: '0.1.0' });
  assert.deepEqual(c.environmentWarnings, []);
  assert.match(c.reason, /slope regressed/);
});

test('a significant change smaller than the tolerances is unchanged', () => {
  // +10 B/req with almost no spread: p is tiny, but 10 < 32 B/req.
  const tiny = compareWithBaseline(trials([10, 10.1, 9.9]), [report(trials([0, 0.1, -0.1]))], DEFAULT_COMPARE);
  assert.ok(tiny.slope.pValue !== null && tiny.slope.pValue < 1e-4);
  assert.equal(tiny.slope.verdict, 'unchanged');
  assert.match(tiny.slope.reason, /within the 32 B\/req tolerance/);
  // +150 B/req on a 1,000 B/req baseline: above 32 B/req, below 20% of the baseline (200).
  const relative = compareWithBaseline(trials([1150, 1151, 1149]), [report(trials([1000, 1001, 999]))], DEFAULT_COMPARE);
  assert.equal(relative.slope.verdict, 'unchanged', relative.slope.reason);
  close(relative.slope.tolerance, 200, 1e-9);
  // Peak: +4 MiB, significant, but under the 8 MiB floor; +20 MiB is a regression.
  const peaks = (p: number[]): TrialReport[] => trials([0, 0, 0], p.map((v) => v * MiB));
  const base = [report(peaks([60, 60.1, 59.9]))];
  assert.equal(compareWithBaseline(peaks([64, 64.1, 63.9]), base, DEFAULT_COMPARE).peak.verdict, 'unchanged');
  assert.equal(compareWithBaseline(peaks([80, 80.1, 79.9]), base, DEFAULT_COMPARE).peak.verdict, 'regression');
});

test('an improvement is reported symmetrically', () => {
  const c = compareWithBaseline(trials([3, -2, 6]), [report(trials([300, 280, 310]))], DEFAULT_COMPARE);
  assert.equal(c.slope.verdict, 'improved', c.slope.reason);
  assert.ok(c.slope.effectCiHigh < 0);
  assert.match(c.slope.reason, /improved by/);
});

test('below minHistory baseline trials the comparison is advisory and says so', () => {
  const c = compareWithBaseline(trials([262, 250, 270]), [report(trials([5, -3]))], DEFAULT_COMPARE);
  assert.equal(c.slope.verdict, 'regression', 'it still reports what it sees');
  assert.equal(c.advisory, true);
  assert.equal(c.baselineTrials, 2);
  assert.match(c.slope.reason, /regression check is advisory: the baseline has 2 trial\(s\), min-history is 3/);
  assert.match(c.reason, /^regression check is advisory: the baseline has 2 trial\(s\), min-history is 3, so it cannot fail the gate \(slope regressed/);
  // History can be spread over several baseline reports: 2 + 1 trials reach minHistory.
  const pooled = compareWithBaseline(trials([262, 250, 270]), [report(trials([5, -3])), report(trials([2]))], DEFAULT_COMPARE);
  assert.equal(pooled.advisory, false);
  assert.equal(pooled.baselineTrials, 3);
  // No baseline at all: advisory, nothing compared.
  const none = compareWithBaseline(trials([262]), [], DEFAULT_COMPARE);
  assert.equal(none.advisory, true);
  assert.equal(none.slope.test, 'none');
  assert.equal(none.baseline, null);
  assert.equal(none.differential.diverged, false);
});

test('one head trial against a history uses a prediction interval', () => {
  const history = report(trials([4, 12, -6, 9, 1]));
  const leak = compareWithBaseline(trials([256]), [history], DEFAULT_COMPARE);
  assert.equal(leak.slope.test, 'prediction-interval');
  assert.equal(leak.slope.verdict, 'regression', leak.slope.reason);
  assert.ok(leak.slope.pValue !== null && leak.slope.pValue < 0.01);
  assert.match(leak.slope.reason, /98% prediction interval over the 5 baseline trials/);
  // Inside the spread of the history: unchanged.
  const same = compareWithBaseline(trials([14]), [history], DEFAULT_COMPARE);
  assert.equal(same.slope.verdict, 'unchanged', same.slope.reason);
  // The p-value is the predictive t of the head value: history mean 4, s = 7.2457.
  const p = predictionTest([4, 12, -6, 9, 1], 14);
  close(same.slope.pValue!, p.pGreater, 1e-12);
  // Several head trials against one baseline: the mirror image, over the head trials.
  const mirror = compareWithBaseline(trials([262, 250, 270]), [report(trials([5]))], DEFAULT_COMPARE);
  assert.equal(mirror.slope.test, 'prediction-interval');
  assert.equal(mirror.slope.verdict, 'regression');
  assert.equal(mirror.advisory, true);
});

test('1 vs 1: the head slope interval against the baseline slope; the peak by tolerance only', () => {
  const base = [report([trial({ slope: 5, peak: 60 * MiB })])];
  // 95% CI 250..350 B/req: its low end clears 5 + 32.
  const leak = compareWithBaseline([trial({ slope: 300, ciHalf: 50, peak: 61 * MiB })], base, DEFAULT_COMPARE);
  assert.equal(leak.slope.test, 'ci-vs-value');
  assert.equal(leak.slope.verdict, 'regression', leak.slope.reason);
  assert.equal(leak.slope.pValue, null);
  close(leak.slope.effectCiLow, 245, 1e-9);
  close(leak.slope.effectCiHigh, 345, 1e-9);
  assert.equal(leak.peak.test, 'ci-vs-value');
  assert.equal(leak.peak.verdict, 'unchanged', 'a 1 MiB peak difference is within 8 MiB');
  assert.equal(leak.advisory, true, 'one baseline trial is below minHistory');
  // Slope 60 with CI 20..100: the low end does not clear 37, so not a regression.
  const unsure = compareWithBaseline([trial({ slope: 60, ciHalf: 40 })], base, DEFAULT_COMPARE);
  assert.equal(unsure.slope.verdict, 'unchanged', unsure.slope.reason);
  assert.match(unsure.slope.reason, /not clear of the 32 B\/req tolerance/);
  // Peak +20 MiB is over the 8 MiB floor.
  const peak = compareWithBaseline([trial({ slope: 5, peak: 80 * MiB })], base, DEFAULT_COMPARE);
  assert.equal(peak.peak.verdict, 'regression', peak.peak.reason);
  assert.match(peak.peak.reason, /tolerance only/);
});

test('inconclusive trials do not enter the slope comparison', () => {
  const head = [trial({ slope: 900, verdict: 'inconclusive' }), trial({ slope: 4 }), trial({ slope: 6 })];
  const c = compareWithBaseline(head, [report(trials([5, -3, 8]))], DEFAULT_COMPARE);
  assert.equal(c.slope.headTrials, 2);
  assert.equal(c.slope.verdict, 'unchanged');
  const allInconclusive = compareWithBaseline([trial({ slope: 900, verdict: 'inconclusive' })], [report(trials([5, -3, 8]))], DEFAULT_COMPARE);
  assert.equal(allInconclusive.slope.test, 'none');
  assert.match(allInconclusive.slope.reason, /this run has no conclusive trial/);
});

test('environment and metric differences are warned about; another metric makes it advisory', () => {
  const other = report(trials([5, -3, 8]), { env: { cpus: 2, arch: 'arm64', node: 'v22.1.0', memoryBytes: 8 * 1024 * MiB } });
  const c = compareWithBaseline(trials([6, 2, 4]), [other], DEFAULT_COMPARE, ENV, 'anon');
  assert.equal(c.environmentWarnings.length, 4, c.environmentWarnings.join('\n'));
  assert.match(c.environmentWarnings.join('\n'), /CPU count differs: head 4, baseline 2/);
  assert.match(c.environmentWarnings.join('\n'), /architecture differs: head x64, baseline arm64/);
  assert.match(c.environmentWarnings.join('\n'), /Node version differs: head v20\.19\.0, baseline v22\.1\.0/);
  assert.match(c.environmentWarnings.join('\n'), /memory differs/);
  assert.equal(c.advisory, false, 'a different machine warns but may still fail');
  // Memory within 5% is the same runner type.
  const near = report(trials([5, -3, 8]), { env: { memoryBytes: ENV.memoryBytes * 0.98 } });
  assert.deepEqual(compareWithBaseline(trials([6, 2, 4]), [near], DEFAULT_COMPARE, ENV, 'anon').environmentWarnings, []);
  const rss = report([0, 1, 2].map((i) => trial({ slope: 5, metric: 'rss' }, i)));
  const m = compareWithBaseline(trials([6, 2, 4]), [rss], DEFAULT_COMPARE, ENV, 'anon');
  assert.match(m.environmentWarnings.join('\n'), /metric differs: head measures anon, the baseline rss/);
  assert.equal(m.advisory, true);
  // A baseline report holding an error is skipped, and the newest report names the baseline.
  const broken = report([], { error: 'app never became ready', createdAt: '2025-03-01T00:00:00.000Z' });
  const older = report(trials([5, -3, 8]), { name: 'main@abc', createdAt: '2025-02-01T00:00:00.000Z' });
  const newer = report(trials([4]), { name: 'main@def', createdAt: '2025-02-02T00:00:00.000Z' });
  const s = compareWithBaseline(trials([6, 2, 4]), [older, broken, newer], DEFAULT_COMPARE, ENV, 'anon');
  assert.equal(s.baselineTrials, 4);
  assert.equal(s.baseline?.name, 'main@def');
  assert.match(s.environmentWarnings.join('\n'), /1 baseline report\(s\) skipped/);
});

test('OS, kernel and runner image differences are warned about, when both sides recorded them', () => {
  const head: Environment = { ...ENV, os: 'Linux 6.8', kernel: '6.8', distro: 'Ubuntu 24.04.1 LTS', runnerImage: 'ubuntu24 20250105.1.0' };
  const other = report(trials([5, -3, 8]), { env: { os: 'Linux 5.15', kernel: '5.15', distro: 'Ubuntu 22.04.5 LTS', runnerImage: 'ubuntu22 20241201.1.0' } });
  const c = compareWithBaseline(trials([6, 2, 4]), [other], DEFAULT_COMPARE, head, 'anon');
  const text = c.environmentWarnings.join('\n');
  assert.equal(c.environmentWarnings.length, 3, text);
  assert.match(text, /OS differs: head Ubuntu 24\.04\.1 LTS, baseline Ubuntu 22\.04\.5 LTS/);
  assert.match(text, /kernel differs: head 6\.8, baseline 5\.15/);
  assert.match(text, /runner image differs: head ubuntu24 20250105\.1\.0, baseline ubuntu22 20241201\.1\.0/);
  // An older report without distro or image: compared by the OS name only, so the same Linux is no warning.
  const old = report(trials([5, -3, 8]));
  assert.deepEqual(compareWithBaseline(trials([6, 2, 4]), [old], DEFAULT_COMPARE, head, 'anon').environmentWarnings, []);
  const mac = report(trials([5, -3, 8]), { env: { os: 'Darwin 6.8' } });
  assert.match(compareWithBaseline(trials([6, 2, 4]), [mac], DEFAULT_COMPARE, head, 'anon').environmentWarnings.join('\n'), /OS differs: head Ubuntu 24\.04\.1 LTS, baseline Darwin/);
});

test('parseOsRelease and runnerImageOf read the distribution and the hosted runner image', () => {
  assert.equal(parseOsRelease('NAME="Ubuntu"\nVERSION="24.04.1 LTS (Noble Numbat)"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n'), 'Ubuntu 24.04.1 LTS');
  assert.equal(parseOsRelease("NAME='Alpine Linux'\nVERSION=3.20\n"), 'Alpine Linux 3.20');
  assert.equal(parseOsRelease('# nothing\n'), undefined);
  assert.equal(runnerImageOf({ ImageOS: 'ubuntu24', ImageVersion: '20250105.1.0' }), 'ubuntu24 20250105.1.0');
  assert.equal(runnerImageOf({}), undefined);
});

// ---------------------------------------------------------------------------------------------
// compareWithBaseline: measured error rates
// ---------------------------------------------------------------------------------------------

interface Model {
  slopeMean: number;
  /** Trial-to-trial standard deviation of the slope, B/req. */
  slopeSd: number;
  peakMean: number;
  peakSd: number;
}

function simulateTrials(random: () => number, n: number, m: Model): TrialReport[] {
  return Array.from({ length: n }, (_, i) =>
    trial({ slope: m.slopeMean + m.slopeSd * gaussian(random), peak: m.peakMean + m.peakSd * gaussian(random) }, i),
  );
}

/** Share of `runs` comparisons of headModel vs baseModel trials (nHead vs nBase) called a regression. */
function regressionRate(seed: number, runs: number, nHead: number, nBase: number, headModel: Model, baseModel: Model, opts: CompareOptions = DEFAULT_COMPARE): { slope: number; any: number } {
  const random = mulberry32(seed);
  let slope = 0;
  let any = 0;
  for (let i = 0; i < runs; i++) {
    const c = compareWithBaseline(simulateTrials(random, nHead, headModel), [report(simulateTrials(random, nBase, baseModel))], opts);
    if (c.slope.verdict === 'regression') slope++;
    if (c.slope.verdict === 'regression' || c.peak.verdict === 'regression') any++;
  }
  return { slope: slope / runs, any: any / runs };
}

// A non-leaking Node app: a few B/req of heap growth, trial-to-trial sd 15 B/req, peak 60 MiB ± 1.5.
const CLEAN: Model = { slopeMean: 6, slopeSd: 15, peakMean: 60 * MiB, peakSd: 1.5 * MiB };
// Noise wide enough that the 32 B/req floor rarely decides: the t-test alone must hold alpha.
const NOISY: Model = { slopeMean: 6, slopeSd: 60, peakMean: 60 * MiB, peakSd: 8 * MiB };

test('false regression rate over 1000 self-comparisons (3 vs 3) is at most 1%', (t) => {
  const clean = regressionRate(101, 1000, 3, 3, CLEAN, CLEAN);
  const noisy = regressionRate(202, 1000, 3, 3, NOISY, NOISY);
  // Without any tolerance, the rate is the Welch test's own size, which should be near alpha.
  const bare = regressionRate(303, 1000, 3, 3, NOISY, NOISY, { ...DEFAULT_COMPARE, relativeTolerance: 0, absoluteToleranceBytesPerRequest: 0, absoluteTolerancePeakBytes: 0 });
  t.diagnostic(`false regression, sd 15 B/req: slope ${clean.slope}, slope or peak ${clean.any}`);
  t.diagnostic(`false regression, sd 60 B/req, peak sd 8 MiB: slope ${noisy.slope}, slope or peak ${noisy.any}`);
  t.diagnostic(`false regression with no tolerance (Welch alone, alpha 0.01): slope ${bare.slope}`);
  assert.ok(clean.any <= 0.01, `rate ${clean.any}`);
  assert.ok(noisy.any <= 0.01, `rate ${noisy.any}`);
  assert.ok(bare.slope <= 0.015, `Welch's size ${bare.slope}`);
});

test('a +256 B/req regression is detected in at least 95% of 200 cases (3 vs 3, sd 15 B/req)', (t) => {
  const leaking: Model = { ...CLEAN, slopeMean: CLEAN.slopeMean + 256 };
  const detected = regressionRate(404, 200, 3, 3, leaking, CLEAN);
  // The same with sd 60 B/req, and a smaller leak near the floor, to show where power runs out.
  const noisy = regressionRate(505, 200, 3, 3, { ...NOISY, slopeMean: NOISY.slopeMean + 256 }, NOISY);
  const small = regressionRate(606, 200, 3, 3, { ...CLEAN, slopeMean: CLEAN.slopeMean + 64 }, CLEAN);
  // One head trial against five baseline trials (the prediction-interval path).
  const single = regressionRate(707, 200, 1, 5, leaking, CLEAN);
  const singleFalse = regressionRate(808, 1000, 1, 5, CLEAN, CLEAN);
  t.diagnostic(`detection of +256 B/req, sd 15: ${detected.slope}; sd 60: ${noisy.slope}; +64 B/req, sd 15: ${small.slope}`);
  t.diagnostic(`prediction interval, 1 vs 5: detection of +256 B/req ${single.slope}, false regression ${singleFalse.any}`);
  assert.ok(detected.slope >= 0.95, `detected ${detected.slope}`);
  assert.ok(single.slope >= 0.95, `detected ${single.slope}`);
  assert.ok(singleFalse.any <= 0.01, `false ${singleFalse.any}`);
});

// ---------------------------------------------------------------------------------------------
// CUSUM of the memory curves
// ---------------------------------------------------------------------------------------------

interface CurveShape {
  seed: number;
  leak?: number;
  offset?: number;
  noise?: number;
  teeth?: number;
}

/** Samples every 250 ms over 30 s at ~10k req/s, memory rounded to pages (as analyze-trial's tests). */
function curve(shape: CurveShape): Sample[] {
  const random = mulberry32(shape.seed);
  const phase = random();
  const samples: Sample[] = [];
  let requests = 0;
  for (let t = -1000; t <= 30_000; t += 250) {
    if (t > 0) requests += Math.max(0, Math.round(2500 * (1 + 0.1 * gaussian(random))));
    let bytes = 40e6 + (shape.offset ?? 0) + (shape.leak ?? 0) * requests + (shape.noise ?? 200e3) * gaussian(random);
    if (shape.teeth) {
      const cycle = t / 4000 + phase;
      bytes += shape.teeth * (cycle - Math.floor(cycle));
    }
    const anon = Math.round(bytes / 4096) * 4096;
    samples.push({ t, requests, total: { rss: anon + 30e6, pss: anon, uss: anon, anon, swap: 0 }, processes: [] });
  }
  return samples;
}

/** A trial analysed for real, so the warm-up end is the one the analysis picks. */
function analysed(shape: CurveShape): TrialReport {
  const samples = curve(shape);
  const a = analyzeTrial(samples, DEFAULT_ANALYSIS, 10_000);
  return { ...trial({ slope: a.bytesPerRequest, samples }), analysis: a };
}

test('the tabular CUSUM and the noise estimate on hand-made series', () => {
  // C_i = max(0, C_{i-1} + z_i - k) with k = 0.5: 0, 1.5, 0.5, 2.5 -> crosses h = 2 at index 3.
  const c = tabularCusum([0.2, 2, -0.5, 2.5], 0.5, 2);
  assert.deepEqual(c.statistic, [0, 1.5, 0.5, 2.5]);
  assert.equal(c.alarm, 3);
  assert.equal(c.max, 2.5);
  // A pure linear drift has constant differences: no noise, whatever the slope.
  assert.equal(differenceNoiseSigma([0, 5, 10, 15, 20]), 0);
  // Alternating ±1 around a drift: differences ±2 (plus drift), MAD 2 -> σ = 1.4826·2/√2.
  close(differenceNoiseSigma([0, 2, 2, 4, 4, 6, 6]), (1.4826 * 1) / Math.SQRT2, 1e-9);
});

test('CUSUM: identical but noisy curves do not diverge; a constant offset alone does not either', () => {
  const base = analysed({ seed: 11 });
  const same = cusumDivergence(analysed({ seed: 12 }), base, 'anon');
  assert.equal(same.diverged, false, same.reason);
  assert.equal(same.atRequests, null);
  assert.equal(same.method, 'cusum');
  assert.ok(same.points >= 6 && same.maxStatistic < same.threshold);
  assert.match(same.reason, /did not diverge/);
  const offset = cusumDivergence(analysed({ seed: 13, offset: 25e6 }), base, 'anon');
  assert.equal(offset.diverged, false, offset.reason);
});

test('CUSUM: a head curve with an extra 256 B/req diverges and says where', () => {
  const base = analysed({ seed: 21 });
  const head = analysed({ seed: 22, leak: 256 });
  const d = cusumDivergence(head, base, 'anon');
  assert.equal(d.diverged, true, d.reason);
  const last = head.samples[head.samples.length - 1]!.requests;
  assert.ok(d.atRequests !== null && d.atRequests > head.analysis.warmupEndRequests && d.atRequests <= last, `at ${d.atRequests}`);
  assert.ok(d.maxStatistic > d.threshold);
  assert.match(d.reason, /diverged upward from the baseline's by [\d,]+ requests served/);
  // A baseline that leaks and a head that does not: the one-sided CUSUM stays quiet.
  assert.equal(cusumDivergence(base, head, 'anon').diverged, false);
});

test('CUSUM: too little overlap is reported, not decided', () => {
  const short = trial({ slope: 0, samples: curve({ seed: 31 }).slice(0, 12) });
  const d = cusumDivergence(short, analysed({ seed: 32 }), 'anon');
  assert.equal(d.diverged, false);
  assert.match(d.reason, /^not compared: /);
  const empty = cusumDivergence(trial({ slope: 0 }), analysed({ seed: 33 }), 'anon');
  assert.match(empty.reason, /too few anon points/);
});

test('CUSUM rates over 200 pairs of simulated trials (white noise, GC sawtooth, +32 and +256 B/req)', (t) => {
  const runs = 200;
  const rate = (make: (i: number) => [head: CurveShape, base: CurveShape]): number => {
    let hits = 0;
    for (let i = 0; i < runs; i++) {
      const [h, b] = make(i);
      if (cusumDivergence(analysed(h), analysed(b), 'anon').diverged) hits++;
    }
    return hits / runs;
  };
  const white = rate((i) => [{ seed: 1000 + i }, { seed: 5000 + i }]);
  const saw = rate((i) => [{ seed: 1000 + i, teeth: 15e6 }, { seed: 5000 + i, teeth: 15e6 }]);
  const leak256 = rate((i) => [{ seed: 9000 + i, leak: 256 }, { seed: 5000 + i }]);
  const leak32 = rate((i) => [{ seed: 9000 + i, leak: 32 }, { seed: 5000 + i }]);
  t.diagnostic(`CUSUM false divergence: white noise ${white}, sawtooth ${saw}; detection: +256 B/req ${leak256}, +32 B/req ${leak32}`);
  assert.ok(white <= 0.03, `white ${white}`);
  assert.ok(saw <= 0.03, `sawtooth ${saw}`);
  assert.ok(leak256 >= 0.95, `+256 ${leak256}`);
});

// ---------------------------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------------------------

test('projection: time and requests to a memory limit', () => {
  // 100 MiB to go at 512 B/req: 204,800 requests; at 2,048 req/s, 100 s.
  const p = projectTimeToLimit(512, 2048, 412 * MiB, 512 * MiB);
  assert.equal(p.requestsToLimit, 204_800);
  assert.equal(p.secondsToLimit, 100);
  assert.deepEqual(projectTimeToLimit(0, 2048, 100, 200), { secondsToLimit: null, requestsToLimit: null }, 'not growing');
  assert.deepEqual(projectTimeToLimit(-5, 2048, 100, 200), { secondsToLimit: null, requestsToLimit: null }, 'shrinking');
  assert.deepEqual(projectTimeToLimit(10, 2048, 300, 200), { secondsToLimit: null, requestsToLimit: null }, 'already above');
  assert.deepEqual(projectTimeToLimit(10, 0, 100, 200), { secondsToLimit: null, requestsToLimit: 10 }, 'no throughput');
  assert.deepEqual(projectTimeToLimit(Number.NaN, 10, 100, 200), { secondsToLimit: null, requestsToLimit: null });
  assert.equal(projectBytesAfter(512, 1000, { requests: 10 }), 6120);
  assert.equal(projectBytesAfter(512, 1000, { seconds: 2, throughput: 5 }), 6120);
});
