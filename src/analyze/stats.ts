// Estimators and tests the leak verdict is built on: the Theil-Sen slope with its nonparametric
// confidence interval and the Mann-Kendall trend test corrected for autocorrelation, which no maintained library
// offers; the normal distribution they both need is stdlib's (distributions.ts). Pure functions over number arrays;
// every output is finite.

/** Median of a list (NaN-free: 0 for an empty list, so callers never leak NaN into reports). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return medianOfSorted(sorted);
}

function medianOfSorted(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Value at a 1-based, possibly fractional rank of a sorted list, clamped to its ends. */
function atRank(sorted: readonly number[], rank: number): number {
  const r = Math.min(Math.max(rank, 1), sorted.length);
  const lo = Math.floor(r);
  const frac = r - lo;
  const a = sorted[lo - 1]!;
  return frac === 0 || lo >= sorted.length ? a : a + frac * (sorted[lo]! - a);
}

// The normal distribution comes from a maintained library (distributions.ts); kept exported here for callers.
export { normalCdf, normalQuantile } from './distributions.js';
import { normalCdf, normalQuantile } from './distributions.js';

/**
 * Variance of the Mann-Kendall S under the null hypothesis, with the correction for tied groups:
 * Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18 (Kendall 1975; Gilbert 1987, eq. 16.4).
 */
export function mannKendallVariance(y: readonly number[]): number {
  const n = y.length;
  let ties = 0;
  const counts = new Map<number, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  return Math.max(0, (n * (n - 1) * (2 * n + 5) - ties) / 18);
}

/** Mann-Kendall statistic S = Σ_{i<j} sign(y_j - y_i) (Mann 1945; Gilbert 1987, eq. 16.3). */
export function mannKendallS(y: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < y.length - 1; i++) {
    for (let j = i + 1; j < y.length; j++) s += Math.sign(y[j]! - y[i]!);
  }
  return s;
}

export interface TheilSenResult {
  slope: number;
  intercept: number;
  ciLow: number;
  ciHigh: number;
}

/**
 * Theil-Sen estimator (Sen 1968): the slope is the median of the pairwise slopes
 * (y_j - y_i)/(x_j - x_i) over pairs with distinct x; the intercept is the median of y - slope·x
 * (Conover 1980). The confidence interval is Gilbert's (1987, §16.5.1): with N' ordered slopes and
 * C = z_{1-α/2}·√Var(S), the bounds are the M1-th and (M2+1)-th ordered slopes,
 * M1 = (N' - C)/2, M2 = (N' + C)/2, interpolated between ranks.
 *
 * `varS` defaults to the tie-corrected Mann-Kendall variance of y; pass the autocorrelation-corrected
 * one from `mannKendall` so the interval widens with the same serial correlation the test allows for.
 */
export function theilSen(
  x: readonly number[],
  y: readonly number[],
  confidence: number,
  varS: number = mannKendallVariance(y),
): TheilSenResult {
  const n = Math.min(x.length, y.length);
  const slopes = pairwiseSlopes(x, y, n);
  if (slopes.length === 0) {
    return { slope: 0, intercept: median(y.slice(0, n)), ciLow: 0, ciHigh: 0 };
  }
  slopes.sort((a, b) => a - b);
  const slope = medianOfSorted(slopes);
  const residuals: number[] = [];
  for (let i = 0; i < n; i++) residuals.push(y[i]! - slope * x[i]!);
  const intercept = median(residuals);
  const c = normalQuantile(1 - (1 - clampConfidence(confidence)) / 2) * Math.sqrt(Math.max(0, varS));
  const m1 = (slopes.length - c) / 2;
  const m2 = (slopes.length + c) / 2;
  return { slope, intercept, ciLow: atRank(slopes, m1), ciHigh: atRank(slopes, m2 + 1) };
}

function pairwiseSlopes(x: readonly number[], y: readonly number[], n: number): number[] {
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!;
      // Ties in x carry no slope information (Sen 1968 drops them).
      if (dx !== 0) slopes.push((y[j]! - y[i]!) / dx);
    }
  }
  return slopes;
}

function clampConfidence(confidence: number): number {
  return Number.isFinite(confidence) ? Math.min(Math.max(confidence, 1e-6), 1 - 1e-12) : 0.95;
}

