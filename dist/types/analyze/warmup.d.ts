import type { SampledMetric, Sample } from '../core/types.js';
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
export declare const PLATEAU_LATEST = 0.6;
/** Growth after the break must be below this share of the growth before it. */
export declare const PLATEAU_SLOPE_RATIO = 0.25;
/** The two-piece fit must leave at most this share of the one-line fit's residual sum of squares. */
export declare const PLATEAU_RSS_RATIO = 0.7;
/**
 * Where the analysed window starts. `samples` are the samples taken while load ran (t >= 0), in
 * order. Fixed mode cuts `fraction` of the requests; auto mode also looks for a plateau after it.
 */
export declare function findWarmupEnd(samples: readonly Sample[], metric: SampledMetric, options: WarmupOptions): WarmupEnd;
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
export declare function findPlateauStart(samples: readonly Sample[], metric: SampledMetric, fraction: number): number | null;
/**
 * Ordinary least squares via the normal equations (columns are few and pre-scaled to [0, 1], so
 * their conditioning is fine). Returns the coefficients and the residual sum of squares, or null
 * when the design is singular.
 */
export declare function leastSquares(columns: readonly number[][], y: readonly number[]): {
    coef: number[];
    rss: number;
} | null;
