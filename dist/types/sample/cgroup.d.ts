import type { CgroupFigures } from '../core/types.js';
/** A memory cgroup leakgate can read. */
export interface CgroupHandle {
    version: 1 | 2;
    /** Its directory in the cgroup filesystem, e.g. /sys/fs/cgroup/memory/ci/job1. */
    dir: string;
    /** Where that hierarchy is mounted: v2 limits are looked up from `dir` up to here. */
    mountPoint: string;
}
/** A cgroup filesystem from /proc/self/mountinfo: v1 ones only when they carry the memory controller. */
export interface CgroupMount {
    version: 1 | 2;
    mountPoint: string;
    /** The cgroup that appears at the mount point ('/' unless a sub-tree was bind-mounted). */
    root: string;
}
/**
 * The cgroup mounts in /proc/PID/mountinfo ("id parent maj:min root mountpoint opts [tags] - fstype
 * source superopts"): every cgroup2 mount, and the v1 mounts whose options hold `memory`.
 */
export declare function parseCgroupMounts(mountinfo: string): CgroupMount[];
/**
 * The memory cgroup's path in /proc/PID/cgroup: the line whose controllers include `memory` (v1),
 * else the unified `0::` line (v2). Null when neither is there.
 */
export declare function parseProcCgroup(text: string): {
    version: 1 | 2;
    path: string;
} | null;
/** The directory of cgroup `path` under a mount; null when the mount does not show that cgroup. */
export declare function cgroupDirOf(path: string, mount: CgroupMount): string | null;
export interface DetectOptions {
    procRoot?: string;
    /** Mount table to resolve paths with (default: procRoot/self/mountinfo). */
    mountinfo?: string;
}
/**
 * The memory cgroup process `pid` runs in, or null when there is none leakgate can read: no memory
 * controller, no mount of it here, or the v2 root cgroup (which has no memory.current).
 */
export declare function detectCgroup(pid?: number | 'self', opts?: DetectOptions): CgroupHandle | null;
/**
 * A flat-keyed cgroup file ("key value" per line: memory.stat, memory.events), values as numbers.
 * `file` names the file in errors.
 */
export declare function parseFlatKeyed(text: string, file: string): Map<string, number>;
/** A single-number cgroup file (memory.current, memory.usage_in_bytes). */
export declare function parseBytes(text: string, file: string): number;
/** A limit file (memory.max, memory.limit_in_bytes): null for 'max' or v1's huge "unlimited". */
export declare function parseLimitBytes(text: string, file: string): number | null;
/** Texts of a v1 memory cgroup's files. */
export interface V1Files {
    usage: string;
    stat: string;
    limit: string;
    /** memory.kmem.usage_in_bytes; absent on kernels without kmem accounting. */
    kmem?: string;
}
/**
 * v1 figures. anon and file come from total_rss / total_cache (this cgroup and its children) where
 * present, else rss / cache. The limit is the lower of memory.limit_in_bytes and memory.stat's
 * hierarchical_memory_limit (a parent's limit binds too).
 */
export declare function cgroupFiguresV1(files: V1Files): CgroupFigures;
/** Texts of a v2 memory cgroup's files. */
export interface V2Files {
    current: string;
    stat: string;
    /** memory.max of the cgroup, then of each ancestor that has one (the lowest binds). */
    max: string[];
}
/**
 * v2 figures. kernel is memory.stat 'kernel' (Linux 5.18+: kernel_stack, pagetables, percpu,
 * vmalloc, slab and other kernel use), else the sum of those parts; sock is left out either way.
 */
export declare function cgroupFiguresV2(files: V2Files): CgroupFigures;
/** The cgroup's memory now (about 4 small reads, ~50 us). Throws naming the file that failed. */
export declare function readCgroupMemory(cg: CgroupHandle): CgroupFigures;
/** Why a cgroup could not be made: the message says what to change. */
export declare class CgroupUnavailableError extends Error {
    readonly reason: 'no-memory-controller' | 'not-permitted' | 'read-only' | 'not-delegated' | 'exists' | 'invalid';
    name: string;
    constructor(message: string, reason: 'no-memory-controller' | 'not-permitted' | 'read-only' | 'not-delegated' | 'exists' | 'invalid');
}
export interface CreateCgroupOptions {
    limitBytes: number;
    /** Directory name of the new cgroup: letters, digits, '.', '_', '-'. */
    name: string;
    /** Parent directory (default <memory mount>/leakgate); made if missing. */
    parent?: string;
    /** Also forbid swap, so the limit is the limit (default true; skipped where swap is not accounted). */
    noSwap?: boolean;
    /** Mount table to find the memory controller in (default /proc/self/mountinfo). */
    mountinfo?: string;
}
export interface MemoryCgroup extends CgroupHandle {
    /** Moves a process (and, v1: only that thread group) into the cgroup. */
    addPid(pid: number): void;
    /** Processes in the cgroup now. */
    pids(): number[];
    /** The cgroup's OOM-kill counter (null where the kernel has none: v1 before 4.13). */
    oomKills(): number | null;
    /** Waits (bounded) until no process is left in it, then removes it; throws if some remain. */
    remove(timeoutMs?: number): Promise<void>;
}
/**
 * Makes a fresh memory cgroup with a limit, to run the app in: v1 <mount>/leakgate/<name> with
 * memory.limit_in_bytes (and memory.memsw.limit_in_bytes when noSwap); v2 <mount>/leakgate/<name>
 * with memory.max (and memory.swap.max 0), after enabling +memory in leakgate/cgroup.subtree_control,
 * which needs the mount root's subtree_control to offer memory. Throws CgroupUnavailableError
 * saying why when it cannot (not root, read-only cgroupfs, no memory controller, not delegated).
 */
export declare function createMemoryCgroup(opts: CreateCgroupOptions): MemoryCgroup;
/**
 * The argv that runs `argv` inside the cgroup at `cgroupDir` from its first instruction: a POSIX
 * shell writes its own pid ($$) to cgroup.procs, then execs the command in place, so the app keeps
 * that pid (and its process group) and everything it allocates is charged to the cgroup. The path
 * and the command are positional parameters ("$1", "$@"), never parsed by the shell. Exit 126 with
 * a message on stderr when the move fails; 127 when the command is not found.
 */
export declare function cgroupWrappedCommand(cgroupDir: string, argv: readonly string[]): string[];
