import { type Logger } from '../core/logger.js';
import type { HeapSnapshot } from './heap-snapshot.js';
import { type HeapSnapshotSummary } from './heap-summary.js';
import { type HeapFigures } from './heap-sum.js';
import type { InspectorSession } from './node-inspector.js';
/** One heap reading, taken right after a forced full GC (summed over the processes read, see heap-sum.ts). */
export interface HeapSample extends HeapFigures {
    /** opts.now() when the GC had finished. */
    t: number;
    /** opts.requests() at the same moment. */
    requests: number;
    /** The processes summed into this reading (startHeapSumSampler), ascending; [0] for a lone session. */
    pids?: number[];
}
/** The live-memory figure the gate reads: V8 heap in use plus external memory (Buffers count). */
export declare function liveBytes(s: Pick<HeapSample, 'usedSize' | 'external'>): number;
export interface NodeHeapSamplerOptions {
    /** Shortest time between the starts of two samples. Default 2000 ms. A sample never starts before the last one ended. */
    intervalMs?: number;
    /**
     * Most of the app's wall time the forced GCs may take (0.03 = 3%): after each sample the next waits at least
     * gcMs / budget, so a large heap is read less often. Default: no budget (intervalMs alone).
     */
    pauseBudget?: number;
    /** The clock samples are stamped with (e.g. ms since the load started). */
    now: () => number;
    /** Requests completed so far. */
    requests: () => number;
    /** Per protocol call. Default 30 s (a heap snapshot taken meanwhile delays the calls queued behind it). */
    callTimeoutMs?: number;
    /** Called with each sample as it is taken. */
    onSample?: (s: HeapSample) => void;
    logger?: Logger;
}
export interface NodeHeapSampler {
    /** Samples so far. */
    samples(): readonly HeapSample[];
    /** The forced GCs' pauses so far, and their share of the time sampled. */
    pauses(): GcPauseStats;
    /** Stops sampling, waits for a sample in flight, and returns all samples. */
    stop(): Promise<HeapSample[]>;
}
/** What the forced GCs cost the app. */
export interface GcPauseStats {
    count: number;
    totalMs: number;
    medianMs: number;
    maxMs: number;
    /** totalMs over the time from the first sample's start to the last one's end. */
    share: number;
    /** Median time between two samples' starts, ms. */
    medianIntervalMs: number;
}
/** The forced GCs' cost from the samples' pauses and start times. */
export declare function gcPauseStats(samples: readonly (Pick<HeapSample, 't' | 'gcMs'> & {
    gcMeasured?: boolean;
})[]): GcPauseStats;
/** One node process whose live memory joins the readings. */
export interface HeapSource {
    /** The process id (0 when unknown: a lone session). */
    pid: number;
    session: InspectorSession;
}
/** A sampler over several processes: each reading sums them (see heap-sum.ts). */
export interface HeapSumSampler extends NodeHeapSampler {
    /** Adds a process from the next reading on; a session already in is ignored. */
    add(source: HeapSource): void;
    /** Processes read now (not left, not given up on). */
    size(): number;
}
/**
 * Samples one process's live memory every intervalMs (see startHeapSumSampler). The first sample is taken at once.
 * Stops by itself when the session closes (the app exited) or after 3 failures in a row, saying so once through
 * the logger.
 */
export declare function startNodeHeapSampler(session: InspectorSession, opts: NodeHeapSamplerOptions): NodeHeapSampler;
/**
 * Samples the live memory of every source every intervalMs: each process's own forced GC and read, all in
 * parallel, summed into one HeapSample (the longest pause as gcMs, the pids summed as pids). The first sample is
 * taken at once. A process whose session closes leaves the sum from then on; one that fails 3 times in a row is
 * given up on (with a warning); a reading where a process failed with its session still open is dropped (a sum
 * without it would be a false dip). With `keepWhenEmpty` the sampler waits for sources added later when none is
 * left; without, it stops, saying so once through the logger.
 */
export declare function startHeapSumSampler(initial: readonly HeapSource[], opts: NodeHeapSamplerOptions & {
    keepWhenEmpty?: boolean;
}): HeapSumSampler;
export interface TakeSnapshotOptions {
    /** For the whole snapshot. Default 120 s: a heap of a few hundred MB takes tens of seconds. */
    timeoutMs?: number;
}
export interface TakenHeapSnapshot {
    summary: HeapSnapshotSummary;
    /** The graph in typed arrays, for retainerPath(); drop it when only the summary is needed. */
    snapshot: HeapSnapshot;
    /** Characters of JSON the app sent. */
    chars: number;
    /** Time taken (the app is paused while V8 writes the snapshot), ms. */
    ms: number;
}
/**
 * Takes a heap snapshot (V8 runs a full GC first) and parses it chunk by chunk as it arrives:
 * the JSON text is never held whole. Costs the app a pause and, while it lasts, memory of the
 * order of the snapshot's size.
 */
export declare function takeHeapSnapshot(session: InspectorSession, opts?: TakeSnapshotOptions): Promise<TakenHeapSnapshot>;
