import type { MemoryFigures, ProcessFigures } from '../core/types.js';
import { type ProcessTreeOptions, type TreeTrackerStats } from './process-tree.js';
import { type StatusMemory } from './procfs.js';
/**
 * Memory of one process, or null when it is gone or has no address space left (a zombie).
 * Falls back to /proc/PID/status where smaps_rollup is unreadable; status has no PSS or USS, so
 * both are VmRSS there, an upper bound rather than the real figure.
 */
export declare function readProcessMemory(pid: number, procRoot?: string): Promise<MemoryFigures | null>;
export declare function zeroFigures(): MemoryFigures;
export interface TreeMemory {
    /** Sum over `processes`. */
    total: MemoryFigures;
    /** Every live process of the tree, root first; empty when the app has exited. */
    processes: ProcessFigures[];
}
/** Memory of the root, its descendants and its process group, per process and summed. */
export declare function readTreeMemory(rootPid: number, opts?: ProcessTreeOptions): Promise<TreeMemory>;
/**
 * A small procfs file as latin1 text with one open/read/close (readFileSync adds an fstat and a
 * second read, ~1.5 us more). Only for files whose text we read as ASCII.
 */
export declare function readProcText(path: string): string;
/**
 * The memory lines of /proc/PID/status: the cheap figures (~15 us, no page-table walk). Null when
 * the process is gone or has no address space (a zombie or kernel thread: no VmRSS line).
 */
export declare function readProcessStatus(pid: number, procRoot?: string): StatusMemory | null;
/** /proc/PID/cmdline as ps shows it; '' when gone or unreadable. */
export declare function readCmdline(pid: number, procRoot?: string): string;
/** Default share of one core the smaps_rollup reads may take on average: 0.5%. */
export declare const DEFAULT_FULL_READ_BUDGET = 0.005;
/**
 * Ticks from one full (smaps_rollup) read to the next, so that full reads cost at most `budget`
 * of a core on average: a read that took `lastFullReadMs` is repeated after
 * max(1, ceil(lastFullReadMs / (budget * intervalMs))) ticks. E.g. at 250 ms and 0.5%: every tick
 * up to 1.25 ms per read, every 7th tick at 8 ms (a 1 GiB heap).
 */
export declare function fullReadEvery(lastFullReadMs: number, intervalMs: number, budget?: number): number;
/** What the sampler knows about one process of the tree, beyond its figures. */
export interface ProcessInfo {
    pid: number;
    ppid: number;
    comm: string;
    /** Command line as ps shows it (read when first seen, again if comm changes: an exec); '' if unreadable or not read. */
    cmdline: string;
    /** Index of the reading the process was first seen in. */
    firstSeen: number;
    /** Index of the last reading it was in. */
    lastSeen: number;
}
export interface TreeReading extends TreeMemory {
    /** True when pss and uss of every process were read now; false when some were carried forward. */
    full: boolean;
}
export interface TreeReaderOptions extends ProcessTreeOptions {
    /** The sampling interval, for the full-read budget. */
    intervalMs: number;
    /** Share of one core the smaps_rollup reads may cost on average (default 0.005). */
    fullReadBudget?: number;
    /** Full /proc scan every this many reads (default 20). */
    rescanEvery?: number;
    /** Read /proc/PID/cmdline once per new process (default true). */
    cmdline?: boolean;
    /** Monotonic ms clock timing the full reads (default performance.now). */
    clock?: () => number;
}
export interface TreeReaderStats extends TreeTrackerStats {
    reads: number;
    /** Reads that read smaps_rollup of every process. */
    fullReads: number;
    /** Duration of the last full read's smaps_rollup part, ms. */
    lastFullReadMs: number;
    /** Current gap between full reads, in reads. */
    fullEvery: number;
}
export interface TreeReader {
    /** Reads the tree now. An empty `processes` means the app has exited. */
    read(): TreeReading;
    /** Every process seen so far, by pid. */
    processes(): ReadonlyMap<number, ProcessInfo>;
    stats(): TreeReaderStats;
}
/**
 * The sampler's reader. Every read: the tree (cached, see createTreeTracker) and /proc/PID/status
 * of each process, which gives rss (VmRSS), anon (RssAnon) and swap (VmSwap), so those three
 * come from one source at every sample. pss and uss need smaps_rollup, which walks the page table
 * (~8 ms per GiB resident): it is read at the first read, then every fullReadEvery(...) reads,
 * and in between the last pss/uss of each process are carried forward (`full: false`). A process
 * seen for the first time has its smaps_rollup read at once. Where smaps_rollup is unreadable,
 * pss and uss are VmRSS (an upper bound), as in readProcessMemory.
 */
export declare function createTreeMemoryReader(rootPid: number, opts: TreeReaderOptions): TreeReader;
