import type { ComparisonVerdict } from '../compare/compare-baseline.js';
import type { TrialAnalysis, Verdict } from '../core/types.js';
import type { Gap, Restart } from './segment.js';
/** Which query a series came from. */
export type SeriesGroup = 'query' | 'canary' | 'baseline';
export interface SegmentResult {
    /** Unix milliseconds of its first and last point. */
    startMs: number;
    endMs: number;
    points: number;
    /** Index of the TrialReport holding this segment's samples in report.trials. */
    trial: number;
    analysis: TrialAnalysis;
}
export interface SeriesResult {
    group: SeriesGroup;
    /** name{label="value", ...} */
    name: string;
    labels: Record<string, string>;
    /** Finite points, and values dropped as NaN or infinite. */
    points: number;
    nonFinite: number;
    gaps: Gap[];
    restarts: Restart[];
    segments: SegmentResult[];
    verdict: Verdict;
    reason: string;
    /** The segment whose figures stand for the series: the steepest leaking one, else the longest conclusive one. */
    decidingSegment: number;
    /** Growth over time, bytes per second and MiB per hour (from the deciding segment). */
    bytesPerSecond: number;
    mibPerHour: number;
    /** With a request counter: bytes per request, and requests per second over the deciding segment. */
    bytesPerRequest: number | null;
    throughput: number | null;
    lastBytes: number;
    peakBytes: number;
    limitBytes: number | null;
    limitSource: 'limit-query' | 'limit' | null;
    /** Seconds until the limit at the current slope from the last value; null when not growing or no limit. */
    secondsToLimit: number | null;
    /** The series for charts, thinned to at most CURVE_POINTS points: Unix ms and bytes. */
    curve: Array<{
        t: number;
        bytes: number;
    }>;
}
export interface CanaryResult {
    verdict: ComparisonVerdict;
    /** Series compared on each side. */
    canarySeries: number;
    baselineSeries: number;
    /** Whether the CUSUM of the two curves crossed its threshold (the figures are in report.comparison.differential). */
    diverged: boolean;
}
export interface PrometheusSection {
    source: 'prometheus';
    /** The server's URL (never credentials). */
    server: string;
    queries: {
        query?: string;
        canary?: string;
        baseline?: string;
        requests?: string;
        limit?: string;
    };
    window: {
        start: string;
        end: string;
        rangeSeconds: number;
        stepSeconds: number;
    };
    /** What the slopes are against: time (bytes per second) or requests served (bytes per request). */
    axis: 'time' | 'requests';
    series: SeriesResult[];
    /** Over the query and canary series (the baseline's are for comparison): leak when any series leaks. */
    verdict: Verdict;
    /** Names of the leaking series. */
    leaking: string[];
    canary: CanaryResult | null;
    warnings: string[];
}
