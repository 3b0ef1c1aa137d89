// Differential analysis of two memory curves, as in software-aging studies that compare a system
// against a reference run: put the head and baseline trials on a common axis of requests served,
// take their difference, and watch it with a one-sided (self-starting) CUSUM. A leak the head added makes the
// difference drift upward and the CUSUM cross its threshold; a constant offset between the runs
// (another allocator arena, a bigger binary) is removed first and does not count.

import { robustSeries } from '../analyze/robust-series.js';
import { median } from '../analyze/stats.js';
import { formatBytes, formatCount } from '../core/units.js';
import { sampledMetric, type MetricName, type TrialReport } from '../core/types.js';

export interface CusumOptions {
  /** Share of the common grid, from its start, that only sets the in-control level (at least 3 points). */
  referenceFraction: number;
  /** Reference value (allowance) k, in units of σ. */
  k: number;
  /** Decision interval h, in units of σ. */
  h: number;
  /** Fewest grid points for a verdict. */
  minPoints: number;
  /**
   * 'floor': per-window floors of each trial (the robust series the trend test uses), so a GC
   * sawtooth is not read as divergence; 'raw': every sample.
   */
  series: 'floor' | 'raw';
  /** Points of the sparser series averaged into one grid bin. */
  pointsPerBin: number;
}

/**
 * k = 0.5σ is tuned to detect a shift of 1σ fastest (k is half the shift to detect; Page 1954,
 * Montgomery "Introduction to Statistical Quality Control" §9.1.3). h = 5σ, Montgomery's usual
 * choice (in-control average run length ~465 with known parameters), raised alarms on 5% of pairs
 * of identical noisy trials here, because σ and the level come from a handful of points (a ~30 s
 * run gives ~9 bins): h = 8σ brought that to ~1% (white noise), ~0.3% (GC sawtooth), ~3%
 * (AR(1) noise, ρ = 0.7), and still flags every +32 B/req leak in the same simulations
 * (test/unit/compare.test.ts measures it).
 */
export const DEFAULT_CUSUM: CusumOptions = { referenceFraction: 0.2, k: 0.5, h: 8, minPoints: 6, series: 'floor', pointsPerBin: 3 };

export interface DifferentialResult {
  method: 'cusum';
  diverged: boolean;
  /** Requests served (on the common grid) where the CUSUM first crossed the threshold. */
  atRequests: number | null;
  /** Largest CUSUM statistic reached, in units of σ. */
  maxStatistic: number;
  /** Decision interval h, in units of σ. */
  threshold: number;
  /** Robust noise estimate of the difference series, bytes. */
  sigma: number;
  /** Points on the common grid. */
  points: number;
  reason: string;
}

/** A result that says why no CUSUM was run. */
export function notCompared(why: string): DifferentialResult {
  return { method: 'cusum', diverged: false, atRequests: null, maxStatistic: 0, threshold: 0, sigma: 0, points: 0, reason: `not compared: ${why}` };
}

/** A trial's memory against requests served after its warm-up, x strictly increasing. */
export function seriesAfterWarmup(trial: TrialReport, analysed: MetricName, kind: CusumOptions['series']): { x: number[]; y: number[] } {
  // The curves compared are the sampled ones; a heap verdict compares the anonymous memory curves.
  const metric = sampledMetric(analysed);
  const window = trial.samples.slice(trial.analysis.warmupEndIndex).filter((s) => s.t >= 0 && Number.isFinite(s.total[metric]));
  if (kind === 'floor') {
    const series = robustSeries(window, { metric });
    return strictlyIncreasing(series.x, series.y);
  }
  return strictlyIncreasing(
    window.map((s) => s.requests),
    window.map((s) => s.total[metric]),
  );
}

/** Sorts by x and averages the y of equal x, so interpolation is well defined. */
function strictlyIncreasing(x: readonly number[], y: readonly number[]): { x: number[]; y: number[] } {
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const out = { x: [] as number[], y: [] as number[] };
  let count = 0;
  for (const i of order) {
    const last = out.x.length - 1;
    if (last >= 0 && out.x[last] === x[i]) {
      count++;
      out.y[last] = out.y[last]! + (y[i]! - out.y[last]!) / count;
    } else {
      out.x.push(x[i]!);
      out.y.push(y[i]!);
      count = 1;
    }
  }
  return out;
}

