// The slow creep: a change-point test over a branch's stored history of per-commit slopes (bytes/request), which
// finds a sustained upward shift that no single pull request's comparison flagged (each step under the tolerance).
// Pure: points in, a structured result out; report/ turns it into words.
//
// The test is a one-sided two-segment mean shift (the first step of binary segmentation, which is all that is needed
// here: the history after an accepted growth starts afresh, and the question on each save is only "has the level
// risen since the reference?"). For every split k (at least MIN_BEFORE points before, MIN_AFTER after), the
// inverse-variance weighted means of the two segments give
//
//     T_k = (mean_after - mean_before) / sqrt(1 / W_before + 1 / W_after),   W = sum of 1 / sigma_i^2
//
// (the standardised difference of means with known variances; Hinkley 1970 and Killick & Eckley's changepoint
// package use the same likelihood-ratio form for a normal mean change). The largest T_k is compared with a threshold
// calibrated by simulation so that running the test on every save of a 50-commit history of unchanged code raises at
// most 1% false alarms (bench/drift.ts measures it). sigma_i is the point's own noise: its slope's confidence
// interval width / (2 z), inflated by the history's observed dispersion when the points scatter more than their
// intervals say (runner noise between runs is not in a single run's interval).

/** One commit of the history, oldest first. */
export interface DriftPoint {
  /** The commit's slope, bytes/request. */
  value: number;
  /** The slope's confidence interval. */
  ciLow: number;
  ciHigh: number;
}

export interface DriftOptions {
  /** Threshold on the standardised shift; default DEFAULT_DRIFT_THRESHOLD. */
  threshold?: number;
  /** Smallest shift that counts, bytes/request (a shift below it is noise of no consequence); default 0. */
  minShift?: number;
  /** Confidence of the points' intervals; default 0.95. */
  confidence?: number;
}

export interface DriftResult {
  /** True when a sustained upward shift was found. */
  drift: boolean;
  /** Points the test ran on. */
  points: number;
  /** Largest standardised shift over the splits (0 when there were too few points). */
  statistic: number;
  threshold: number;
  /** Index (in the points given) of the first point after the best split; -1 when there were too few points. */
  startIndex: number;
  /** Indices where the shift may have begun: splits whose statistic is within 1 of the best (a rough interval). */
  rangeStart: number;
  rangeEnd: number;
  /** Weighted means before and after the best split, and their difference (bytes/request). */
  before: number;
  after: number;
  shift: number;
  /** How much the points scatter beyond their intervals (>= 1). */
  dispersion: number;
  /** Why no test could run, when too few points. */
  note?: string;
}

/** Points before the split: the reference level needs a few commits. */
export const MIN_BEFORE = 5;
/** Points after the split: a shift seen on fewer commits is one comparison's business, not a sustained drift. */
export const MIN_AFTER = 3;
/** Points are clipped to the history's median +- this many of their sigmas before the means are taken. */
export const CLIP_SIGMAS = 4;
/**
 * Calibrated with bench/drift.ts (1000 histories of 50 unchanged commits, slope sd 15-30 B/req, test run on every
 * prefix as on every save), seeds 1-4: 0.3-1.0% of histories raise a false alarm, and 92-94% of +20 B/req-per-commit
 * creeps are found by their 5th commit; see docs/history.md.
 */
export const DEFAULT_DRIFT_THRESHOLD = 3.75;

