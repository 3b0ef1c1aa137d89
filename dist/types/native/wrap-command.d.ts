import { findExecutable, isExecutableFile } from '../process/find-executable.js';
import type { HeapProfilerTool } from './heap-profiler.js';
export type NativeTool = 'memcheck' | 'massif' | 'heaptrack';
/** jemalloc and tcmalloc are not wrappers but preloaded allocators: see heap-profiler.ts. */
export type NativeMode = NativeTool | HeapProfilerTool | 'off';
export declare const NATIVE_MODES: readonly NativeMode[];
/** What leakgate needs to know about a tool: what to look for on PATH and how to install it. */
export interface NativeToolInfo {
    /** The executable that must be on PATH. */
    executable: string;
    /** Further executables the analysis runs afterwards (also on PATH). */
    helpers: readonly string[];
    /** The Debian/Ubuntu package that holds them. */
    debianPackage: string;
    /** One line telling how to install the tool. */
    installHint: string;
}
export declare const NATIVE_TOOLS: Readonly<Record<NativeTool, NativeToolInfo>>;
/** Where heaptrack's pieces live; leakgate uses the preload library and interpreter directly. */
export interface HeaptrackPaths {
    /** libheaptrack_preload.so: records every allocation of the process it is preloaded into. */
    preloadLibrary: string;
    /** heaptrack_interpret: turns the raw recording into the file heaptrack_print reads. */
    interpreter: string;
    heaptrackPrint: string;
}
export interface WrapOptions {
    /** Absolute directory for the tool's output (the app runs in its own cwd). */
    outDir: string;
    /** Valgrind suppression files (absolute paths); memcheck only. */
    suppressions?: string[];
    /** Extra valgrind options, placed before the app's command; memcheck and massif only. */
    extraArgs?: string[];
    /** The valgrind executable; default 'valgrind' (looked up on PATH by spawn). */
    valgrind?: string;
    /** Required for heaptrack: from requireNativeTool('heaptrack'). */
    heaptrack?: Pick<HeaptrackPaths, 'preloadLibrary'>;
    /** An LD_PRELOAD the app already gets; kept after heaptrack's library. */
    ldPreload?: string;
}
export interface WrappedCommand {
    mode: NativeMode;
    /** The argv to spawn: no shell involved. Equal to the app's command when mode is 'off'. */
    command: string[];
    /**
     * Where the tool writes, '%p' standing for the pid of the spawned process (valgrind runs the app
     * in the process it was started as, so that is the app's pid); see outputFileForPid. memcheck:
     * XML written as the app runs, complete at exit. massif: written at exit only. heaptrack: the raw
     * recording, written as the app runs; readHeaptrackSummary interprets it. Null when 'off'.
     */
    outputFile: string | null;
    /** Warnings for the log: options that do not apply, commands that hide the app from the tool. */
    notes: string[];
}
/**
 * Wraps the app's argv in a native tool.
 *
 * The command must exec the app binary itself ([./server], not [make, run] or [sh, -c, ./server]):
 * valgrind runs without --trace-children=yes, because with it every process the command starts
 * (shell, make, compilers, a curl in a script) runs 20-50x slower, writes a report of its own and
 * contributes its own leaks, and the wrapper still stands between leakgate's SIGTERM and the app.
 * heaptrack's preload library likewise drops itself from the environment of children. Pass
 * '--trace-children=yes' in extraArgs to opt in anyway (each process then writes its own %p file).
 *
 * heaptrack is not run through its `heaptrack` script: that script runs the app as a child of a
 * shell, next to heaptrack_interpret and zstd in the same process group. leakgate stops the app with
 * SIGTERM to the group, which kills the interpreter too and leaves an empty file (measured), and the
 * interpreter's own memory (50-100 MB) would be sampled as the app's. Instead the app runs with
 * LD_PRELOAD=libheaptrack_preload.so and DUMP_HEAPTRACK_OUTPUT=<file> (what the script sets), as the
 * only process, and readHeaptrackSummary interprets the raw file after it exits.
 */
export declare function wrapNativeCommand(mode: NativeMode, command: readonly string[], opts: WrapOptions): WrappedCommand;
/** The tool's output file for the spawned process's pid ('%p' is valgrind's pid placeholder). */
export declare function outputFileForPid(outputFile: string, pid: number): string;
export { findExecutable, isExecutableFile };
/**
 * Where the heaptrack script finds its library and interpreter: it sets LIB_REL_PATH and
 * LIBEXEC_REL_PATH relative to its own directory at build time ('../lib/heaptrack' on Debian,
 * other layouts elsewhere). Reads them from the script's text; falls back to Debian's layout.
 */
export declare function heaptrackPathsFromScript(scriptText: string, scriptRealPath: string): Omit<HeaptrackPaths, 'heaptrackPrint'>;
export interface NativeToolPaths {
    tool: NativeTool;
    /** Absolute path of the tool's executable. */
    executable: string;
    /** Set for heaptrack. */
    heaptrack?: HeaptrackPaths;
}
/**
 * Finds the tool (and, for heaptrack, its print tool, preload library and interpreter) or throws a
 * ConfigError that says how to install it, e.g. "native: heaptrack needs 'heaptrack' on PATH;
 * install it with: sudo apt-get install -y heaptrack (Debian/Ubuntu)".
 */
export declare function requireNativeTool(tool: NativeTool, env?: NodeJS.ProcessEnv): NativeToolPaths;