/** Linear interpolation of (x, y), x strictly increasing, at each grid point (clamped at the ends). */
export function interpolate(x: readonly number[], y: readonly number[], grid: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const g of grid) {
    while (j < x.length - 2 && x[j + 1]! < g) j++;
    const x0 = x[j]!;
    const x1 = x[Math.min(j + 1, x.length - 1)]!;
    const y0 = y[j]!;
    const y1 = y[Math.min(j + 1, y.length - 1)]!;
    if (x1 === x0) out.push(y0);
    else out.push(y0 + ((Math.min(Math.max(g, x0), x1) - x0) / (x1 - x0)) * (y1 - y0));
  }
  return out;
}

/**
 * Noise σ of a series that may drift: from its first differences, which a linear drift only shifts,
 * σ = 1.4826·MAD(Δd)/√2 (Var(Δd) = 2σ² for independent noise; 1.4826 makes the MAD consistent for
 * the normal, Rousseeuw & Croux 1993). Memory moves in whole pages, so more than half of the
 * differences can be equal and the MAD zero: then the mean absolute deviation, scaled by √(π/2)
 * (its normal consistency factor), stands in.
 */
export function differenceNoiseSigma(d: readonly number[]): number {
  const diffs: number[] = [];
  for (let i = 1; i < d.length; i++) diffs.push(d[i]! - d[i - 1]!);
  if (diffs.length === 0) return 0;
  const center = median(diffs);
  const deviations = diffs.map((v) => Math.abs(v - center));
  const mad = median(deviations);
  if (mad > 0) return (1.4826 * mad) / Math.SQRT2;
  const meanAbs = deviations.reduce((a, b) => a + b, 0) / deviations.length;
  return (Math.sqrt(Math.PI / 2) * meanAbs) / Math.SQRT2;
}

export interface TabularCusum {
  /** C⁺_i for each point. */
  statistic: number[];
  /** First index with C⁺_i > h, or -1. */
  alarm: number;
  max: number;
}

/**
 * One-sided upper tabular CUSUM (Page 1954, "Continuous inspection schemes", Biometrika 41;
 * Montgomery §9.1.2): C⁺_0 = 0, C⁺_i = max(0, C⁺_{i-1} + z_i - k), alarm when C⁺_i > h. z is the
 * deviation from the in-control level; k and h are in the units of z.
 */
export function tabularCusum(z: readonly number[], k: number, h: number): TabularCusum {
  const statistic: number[] = [];
  let c = 0;
  let alarm = -1;
  let max = 0;
  for (let i = 0; i < z.length; i++) {
    c = Math.max(0, c + z[i]! - k);
    statistic.push(c);
    if (c > max) max = c;
    if (alarm < 0 && c > h) alarm = i;
  }
  return { statistic, alarm, max };
}

/**
 * Averages a series over `bins` equal bins of x in [lo, hi]; an empty bin takes the series'
 * interpolated value at its centre. Averaging whole points (rather than interpolating at grid
 * points) keeps neighbouring bins independent, which the CUSUM assumes.
 */
export function binMeans(x: readonly number[], y: readonly number[], lo: number, hi: number, bins: number): number[] {
  const sums = new Array<number>(bins).fill(0);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! < lo || x[i]! > hi) continue;
    const b = Math.min(bins - 1, Math.floor(((x[i]! - lo) / (hi - lo)) * bins));
    sums[b] = sums[b]! + y[i]!;
    counts[b] = counts[b]! + 1;
  }
  const centres = Array.from({ length: bins }, (_, b) => lo + ((b + 0.5) * (hi - lo)) / bins);
  const fill = interpolate(x, y, centres);
  return sums.map((sum, b) => (counts[b]! > 0 ? sum / counts[b]! : fill[b]!));
}

