// The normal and Student t distributions the verdicts need (p-values, confidence and prediction intervals), and
// the special functions under them, from stdlib (https://github.com/stdlib-js/stdlib), a maintained numerics
// library whose implementations follow Cephes and Boost and are tested against their reference values. Only the
// edge behaviour the reports rely on is ours: no infinities in reports, df = Infinity is the normal distribution.
// Theil-Sen and Mann-Kendall with the Hamed-Rao correction, which no library offers, stay in stats.ts.
import betainc from '@stdlib/math-base-special-betainc';
import erfcinv from '@stdlib/math-base-special-erfcinv';
import gammaln from '@stdlib/math-base-special-gammaln';
import normalCdfLib from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tPdf from '@stdlib/stats-base-dists-t-pdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Where the normal quantile is clamped at p = 0 or 1, so reports never hold an infinity. */
const NORMAL_QUANTILE_LIMIT = 38;

/** Standard normal CDF, Φ(x); 0.5 for NaN so a degenerate statistic reads as "no evidence". */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return 0.5;
  return normalCdfLib(x, 0, 1);
}

/**
 * Inverse of the standard normal CDF, Φ⁻¹(p) = -√2 erfc⁻¹(2p), clamped to ±38 at p = 0 or 1 (and below/above).
 * Through erfc⁻¹ of the nearer tail rather than stdlib's normal quantile, which goes through erf⁻¹(2p - 1) and is
 * off by 2e-9 (relative) at p = 1e-10: -6.3613408897 where scipy's norm.ppf gives -6.3613409024.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return -NORMAL_QUANTILE_LIMIT;
  if (!(p < 1)) return NORMAL_QUANTILE_LIMIT;
  return p < 0.5 ? -Math.SQRT2 * erfcinv(2 * p) : Math.SQRT2 * erfcinv(2 * (1 - p));
}

/** ln |Γ(x)|. */
export function logGamma(x: number): number {
  return gammaln(x);
}

/** Regularized incomplete beta function I_x(a, b) (Abramowitz & Stegun 6.6.2); 0 below x = 0, 1 above x = 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  return betainc(x, a, b, true, false);
}

/**
 * CDF of Student's t with `df` degrees of freedom (df may be fractional, as Welch's is): P(T ≤ t). Each tail is
 * computed from the incomplete beta directly, so it keeps its relative precision far out. df = Infinity is the
 * normal distribution; NaN for a NaN t or a df that is not positive.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  if (df === Infinity) return normalCdf(t);
  return tCdf(t, df);
}

/** Upper tail P(T ≥ t) of Student's t, without the cancellation of 1 - cdf. */
export function studentTUpperTail(t: number, df: number): number {
  return studentTCdf(-t, df);
}

/** Density of Student's t. */
export function studentTPdf(t: number, df: number): number {
  if (df === Infinity) return Math.exp(-(t * t) / 2) / Math.sqrt(2 * Math.PI);
  return tPdf(t, df);
}

/** Quantile of Student's t: the t with P(T ≤ t) = p; NaN outside 0 < p < 1 or for a df that is not positive. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (df === Infinity) return normalQuantile(p);
  return tQuantile(p, df);
}
