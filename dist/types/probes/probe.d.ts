import type { TargetSpec, Target } from '../target/index.js';
import type { Logger } from '../core/logger.js';
import type { CgroupHandle } from '../sample/cgroup.js';
import type { TrialEvidence } from './evidence.js';
export interface ProbeContext {
    logger: Logger;
    /** Monotonic ms. */
    now: () => number;
    /** Requests served so far in this trial's load. */
    requests: () => number;
    /** Load length (ms) for probes that act at fractions of it. */
    loadDurationMs: number;
    /** The share of the load treated as warm-up at least. */
    warmupFraction: number;
    /** Directory for tool output files (valgrind XML, massif, heaptrack), unique per trial. */
    outDir: string;
    /** Every pid of the app's tree the sampler has seen so far (none before sampling starts). */
    processesSeen?: () => Iterable<number>;
}
export interface TrialProbe {
    readonly name: string;
    /** Before the app starts: wrap the command, add environment variables. May throw a ConfigError/MeasureError. */
    prepare?(spec: TargetSpec, ctx: ProbeContext): TargetSpec | Promise<TargetSpec>;
    /** Right after the app was spawned (before readiness): subscribe to its output. */
    started?(target: Target, ctx: ProbeContext): void;
    /** The cgroup the sampler should read at each tick, if this probe owns one. */
    cgroup?(): CgroupHandle | null;
    /** When the load starts (the app is ready). */
    loadStarted?(target: Target, ctx: ProbeContext): Promise<void> | void;
    /** While the load runs: the evidence so far that a verdict can use (the heap readings), for early-stopping looks. */
    peekEvidence?(): Partial<TrialEvidence>;
    /** When the load has ended, the app still running. */
    loadEnded?(target: Target, ctx: ProbeContext): Promise<void>;
    /** After the app has stopped: read results, return the evidence for the report. */
    finish?(exit: {
        code: number | null;
        signal: string | null;
    }, ctx: ProbeContext): Promise<Partial<TrialEvidence>>;
    /** Always called last, whatever happened. */
    dispose?(): Promise<void>;
}
/** The first of a before/after pair of readings, taken once the warm-up share of the load has passed. */
export interface WarmupReading<T> {
    /** At load end: the reading, or an Error saying the load ended before the warm-up did and `what` was not taken. */
    settle(what: string): Promise<T>;
    /** Drops a reading not taken yet. */
    cancel(): void;
}
/** Schedules `take` at the warm-up share of the load (ctx.warmupFraction of ctx.loadDurationMs after now). */
export declare function readAfterWarmup<T>(ctx: ProbeContext, take: () => Promise<T>): WarmupReading<T>;
/** Runs one hook on every probe in order, logging (not throwing) a probe's failure, and collecting notes. */
export declare function eachProbe(probes: readonly TrialProbe[], ctx: ProbeContext, what: string, fn: (p: TrialProbe) => unknown): Promise<string[]>;
