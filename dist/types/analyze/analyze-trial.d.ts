import type { SampledMetric, Sample, TrialAnalysis } from '../core/types.js';
export interface AnalysisOptions {
    metric: SampledMetric;
    warmup: {
        mode: 'auto' | 'fixed';
        fraction: number;
    };
    /** Significance level of the one-sided Mann-Kendall test. */
    alpha: number;
    /** Confidence level of the slope's interval. */
    confidence: number;
    /** Practical floor: the interval's lower bound must exceed this many bytes per request. */
    minBytesPerRequest: number;
    /** The same floor over time (a load command without a counter): bytes per second of load. */
    minBytesPerSecond: number;
    /** Practical floor: predicted growth over the analysed window, as a share of the start. */
    minRelativeGrowth: number;
    /** Fewest requests in the analysed window for a conclusive verdict. */
    minRequests: number;
    /** Fewest robust points for a conclusive verdict. */
    minPoints: number;
    /**
     * What the x axis counts: requests served (the default), or seconds of load (analyzeTrialOverTime), when the
     * slope, its floor and every figure of the verdict's reason are per second.
     */
    per?: 'request' | 'second';
    /**
     * Fewest samples per robust window. Unset: 3, fewer for a short run rather than fall below minPoints. 1 for a
     * series with no sawtooth to see through (readings after a forced full GC), so each reading is a point.
     */
    minWindow?: number;
}
export declare const DEFAULT_ANALYSIS: AnalysisOptions;
/**
 * Analyse one trial. Only samples taken while load ran (t >= 0) count; `warmupEndIndex` is an
 * index into `samples` as given. `throughput` (requests per second) converts the slope to bytes
 * per second. Every number in the result is finite, so the JSON report can hold it.
 */
export declare function analyzeTrial(samples: Sample[], opts: AnalysisOptions, throughput: number): TrialAnalysis;
/**
 * Over time: for a load command that gives no request count. The x axis is seconds of load (sample time), so the
 * slope is bytes per second and is tested against minBytesPerSecond, never against the per-request floor (which
 * over milliseconds would have been 32 B/ms). `throughput` is the requests per second the command reported (wrk's
 * summary), 0 when unknown: it turns min-requests into the seconds that hold that many requests (no minimum when
 * unknown; min-points still applies) and the slope into bytes per request for growthPerMillionRequests. In the
 * result, bytesPerRequest/ciLow/ciHigh are B/s, bytesPerSecond is the slope itself, and warmupEndRequests and
 * requestsAnalysed are seconds of load.
 */
export declare function analyzeTrialOverTime(samples: Sample[], opts: AnalysisOptions, throughput: number): TrialAnalysis;
