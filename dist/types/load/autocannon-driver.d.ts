import type { LatencyFigures, LoadResult } from '../core/types.js';
import type { LoadRun } from './load-run.js';
import { type MixRequest, type RequestMode } from './request-mix.js';
/** A warm-up before the measured load: same requests and connections, at a constant overall rate. */
export interface WarmupOptions {
    durationMs: number;
    /** Requests per second, overall. */
    rate: number;
}
/** What the driver needs; the lead maps the config's `load` section onto it. */
export interface AutocannonLoadOptions {
    url: string;
    /** Length of the measured load, ms (a warm-up runs before it, on top). */
    durationMs: number;
    /** Ends the measured load after this many responses when that comes before durationMs (warm-up responses do not count). */
    amount?: number;
    /** Connections kept open; with a rate, at most ceil(rate) are used (as autocannon does). */
    connections: number;
    /** Requests in flight per connection (HTTP/1.1 pipelining). */
    pipelining: number;
    timeoutMs: number;
    /** Empty: GET the url itself. */
    requests: MixRequest[];
    /** 'sequence' (the list in order on every connection) or 'mix' (weighted); default: 'mix' when a weight is given. */
    mode?: RequestMode;
    /**
     * Requests per second overall, spread evenly over time and connections (open-loop pacing up to
     * `connections * pipelining` in flight). Absent: closed loop, each connection sends as soon as it
     * has a response.
     */
    rate?: number;
    warmup?: WarmupOptions;
    /**
     * Connection churn: each connection is closed and reopened after this many requests (once their responses are
     * in), so per-connection state in the app (socket listeners, TLS sessions, per-connection caches) is set up and
     * torn down all through the load. 0 or absent: keep-alive connections for the whole load.
     */
    reconnectEvery?: number;
    /** A share of requests aborted by the client during the measured load (load.abort); see abort-driver.ts. */
    abort?: {
        share: number;
        afterMs: number;
        from: 'response' | 'request';
    };
}
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
/** LoadResult plus what this driver knows beyond it. */
export interface AutocannonLoadResult extends LoadResult {
    /** Of the measured load only (not the warm-up). p95 comes from leakgate's own histogram (1% buckets). */
    latency: LatencyFigures & {
        p95: number;
        p97_5: number;
    };
    /** Responses by status class, warm-up included (1xx/3xx/4xx/5xx add up to non2xx). */
    statusClasses: Record<StatusClass, number>;
    /** The target rate of the measured load, requests/s, when one was set. */
    rate?: number;
    /** Connections actually used by the measured load. */
    connections: number;
    /** Responses completed during the warm-up (included in `requests`), when there was one. */
    warmupRequests?: number;
    warmupDurationMs?: number;
    connectionsOpened: number;
}
/**
 * `requests`, `ok`, `non2xx`, `errors`, `timeouts`, `durationMs` and `statusClasses` cover the warm-up
 * and the measured load (requests === completed() at the end); `throughput` and `latency` cover the
 * measured load alone.
 */
export interface AutocannonLoadRun extends LoadRun {
    done: Promise<AutocannonLoadResult>;
    /** completed() when the warm-up ended; undefined while it runs or when there is none. */
    warmupEnd(): number | undefined;
}
/**
 * Starts the load now; `done` resolves when the measured load's duration or amount is reached, or
 * after stop(). Throws a ConfigError at once for unusable options (weights, ids, rate).
 *
 * Counting: a phase ends by draining, not by cutting connections: no new request is sent and each
 * connection closes once its in-flight (pipelined) responses are in, so completed() matches what the
 * server answered. Requests still unanswered min(timeout, 2 s) after the end are abandoned.
 */
export declare function startAutocannon(opts: AutocannonLoadOptions, now?: () => number): AutocannonLoadRun;
/** Latencies in log buckets 1% wide from 1 µs (autocannon's result has no p95). */
export declare class LatencyHistogram {
    private static readonly MIN;
    private static readonly LOG_STEP;
    private readonly buckets;
    count: number;
    record(ms: number): void;
    /** The q-quantile in ms (the upper edge of its bucket, at most 1% above the true value); NaN when empty. */
    quantile(q: number): number;
}
