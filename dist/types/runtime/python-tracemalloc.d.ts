/** One allocation site of a snapshot: tracemalloc statistics('lineno'). */
export interface TracemallocSite {
    file: string;
    line: number;
    /** Bytes of live blocks allocated at this line. */
    size: number;
    /** Live blocks allocated at this line. */
    count: number;
    /** The source line, stripped, when the hook could read it. */
    text: string;
}
/** One snapshot-<pid>-<seq>.jsonl file. */
export interface TracemallocSnapshot {
    pid: number;
    seq: number;
    /** tracemalloc.get_traced_memory(): everything traced, bytes. */
    tracedBytes: number;
    peakBytes: number;
    /** tracemalloc.get_tracemalloc_memory(): what tracing itself holds (its traces table), bytes. */
    overheadBytes: number;
    /** After filtering out tracemalloc, importlib and the hook itself, bytes. */
    filteredBytes: number;
    /** Distinct sites after filtering; `sites.length` may be fewer (the hook lists the top ones). */
    siteCount: number;
    /** Frames per traceback the process traced with. */
    frames: number;
    /** How long take_snapshot() took, ms: it holds the GIL, so the app's threads all waited. */
    snapshotMs: number;
    /** Grouping by line afterwards, ms: Python code sharing the GIL with the app's threads. */
    statisticsMs: number;
    /** All of it, reading source lines and writing the file included, ms. */
    totalMs: number;
    /** Most bytes first. */
    sites: TracemallocSite[];
}
/** Growth of one site between two snapshots (summed over processes when merged). */
export interface SiteGrowth {
    file: string;
    line: number;
    text: string;
    bytesDelta: number;
    countDelta: number;
    bytesEnd: number;
    /** Processes in which this site grew. */
    pids: number[];
}
/**
 * Parses one snapshot file: a header object on the first line, then one site per line. `source`
 * names the file in error messages. Throws an Error naming the source, the line and what was
 * expected when the text is not what the hook writes.
 */
export declare function parseTracemallocSnapshot(text: string, source?: string): TracemallocSnapshot;
/**
 * Sites that grew from snapshot `a` to snapshot `b` of one process, most bytes first, at most `top`.
 * A site missing from `a` counts from 0 (the hook lists the top sites only, so a site just below
 * the list in `a` is overstated by at most the smallest size `a` lists).
 */
export declare function diffTracemalloc(a: TracemallocSnapshot, b: TracemallocSnapshot, top: number): SiteGrowth[];
/**
 * Pairs each process's snapshot `first` with its snapshot `second`, diffs each pair, and sums the
 * growth by site across processes (gunicorn-style workers all run the same code). Processes
 * without both snapshots are left out and listed in `unpaired`.
 */
export declare function diffTracemallocProcesses(snapshots: readonly TracemallocSnapshot[], first: number, second: number, top: number): {
    growing: SiteGrowth[];
    pairedPids: number[];
    unpaired: number[];
};
/** "server.py:24": the file relative to `cwd` when it lies inside it, else the path as traced. */
export declare function siteName(site: {
    file: string;
    line: number;
}, cwd?: string): string;
/** "snapshot-<pid>-<seq>.jsonl" -> {pid, seq}; null for any other name. */
export declare function parseSnapshotFileName(name: string): {
    pid: number;
    seq: number;
} | null;
