import { type CgroupHandle } from './cgroup.js';
export interface OomControl {
    oomKillDisable: boolean;
    underOom: boolean;
    /** OOM kills in this cgroup so far; null on kernels before 4.13, which have no such line. */
    oomKill: number | null;
}
/** v1 memory.oom_control: "oom_kill_disable 0\nunder_oom 0\noom_kill 1". */
export declare function parseOomControl(text: string): OomControl;
export interface MemoryEvents {
    low: number;
    high: number;
    max: number;
    /** Times the cgroup hit its limit and reclaim failed (an OOM situation). */
    oom: number;
    /** Processes the OOM killer killed in this cgroup (and, without memory_localevents, its children). */
    oomKill: number;
    /** Group kills (memory.oom.group), Linux 5.17+; 0 where absent. */
    oomGroupKill: number;
}
/** v2 memory.events: "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0". */
export declare function parseMemoryEvents(text: string): MemoryEvents;
/** The cgroup's OOM-kill counter now; null where the kernel keeps none (v1 before 4.13). */
export declare function readOomKills(cg: Pick<CgroupHandle, 'version' | 'dir'>): number | null;
export interface OomEvidence {
    /** Signal the app died of ('SIGKILL'), or null. */
    exitSignal: string | null;
    /** Exit code; 137 is how a shell reports a child killed by SIGKILL (128 + 9). */
    exitCode: number | null;
    /** The cgroup's oom_kill counter before the run and after it; null when unreadable. */
    oomKillsBefore: number | null;
    oomKillsAfter: number | null;
    /** Kernel log lines (dmesg), when the caller could read them: only those about the app's processes. */
    kernelMessages?: readonly string[];
    /** Why the kernel log could not be read, when the caller tried; said in a diagnosis that cannot tell. */
    kernelLogError?: string;
    /** The app's pid, to find "Killed process PID" in kernel messages. */
    pid?: number;
    /** The app was attached to (app.attach), not started: without an exit status it may have gone all the same. */
    attached?: boolean;
}
export interface OomDiagnosis {
    /** True when the evidence shows the OOM killer killed a process of the app. */
    oom: boolean;
    /** One sentence: what was seen. */
    evidence: string;
}
/**
 * Whether the app was OOM-killed. The cgroup counter is the evidence: it rose during the run. A
 * SIGKILL (or exit 137) alone is only a hint: anything may send SIGKILL, and without a counter the
 * diagnosis says it cannot tell. Kernel messages naming the pid (or any OOM line) count too.
 */
export declare function diagnoseOom(e: OomEvidence): OomDiagnosis;
/**
 * The runtime's own out-of-memory message among the lines the app printed, or null. Pure: the lines are the app's
 * output tail. Only whole lines of the runtime's wording count, so an app that logs the word "memory" does not.
 */
export declare function findRuntimeOom(lines: readonly string[]): {
    source: 'node' | 'jvm' | 'python';
    line: string;
} | null;
