// Pure steps of attaching to an app leakgate did not start: a pid file's text to a pid, a configured cgroup path
// to its directory in the mounted memory hierarchy (v1 or v2), the root of a cgroup's processes, and a process's
// start time, which tells a live process from a later one that reuses its pid.
import { join } from 'node:path';
import type { CgroupMount } from '../sample/cgroup.js';
import { cgroupDirOf } from '../sample/cgroup.js';

/** The pid in a pid file: one positive whole number, optionally followed by a newline (what daemons write). */
export function parsePidFile(text: string, path: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t) || Number(t) < 1) throw new Error(`pid file ${path} must hold one positive whole number (a pid), got '${t.slice(0, 40)}'`);
  return Number(t);
}

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
export function resolveCgroupDir(path: string, mounts: readonly CgroupMount[]): CgroupLocation | null {
  const clean = path.replace(/\/+$/, '') || '/';
  // The deepest mount the path is under: on a hybrid machine /sys/fs/cgroup/unified is inside /sys/fs/cgroup.
  const under = mounts
    .filter((m) => clean === m.mountPoint || clean.startsWith(`${m.mountPoint.replace(/\/+$/, '')}/`))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
  if (under) return { version: under.version, dir: clean, mountPoint: under.mountPoint };
  for (const version of [1, 2] as const) {
    for (const m of mounts.filter((x) => x.version === version)) {
      const dir = cgroupDirOf(clean, m);
      if (dir !== null) return { version, dir, mountPoint: m.mountPoint };
    }
  }
  return null;
}

/** A process of a cgroup, as its stat file says. */
export interface Member {
  pid: number;
  ppid: number;
}

/**
 * The process to name the cgroup's app by: the lowest pid whose parent is outside the cgroup (a container's first
 * process, an app started by a shell outside). Null for no members.
 */
export function rootMember(members: readonly Member[]): number | null {
  if (members.length === 0) return null;
  const pids = new Set(members.map((m) => m.pid));
  const roots = members.filter((m) => !pids.has(m.ppid)).map((m) => m.pid);
  return Math.min(...(roots.length > 0 ? roots : members.map((m) => m.pid)));
}

/** The pids of a cgroup.procs file (one per line; a pid may repeat on v1 when threads were listed). */
export function parseCgroupProcs(text: string): number[] {
  return [...new Set(text.split('\n').filter((l) => /^\d+$/.test(l.trim())).map((l) => Number(l.trim())))];
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot), after the parenthesised comm. */
export function parseStartTime(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const field = stat.slice(close + 1).trim().split(/\s+/)[19];
  return field !== undefined && /^\d+$/.test(field) ? Number(field) : null;
}

/** The file of a cgroup that holds its memory statistics, for messages. */
export function memoryStatFile(loc: Pick<CgroupLocation, 'dir'>): string {
  return join(loc.dir, 'memory.stat');
}
