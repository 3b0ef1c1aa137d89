/** One point of a series: Unix time in milliseconds and the value. */
export interface Point {
    t: number;
    v: number;
}
export interface RangeSeries {
    /** The series' labels, __name__ included when Prometheus returned it. */
    labels: Record<string, string>;
    /** Finite points, oldest first. */
    points: Point[];
    /** Values that were NaN or infinite, dropped from `points`. */
    nonFinite: number;
}
export interface RangeResult {
    series: RangeSeries[];
    /** Warnings Prometheus attached to a successful answer. */
    warnings: string[];
}
/** Why a query gave no data: Prometheus refused it, or the answer was not what the range API returns. */
export declare class PrometheusError extends Error {
    /** Prometheus's errorType (bad_data, execution, timeout, ...), 'unreachable', or 'invalid-response'. */
    readonly kind: string;
    readonly status: number | null;
    constructor(message: string, 
    /** Prometheus's errorType (bad_data, execution, timeout, ...), 'unreachable', or 'invalid-response'. */
    kind: string, status: number | null);
}
/** Parses a query_range answer (HTTP status and body, already JSON-parsed or the raw text). */
export declare function parseQueryRange(status: number, body: unknown): RangeResult;
/** The series' labels as PromQL writes them: name{a="1", b="2"}. */
export declare function seriesName(labels: Record<string, string>): string;
