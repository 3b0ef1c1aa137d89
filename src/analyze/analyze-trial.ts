// Turns one trial's samples into its leak verdict: trim the warm-up, build the floor series, fit a
// Theil-Sen slope of memory against requests, test it with Mann-Kendall, and call it a leak only
// when the growth is both significant and large enough to matter. Too little data is
// 'inconclusive', never a silent pass.

import type { SampledMetric, Sample, TrialAnalysis, Verdict } from '../core/types.js';
import { formatBytes, formatCount } from '../core/units.js';
import { robustSeries } from './robust-series.js';
import { mannKendall, median, theilSen, type MannKendallResult, type TheilSenResult } from './stats.js';
import { findWarmupEnd } from './warmup.js';

export interface AnalysisOptions {
  metric: SampledMetric;
  warmup: { mode: 'auto' | 'fixed'; fraction: number };
  /** Significance level of the one-sided Mann-Kendall test. */
  alpha: number;
  /** Confidence level of the slope's interval. */
  confidence: number;
  /** Practical floor: the interval's lower bound must exceed this many bytes per request. */
  minBytesPerRequest: number;
  /** The same floor over time (a load command without a counter): bytes per second of load. */
  minBytesPerSecond: number;
  /** Practical floor: predicted growth over the analysed window, as a share of the start. */
  minRelativeGrowth: number;
  /** Fewest requests in the analysed window for a conclusive verdict. */
  minRequests: number;
  /** Fewest robust points for a conclusive verdict. */
  minPoints: number;
  /**
   * What the x axis counts: requests served (the default), or seconds of load (analyzeTrialOverTime), when the
   * slope, its floor and every figure of the verdict's reason are per second.
   */
  per?: 'request' | 'second';
  /**
   * Fewest samples per robust window. Unset: 3, fewer for a short run rather than fall below minPoints. 1 for a
   * series with no sawtooth to see through (readings after a forced full GC), so each reading is a point.
   */
  minWindow?: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = {
  metric: 'anon',
  warmup: { mode: 'auto', fraction: 0.25 },
  alpha: 0.01,
  confidence: 0.95,
  minBytesPerRequest: 32,
  minBytesPerSecond: 1024,
  minRelativeGrowth: 0.02,
  minRequests: 1000,
  minPoints: 12,
};

interface Fit {
  points: number;
  ts: TheilSenResult;
  mk: MannKendallResult;
  startBytes: number;
  endBytes: number;
  requestsAnalysed: number;
  x: number[];
  y: number[];
}

/**
 * Analyse one trial. Only samples taken while load ran (t >= 0) count; `warmupEndIndex` is an
 * index into `samples` as given. `throughput` (requests per second) converts the slope to bytes
 * per second. Every number in the result is finite, so the JSON report can hold it.
 */
export function analyzeTrial(samples: Sample[], opts: AnalysisOptions, throughput: number): TrialAnalysis {
  const running = samples.map((s, i) => ({ s, i })).filter(({ s }) => s.t >= 0);
  const warmup = findWarmupEnd(running.map(({ s }) => s), opts.metric, opts.warmup);
  const window = running.slice(warmup.index).map(({ s }) => s);
  const first = running[warmup.index];
  const fit = fitWindow(window, opts);
  const slope = fit.ts.slope;
  const base = {
    metric: opts.metric,
    warmupEndIndex: first?.i ?? 0,
    warmupEndRequests: first?.s.requests ?? 0,
    warmupEndMs: first?.s.t ?? 0,
    warmupMethod: warmup.method,
    points: fit.points,
    requestsAnalysed: fit.requestsAnalysed,
    bytesPerRequest: finite(slope),
    ciLow: finite(fit.ts.ciLow),
    ciHigh: finite(fit.ts.ciHigh),
    confidence: opts.confidence,
    pValue: finite(fit.mk.pUp, 1),
    mkS: fit.mk.s,
    tau: finite(fit.mk.tau),
    startBytes: finite(fit.startBytes),
    endBytes: finite(fit.endBytes),
    peakBytes: peak(samples, opts.metric),
    relativeGrowth: fit.startBytes > 0 ? finite((slope * fit.requestsAnalysed) / fit.startBytes) : 0,
    bytesPerSecond: finite(slope * throughput),
    growthPerMillionRequests: finite(slope * 1e6),
  };
  const decided = decide(base, opts);
  if (decided.verdict !== 'leak') return { ...base, ...decided };
  const steady = steadyGrowth(fit, opts);
  if (steady.notLeak !== null) return { ...base, verdict: 'no-leak', reason: `no leak: ${steady.notLeak}` };
  if (steady.jumps.length === 0) return { ...base, ...decided };
  // Still a leak without the jumps: estimate the slope without them too, or a one-off allocation
  // would be counted as bytes per request.
  const mk = mannKendall(steady.y);
  const ts = theilSen(fit.x, steady.y, opts.confidence, mk.varS);
  const adjusted = {
    ...base,
    bytesPerRequest: finite(ts.slope),
    ciLow: finite(ts.ciLow),
    ciHigh: finite(ts.ciHigh),
    pValue: finite(mk.pUp, 1),
    mkS: mk.s,
    tau: finite(mk.tau),
    relativeGrowth: fit.startBytes > 0 ? finite((ts.slope * fit.requestsAnalysed) / fit.startBytes) : 0,
    bytesPerSecond: finite(ts.slope * throughput),
    growthPerMillionRequests: finite(ts.slope * 1e6),
  };
  const again = decide(adjusted, opts);
  return { ...adjusted, ...again, reason: `${again.reason} (one-off jumps of ${steady.jumps.join(', ')} taken out)` };
}

/**
 * Over time: for a load command that gives no request count. The x axis is seconds of load (sample time), so the
 * slope is bytes per second and is tested against minBytesPerSecond, never against the per-request floor (which
 * over milliseconds would have been 32 B/ms). `throughput` is the requests per second the command reported (wrk's
 * summary), 0 when unknown: it turns min-requests into the seconds that hold that many requests (no minimum when
 * unknown; min-points still applies) and the slope into bytes per request for growthPerMillionRequests. In the
 * result, bytesPerRequest/ciLow/ciHigh are B/s, bytesPerSecond is the slope itself, and warmupEndRequests and
 * requestsAnalysed are seconds of load.
 */
export function analyzeTrialOverTime(samples: Sample[], opts: AnalysisOptions, throughput: number): TrialAnalysis {
  const bySecond = samples.map((s) => ({ ...s, requests: s.t / 1000 }));
  const a = analyzeTrial(
    bySecond,
    { ...opts, per: 'second', minBytesPerRequest: opts.minBytesPerSecond, minRequests: throughput > 0 ? opts.minRequests / throughput : 0 },
    1,
  );
  return { ...a, growthPerMillionRequests: throughput > 0 ? finite((a.bytesPerRequest / throughput) * 1e6) : 0 };
}

/** Units of the x axis in the verdict's words. */
function unitsOf(opts: AnalysisOptions): { slope: string; span: (x: number) => string } {
  return opts.per === 'second'
    ? { slope: 'B/s', span: (x) => `${round(x)} s of load` }
    : { slope: 'B/req', span: (x) => `${formatCount(x)} requests` };
}

/** The same three tests as the verdict: significant, clear of the slope floor, above the growth floor. */
function passes(x: readonly number[], y: readonly number[], opts: AnalysisOptions): { ok: boolean; slope: number } {
  if (y.length < 4) return { ok: false, slope: 0 };
  const mk = mannKendall(y);
  const ts = theilSen(x, y, opts.confidence, mk.varS);
  const start = ts.intercept + ts.slope * x[0]!;
  const growth = start > 0 ? (ts.slope * (x[x.length - 1]! - x[0]!)) / start : 0;
  return { ok: mk.pUp < opts.alpha && ts.ciLow > opts.minBytesPerRequest && growth > opts.minRelativeGrowth, slope: ts.slope };
}

/**
 * A leak grows memory with every request, all the way through. Two shapes pass the trend test
 * without being that, and both are common (the benchmark's false positives were these):
 * - a one-off jump (a pool, a cache or an arena allocated once mid-run): take the jump out of the
 *   floor series and test again;
 * - a warm-up that has not finished (growth slowing down, e.g. an exponential approach to a
 *   plateau): when the second half of the window grows at under half the rate of the first, the
 *   second half alone must still show a leak.
 * Returns why the growth is not a leak (or null), and the floor series with any jumps taken out.
 */
function steadyGrowth(fit: Fit, opts: AnalysisOptions): { notLeak: string | null; y: number[]; jumps: string[] } {
  const x = fit.x;
  let y = [...fit.y];
  const jumps: string[] = [];
  for (let round = 0; round < 3; round++) {
    const diffs = y.slice(1).map((v, i) => v - y[i]!);
    const j = diffs.reduce((best, d, i) => (d > diffs[best]! ? i : best), 0);
    const jump = diffs[j] ?? 0;
    const rise = y[y.length - 1]! - y[0]!;
    const typical = median(diffs.map(Math.abs));
    if (!(jump > 0.25 * rise && jump > 5 * typical)) break;
    const at = unitsOf(opts).span(x[j + 1]!);
    y = y.map((v, i) => (i > j ? v - jump : v));
    jumps.push(`${formatBytes(jump)} at ${at}`);
    if (!passes(x, y, opts).ok) {
      const notLeak = `memory rose in a one-off jump of ${formatBytes(jump)} at ${at} (${percent(jump / rise)} of the rise), not steadily${opts.per === 'second' ? '' : ' per request'}; without the jump there is no significant growth`;
      return { notLeak, y, jumps };
    }
  }
  const half = Math.floor(y.length / 2);
  const first = passes(x.slice(0, half), y.slice(0, half), opts);
  const second = passes(x.slice(half), y.slice(half), opts);
  if (second.slope < 0.5 * first.slope && !second.ok) {
    const unit = unitsOf(opts).slope;
    const notLeak = `growth is slowing down (${round(first.slope)} ${unit} in the first half of the window, ${round(second.slope)} ${unit} in the second) and the second half alone shows no leak: this looks like warm-up that has not finished; a longer run would tell`;
    return { notLeak, y, jumps };
  }
  return { notLeak: null, y, jumps };
}

function fitWindow(window: readonly Sample[], opts: AnalysisOptions): Fit {
  // Windows of 3 samples or more take the floor well; a short run uses smaller windows rather than
  // fall below minPoints points (10 s at 250 ms leaves ~30 samples after warm-up).
  const minWindow = opts.minWindow ?? (window.length >= 3 * opts.minPoints ? 3 : Math.max(1, Math.floor(window.length / opts.minPoints)));
  const series = robustSeries(window, { metric: opts.metric, minWindow });
  const mk = mannKendall(series.y);
  // The interval uses the same autocorrelation-corrected Var(S) as the test, so both widen together.
  const ts = theilSen(series.x, series.y, opts.confidence, mk.varS);
  const requestsAnalysed = window.length > 0 ? window[window.length - 1]!.requests - window[0]!.requests : 0;
  const xStart = window[0]?.requests ?? 0;
  const xEnd = window[window.length - 1]?.requests ?? 0;
  const fitted = (x: number): number => ts.intercept + ts.slope * x;
  // The fitted line is the best guess of the floor; a line fitted to a flat or odd series can
  // cross zero, so fall back to the observed floors then.
  const startBytes = fitted(xStart) > 0 ? fitted(xStart) : (series.y[0] ?? 0);
  const endBytes = fitted(xEnd) > 0 ? fitted(xEnd) : (series.y[series.y.length - 1] ?? 0);
  return { points: series.y.length, ts, mk, startBytes, endBytes, requestsAnalysed, x: series.x, y: series.y };
}

type Figures = Omit<TrialAnalysis, 'verdict' | 'reason'>;

function decide(a: Figures, opts: AnalysisOptions): { verdict: Verdict; reason: string } {
  const units = unitsOf(opts);
  if (a.requestsAnalysed < opts.minRequests) {
    return inconclusive(
      opts.per === 'second'
        ? `only ${units.span(a.requestsAnalysed)} after warm-up, fewer than the ${units.span(opts.minRequests)} that hold min-requests at the reported throughput: run longer`
        : `only ${formatCount(a.requestsAnalysed)} requests after warm-up, fewer than the ${formatCount(opts.minRequests)} needed: run longer or send load faster`,
    );
  }
  if (a.points < opts.minPoints) {
    return inconclusive(
      `only ${a.points} memory points after warm-up, fewer than the ${opts.minPoints} needed: run longer or sample more often`,
    );
  }
  const slope = describeSlope(a, units.slope);
  const failed: string[] = [];
  if (!(a.pValue < opts.alpha)) {
    failed.push(`the upward trend is not significant (one-sided Mann-Kendall p = ${pValue(a.pValue)}, alpha ${opts.alpha})`);
  }
  if (!(a.ciLow > opts.minBytesPerRequest)) {
    const floor = `${formatBytes(opts.minBytesPerRequest)}${units.slope.slice(1)} floor`;
    failed.push(
      a.bytesPerRequest <= opts.minBytesPerRequest
        ? `${slope} is below the ${floor}`
        : `${slope} could be as low as ${round(a.ciLow)} ${units.slope}, not clear of the ${floor}`,
    );
  }
  if (!(a.relativeGrowth > opts.minRelativeGrowth)) {
    failed.push(
      `predicted growth over ${units.span(a.requestsAnalysed)} is ${percent(a.relativeGrowth)} of ${formatBytes(a.startBytes)}, below the ${percent(opts.minRelativeGrowth)} floor`,
    );
  }
  if (failed.length === 0) {
    return {
      verdict: 'leak',
      reason: `memory grows ${slope}, p = ${pValue(a.pValue)}: +${percent(a.relativeGrowth)} over ${units.span(a.requestsAnalysed)}`,
    };
  }
  return { verdict: 'no-leak', reason: `no leak: ${failed.join('; ')}` };
}

function inconclusive(reason: string): { verdict: Verdict; reason: string } {
  return { verdict: 'inconclusive', reason: `inconclusive: ${reason}` };
}

function describeSlope(a: Figures, unit: string): string {
  const level = Math.round(a.confidence * 100);
  return `slope ${round(a.bytesPerRequest)} ${unit} (${level}% CI ${round(a.ciLow)}..${round(a.ciHigh)})`;
}

function peak(samples: readonly Sample[], metric: SampledMetric): number {
  let max = 0;
  for (const s of samples) if (Number.isFinite(s.total[metric])) max = Math.max(max, s.total[metric]);
  return max;
}

function finite(value: number, fallback = 0): number {
  return Number.isFinite(value) ? value : fallback;
}

function round(value: number): string {
  return Math.abs(value) >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}


function percent(value: number): string {
  return `${round(value * 100)}%`;
}

function pValue(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}
