export interface TreeProcess {
    pid: number;
    ppid: number;
    comm: string;
}
export interface ProcessTreeOptions {
    /** Where procfs is mounted; tests point this at a fake tree. */
    procRoot?: string;
    /** Also include every process of this group, wherever its parent is now. */
    pgid?: number;
    /** Also include these processes (an attached cgroup's members), read at every full scan. */
    members?: () => readonly number[];
}
/** True for the errors a process that exited between readdir and read produces. */
export declare function isGoneError(err: unknown): boolean;
/**
 * The root and its descendants (by parent pid), plus the members of `pgid` if given and their
 * descendants: the root first, then in the order found. Zombies are left out: they hold no memory and are about to go.
 * Returns [] when none of them is alive.
 */
export declare function listProcessTree(rootPid: number, opts?: ProcessTreeOptions): Promise<TreeProcess[]>;
/** listProcessTree, synchronously: reads /proc/PID/stat of every process on the machine. */
export declare function scanProcessTree(rootPid: number, opts?: ProcessTreeOptions): TreeProcess[];
export interface TreeTrackerOptions extends ProcessTreeOptions {
    /** Full scan of /proc every this many calls of list() (default 20: every 5 s at 250 ms). */
    rescanEvery?: number;
}
export interface TreeTrackerStats {
    /** Calls of list(). */
    lists: number;
    /** Of which walked all of /proc. */
    fullScans: number;
    /** False once a live process had no task/PID/children file (kernel without CONFIG_PROC_CHILDREN). */
    childrenFiles: boolean;
    /** Of the lists that were not full scans, those that read the children files (a pid was created since the last list). */
    childChecks: number;
}
export interface TreeTracker {
    /** The tree now: cached, checked for new children, rescanned when due or after a process vanished. */
    list(): TreeProcess[];
    /** Tells the tracker a listed process is gone (or a zombie): the next list() rescans. */
    gone(pid: number): void;
    stats(): TreeTrackerStats;
}
export declare const DEFAULT_RESCAN_EVERY = 20;
/**
 * A cached view of scanProcessTree for the sampler. A full scan reads the stat file of every
 * process on the machine (~1.6 ms with ~80 processes, more on a busy runner). In between, list()
 * reads the last pid handed out (/proc/loadavg, ~5 us): when it has not moved, no process (or
 * thread) was created and the cached tree stands; when it has, it reads
 * /proc/PID/task/PID/children of each known process (~6 us each) and the stat of any new child.
 * That file lists what the process's MAIN thread forked: children forked by other threads, and
 * group members not descended from a known process, are found at the next full scan, which comes
 * every `rescanEvery` calls, after gone(), and on every call where the kernel has no children files.
 */
export declare function createTreeTracker(rootPid: number, opts?: TreeTrackerOptions): TreeTracker;