export interface MannKendallResult {
  /** Mann-Kendall S. */
  s: number;
  /** Var(S) used for Z: tie-corrected, then multiplied by `nEffectiveRatio`. */
  varS: number;
  /** Continuity-corrected standard score. */
  z: number;
  /** One-sided p-value for an increasing trend, P(Z ≥ z). */
  pUp: number;
  /** Kendall's tau-a = S / (n(n-1)/2). */
  tau: number;
  /** The Hamed-Rao factor n/n* that was applied to Var(S): 1 when no correction was needed. */
  nEffectiveRatio: number;
}

export interface MannKendallOptions {
  /** Apply the Hamed & Rao (1998) autocorrelation correction (default true). */
  correctAutocorrelation?: boolean;
  /** Two-sided level at which a lag autocorrelation counts as significant (default 0.05). */
  acfAlpha?: number;
}

/**
 * Mann-Kendall trend test (Mann 1945; Kendall 1975; Gilbert 1987 §16.4) on a series in time order.
 * Z = (S - 1)/√Var(S) for S > 0, (S + 1)/√Var(S) for S < 0, else 0. Memory floors are serially
 * correlated (a GC cycle spans several windows), which makes the plain test far too eager, so
 * Var(S) is inflated by the Hamed & Rao (1998) factor (see `hamedRaoRatio`), never deflated.
 */
export function mannKendall(y: readonly number[], options: MannKendallOptions = {}): MannKendallResult {
  const n = y.length;
  if (n < 2) return { s: 0, varS: 0, z: 0, pUp: 1, tau: 0, nEffectiveRatio: 1 };
  const s = mannKendallS(y);
  const ratio = options.correctAutocorrelation === false ? 1 : hamedRaoRatio(y, options.acfAlpha ?? 0.05);
  const nEffectiveRatio = Math.max(1, ratio);
  const varS = mannKendallVariance(y) * nEffectiveRatio;
  const sd = Math.sqrt(varS);
  const z = sd === 0 || s === 0 ? 0 : (s - Math.sign(s)) / sd;
  return { s, varS, z, pUp: 1 - normalCdf(z), tau: s / ((n * (n - 1)) / 2), nEffectiveRatio };
}

/**
 * Hamed & Rao (1998), "A modified Mann-Kendall trend test for autocorrelated data", J. Hydrology
 * 204, eq. 18: n/n* = 1 + 2/(n(n-1)(n-2)) · Σ_{k=1}^{n-1} (n-k)(n-k-1)(n-k-2)·ρ_s(k), where ρ_s(k)
 * is the lag-k autocorrelation of the ranks of the series detrended by its Sen slope, and only
 * lags significant at `acfAlpha` (|ρ| > z_{1-α/2}/√n) enter the sum.
 */
export function hamedRaoRatio(y: readonly number[], acfAlpha = 0.05): number {
  const n = y.length;
  if (n < 3) return 1;
  const index = y.map((_, i) => i);
  const slope = theilSen(index, y, 0.95, 0).slope;
  const ranks = rank(y.map((v, i) => v - slope * i));
  const bound = normalQuantile(1 - acfAlpha / 2) / Math.sqrt(n);
  let sum = 0;
  for (let k = 1; k < n - 2; k++) {
    const rho = autocorrelation(ranks, k);
    if (Math.abs(rho) > bound) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho;
  }
  const ratio = 1 + (2 / (n * (n - 1) * (n - 2))) * sum;
  return Number.isFinite(ratio) ? ratio : 1;
}

/** Ranks 1..n, ties given their average rank. */
export function rank(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++;
    const avg = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = avg;
    start = end + 1;
  }
  return ranks;
}

/**
 * Sample autocorrelation at lag k, r_k = Σ_{t<n-k}(x_t - x̄)(x_{t+k} - x̄) / Σ(x_t - x̄)²
 * (Box & Jenkins); 0 for a constant series.
 */
export function autocorrelation(values: readonly number[], k: number): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let den = 0;
  for (const v of values) den += (v - mean) ** 2;
  if (den === 0) return 0;
  let num = 0;
  for (let t = 0; t + k < n; t++) num += (values[t]! - mean) * (values[t + k]! - mean);
  return num / den;
}
