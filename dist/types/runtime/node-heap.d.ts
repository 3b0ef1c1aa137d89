import { type Logger } from '../core/logger.js';
import { type HeapSnapshot, type HeapSnapshotSummary } from './heap-snapshot.js';
import type { InspectorSession } from './node-inspector.js';
/** One heap reading, taken right after a forced full GC. */
export interface HeapSample {
    /** opts.now() when the GC had finished. */
    t: number;
    /** opts.requests() at the same moment. */
    requests: number;
    /** V8 heap in use by live objects, bytes (Runtime.getHeapUsage usedSize). */
    usedSize: number;
    /** V8 heap reserved, bytes (totalSize). */
    totalSize: number;
    /**
     * Memory outside the V8 heap held by JS objects (process.memoryUsage().external, which includes arrayBuffers:
     * every Buffer), bytes; 0 when the app's context could not be evaluated (usedSize alone then).
     */
    external: number;
    /** Of external: ArrayBuffers and Buffers, bytes. */
    arrayBuffers: number;
    /** The pause of the forced GC, ms: as the app's own clock measured it, else the round trip (an upper bound). */
    gcMs: number;
    /** True when gcMs is the app's own measure of its gc(), false for the inspector round trip. */
    gcMeasured: boolean;
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
/**
 * Samples the heap every intervalMs: HeapProfiler.collectGarbage, then Runtime.getHeapUsage. The
 * first sample is taken at once. Stops by itself when the session closes (the app exited) or
 * after 3 failures in a row, saying so once through the logger.
 */
export declare function startNodeHeapSampler(session: InspectorSession, opts: NodeHeapSamplerOptions): NodeHeapSampler;
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
