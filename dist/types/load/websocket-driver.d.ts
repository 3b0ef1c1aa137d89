import type { LoadResult } from '../core/types.js';
import type { LoadRun } from './load-run.js';
export interface WebSocketLoadOptions {
    /** ws:// or wss:// */
    url: string;
    durationMs: number;
    /** Ends the load after this many sessions when that comes before durationMs. */
    amount?: number;
    /** Sessions open at once (each loop runs one session after the other). */
    sessions: number;
    /** Messages exchanged per session; the list is sent in order and repeated to reach this count. */
    perSession: number;
    messages: string[];
    /** Longest wait for the session to open, for a reply, and for the close handshake. */
    timeoutMs: number;
}
export interface WebSocketLoadResult extends LoadResult {
    unit: 'session';
    messages: number;
    /** Sessions open at once. */
    sessionsInParallel: number;
}
/** When the load cannot open a single session: the URL refuses, or the server answers the upgrade with an error. */
export declare class WebSocketRefusedError extends Error {
}
export declare function startWebSocketLoad(opts: WebSocketLoadOptions, now?: () => number): LoadRun & {
    done: Promise<WebSocketLoadResult>;
};
