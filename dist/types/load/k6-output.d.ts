/** One line of k6's JSON output: a metric declaration or a data point. */
export type K6JsonLine = {
    type: 'Metric';
    metric: string;
    data: Record<string, unknown>;
} | {
    type: 'Point';
    metric: string;
    time: number;
    value: number;
    tags: Record<string, string>;
};
/**
 * Parses one line of `k6 run --out json=FILE`, e.g.
 * `{"type":"Point","data":{"time":"2024-05-09T14:34:45.62+02:00","value":1,"tags":{...}},"metric":"http_reqs"}`.
 * Point times become epoch milliseconds. Throws an Error naming `where` (file and line) when the line is not
 * such an object.
 */
export declare function parseK6JsonLine(line: string, where?: string): K6JsonLine;
/** Requests that completed in one wall-clock second (from the points' own timestamps). */
export interface K6SecondCount {
    /** Start of the second, epoch milliseconds. */
    second: number;
    requests: number;
}
/** How the stream ended, from K6StreamCounter.end(). */
export interface K6StreamEnd {
    /** True when an unterminated, unparseable last line was dropped (k6 was stopped mid-write). */
    droppedPartialLine: boolean;
}
/**
 * Counts requests in k6's JSON output as it is read, chunk by chunk (a line may be split across chunks, and a
 * UTF-8 character across byte chunks). Counts:
 * - requests: the sum of http_reqs point values (k6 writes one point of value 1 per request);
 * - failed: http_req_failed points of value 1 (k6 marks responses outside `expected_statuses`, and requests that
 *   got no response, as failed); noResponse / timeouts: the failed ones with tag status "0" / error_code "1050";
 * - requests per second, keyed by the points' timestamps.
 * Only lines naming http_reqs or http_req_failed are parsed in full; every other line must still look like a
 * JSON object (start with '{', end with '}'), else push() throws with the line number.
 */
export declare class K6StreamCounter {
    private readonly source;
    private readonly decoder;
    private pending;
    private lineNo;
    private counted;
    private failedCount;
    private noResponseCount;
    private timeoutCount;
    private first;
    private last;
    private readonly seconds;
    /** `source` names the stream in messages, e.g. the file path. */
    constructor(source?: string);
    /** Adds a chunk of the stream. Throws on a malformed complete line, naming the line number. */
    push(chunk: string | Uint8Array): void;
    /**
     * The stream is complete. An unterminated last line is counted if it parses; if it does not, it is dropped when
     * `tolerateTruncated` (k6 was stopped while writing it) and an Error otherwise.
     */
    end(opts?: {
        tolerateTruncated?: boolean;
    }): K6StreamEnd;
    /** Sum of http_reqs point values so far. */
    get requests(): number;
    /** Requests k6 counted as failed (http_req_failed points of value 1). */
    get failed(): number;
    /** Failed requests that got no response at all (status tag "0": connection refused, reset, timeout, ...). */
    get noResponse(): number;
    /** Failed requests with k6 error code 1050 (request timeout). */
    get timeouts(): number;
    /** Complete lines read so far. */
    get lines(): number;
    /** Epoch ms of the first and last http_reqs point; null before the first. */
    get span(): {
        first: number;
        last: number;
    } | null;
    /** Requests per wall-clock second, oldest first; seconds without requests inside the span are listed as 0. */
    perSecond(): K6SecondCount[];
    private line;
}
/** The figures leakgate takes from k6's end-of-test summary. Latency in milliseconds. */
export interface K6Summary {
    /** http_reqs count. */
    requests: number;
    /** http_req_failed passes (matches in the new format): a rate's true values, and this metric is true for a FAILED request. */
    failures: number;
    /** http_reqs rate, requests per second over the test run. */
    throughput: number;
    /** Test run duration derived from count / rate; null when either is 0 or absent. */
    durationMs: number | null;
    latency: {
        p50: number;
        p90: number;
        /** Absent when the run did not compute p(99) (leakgate passes --summary-trend-stats with it; user args may not). */
        p99?: number;
        max: number;
        mean: number;
    };
    /** Thresholds that failed, as "metric: expression". */
    failedThresholds: string[];
    iterations: number;
}
/**
 * Parses the JSON k6 writes with `--summary-export=FILE` (the legacy export: `metrics.<name>` holds the values
 * directly, e.g. `http_reqs: {count, rate}`, `http_req_duration: {avg, min, med, max, "p(90)", "p(95)"}`,
 * `http_req_failed: {passes, fails, value}`, and `thresholds: {expr: failed}`). Also read: the handleSummary()
 * shape (`metrics.<name>.values`) and k6's new machine-readable summary (`results.metrics: [{name, values}]`,
 * `config.duration` in seconds, no p(99)). `source` names the file in messages.
 */
export declare function parseK6Summary(text: string, source: string): K6Summary;
