// The Node heap signal of an app made of several node processes (cluster workers, forked children): one reading
// is the sum of every process's live memory after its own forced GC, taken in parallel, and the pause is the
// longest one (the processes pause side by side). Pure: combining the readings of one round, and describing which
// processes each reading covered (who joined late, who left, whether the count changed after warm-up).

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
export function sumHeapReadings(readings: readonly ProcessHeapReading[]): SummedHeapReading {
  const sum: SummedHeapReading = { usedSize: 0, totalSize: 0, external: 0, arrayBuffers: 0, gcMs: 0, gcMeasured: readings.length > 0, pids: [] };
  for (const r of readings) {
    sum.usedSize += r.usedSize;
    sum.totalSize += r.totalSize;
    sum.external += r.external;
    sum.arrayBuffers += r.arrayBuffers;
    sum.gcMs = Math.max(sum.gcMs, r.gcMs);
    sum.gcMeasured &&= r.gcMeasured;
    sum.pids.push(r.pid);
  }
  sum.pids.sort((a, b) => a - b);
  return sum;
}

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
export function heapMembership(readings: ReadonlyArray<{ requests: number; pids?: readonly number[] }>, warmupRequests: number): HeapMembership {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const count = new Map<number, number>();
  readings.forEach((r, i) => {
    for (const pid of r.pids ?? []) {
      if (!first.has(pid)) first.set(pid, i);
      last.set(pid, i);
      count.set(pid, (count.get(pid) ?? 0) + 1);
    }
  });
  const pids = [...first.keys()].sort((a, b) => a - b);
  const notes: string[] = [];
  if (pids.length <= 1) return { pids, notes };
  notes.push(`heap summed over ${pids.length} node processes (pids ${pids.join(', ')})`);
  for (const pid of pids) {
    if (first.get(pid)! > 0) notes.push(`pid ${pid} joined the heap reading at reading ${first.get(pid)! + 1} of ${readings.length}`);
  }
  for (const pid of pids) {
    if (last.get(pid)! < readings.length - 1) notes.push(`pid ${pid} left the heap reading after ${count.get(pid)} readings`);
  }
  const steps: string[] = [];
  for (let i = 1; i < readings.length; i++) {
    const before = readings[i - 1]!;
    const now = readings[i]!;
    if (before.requests < warmupRequests) continue;
    const a = before.pids ?? [];
    const b = now.pids ?? [];
    if (a.length !== b.length || a.some((pid) => !b.includes(pid))) steps.push(`${a.length} → ${b.length} processes at reading ${i + 1}`);
  }
  if (steps.length > 0) {
    notes.push(`the node processes summed changed after the warm-up (${steps.join(', ')}): the heap series has a step there that is not a leak`);
  }
  return { pids, notes };
}
