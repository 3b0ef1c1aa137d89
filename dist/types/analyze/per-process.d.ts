import type { SampledMetric, Sample } from '../core/types.js';
export interface ProcessGrowth {
    pid: number;
    ppid: number;
    comm: string;
    /** Command line, when the caller passed the sampler's process table. */
    cmdline?: string;
    /** Fitted floor of the metric at this pid's first and last sample after warm-up, bytes. */
    startBytes: number;
    endBytes: number;
    /** Theil-Sen slope of the metric's floor against requests, bytes per request. */
    slopeBytesPerRequest: number;
    /** Share of the tree's growth: this slope over the sum of the positive slopes (0 when not growing). */
    share: number;
    /** Samples of this pid after warm-up. */
    points: number;
    /** Requests served over the samples this pid was in. */
    requests: number;
    /** Born after warm-up ended / gone before the last sample. */
    appearedLate: boolean;
    vanished: boolean;
}
export interface AttributeOptions {
    /** Index into `samples` where the analysed window starts (TrialAnalysis.warmupEndIndex). */
    warmupEndIndex: number;
    metric: SampledMetric;
    /** Command lines by pid (e.g. from sampler.processes()). */
    cmdlines?: ReadonlyMap<number, {
        cmdline: string;
    }>;
}
/**
 * The index in `samples` of the first one at or past `requests` (samples.length when none is). The analysis's
 * warm-up end is an index into the series it analysed: only the full samples for pss and uss, the heap readings
 * for metric heap. The request count at that point is what means the same thing in every series.
 */
export declare function indexAtRequests(samples: readonly Pick<Sample, 'requests' | 't'>[], requests: number): number;
/**
 * Per process, how its memory grew after warm-up, most growth first. A pid that appears late or
 * vanishes is fitted on the samples it is in. For pss and uss only full samples count (in the
 * others those figures were carried forward, not read).
 */
export declare function attributeProcesses(samples: readonly Sample[], opts: AttributeOptions): ProcessGrowth[];
/** The process that grows most, or null when none grows (slope <= 0) or the tree has one process. */
export declare function topGrowingProcess(growth: readonly ProcessGrowth[]): ProcessGrowth | null;
/**
 * A command line short enough for a verdict, keeping what tells processes apart: the program's
 * name (not its directory) and the end of the line, where the script and its arguments are.
 * "/usr/bin/node /deep/checkout/examples/app/server.js" -> "node /deep/checkout/examples/app/server.js",
 * and past 60 characters the middle goes: "node /deep/...les/app/server.js". Cutting the end instead
 * made the name depend on how deep the checkout was.
 */
export declare function shortCommandLine(cmdline: string, max?: number): string;
/** "pid 123 (node server.js, child of pid 100)"; the root is "the app's main process". */
export declare function describeProcess(p: Pick<ProcessGrowth, 'pid' | 'ppid' | 'comm' | 'cmdline'>, rootPid?: number): string;
/**
 * The verdict's clause naming where memory grows, e.g. "grows in pid 123 (node server.js, child of
 * pid 100): 1,024 B/req, 97.0% of the tree's growth"; null when no process grows.
 */
export declare function describeGrowth(growth: readonly ProcessGrowth[], rootPid?: number): string | null;
