import type { SampledMetric, Sample } from '../core/types.js';
export interface RobustSeriesOptions {
    metric: SampledMetric;
    /** Windows to aim for; more points give the tests more power (default 30). */
    targetWindows?: number;
    /** Fewest samples per window, so each floor is a minimum over something (default 3). */
    minWindow?: number;
}
export interface RobustSeries {
    /** Requests served at the sample holding each window's floor. */
    x: number[];
    /** The floor (minimum) of the metric in each window, bytes. */
    y: number[];
    /** Index, within the samples passed in, of the sample each point came from. */
    index: number[];
    /** Samples per window (windows differ by at most one sample). */
    windowSize: number;
}
export declare const DEFAULT_TARGET_WINDOWS = 30;
export declare const DEFAULT_MIN_WINDOW = 3;
/**
 * Samples per window: n/targetWindows, but never below minWindow. With the default 250 ms
 * sampling and a 30 s run that is 3 samples (0.75 s) per window and ~30 points after warm-up;
 * longer runs get longer windows, which also span longer GC cycles.
 */
export declare function robustWindowSize(sampleCount: number, options?: Omit<RobustSeriesOptions, 'metric'>): number;
/**
 * Per-window floor series. x is the request count at the very sample that holds the minimum
 * (first one on ties), not the window's median: the point is then a real observation of
 * memory-versus-requests, so a floor that sits at a window's edge (a collection just before the
 * window ends) is not shifted by half a window, which would blur the slope.
 */
export declare function robustSeries(samples: readonly Sample[], options: RobustSeriesOptions): RobustSeries;
