import { type FingerprintOptions } from './fingerprint.js';
import type { StackFrame } from './memcheck-types.js';
export type HeapProfileFormat = 'jemalloc' | 'gperftools' | 'go';
/** One stack of a profile: what it holds now (unsampled estimates for sampled profiles). */
export interface HeapStack {
    /** Return addresses, innermost first, as lowercase hex without leading zeros ('0x55aed50cc3ce'). */
    addrs: string[];
    /** Go's debug=1 output names each frame; other formats leave this empty (symbolize with --raw). */
    frames: StackFrame[];
    inuseObjects: number;
    inuseBytes: number;
}
export interface Mapping {
    start: bigint;
    end: bigint;
    path: string;
}
export interface HeapProfile {
    format: HeapProfileFormat;
    /** Average bytes between samples (0: every allocation recorded, as gperftools' HEAPPROFILE does). */
    samplePeriod: number;
    /** In-use totals of the header (unsampled like the stacks). */
    inuseObjects: number;
    inuseBytes: number;
    stacks: HeapStack[];
    /** MAPPED_LIBRARIES (jemalloc, gperftools): which object each address is in. */
    mappings: Mapping[];
    /** Go: the runtime.MemStats block at the end (HeapAlloc, StackInuse, ...), exact rather than sampled. */
    memStats?: Record<string, number>;
}
/**
 * An estimate of what a sampled stack really holds. Sampling is a Poisson process with mean period P: an allocation
 * of size s is sampled with probability 1 - exp(-s/P), so each sampled count stands for 1 / (1 - exp(-avg/P)) real
 * ones, avg = bytes/objects (what jeprof's and pprof's AdjustSamples do for heap_v2 and Go's heap/N).
 */
export declare function unsample(objects: number, bytes: number, period: number): {
    objects: number;
    bytes: number;
};
/**
 * jemalloc's heap dump (prof:true): `heap_v2/<period>`, then per stack `@ 0x..` and its `t*: objs: bytes [..]`
 * totals (per-thread `tN:` lines are skipped), then MAPPED_LIBRARIES, which jemalloc writes last: without it the
 * file is truncated.
 */
export declare function parseJemallocHeap(text: string, source?: string): HeapProfile;
/**
 * The legacy pprof heap format: `heap profile: objs: bytes [objs: bytes] @ heapprofile` (gperftools' HEAPPROFILE,
 * every allocation recorded, MAPPED_LIBRARIES at the end) or `@ heap/<2 x rate>` (Go's debug=1: sampled at
 * MemProfileRate, each record followed by `#\t0xaddr\tfn+0xoff\tfile:line` frames, and the runtime.MemStats block at
 * the end). A file without its closing section is truncated.
 */
export declare function parsePprofHeap(text: string, source?: string): HeapProfile;
export interface GoroutineProfile {
    total: number;
    stacks: Array<{
        count: number;
        frames: StackFrame[];
    }>;
}
/** Go's /debug/pprof/goroutine?debug=1: 'goroutine profile: total N', then 'count @ 0x..' records with '#' frames. */
export declare function parseGoroutineProfile(text: string, source?: string): GoroutineProfile;
/**
 * jeprof / google-pprof `--raw` output: its `--- symbol` section maps each address to a name, inlined functions
 * joined by '--' outermost first ('main<000000000000171f>--serve'); jeprof appends '<offset>' to some names and
 * '@@GLIBCXX_3.4' versions. Returns address -> function names, innermost first.
 */
export declare function parsePprofSymbols(text: string, source?: string): Map<string, string[]>;
/**
 * A stack's frames: Go's own names, or each address looked up in the symbol table (pprof stores return addresses
 * minus one, except the first) with its inlined functions expanded; an address in an object without symbols keeps
 * the object's name. Leading frames in the allocator's own library (libjemalloc, libtcmalloc) are dropped.
 */
export declare function symbolize(stack: HeapStack, symbols: ReadonlyMap<string, string[]>, mappings: readonly Mapping[]): StackFrame[];
/** The allocator's own frames: its library (jemalloc, tcmalloc), malloc and friends, and Go's runtime. */
export declare function isProfilerFrame(frame: StackFrame): boolean;
/** What heap-profile fingerprints are made of: only sites of the same scheme are compared with a baseline. */
export declare function heapProfileScheme(opts?: FingerprintOptions): string;
/** A site's identity: the kind and its top frames as memcheck's fingerprints take them (fn|file|line, no addresses). */
export declare function fingerprintFrames(kind: string, frames: readonly StackFrame[], opts?: FingerprintOptions): {
    fingerprint: string;
    label: string;
    top: StackFrame[];
};
export interface GrowingSite {
    fingerprint: string;
    label: string;
    /** In-use bytes at the last profile. */
    bytes: number;
    /** In-use objects at the last profile. */
    objects: number;
    /** In-use bytes gained from the first profile to the last. */
    bytesIncrease: number;
    objectsIncrease: number;
    /** bytesIncrease / requests between the two profiles; absent when none came between. */
    bytesPerRequest?: number;
    stack: StackFrame[];
}
export interface SiteDiffInput {
    /** Each profile's stacks already symbolized (frames innermost first) with their in-use figures. */
    first: ReadonlyArray<{
        frames: StackFrame[];
        objects: number;
        bytes: number;
    }>;
    last: ReadonlyArray<{
        frames: StackFrame[];
        objects: number;
        bytes: number;
    }>;
    /** Requests served between the two profiles. */
    requests: number;
    kind: string;
    fingerprint?: FingerprintOptions;
}
/**
 * The sites whose in-use bytes grew from the first profile to the last, most growth first: stacks merged by
 * fingerprint (so deeper differences and inlining into one caller count as one site), growth per request.
 */
export declare function growingSites(input: SiteDiffInput): GrowingSite[];
