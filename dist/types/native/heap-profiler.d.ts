export type HeapProfilerTool = 'jemalloc' | 'tcmalloc';
export declare const HEAP_PROFILER_TOOLS: readonly HeapProfilerTool[];
export interface HeapProfilerInfo {
    /** The preloaded library (with its heap profiler). */
    library: string;
    libraryPackage: string;
    /** Symbolizes the dumps (`--raw`). */
    symbolizer: string;
    symbolizerPackage: string;
}
export declare const HEAP_PROFILERS: Readonly<Record<HeapProfilerTool, HeapProfilerInfo>>;
/** Where Debian, Ubuntu, Fedora and source builds put shared libraries. */
export declare const LIBRARY_DIRS: string[];
export interface HeapProfilerPaths {
    tool: HeapProfilerTool;
    /** Null when the app's own jemalloc is used (no preload). */
    library: string | null;
    symbolizer: string;
}
/**
 * Finds the library (unless the app brings its own jemalloc) and the symbolizer, or throws a ConfigError naming the
 * apt package, e.g. "native: jemalloc needs libjemalloc.so.2 (looked in /usr/lib/x86_64-linux-gnu, ...); install it
 * with: sudo apt-get install -y libjemalloc2 (Debian/Ubuntu)".
 */
export declare function requireHeapProfiler(tool: HeapProfilerTool, ownJemalloc: boolean, env?: NodeJS.ProcessEnv, dirs?: string[]): HeapProfilerPaths;
/**
 * How the app's binary relates to jemalloc, from its bytes: 'dynamic' when it is linked against libjemalloc (a
 * NEEDED entry names it), 'static' when jemalloc is compiled in (its mallctl entry point and its option names, like
 * 'prof_prefix', are in the file: Rust's tikv-jemallocator, a static build), else 'none'. With its own jemalloc the
 * app is not preloaded: a second allocator would not see the app's allocations. Whether the app's jemalloc has
 * profiling compiled in shows at run time: without it no profile is dumped, and the evidence says so.
 */
export declare function jemallocLinkage(binary: Buffer): 'dynamic' | 'static' | 'none';
export interface ProfilerEnvOptions {
    outDir: string;
    /** Dump a profile every this many bytes allocated (jemalloc rounds to a power of two). */
    dumpEveryBytes: number;
    /** jemalloc's sampling: one sample per 2^lgSample bytes on average. */
    lgSample?: number;
    /** The preloaded library; null when the app's own jemalloc is used. */
    library: string | null;
    /** An LD_PRELOAD the app already gets; kept after the profiler's library. */
    ldPreload?: string;
}
export declare const DEFAULT_LG_SAMPLE = 12;
/**
 * The environment that turns the profiler on. jemalloc: prof:true samples an allocation every 2^12 bytes on
 * average (4 KiB: leaks of a few hundred bytes per request are seen thousands of times in a run),
 * lg_prof_interval dumps every 2^N bytes allocated, prof_final dumps at exit; _RJEM_MALLOC_CONF is the same for
 * Rust's prefixed jemalloc. tcmalloc: HEAPPROFILE records every allocation and dumps every
 * HEAP_PROFILE_ALLOCATION_INTERVAL bytes allocated or HEAP_PROFILE_INUSE_INTERVAL bytes of growth, and at exit.
 */
export declare function heapProfilerEnv(tool: HeapProfilerTool, opts: ProfilerEnvOptions): Record<string, string>;
export interface HeapDump {
    file: string;
    /** Dump order (jemalloc's sequence number, gperftools' NNNN). */
    seq: number;
    /** Wall-clock ms of the file's last write: matched with the request counts read during the load. */
    mtimeMs: number;
}
/** The profiles the tool wrote into outDir, in dump order: jeprof.<pid>.<seq>.<i|f|u|m><n>.heap, hprof.<NNNN>.heap. */
export declare function listHeapDumps(tool: HeapProfilerTool, outDir: string): HeapDump[];
/** `jeprof --raw <binary> <profile>` (or google-pprof): the symbol table for parsePprofSymbols. */
export declare function rawSymbols(symbolizer: string, binary: string, profile: string, timeoutMs?: number): Promise<string>;
