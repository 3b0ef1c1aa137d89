/** One OOM kill the kernel logged. */
export interface KernelOomKill {
    pid: number;
    /** The process name in parentheses ("node"), '' in the oom-kill: summary line's absence. */
    comm: string;
    /** "Memory cgroup out of memory" (a cgroup's limit) rather than the whole machine's "Out of memory". */
    cgroup: boolean;
    /** Microseconds since boot (the record's timestamp, CLOCK_MONOTONIC); null when the line has none. */
    atUs: number | null;
    /** The message without its timestamp prefix. */
    message: string;
}
/** The OOM kills in kernel log text (dmesg output or /dev/kmsg records, one per line), oldest first. */
export declare function parseKernelOomKills(text: string): KernelOomKill[];
/**
 * The kills of processes in `pids` logged since `sinceUs` (microseconds since boot; a record without a timestamp
 * counts). A pid number is reused only after the kernel has gone through all others, so pid and time together
 * name the app's process, not an older one.
 */
export declare function oomKillsOf(kills: readonly KernelOomKill[], pids: ReadonlySet<number>, sinceUs: number): KernelOomKill[];
/** Microseconds since boot on the kernel log's clock: Node's hrtime is CLOCK_MONOTONIC on Linux, as printk's is. */
export declare function monotonicUs(): number;
/** The kernel log's text, or why it could not be read (not root, kernel.dmesg_restrict, no dmesg). */
export type KernelLog = {
    text: string;
} | {
    error: string;
};
/** /dev/kmsg, else `dmesg` (bounded by `timeoutMs`); never throws. */
export declare function readKernelLog(opts?: {
    kmsgPath?: string;
    dmesg?: string;
    timeoutMs?: number;
}): Promise<KernelLog>;
