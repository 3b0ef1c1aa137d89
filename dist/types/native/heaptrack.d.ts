import { type Logger } from '../core/logger.js';
/** One allocation site as heaptrack_print lists it (backtraces merged by allocating function). */
export interface HeaptrackSite {
    bytes: number;
    /** Calls to allocation functions from this site. */
    calls?: number;
    /** The function that called malloc/new, or its address ('0x7f...') without symbols. */
    fn: string;
    /** 'file:line' when debug info was there. */
    location?: string;
    /** The binary or library. */
    module?: string;
    /** The largest backtrace to this site, innermost first: 'fn (file:line)' or 'fn (in module)'. */
    stack: string[];
}
export interface HeaptrackSummary {
    /** The command heaptrack recorded ('Debuggee command was: ...'). */
    debuggee?: string;
    runtimeSeconds?: number;
    totalAllocations: number;
    temporaryAllocations?: number;
    peakHeapBytes: number;
    /** Peak RSS, including heaptrack's own overhead. */
    peakRssBytes?: number;
    /**
     * Bytes not freed when the app exited. Unlike memcheck's "definitely lost" this counts memory that
     * is still reachable (caches, globals), so a growing cache shows up here as well.
     */
    leakedBytes: number;
    /** Leaked bytes matched by suppressions, when any were given. */
    suppressedLeakBytes?: number;
    topLeaks: HeaptrackSite[];
    topPeak: HeaptrackSite[];
}
/**
 * heaptrack_print's sizes into bytes: "512B", "12.34K", "1.23M", "2.00G". Its units are decimal
 * (1K = 1000 B: 107439 x 512 B prints as "55.01M") and carry two decimals, so a parsed size is
 * within 0.5% of the real one. Negative sizes appear in diff mode.
 */
export declare function parseHeaptrackSize(text: string): number;
/** Parses heaptrack_print's text output (merged backtraces, the default); `source` names it in errors. */
export declare function parseHeaptrackPrint(text: string, source?: string): HeaptrackSummary;
export interface HeaptrackToolOptions {
    /** heaptrack_interpret; needed for a .raw file (requireNativeTool('heaptrack').heaptrack.interpreter). */
    interpreter?: string;
    /** heaptrack_print; default 'heaptrack_print' on PATH. */
    heaptrackPrint?: string;
    /** Time limit for each tool run; default 120 s. */
    timeoutMs?: number;
    logger?: Logger;
}
export interface HeaptrackReadOptions extends HeaptrackToolOptions {
    /** How many sites to list per section (--peak-limit); default 10. */
    limit?: number;
    /** LSan-format suppression files ('leak:pattern' lines); heaptrack_print takes one, so several are joined. */
    suppressions?: string[];
    /** Keep the raw recording after interpreting it; default false (it grows by ~5 MB per 100k allocations). */
    keepRaw?: boolean;
}
export interface HeaptrackResult extends HeaptrackSummary {
    /** The interpreted, gzipped data file (open it with heaptrack_gui or heaptrack_print). */
    file: string;
}
/**
 * Turns the preload library's raw recording into heaptrack's data format, gzipped (what the
 * heaptrack script writes, readable by heaptrack_print and heaptrack_gui). Must run while the app's
 * binary and libraries are still in place: symbols are resolved now. Returns the output path.
 */
export declare function interpretHeaptrackRaw(rawFile: string, outFile: string, opts?: HeaptrackToolOptions): Promise<string>;
/**
 * Summarises a heaptrack recording: a raw file (name ending in .raw, from wrapNativeCommand) is first
 * interpreted into a sibling .gz. Throws when the recording holds no allocation at all: the app was
 * then not traced (it ran behind a shell or make) or died before heaptrack wrote anything.
 */
export declare function readHeaptrackSummary(file: string, opts?: HeaptrackReadOptions): Promise<HeaptrackResult>;
