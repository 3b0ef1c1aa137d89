/** Median of a list (NaN-free: 0 for an empty list, so callers never leak NaN into reports). */
export declare function median(values: readonly number[]): number;
export { normalCdf, normalQuantile } from './distributions.js';
/**
 * Variance of the Mann-Kendall S under the null hypothesis, with the correction for tied groups:
 * Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)] / 18 (Kendall 1975; Gilbert 1987, eq. 16.4).
 */
export declare function mannKendallVariance(y: readonly number[]): number;
/** Mann-Kendall statistic S = Σ_{i<j} sign(y_j - y_i) (Mann 1945; Gilbert 1987, eq. 16.3). */
export declare function mannKendallS(y: readonly number[]): number;
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
export declare function theilSen(x: readonly number[], y: readonly number[], confidence: number, varS?: number): TheilSenResult;
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
export declare function mannKendall(y: readonly number[], options?: MannKendallOptions): MannKendallResult;
/**
 * Hamed & Rao (1998), "A modified Mann-Kendall trend test for autocorrelated data", J. Hydrology
 * 204, eq. 18: n/n* = 1 + 2/(n(n-1)(n-2)) · Σ_{k=1}^{n-1} (n-k)(n-k-1)(n-k-2)·ρ_s(k), where ρ_s(k)
 * is the lag-k autocorrelation of the ranks of the series detrended by its Sen slope, and only
 * lags significant at `acfAlpha` (|ρ| > z_{1-α/2}/√n) enter the sum.
 */
export declare function hamedRaoRatio(y: readonly number[], acfAlpha?: number): number;
/** Ranks 1..n, ties given their average rank. */
export declare function rank(values: readonly number[]): number[];
/**
 * Sample autocorrelation at lag k, r_k = Σ_{t<n-k}(x_t - x̄)(x_{t+k} - x̄) / Σ(x_t - x̄)²
 * (Box & Jenkins); 0 for a constant series.
 */
export declare function autocorrelation(values: readonly number[], k: number): number;
