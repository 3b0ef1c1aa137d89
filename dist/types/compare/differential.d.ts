import { type MetricName, type TrialReport } from '../core/types.js';
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
export declare const DEFAULT_CUSUM: CusumOptions;
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
export declare function notCompared(why: string): DifferentialResult;
/** A trial's memory against requests served after its warm-up, x strictly increasing. */
export declare function seriesAfterWarmup(trial: TrialReport, analysed: MetricName, kind: CusumOptions['series']): {
    x: number[];
    y: number[];
};
/** Linear interpolation of (x, y), x strictly increasing, at each grid point (clamped at the ends). */
export declare function interpolate(x: readonly number[], y: readonly number[], grid: readonly number[]): number[];
/**
 * Noise σ of a series that may drift: from its first differences, which a linear drift only shifts,
 * σ = 1.4826·MAD(Δd)/√2 (Var(Δd) = 2σ² for independent noise; 1.4826 makes the MAD consistent for
 * the normal, Rousseeuw & Croux 1993). Memory moves in whole pages, so more than half of the
 * differences can be equal and the MAD zero: then the mean absolute deviation, scaled by √(π/2)
 * (its normal consistency factor), stands in.
 */
export declare function differenceNoiseSigma(d: readonly number[]): number;
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
export declare function tabularCusum(z: readonly number[], k: number, h: number): TabularCusum;
/**
 * Averages a series over `bins` equal bins of x in [lo, hi]; an empty bin takes the series'
 * interpolated value at its centre. Averaging whole points (rather than interpolating at grid
 * points) keeps neighbouring bins independent, which the CUSUM assumes.
 */
export declare function binMeans(x: readonly number[], y: readonly number[], lo: number, hi: number, bins: number): number[];
/**
 * Recursive residuals of a series against the mean of everything before each point, standardized:
 * z_i = (d_i - mean(d_0..d_{i-1})) / (σ·√(1 + 1/i)), for i from `start`. For independent normal d
 * with a constant level these are independent N(0, 1) whatever the level, so the CUSUM on them
 * needs no known target: the self-starting CUSUM of Hawkins (1987), "Self-starting CUSUM charts
 * for location and scale", The Statistician 36, with σ given.
 */
export declare function recursiveResiduals(d: readonly number[], start: number, sigma: number): number[];
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
export declare function cusumDivergence(head: TrialReport, base: TrialReport, metric: MetricName, opts?: CusumOptions): DifferentialResult;
