// Finds the processes of one run in procfs: those whose environment carries the run's marker
// (LEAKGATE_RUN_ID=<marker>, inherited by every descendant unless it clears its environment, so
// it finds children that left the process group with setsid or a double fork) and those still
// in the app's process group. Zombies are left out: they hold no memory and their parent (or
// init) reaps them; they cannot be killed anyway.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

export const MARKER_ENV = 'LEAKGATE_RUN_ID';
/**
 * Which leakgate process started the app: `<pid>:<start time>` (start time in clock ticks after boot, field 22 of
 * /proc/PID/stat), so a later run can tell a leftover of a dead run (that pid is gone, or now names another
 * process) from the app of a run still going.
 */
export const OWNER_ENV = 'LEAKGATE_OWNER';

/** The owner token of process `pid` (default this one), or null when /proc does not show it. */
export function ownerToken(pid = process.pid, procRoot = '/proc'): string | null {
  const raw = readOrNullSync(`${procRoot}/${pid}/stat`);
  const stat = raw && parseProcStat(raw.toString('utf8'));
  return stat && Number.isFinite(stat.startTime) ? `${pid}:${stat.startTime}` : null;
}

/** Parses an owner token; null when it is not one. */
export function parseOwner(token: string): { pid: number; startTime: number } | null {
  const m = /^(\d+):(\d+)$/.exec(token);
  return m ? { pid: Number(m[1]), startTime: Number(m[2]) } : null;
}

/** The value of variable `name` in a NUL-separated environment block, or null. */
export function environValue(environ: Buffer, name: string): string | null {
  for (const entry of environ.toString('utf8').split('\0')) {
    if (entry.startsWith(`${name}=`)) return entry.slice(name.length + 1);
  }
  return null;
}

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
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const [state, ppid, pgrp, session] = rest;
  if (!Number.isInteger(pid) || state === undefined || session === undefined) return null;
  // Field 22 of stat; rest[0] is field 3.
  return { pid, state, ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session), startTime: Number(rest[19] ?? NaN) };
}

function isGone(stat: ProcStat | null): boolean {
  // Z: zombie, X: dead. Neither can be signalled or holds memory.
  return stat === null || stat.state === 'Z' || stat.state === 'X';
}

/** True when a NUL-separated environment block holds exactly `entry` as one of its variables. */
export function environHas(environ: Buffer, entry: string): boolean {
  const needle = Buffer.from(entry);
  let from = 0;
  for (;;) {
    const at = environ.indexOf(needle, from);
    if (at < 0) return false;
    const startsVar = at === 0 || environ[at - 1] === 0;
    const end = at + needle.length;
    const endsVar = end === environ.length || environ[end] === 0;
    if (startsVar && endsVar) return true;
    from = at + 1;
  }
}

function pidsIn(names: string[]): number[] {
  const self = process.pid;
  const pids: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid !== self) pids.push(pid);
  }
  return pids;
}

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch {
    // The process exited meanwhile (ENOENT, ESRCH) or belongs to another user (EACCES): not ours.
    return null;
  }
}

function readOrNullSync(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

function markerEntry(marker: string): string {
  if (marker.length === 0) throw new Error('findMarkedProcesses: the marker must not be empty');
  return `${MARKER_ENV}=${marker}`;
}

/** Live (non-zombie) processes, other than this one, whose environment has LEAKGATE_RUN_ID=<marker>. */
export async function findMarkedProcesses(marker: string, procRoot = '/proc'): Promise<number[]> {
  const entry = markerEntry(marker);
  const pids = pidsIn(await readdir(procRoot));
  const found = await Promise.all(
    pids.map(async (pid) => {
      const environ = await readOrNull(`${procRoot}/${pid}/environ`);
      if (environ === null || !environHas(environ, entry)) return null;
      const stat = await readOrNull(`${procRoot}/${pid}/stat`);
      return isGone(stat && parseProcStat(stat.toString('utf8'))) ? null : pid;
    }),
  );
  return found.filter((pid): pid is number => pid !== null).sort((a, b) => a - b);
}

/** The same, synchronously: for process 'exit' handlers, where nothing asynchronous runs. */
export function findMarkedProcessesSync(marker: string, procRoot = '/proc'): number[] {
  const entry = markerEntry(marker);
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const pid of pidsIn(names)) {
    const environ = readOrNullSync(`${procRoot}/${pid}/environ`);
    if (environ === null || !environHas(environ, entry)) continue;
    const stat = readOrNullSync(`${procRoot}/${pid}/stat`);
    if (!isGone(stat && parseProcStat(stat.toString('utf8')))) found.push(pid);
  }
  return found.sort((a, b) => a - b);
}

/** Live (non-zombie) processes, other than this one, in process group `pgid`. */
export async function findGroupMembers(pgid: number, procRoot = '/proc'): Promise<number[]> {
  const pids = pidsIn(await readdir(procRoot));
  const found = await Promise.all(
    pids.map(async (pid) => {
      const raw = await readOrNull(`${procRoot}/${pid}/stat`);
      const stat = raw && parseProcStat(raw.toString('utf8'));
      return stat !== null && !isGone(stat) && stat.pgrp === pgid ? pid : null;
    }),
  );
  return found.filter((pid): pid is number => pid !== null).sort((a, b) => a - b);
}

/** Reads /proc/PID/stat; null when the process does not exist. */
export async function readProcStat(pid: number, procRoot = '/proc'): Promise<ProcStat | null> {
  const raw = await readOrNull(`${procRoot}/${pid}/stat`);
  return raw && parseProcStat(raw.toString('utf8'));
}
