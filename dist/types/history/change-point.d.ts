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
export declare const MIN_BEFORE = 5;
/** Points after the split: a shift seen on fewer commits is one comparison's business, not a sustained drift. */
export declare const MIN_AFTER = 3;
/** Points are clipped to the history's median +- this many of their sigmas before the means are taken. */
export declare const CLIP_SIGMAS = 4;
/**
 * Calibrated with bench/drift.ts (1000 histories of 50 unchanged commits, slope sd 15-30 B/req, test run on every
 * prefix as on every save), seeds 1-4: 0.3-1.0% of histories raise a false alarm, and 92-94% of +20 B/req-per-commit
 * creeps are found by their 5th commit; see docs/history.md.
 */
export declare const DEFAULT_DRIFT_THRESHOLD = 3.75;
/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; error < 1.5e-7). */
export declare function normalCdf(x: number): number;
/**
 * The scatter of the points beyond their own intervals: the robust scale (MAD * 1.4826) of successive differences,
 * each standardised by its two points' sigmas, over sqrt(2). Successive differences are barely moved by a level shift
 * or a slow ramp, so the drift does not hide itself by inflating the noise. At least 1: points never count as less
 * noisy than their intervals.
 */
export declare function dispersionOf(values: readonly number[], sigmas: readonly number[]): number;
/** The noise of each point from its interval; a zero-width interval borrows the median width (or 1 B/req). */
export declare function sigmasOf(points: readonly DriftPoint[], confidence?: number): number[];
/** The two-segment test over the whole of `points` (oldest first). */
export declare function detectDrift(points: readonly DriftPoint[], opts?: DriftOptions): DriftResult;
