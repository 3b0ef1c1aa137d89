import type { Logger } from '../core/logger.js';
import type { LoadResult } from '../core/types.js';
import { type K6SecondCount } from './k6-output.js';
import type { LoadRun } from './load-run.js';
export interface K6LoadOptions {
    /** The k6 script, resolved against deps.cwd. */
    script: string;
    /** Passed as --duration; without it the script's own options (scenarios, stages, duration) decide. */
    durationMs?: number;
    /**
     * Without durationMs: stop k6 (SIGINT, then SIGKILL after the grace) when it is still running this long after
     * it started, so a script with long or open-ended scenarios cannot hang a CI job. Default 30 minutes.
     */
    maxDurationMs?: number;
    /** Passed as --vus. */
    vus?: number;
    /** Extra arguments for `k6 run`, placed after leakgate's (so they win) and before the script. */
    args?: string[];
    /** Passed to the script as `-e K=V` (read there as __ENV.K). */
    env?: Record<string, string>;
    /** The app's URL, passed to the script as __ENV.BASE_URL and __ENV.LEAKGATE_URL (opts.env may override them). */
    url?: string;
    /** After stop(): time for k6 to write its summary after SIGINT, before SIGKILL. Default 10000 ms. */
    stopGraceMs?: number;
}
export interface K6Deps {
    now: () => number;
    logger: Logger;
    /** Directory the script path and k6 itself are resolved against, and k6's working directory. */
    cwd: string;
    /** The environment k6 runs with (also where PATH is looked up). Default process.env. */
    env?: NodeJS.ProcessEnv;
    /** The k6 executable; default: 'k6' found on PATH. */
    k6Path?: string;
    /** How often the JSON output file is polled. Default 150 ms. */
    pollMs?: number;
    /** Where the temp directory for k6's output goes. Default os.tmpdir(). */
    tmpRoot?: string;
}
export interface K6LoadResult extends LoadResult {
    tool: 'k6';
    exitCode: number | null;
    signal: string | null;
    /** True when leakgate stopped k6 (stop(), or the safety deadline). */
    stopped: boolean;
    /** k6 exited with code 99: some thresholds of the script failed. Not a measurement failure. */
    thresholdsFailed: boolean;
    /** "metric: expression" of each failed threshold, from the summary. */
    failedThresholds: string[];
    /** Requests per wall-clock second, from the JSON output. */
    perSecond: K6SecondCount[];
    /** What the report should say about how k6 ended (thresholds, exit code, missing summary); null when all is well. */
    note: string | null;
}
export interface K6LoadRun extends LoadRun {
    done: Promise<K6LoadResult>;
}
export declare const K6_INSTALL_HINT: string;
/** Trend stats leakgate asks for: k6's defaults (avg,min,med,max,p(90),p(95)) plus p(99). */
export declare const K6_TREND_STATS = "avg,min,med,max,p(90),p(95),p(99)";
/** Without --duration, the hard limit on a k6 run unless opts.maxDurationMs says otherwise. */
export declare const DEFAULT_K6_MAX_DURATION_MS: number;
/** The path of k6 on PATH; throws a MeasureError saying how to install it when there is none. */
export declare function requireK6(pathVar: string | undefined, cwd?: string): string;
/** The argument array of `k6 run` (without the program name). Pure. */
export declare function k6RunArgs(opts: K6LoadOptions, files: {
    json: string;
    summary: string;
    script: string;
}): string[];
/** Describes a k6 exit for messages: "exit code 107 (script exception)". */
export declare function describeK6Exit(code: number | null, signal: string | null): string;
/**
 * Starts k6 now. Throws synchronously: a MeasureError when k6 is not on PATH (with how to install it) and a
 * ConfigError when the script does not exist or an env name is invalid. `done` resolves with the summary's
 * figures when k6 exits (also after stop(), and when thresholds failed: see thresholdsFailed and note), and
 * rejects with a MeasureError when k6 failed before completing any request, or its JSON output is malformed.
 */
export declare function startK6(opts: K6LoadOptions, deps: K6Deps): K6LoadRun;
