import type { Logger } from '../core/logger.js';
import type { TrialProbe } from './probe.js';
export interface NodeHeapProbeOptions {
    intervalMs: number;
    /** Most of the app's wall time the forced GCs may take (see startNodeHeapSampler). */
    pauseBudget?: number;
    snapshots: boolean;
    top: number;
    logger: Logger;
}
/** When the first two snapshots are due, ms after the load starts: at the end of warm-up, and midway through the rest. */
export declare function snapshotTimes(warmupFraction: number, loadDurationMs: number): [number, number];
/** Three heap snapshots of one load: the first two on timers, the last when the load ends. */
export interface SnapshotSeries<T> {
    /** Schedules the first two; `elapsedMs` is how long the load has already run (the inspector connects late). */
    start(elapsedMs: number): void;
    /**
     * At load end: cancels a snapshot not started yet, waits for one in progress, then takes the end one when the
     * first two were taken (a comparison needs all three). Returns the snapshots (null where not taken) and, when
     * fewer than three were taken, a note saying which are missing and why.
     */
    end(): Promise<{
        taken: Array<T | null>;
        note?: string;
    }>;
    /** Drops timers not fired yet. */
    cancel(): void;
}
export declare function createSnapshotSeries<T>(times: readonly [number, number], take: (i: number) => Promise<T>): SnapshotSeries<T>;
/** Most node processes whose heaps one reading sums. */
export declare const MAX_HEAP_PROCESSES = 32;
export declare function createNodeHeapProbe(opts: NodeHeapProbeOptions): TrialProbe;
