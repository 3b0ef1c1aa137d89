export interface Projection {
    /** Seconds until memory reaches the limit at this throughput; null when not growing or no throughput. */
    secondsToLimit: number | null;
    /** Requests until memory reaches the limit; null when not growing or already at the limit. */
    requestsToLimit: number | null;
}
/**
 * Linear projection of memory m(r) = current + slope·r to the limit: R = (limit - current) / slope
 * requests, T = R / throughput seconds. Null when memory does not grow (slope ≤ 0), is already at
 * or above the limit, or an input is not a finite number.
 */
export declare function projectTimeToLimit(bytesPerRequest: number, throughput: number, currentBytes: number, limitBytes: number): Projection;
/**
 * Memory after serving `requests` more requests, or running `seconds` more at `throughput`, on the
 * same linear model: current + slope·requests. A negative slope is kept (memory shrinking).
 */
export declare function projectBytesAfter(bytesPerRequest: number, currentBytes: number, after: {
    requests: number;
} | {
    seconds: number;
    throughput: number;
}): number;
