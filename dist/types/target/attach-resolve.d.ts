import type { CgroupMount } from '../sample/cgroup.js';
/** The pid in a pid file: one positive whole number, optionally followed by a newline (what daemons write). */
export declare function parsePidFile(text: string, path: string): number;
/** Where a configured cgroup path lives: its directory and the hierarchy it is in. */
export interface CgroupLocation {
    version: 1 | 2;
    dir: string;
    mountPoint: string;
}
/**
 * The directory of a configured cgroup. A path under a mounted memory hierarchy (v1 `memory`, or cgroup2) is that
 * directory; any other absolute path is read as a cgroup path as /proc/PID/cgroup writes it (`/docker/ID`) and
 * placed under the v1 memory mount, else under the cgroup2 mount. Null when no memory hierarchy is mounted at all.
 * `mounts` come from parseCgroupMounts (memory-carrying v1 mounts and every cgroup2 mount).
 */
export declare function resolveCgroupDir(path: string, mounts: readonly CgroupMount[]): CgroupLocation | null;
/** A process of a cgroup, as its stat file says. */
export interface Member {
    pid: number;
    ppid: number;
}
/**
 * The process to name the cgroup's app by: the lowest pid whose parent is outside the cgroup (a container's first
 * process, an app started by a shell outside). Null for no members.
 */
export declare function rootMember(members: readonly Member[]): number | null;
/** The pids of a cgroup.procs file (one per line; a pid may repeat on v1 when threads were listed). */
export declare function parseCgroupProcs(text: string): number[];
/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), after the parenthesised comm. */
export declare function parseStartTime(stat: string): number | null;
/** The file of a cgroup that holds its memory statistics, for messages. */
export declare function memoryStatFile(loc: Pick<CgroupLocation, 'dir'>): string;
