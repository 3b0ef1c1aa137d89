import type { NativeConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { type HeapDump, type HeapProfilerTool } from '../native/heap-profiler.js';
import type { LeakSiteRef } from '../native/memcheck-types.js';
import type { TrialProbe } from './probe.js';
export interface HeapProfileProbeOptions {
    tool: HeapProfilerTool;
    native: NativeConfig;
    /** Directory a relative native.binary is resolved against (the config file's). */
    baseDir: string;
    baselineSites: LeakSiteRef[] | null;
    baselineNote?: string;
    logger: Logger;
}
/** The dumps placed on the load: requests served when each was written (0 before the load started). */
export declare function datedDumps(dumps: readonly HeapDump[], timeline: ReadonlyArray<{
    t: number;
    requests: number;
}>): Array<HeapDump & {
    requests: number;
    after: boolean;
}>;
/**
 * The pair to diff: the first dump after warm-up, and the last one written during the load (an app may free what it
 * holds at exit), or the exit dump when no later dump came during the load. With fewer than two dumps after
 * warm-up, the last dump before warm-up ended is the first (start-up allocations then count too, with a note);
 * with fewer than two dumps at all there is no pair, and why.
 */
export declare function pickDumps<T extends {
    mtimeMs: number;
    requests: number;
    after: boolean;
}>(dated: readonly T[], warmupEndMs: number): {
    first: T;
    last: T;
    note?: string;
} | {
    why: string;
};
export declare function createHeapProfileProbe(opts: HeapProfileProbeOptions): TrialProbe;
