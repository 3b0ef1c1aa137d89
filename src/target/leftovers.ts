// Ends what an earlier leakgate run left behind when it died before its keeper could act (or the keeper
// was killed too): processes whose environment carries LEAKGATE_RUN_ID and a LEAKGATE_OWNER naming a
// leakgate process that no longer runs. A marked process whose owner still runs (a parallel run) or that
// records no owner is never touched, and nothing is ever chosen by name.
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../core/logger.js';
import { environValue, MARKER_ENV, OWNER_ENV, parseProcStat } from './marked-processes.js';
import { describeHolder, describeProcess, ownerAlive, type ProcessInfo } from './port-holders.js';
import { killQuietly } from './start-target.js';

/** Live processes carrying leakgate's marker whose leakgate owner is dead. */
export async function findLeftovers(procRoot = '/proc'): Promise<ProcessInfo[]> {
  const names = (await readdir(procRoot)).filter((n) => /^\d+$/.test(n) && Number(n) !== process.pid);
  const found = await Promise.all(
    names.map(async (name) => {
      const environ = await readFile(`${procRoot}/${name}/environ`).catch(() => null);
      if (!environ || environValue(environ, MARKER_ENV) === null) return null;
      const owner = environValue(environ, OWNER_ENV);
      if (owner === null || (await ownerAlive(owner, procRoot)) !== false) return null;
      const stat = await readFile(`${procRoot}/${name}/stat`, 'utf8').catch(() => '');
      const state = parseProcStat(stat)?.state;
      if (state === undefined || state === 'Z' || state === 'X') return null;
      return describeProcess(Number(name), procRoot);
    }),
  );
  return found.filter((p): p is ProcessInfo => p !== null);
}

/** SIGTERM, up to graceMs, then SIGKILL, to every leftover of a dead run; logs what it ended. Returns their pids. */
export async function endLeftovers(opts: { logger: Logger; graceMs: number; procRoot?: string }): Promise<number[]> {
  const procRoot = opts.procRoot ?? '/proc';
  const leftovers = await findLeftovers(procRoot);
  if (leftovers.length === 0) return [];
  const pids = leftovers.map((p) => p.pid);
  opts.logger.warn(`ending ${leftovers.length} process(es) left running by an earlier leakgate run that died: ${leftovers.map(describeHolder).join('; ')}`);
  for (const pid of pids) killQuietly(pid, 'SIGTERM');
  const end = Date.now() + opts.graceMs;
  let left = pids;
  while (left.length > 0 && Date.now() < end) {
    await delay(50);
    left = await stillAlive(left, procRoot);
  }
  for (const pid of await stillAlive(left, procRoot)) killQuietly(pid, 'SIGKILL');
  return pids;
}

/** Those still running and still marked (a pid reused meanwhile by another process is not ours to kill). */
async function stillAlive(pids: number[], procRoot: string): Promise<number[]> {
  const alive = await Promise.all(
    pids.map(async (pid) => {
      const state = parseProcStat(await readFile(`${procRoot}/${pid}/stat`, 'utf8').catch(() => ''))?.state;
      if (state === undefined || state === 'Z' || state === 'X') return false;
      const environ = await readFile(`${procRoot}/${pid}/environ`).catch(() => null);
      return environ !== null && environValue(environ, MARKER_ENV) !== null;
    }),
  );
  return pids.filter((_, i) => alive[i]);
}
