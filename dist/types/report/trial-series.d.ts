import type { MetricName, TrialReport } from '../core/types.js';
export interface ChartPoint {
    x: number;
    y: number;
}
export interface TrialChartSeries {
    /** Which figure the points are: the analysed metric, or 'heap' for the runtime's heap after GC. */
    metric: MetricName;
    points: ChartPoint[];
    /** Requests served when the warm-up ended (the trend is fitted after it). */
    warmupEndX: number;
    /** The fitted line's ends; absent when no trend was fitted. */
    trend?: {
        x0: number;
        y0: number;
        x1: number;
        y1: number;
    };
}
/** Samples under load of one figure, sorted by requests served. */
export declare function samplePoints(trial: TrialReport, metric: MetricName): ChartPoint[];
/** The chart of a trial for the analysed metric (heap when the heap series exists, else its sampled stand-in). */
export declare function trialChartSeries(trial: TrialReport, analysed: MetricName): TrialChartSeries;
