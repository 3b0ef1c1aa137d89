// Finds the processes that make up the app under test: the process leakgate started, everything
// it spawned (shell wrappers, cluster workers, gunicorn workers), and anything left in its process
// group after a parent died and the orphan was reparented to init. Reads /proc/*/stat.

// Synchronous on purpose: /proc reads never touch a disk, and the promise versions cost ~6x the
// CPU per sample (thread-pool round trips for ~70 small files), measured by `npm run bench`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStat, type StatFigures } from './procfs.js';

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
}

/** True for the errors a process that exited between readdir and read produces. */
export function isGoneError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** /proc/PID/stat of one process, or null if it exited while we looked. */
async function readStat(procRoot: string, pid: number): Promise<StatFigures | null> {
  let text: string;
  try {
    text = readFileSync(join(procRoot, String(pid), 'stat'), 'utf8');
  } catch (err) {
    if (isGoneError(err)) return null;
    throw err;
  }
  // A process that exits mid-read leaves an empty file rather than an error on some kernels.
  if (text === '') return null;
  try {
    return parseStat(text);
  } catch (err) {
    throw new Error(`${join(procRoot, String(pid))}/${(err as Error).message}`, { cause: err });
  }
}

/**
 * The root and its descendants (by parent pid), plus the members of `pgid` if given and their
 * descendants: the root first, then in the order found. Zombies are left out: they hold no memory and are about to go.
 * Returns [] when none of them is alive.
 */
export async function listProcessTree(rootPid: number, opts: ProcessTreeOptions = {}): Promise<TreeProcess[]> {
  const procRoot = opts.procRoot ?? '/proc';
  // readdir lists thread-group leaders only, so each process appears once, not once per thread.
  const pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = (await Promise.all(pids.map((pid) => readStat(procRoot, pid)))).filter(
    (s): s is StatFigures => s !== null,
  );

  const childrenOf = new Map<number, StatFigures[]>();
  const byPid = new Map<number, StatFigures>();
  for (const s of stats) {
    byPid.set(s.pid, s);
    const siblings = childrenOf.get(s.ppid);
    if (siblings) siblings.push(s);
    else childrenOf.set(s.ppid, [s]);
  }

  const order: StatFigures[] = [];
  const seen = new Set<number>();
  const visit = (s: StatFigures): void => {
    if (seen.has(s.pid)) return;
    seen.add(s.pid);
    order.push(s);
  };
  const root = byPid.get(rootPid);
  if (root) visit(root);
  if (opts.pgid !== undefined) {
    for (const s of stats) if (s.pgid === opts.pgid) visit(s);
  }
  // Descendants of everything found so far, so an orphan's own children come along too. Zombies
  // stay in the walk (their children were already reparented, but it costs nothing) and are only
  // dropped from the result.
  for (let i = 0; i < order.length; i++) {
    for (const child of childrenOf.get(order[i].pid) ?? []) visit(child);
  }
  return order.filter((s) => s.state !== 'Z').map(({ pid, ppid, comm }) => ({ pid, ppid, comm }));
}
