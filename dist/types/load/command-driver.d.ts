import { type Logger } from '../core/logger.js';
import type { LoadResult } from '../core/types.js';
import type { LoadRun } from './load-run.js';
/** Where the request count comes from while the command runs (same shape as the config's load.counter). */
export type CommandCounter = {
    url: string;
    field?: string;
} | {
    regex: string;
} | {
    file: string;
    field?: string;
};
export interface CommandLoadOptions {
    /** The command as an argument array: run without a shell. */
    run: string[];
    /** Working directory, resolved against deps.cwd. */
    cwd?: string;
    /** Set over the inherited environment. */
    env?: Record<string, string>;
    /** The load's length: the command is sent SIGINT after this plus graceMs if it has not ended by itself. */
    durationMs: number;
    /** Extra time given before SIGINT, and again between SIGINT and SIGKILL. Default 5000 ms. */
    graceMs?: number;
    counter?: CommandCounter;
    /**
     * 'load-start': completed() counts from the counter's value when the load starts (right for an app endpoint,
     * whose count includes requests made before the load); 'zero': the counter's value as is (right for the
     * command's own output). For a file, 'load-start' holds off while the file still has the value it had when
     * the load started (left by an earlier trial or run), then counts from 0 when the command rewrote the count
     * from scratch (the value dropped) or from that value when the file accumulates (it rose). Default:
     * 'load-start' for url and file, 'zero' for regex.
     */
    countsFrom?: 'load-start' | 'zero';
    /** Counter poll interval for url and file counters. Default 250 ms. */
    pollMs?: number;
    /** Time limit of one url counter request. Default 1000 ms. */
    probeTimeoutMs?: number;
}
export interface CommandLoadDeps {
    now?: () => number;
    logger?: Logger;
    /** Base directory for opts.cwd and a relative counter file. Default process.cwd(). */
    cwd?: string;
    /** The environment the command inherits (opts.env is set over it). Default process.env. */
    env?: NodeJS.ProcessEnv;
}
export interface CommandLoadResult extends LoadResult {
    /** How the command ended. */
    exitCode: number | null;
    signal: string | null;
    /** True when leakgate ended the command (stop(), or the duration plus grace passed). */
    stopped: boolean;
    /** False when the command reports no latency (every latency figure is then 0). */
    latencyKnown: boolean;
    /** False when the command reports no status codes or errors (ok then equals requests; non2xx, errors 0). */
    statusKnown: boolean;
}
export interface CommandLoadRun extends LoadRun {
    /**
     * False without a counter: completed() stays 0, so the analysis must use time instead of requests
     * ("analysed over time, not requests: the load command gives no request count").
     */
    countsRequests: boolean;
    done: Promise<CommandLoadResult>;
}
/** Where execvp will find `file` in the child (relative to cwd, or along PATH, the default one when unset). */
export declare function findCommand(file: string, pathVar: string | undefined, cwd: string): string | undefined;
/** "wrk -t1 http://x/" for messages; arguments with spaces or quotes are quoted. */
export declare function displayCommand(argv: readonly string[]): string;
/** Sends a signal to a process group; one already gone is not an error. */
export declare function signalGroup(pgid: number, signal: NodeJS.Signals): boolean;
/**
 * Starts the load command now. Throws (synchronously) a ConfigError for invalid options and a MeasureError when
 * the program is not found. `done` rejects with a MeasureError when the command exits non-zero (or dies of a
 * signal) before the load duration, or when a url counter cannot be read at the start.
 */
export declare function startCommandLoad(opts: CommandLoadOptions, deps?: CommandLoadDeps): CommandLoadRun;
/** GET url with a fresh connection (no keep-alive, so the probe does not share the load's connections); 2xx body text. */
export declare function fetchText(url: string, timeoutMs: number): Promise<string>;
