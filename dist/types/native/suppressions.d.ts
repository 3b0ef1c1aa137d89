import type { LeakKind, LeakSite, StackFrame } from './memcheck-types.js';
/** One `{ ... }` entry of a suppression file. */
export interface Suppression {
    name: string;
    /** Tools before the colon, e.g. ['Memcheck']. */
    tools: string[];
    /** Kind after the colon: 'Leak', 'Addr4', 'Cond', 'Param', ... */
    kind: string;
    /** Memcheck:Leak `match-leak-kinds:`; absent means every kind (valgrind's default). */
    leakKinds?: LeakKind[];
    /** Memcheck:Param: the system call parameter line. */
    param?: string;
    /** Location lines in order: 'fun:malloc', 'obj:/usr/lib/libx.so', 'src:a.c:12', '...'. */
    frames: string[];
    /** Line of the opening '{' (1-based). */
    line: number;
}
/**
 * Parses a suppression file: `{`, a name line, `Tool:Kind`, for Memcheck:Leak an optional
 * `match-leak-kinds:` line, for Memcheck:Param the parameter line, then at least one location
 * (`fun:`, `obj:`, `src:` or `...`), then `}`. Blank lines and lines starting with '#' are skipped,
 * as valgrind does. Throws an Error naming `source` and the line of the first problem.
 */
export declare function parseSuppressionFile(text: string, source?: string): Suppression[];
export interface GenerateSuppressionOptions {
    /** Extra allocator names the fingerprints were computed with (they count as allocator frames here too). */
    allocators?: readonly string[];
    /** How many frames below the allocators to include. Default: as many as the site's topFrames. */
    frames?: number;
}
/**
 * A Memcheck:Leak suppression for a leak site, matching its kind and its stack from the allocator
 * down to the frames that identify the site:
 *
 *     {
 *        leakgate-accepted-cache
 *        Memcheck:Leak
 *        match-leak-kinds: definite
 *        fun:malloc
 *        fun:leak_handler
 *        fun:handle
 *     }
 *
 * Valgrind matches `fun:` against mangled names, so frames whose name is demangled C++ are written
 * as `src:file:line` (or `fun:_Znw*` / `fun:_Zna*` for operator new / new[]); frames without a
 * function as `obj:PATH`. A `#` comment line with the site's label and fingerprint comes first.
 */
export declare function generateSuppression(site: Pick<LeakSite, 'kind' | 'stack' | 'topFrames' | 'label' | 'fingerprint'>, name: string, opts?: GenerateSuppressionOptions): string;
/** The suppression location line that matches one frame. */
export declare function locationLine(frame: StackFrame): string;
