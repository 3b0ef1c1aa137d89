// Decides where a trial's warm-up ends, so JIT compilation, pools and caches filling up are not
// mistaken for a leak. Two rules: a fixed fraction of the trial's requests, and (mode 'auto') a
// plateau detector that moves the start later when memory visibly stops growing, so a bounded
// cache that fills for the first part of the run and then stays flat reads as healthy.

import type { SampledMetric, Sample } from '../core/types.js';
import { robustSeries } from './robust-series.js';

export interface WarmupOptions {
  mode: 'auto' | 'fixed';
  /** Fraction of the trial's requests treated as warm-up in any case (default 0.25). */
  fraction: number;
}

export interface WarmupEnd {
  method: 'fixed' | 'plateau';
  /** Index, within the samples passed in, of the first analysed sample. */
  index: number;
}

/** Latest break the plateau rule may choose, as a fraction of requests: 40% of the run stays analysed. */
export const PLATEAU_LATEST = 0.6;
/** Growth after the break must be below this share of the growth before it. */
export const PLATEAU_SLOPE_RATIO = 0.25;
/** The two-piece fit must leave at most this share of the one-line fit's residual sum of squares. */
export const PLATEAU_RSS_RATIO = 0.7;
/** Fewest robust points on either side of a candidate break. */
const MIN_SEGMENT_POINTS = 4;

/**
 * Where the analysed window starts. `samples` are the samples taken while load ran (t >= 0), in
 * order. Fixed mode cuts `fraction` of the requests; auto mode also looks for a plateau after it.
 */
export function findWarmupEnd(samples: readonly Sample[], metric: SampledMetric, options: WarmupOptions): WarmupEnd {
  if (samples.length === 0) return { method: 'fixed', index: 0 };
  // Config validation owns the user-facing range; this only keeps a stray value from emptying the window.
  const fraction = clamp(options.fraction, 0, 0.9);
  const fixed = firstIndexAtRequests(samples, requestsAtFraction(samples, fraction));
  if (options.mode !== 'auto') return { method: 'fixed', index: fixed };
  const plateau = findPlateauStart(samples, metric, fraction);
  return plateau !== null && plateau > fixed ? { method: 'plateau', index: plateau } : { method: 'fixed', index: fixed };
}

/**
 * Plateau detection: a continuous two-segment (hinge) least-squares fit of the robust floor series
 * against requests, y = a + b·x + c·(x - k)₊, for every knot k at a robust point whose request
 * count lies in [fraction, PLATEAU_LATEST] of the run (Hudson 1966, "Fitting segmented curves whose
 * join points have to be estimated"). The best knot is accepted only when growth clearly settles:
 * the slope after it (b + c) is below PLATEAU_SLOPE_RATIO of the positive slope before it (b), and
 * the hinge leaves at most PLATEAU_RSS_RATIO of a single line's residuals. A steady leak is a
 * straight line: its best hinge has similar slopes on both sides and barely lowers the residuals,
 * so it keeps the fixed start. Returns the first sample index at the knot, or null.
 */
export function findPlateauStart(samples: readonly Sample[], metric: SampledMetric, fraction: number): number | null {
  const series = robustSeries(samples, { metric });
  const n = series.x.length;
  if (n < 2 * MIN_SEGMENT_POINTS) return null;
  const x0 = samples[0]!.requests;
  const span = samples[samples.length - 1]!.requests - x0;
  if (!(span > 0)) return null;
  const u = series.x.map((x) => (x - x0) / span);
  const yRef = series.y[0]!;
  const yScale = Math.max(1, ...series.y.map((y) => Math.abs(y - yRef)));
  const v = series.y.map((y) => (y - yRef) / yScale);
  const line = leastSquares([u.map(() => 1), u], v);
  if (line === null) return null;
  let best: { k: number; rss: number; before: number; after: number } | null = null;
  for (let i = MIN_SEGMENT_POINTS; i <= n - MIN_SEGMENT_POINTS; i++) {
    const k = u[i]!;
    if (k < fraction || k > PLATEAU_LATEST) continue;
    const fit = leastSquares([u.map(() => 1), u, u.map((ui) => Math.max(0, ui - k))], v);
    if (fit === null) continue;
    if (best === null || fit.rss < best.rss) {
      best = { k, rss: fit.rss, before: fit.coef[1]!, after: fit.coef[1]! + fit.coef[2]! };
    }
  }
  if (best === null || !(best.before > 0)) return null;
  if (best.after >= PLATEAU_SLOPE_RATIO * best.before) return null;
  if (best.rss > PLATEAU_RSS_RATIO * line.rss) return null;
  return firstIndexAtRequests(samples, x0 + best.k * span);
}

function requestsAtFraction(samples: readonly Sample[], fraction: number): number {
  const first = samples[0]!.requests;
  return first + fraction * (samples[samples.length - 1]!.requests - first);
}

function firstIndexAtRequests(samples: readonly Sample[], requests: number): number {
  const i = samples.findIndex((s) => s.requests >= requests);
  return i < 0 ? samples.length - 1 : i;
}

function clamp(value: number, lo: number, hi: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(value, lo), hi) : lo;
}

/**
 * Ordinary least squares via the normal equations (columns are few and pre-scaled to [0, 1], so
 * their conditioning is fine). Returns the coefficients and the residual sum of squares, or null
 * when the design is singular.
 */
export function leastSquares(columns: readonly number[][], y: readonly number[]): { coef: number[]; rss: number } | null {
  const p = columns.length;
  const ata = columns.map((ci) => columns.map((cj) => dot(ci, cj)));
  const aty = columns.map((ci) => dot(ci, y));
  const coef = solve(ata, aty);
  if (coef === null) return null;
  let rss = 0;
  for (let r = 0; r < y.length; r++) {
    let fitted = 0;
    for (let c = 0; c < p; c++) fitted += coef[c]! * columns[c]![r]!;
    rss += (y[r]! - fitted) ** 2;
  }
  return { coef, rss };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Gaussian elimination with partial pivoting; null when the matrix is (nearly) singular. */
function solve(matrix: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const m = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x.every(Number.isFinite) ? x : null;
}
