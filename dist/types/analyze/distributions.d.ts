/** Standard normal CDF, Φ(x); 0.5 for NaN so a degenerate statistic reads as "no evidence". */
export declare function normalCdf(x: number): number;
/**
 * Inverse of the standard normal CDF, Φ⁻¹(p) = -√2 erfc⁻¹(2p), clamped to ±38 at p = 0 or 1 (and below/above).
 * Through erfc⁻¹ of the nearer tail rather than stdlib's normal quantile, which goes through erf⁻¹(2p - 1) and is
 * off by 2e-9 (relative) at p = 1e-10: -6.3613408897 where scipy's norm.ppf gives -6.3613409024.
 */
export declare function normalQuantile(p: number): number;
/** ln |Γ(x)|. */
export declare function logGamma(x: number): number;
/** Regularized incomplete beta function I_x(a, b) (Abramowitz & Stegun 6.6.2); 0 below x = 0, 1 above x = 1. */
export declare function regularizedIncompleteBeta(x: number, a: number, b: number): number;
/**
 * CDF of Student's t with `df` degrees of freedom (df may be fractional, as Welch's is): P(T ≤ t). Each tail is
 * computed from the incomplete beta directly, so it keeps its relative precision far out. df = Infinity is the
 * normal distribution; NaN for a NaN t or a df that is not positive.
 */
export declare function studentTCdf(t: number, df: number): number;
/** Upper tail P(T ≥ t) of Student's t, without the cancellation of 1 - cdf. */
export declare function studentTUpperTail(t: number, df: number): number;
/** Density of Student's t. */
export declare function studentTPdf(t: number, df: number): number;
/** Quantile of Student's t: the t with P(T ≤ t) = p; NaN outside 0 < p < 1 or for a df that is not positive. */
export declare function studentTQuantile(p: number, df: number): number;
