/** Live memory right after a forced full GC. */
export interface HeapFigures {
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
    /**
     * The pause of the forced GC, ms: as the app's own clock measured it, else the round trip (an upper bound). In a
     * sum, the longest pause of the round (the processes paused in parallel).
     */
    gcMs: number;
    /** True when gcMs is the app's own measure of its gc() (in a sum: every process's was), false for a round trip. */
    gcMeasured: boolean;
}
/** One process's live memory right after its forced full GC, as startHeapSumSampler reads it. */
export interface ProcessHeapReading extends HeapFigures {
    pid: number;
}
/** The sum of one round of readings: the figures added up, the longest pause, and which processes are in it. */
export interface SummedHeapReading extends HeapFigures {
    /** The processes summed, in ascending pid order. */
    pids: number[];
}
/** Adds up one round of per-process readings. An empty round sums to zero with no pids. */
export declare function sumHeapReadings(readings: readonly ProcessHeapReading[]): SummedHeapReading;
/** What a series of summed readings covered, for the evidence's note. */
export interface HeapMembership {
    /** Every process that was in at least one reading, ascending. */
    pids: number[];
    /** Sentences for the note, in order: the processes summed, joins after the first reading, leaves, a step after warm-up. */
    notes: string[];
}
/**
 * Which processes the readings covered. `warmupRequests`: the request count where the warm-up ends (the analysis
 * reads the slope from there on). A single process throughout says nothing. A process absent from the first
 * reading joined late ("pid N joined the heap reading at reading K"); one absent from the last left ("pid N left
 * the heap reading after K readings", K the readings it was in); a change of the processes summed (their count,
 * or one replaced by another) between readings after the warm-up puts a step in the sum that is not a leak, and
 * the note says where.
 */
export declare function heapMembership(readings: ReadonlyArray<{
    requests: number;
    pids?: readonly number[];
}>, warmupRequests: number): HeapMembership;
