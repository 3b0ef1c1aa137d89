export declare const MARKER_ENV = "LEAKGATE_RUN_ID";
/**
 * Which leakgate process started the app: `<pid>:<start time>` (start time in clock ticks after boot, field 22 of
 * /proc/PID/stat), so a later run can tell a leftover of a dead run (that pid is gone, or now names another
 * process) from the app of a run still going.
 */
export declare const OWNER_ENV = "LEAKGATE_OWNER";
/** The owner token of process `pid` (default this one), or null when /proc does not show it. */
export declare function ownerToken(pid?: number, procRoot?: string): string | null;
/** Parses an owner token; null when it is not one. */
export declare function parseOwner(token: string): {
    pid: number;
    startTime: number;
} | null;
/** The value of variable `name` in a NUL-separated environment block, or null. */
export declare function environValue(environ: Buffer, name: string): string | null;
/** Fields of /proc/PID/stat that teardown needs. */
export interface ProcStat {
    pid: number;
    /** R, S, D, Z, T, ... */
    state: string;
    ppid: number;
    pgrp: number;
    session: number;
    /** Clock ticks after boot when the process started: with the pid, it names one process (pids are reused). */
    startTime: number;
}
/**
 * Parses /proc/PID/stat. The command name (field 2) is in parentheses and may itself contain
 * spaces and parentheses, so the fixed fields are read after the last ')'.
 */
export declare function parseProcStat(text: string): ProcStat | null;
/** True when a NUL-separated environment block holds exactly `entry` as one of its variables. */
export declare function environHas(environ: Buffer, entry: string): boolean;
/** Live (non-zombie) processes, other than this one, whose environment has LEAKGATE_RUN_ID=<marker>. */
export declare function findMarkedProcesses(marker: string, procRoot?: string): Promise<number[]>;
/** The same, synchronously: for process 'exit' handlers, where nothing asynchronous runs. */
export declare function findMarkedProcessesSync(marker: string, procRoot?: string): number[];
/** Live (non-zombie) processes, other than this one, in process group `pgid`. */
export declare function findGroupMembers(pgid: number, procRoot?: string): Promise<number[]>;
/** Reads /proc/PID/stat; null when the process does not exist. */
export declare function readProcStat(pid: number, procRoot?: string): Promise<ProcStat | null>;