/** Two-sided normal quantile for the interval's confidence (Acklam-free: the few levels used, else 1.96). */
function zOf(confidence: number): number {
  // Inverse of the standard normal CDF by bisection on erf; intervals are rarely anything but 0.95.
  const target = 1 - (1 - confidence) / 2;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The scatter of the points beyond their own intervals: the robust scale (MAD * 1.4826) of successive differences,
 * each standardised by its two points' sigmas, over sqrt(2). Successive differences are barely moved by a level shift
 * or a slow ramp, so the drift does not hide itself by inflating the noise. At least 1: points never count as less
 * noisy than their intervals.
 */
export function dispersionOf(values: readonly number[], sigmas: readonly number[]): number {
  if (values.length < 6) return 1;
  const z: number[] = [];
  for (let i = 1; i < values.length; i++) z.push((values[i]! - values[i - 1]!) / Math.sqrt(sigmas[i]! ** 2 + sigmas[i - 1]! ** 2));
  // Differences of a level series centre on 0: the median absolute difference / 0.6745 is the normal sd.
  return Math.max(1, median(z.map(Math.abs)) / 0.6745);
}

/** The noise of each point from its interval; a zero-width interval borrows the median width (or 1 B/req). */
export function sigmasOf(points: readonly DriftPoint[], confidence = 0.95): number[] {
  const z = zOf(confidence);
  const raw = points.map((p) => Math.max(0, p.ciHigh - p.ciLow) / (2 * z));
  const positive = raw.filter((s) => s > 0);
  const fallback = positive.length > 0 ? median(positive) : 1;
  return raw.map((s) => (s > 0 ? s : fallback));
}

/** The two-segment test over the whole of `points` (oldest first). */
export function detectDrift(points: readonly DriftPoint[], opts: DriftOptions = {}): DriftResult {
  const threshold = opts.threshold ?? DEFAULT_DRIFT_THRESHOLD;
  const n = points.length;
  const none: DriftResult = {
    drift: false,
    points: n,
    statistic: 0,
    threshold,
    startIndex: -1,
    rangeStart: -1,
    rangeEnd: -1,
    before: 0,
    after: 0,
    shift: 0,
    dispersion: 1,
  };
  if (n < MIN_BEFORE + MIN_AFTER) return { ...none, note: `${n} commit(s) in the history; the drift test needs ${MIN_BEFORE + MIN_AFTER}` };
  const raw = points.map((p) => p.value);
  const base = sigmasOf(points, opts.confidence);
  const dispersion = dispersionOf(raw, base);
  const centre = median(raw);
  const values = raw.map((v, i) => Math.min(centre + CLIP_SIGMAS * base[i]! * dispersion, Math.max(centre - CLIP_SIGMAS * base[i]! * dispersion, v)));
  const w = base.map((s) => 1 / (s * dispersion) ** 2);
  // Prefix sums of weights and weighted values: every split in O(1).
  const W = [0];
  const WX = [0];
  for (let i = 0; i < n; i++) {
    W.push(W[i]! + w[i]!);
    WX.push(WX[i]! + w[i]! * values[i]!);
  }
  const stats: number[] = new Array(n).fill(-Infinity);
  let best = -1;
  for (let k = MIN_BEFORE; k <= n - MIN_AFTER; k++) {
    const wb = W[k]!;
    const wa = W[n]! - W[k]!;
    const mb = WX[k]! / wb;
    const ma = (WX[n]! - WX[k]!) / wa;
    stats[k] = (ma - mb) / Math.sqrt(1 / wb + 1 / wa);
    if (best < 0 || stats[k]! > stats[best]!) best = k;
  }
  // The figures reported are of the values as measured (the clipping only guards the test).
  const mean = (from: number, to: number): number => {
    let sw = 0;
    let sx = 0;
    for (let i = from; i < to; i++) {
      sw += w[i]!;
      sx += w[i]! * raw[i]!;
    }
    return sx / sw;
  };
  const before = mean(0, best);
  const after = mean(best, n);
  const statistic = stats[best]!;
  let rangeStart = best;
  let rangeEnd = best;
  while (rangeStart - 1 >= MIN_BEFORE && stats[rangeStart - 1]! >= statistic - 1) rangeStart--;
  while (rangeEnd + 1 <= n - MIN_AFTER && stats[rangeEnd + 1]! >= statistic - 1) rangeEnd++;
  const shift = after - before;
  return {
    drift: statistic > threshold && shift > (opts.minShift ?? 0),
    points: n,
    statistic,
    threshold,
    startIndex: best,
    rangeStart,
    rangeEnd,
    before,
    after,
    shift,
    dispersion,
  };
}
