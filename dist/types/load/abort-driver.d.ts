import type { MixRequest } from './request-mix.js';
export interface AbortLoadOptions {
    /** The URL requested (load.url, or its origin and the path of the first of load.requests). */
    url: string;
    request?: Pick<MixRequest, 'method' | 'headers' | 'body'>;
    /** Share of all requests finished (answered or aborted) that are aborted, 0 < share < 1. */
    share: number;
    afterMs: number;
    from: 'response' | 'request';
    /** Requests in flight at most. */
    concurrency: number;
    /** An abort request that is neither answered nor aborted within this is dropped as a timeout. */
    timeoutMs: number;
}
export interface AbortRun {
    /** Requests aborted so far. */
    aborted(): number;
    /** Ends the loop; resolves with the counts once the requests in flight are settled. */
    stop(): Promise<AbortCounts>;
}
export interface AbortCounts {
    aborted: number;
    errors: number;
    timeouts: number;
    connectionsOpened: number;
}
/**
 * Starts aborting requests now. `finished()` is the number of requests the rest of the load has finished; the loop
 * keeps aborted / (finished + aborted) at `share`. Answered responses go to `onResponse`, as the main load's do.
 */
export declare function startAbortLoad(opts: AbortLoadOptions, finished: () => number, onResponse: (status: number, ms: number) => void): AbortRun;
