// Finds the processes of one run in procfs: those whose environment carries the run's marker
// (LEAKGATE_RUN_ID=<marker>, inherited by every descendant unless it clears its environment, so
// it finds children that left the process group with setsid or a double fork) and those still
// in the app's process group. Zombies are left out: they hold no memory and their parent (or
// init) reaps them; they cannot be killed anyway.
import { readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';

export const MARKER_ENV = 'LEAKGATE_RUN_ID';

/** Fields of /proc/PID/stat that teardown needs. */
export interface ProcStat {
  pid: number;
  /** R, S, D, Z, T, ... */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
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
  return { pid, state, ppid: Number(ppid), pgrp: Number(pgrp), session: Number(session) };
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
