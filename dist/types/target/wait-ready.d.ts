import { type Logger } from '../core/logger.js';
import { type Target } from './start-target.js';
export interface ReadySpec {
    url?: string;
    port?: number;
    /** Default 127.0.0.1. */
    host?: string;
    /** Regular expression source, matched against each line of output. */
    log?: string;
    timeoutMs: number;
}
export interface WaitReadyOptions {
    logger?: Logger;
    signal?: AbortSignal;
    /** Pause between probe attempts. Default 100 ms. */
    pollMs?: number;
    /** Longest single attempt (HTTP request or TCP connect). Default 1000 ms. */
    attemptTimeoutMs?: number;
    /**
     * Count a local port or URL as ready only when the app's tree holds its listening socket, so a leftover or a
     * neighbour answering on it never passes. Default true.
     */
    checkOwner?: boolean;
    /** For tests. Default '/proc'. */
    procRoot?: string;
}
export declare function waitReady(target: Target, ready: ReadySpec, opts?: WaitReadyOptions): Promise<void>;
