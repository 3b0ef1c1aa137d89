import type { Sample } from '../core/types.js';
import { type CgroupHandle } from './cgroup.js';
import { type ProcessInfo, type TreeReaderStats } from './read-memory.js';
export interface SamplerOptions {
    /** The process leakgate started. */
    rootPid: number;
    /** The app's process group (it is started in its own), to keep orphans in the tree. */
    pgid?: number;
    /** Also sample these processes (an attached cgroup's members), listed again at every full scan. */
    members?: () => readonly number[];
    /**
     * 'cgroup': the sample's total anon is the cgroup's anon (memory.stat, what cAdvisor reports) rather than the
     * processes' RssAnon summed; needs `cgroup`. For an attached cgroup, whose processes leakgate did not start.
     */
    anonFrom?: 'processes' | 'cgroup';
    intervalMs: number;
    /** Requests completed so far, read when each sample is taken. */
    requests: () => number;
    /** Monotonic milliseconds, e.g. performance.now. */
    now: () => number;
    /** The now() value at which t = 0 (load start); may change once, when load starts. */
    origin: () => number;
    procRoot?: string;
    /** Called with each sample as it is taken (t relative to origin() at that moment). */
    onSample?: (s: Sample) => void;
    /** Called with any error reading /proc or from the callbacks; that tick records nothing. */
    onError?: (e: unknown) => void;
    /** Also read this memory cgroup at every sample (Sample.cgroup); a failed cgroup read goes to onError. */
    cgroup?: CgroupHandle;
    /** Share of one core the smaps_rollup reads (pss, uss) may cost on average (default 0.005). */
    fullReadBudget?: number;
    /** Full /proc scan for the tree every this many samples (default 20). */
    rescanEvery?: number;
}
export interface Sampler {
    /** Stops the timer, waits for a read in progress, and returns every sample. */
    stop(): Promise<Sample[]>;
    /** The samples so far. */
    samples(): readonly Sample[];
    /** Takes a sample now, after any read in progress; null if the tree is empty or stopped. */
    sampleNow(): Promise<Sample | null>;
    /** Every process seen so far, with its command line (read when first seen, and again after an exec). */
    processes(): ReadonlyMap<number, ProcessInfo>;
    /** What the reads cost and how often the full reads came. */
    stats(): TreeReaderStats;
}
/**
 * Starts sampling at once (tick 0), then at t0 + k * intervalMs. A read that overruns its tick
 * makes the sampler skip the ticks it missed instead of catching up in a burst, and two reads
 * never overlap.
 *
 * Samples returned by samples() and stop() have t measured against origin() as it is when they
 * are returned, so samples taken before load started come out negative even though origin()
 * only moved to the load start later.
 */
export declare function startSampler(opts: SamplerOptions): Sampler;