/**
 * Recursive residuals of a series against the mean of everything before each point, standardized:
 * z_i = (d_i - mean(d_0..d_{i-1})) / (σ·√(1 + 1/i)), for i from `start`. For independent normal d
 * with a constant level these are independent N(0, 1) whatever the level, so the CUSUM on them
 * needs no known target: the self-starting CUSUM of Hawkins (1987), "Self-starting CUSUM charts
 * for location and scale", The Statistician 36, with σ given.
 */
export function recursiveResiduals(d: readonly number[], start: number, sigma: number): number[] {
  const z: number[] = [];
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    if (i >= start) z.push((d[i]! - sum / i) / (sigma * Math.sqrt(1 + 1 / i)));
    sum += d[i]!;
  }
  return z;
}

/**
 * CUSUM divergence of the head trial's memory curve from the baseline trial's. Both post-warm-up
 * series (per-window floors by default) are averaged into equal bins of requests served over their
 * overlap and differenced, d_i = head_i - base_i. The first `referenceFraction` of the bins only
 * sets the in-control level; from there on each bin is compared with the mean of all bins before
 * it (`recursiveResiduals`), so a constant offset between the runs never counts and the level's own
 * uncertainty is allowed for. σ is `differenceNoiseSigma` of d; the upper tabular CUSUM with k and
 * h (in σ) then says whether, and from which request count, the head drifts above the baseline.
 *
 * Why not the plain scheme (d minus its median over the reference, σ-scaled, CUSUM): measured on
 * identical noisy trials it alarmed on ~35% of pairs, since a level taken from 5 points is off by
 * ~0.5σ and a CUSUM turns any persistent offset into an alarm.
 */
export function cusumDivergence(head: TrialReport, base: TrialReport, metric: MetricName, opts: CusumOptions = DEFAULT_CUSUM): DifferentialResult {
  const h = seriesAfterWarmup(head, metric, opts.series);
  const b = seriesAfterWarmup(base, metric, opts.series);
  if (h.x.length < 2 || b.x.length < 2) return notCompared(`too few ${metric} points after warm-up (head ${h.x.length}, baseline ${b.x.length})`);
  const lo = Math.max(h.x[0]!, b.x[0]!);
  const hi = Math.min(h.x[h.x.length - 1]!, b.x[b.x.length - 1]!);
  const inside = (xs: number[]): number => xs.filter((x) => x >= lo && x <= hi).length;
  const n = hi > lo ? Math.floor(Math.min(inside(h.x), inside(b.x)) / Math.max(1, opts.pointsPerBin)) : 0;
  if (n < opts.minPoints) {
    return notCompared(`the runs overlap on only ${n} bins of requests served, ${opts.minPoints} needed: run longer`);
  }
  const hy = binMeans(h.x, h.y, lo, hi, n);
  const by = binMeans(b.x, b.y, lo, hi, n);
  const d = hy.map((v, i) => v - by[i]!);
  const refEnd = Math.max(3, Math.floor(opts.referenceFraction * n));
  // σ floored at one byte, so two identical noise-free curves do not divide by zero.
  const sigma = Math.max(1, differenceNoiseSigma(d));
  const cusum = tabularCusum(recursiveResiduals(d, refEnd, sigma), opts.k, opts.h);
  const diverged = cusum.alarm >= 0;
  // Where the alarm fired: the upper edge of the bin it fired in.
  const atRequests = diverged ? lo + ((refEnd + cusum.alarm + 1) * (hi - lo)) / n : null;
  const params = `σ = ${formatBytes(sigma)}, k = ${opts.k}σ, h = ${opts.h}σ`;
  const reason = diverged
    ? `head ${metric} diverged upward from the baseline's by ${formatCount(atRequests!)} requests served (CUSUM over ${n} bins, ${params})`
    : `head ${metric} did not diverge from the baseline's: the CUSUM peaked at ${round(cusum.max)}σ of ${opts.h}σ over ${n} bins (${params})`;
  return { method: 'cusum', diverged, atRequests, maxStatistic: cusum.max, threshold: opts.h, sigma, points: n, reason };
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
