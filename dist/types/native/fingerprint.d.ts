import { type LeakComparison, type LeakKind, type LeakRecord, type LeakSite, type LeakSiteRef, type StackFrame } from './memcheck-types.js';
export interface FingerprintOptions {
    /** How many frames below the allocator frames identify the site. Default 5. */
    frames?: number;
    /**
     * Whether line numbers are part of the fingerprint. Default true: function + file + line.
     * A rebuild that only shifts addresses (other -O, code added after the site, padding data) keeps
     * the fingerprint; an edit that moves the leaking lines changes it. With `lines: false` only
     * function + file count: robust to edits, but two leaks in one function become one site.
     */
    lines?: boolean;
    /** More allocator function names to skip, e.g. the app's own wrappers: ['xmalloc', 'g_malloc']. */
    allocators?: readonly string[];
}
export declare const DEFAULT_FINGERPRINT_FRAMES = 5;
/** A canonical description of the options, to store next to fingerprints: compare only equal schemes. */
export declare function fingerprintScheme(opts?: FingerprintOptions): string;
/** True for an allocation function (malloc, operator new, strdup, ...) or any frame in valgrind's preload. */
export declare function isAllocatorFrame(frame: StackFrame, extra?: readonly string[]): boolean;
/**
 * The frames that identify the site: the stack without its leading allocator frames (malloc, then
 * strdup, ...), then the first `frames`. If every frame is an allocator, the allocator frames.
 */
export declare function siteFrames(stack: readonly StackFrame[], opts?: FingerprintOptions): StackFrame[];
/**
 * One frame as it enters the fingerprint: `fn|file|line` (file as base name), or `obj:NAME` when
 * valgrind knows no function. Never the address.
 */
export declare function frameKey(frame: StackFrame, lines?: boolean): string;
/** The fingerprint (12 hex chars of a sha1), the label and the frames it was computed from. */
export declare function fingerprintLeak(kind: LeakKind, stack: readonly StackFrame[], opts?: FingerprintOptions): {
    fingerprint: string;
    label: string;
    topFrames: StackFrame[];
};
/** "fn (file.c:12)", "fn (in libx.so)", "??? (in app)". */
export declare function describeFrame(frame: StackFrame): string;
/**
 * Merges records with the same fingerprint (valgrind splits one site into several loss records when
 * deeper frames differ) and sorts the sites: most severe kind first, then most bytes. `opts` must
 * be the options the records were fingerprinted with (they pick the sites' topFrames).
 */
export declare function mergeSites(records: readonly LeakRecord[], opts?: FingerprintOptions): LeakSite[];
export interface CompareSitesOptions {
    /** Only sites of these kinds take part (baseline entries without a kind always do). Default: all kinds. */
    kinds?: readonly LeakKind[];
}
/**
 * Splits the current sites into new (not in the baseline) and known (in it), and lists the baseline
 * sites that are gone as fixed. The baseline is fingerprints or site references (e.g. the sites of
 * a previous report); both sides must use the same fingerprintScheme.
 */
export declare function compareSites(current: readonly LeakSite[], baseline: Iterable<string | LeakSiteRef>, opts?: CompareSitesOptions): LeakComparison;
