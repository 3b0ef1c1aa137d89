// Reads the memory of one process, or of a whole process tree summed, from procfs. smaps_rollup is
// the source (it has PSS, USS and Anonymous); /proc/PID/status is the fallback where smaps_rollup
// cannot be read (another user's process, or a kernel older than 4.14).

// Synchronous on purpose: see process-tree.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MemoryFigures, ProcessFigures } from '../types.js';
import { isGoneError, listProcessTree, type ProcessTreeOptions } from './process-tree.js';
import { parseSmapsRollup, parseStatus } from './procfs.js';

/** Reads a procfs file; null when the process is gone. Other errors are thrown. */
async function readProcFile(procRoot: string, pid: number, name: string): Promise<string | null> {
  try {
    return readFileSync(join(procRoot, String(pid), name), 'utf8');
  } catch (err) {
    if (isGoneError(err)) return null;
    throw err;
  }
}

/** Runs a parser, prefixing its error with the process's directory so it says whose file it was. */
function withPid<T>(procRoot: string, pid: number, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Error(`${join(procRoot, String(pid))}/${(err as Error).message}`, { cause: err });
  }
}

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

/**
 * Memory of one process, or null when it is gone or has no address space left (a zombie).
 * Falls back to /proc/PID/status where smaps_rollup is unreadable; status has no PSS or USS, so
 * both are VmRSS there, an upper bound rather than the real figure.
 */
export async function readProcessMemory(pid: number, procRoot = '/proc'): Promise<MemoryFigures | null> {
  let rollup: string | undefined;
  try {
    rollup = readFileSync(join(procRoot, String(pid), 'smaps_rollup'), 'utf8');
  } catch (err) {
    const code = errorCode(err);
    // ESRCH: the process has no mm (zombie, kernel thread) or just exited.
    if (code === 'ESRCH') return null;
    // ENOENT is either "process gone" or "kernel without smaps_rollup"; status tells them apart.
    if (code !== 'ENOENT' && code !== 'EACCES' && code !== 'EPERM') throw err;
  }
  if (rollup !== undefined) {
    // A process that lost its address space mid-read (exiting) yields an empty file.
    if (rollup === '') return null;
    const text = rollup;
    return withPid(procRoot, pid, () => parseSmapsRollup(text));
  }
  const text = await readProcFile(procRoot, pid, 'status');
  if (text === null) return null;
  // Zombies and kernel threads have no VmRSS line: nothing to measure.
  if (!/^VmRSS:/m.test(text)) return null;
  const status = withPid(procRoot, pid, () => parseStatus(text));
  return { rss: status.vmRss, pss: status.vmRss, uss: status.vmRss, anon: status.rssAnon, swap: status.vmSwap };
}

export function zeroFigures(): MemoryFigures {
  return { rss: 0, pss: 0, uss: 0, anon: 0, swap: 0 };
}

export interface TreeMemory {
  /** Sum over `processes`. */
  total: MemoryFigures;
  /** Every live process of the tree, root first; empty when the app has exited. */
  processes: ProcessFigures[];
}

/** Memory of the root, its descendants and its process group, per process and summed. */
export async function readTreeMemory(rootPid: number, opts: ProcessTreeOptions = {}): Promise<TreeMemory> {
  const procRoot = opts.procRoot ?? '/proc';
  const tree = await listProcessTree(rootPid, { ...opts, procRoot });
  const figures = await Promise.all(tree.map((p) => readProcessMemory(p.pid, procRoot)));
  const total = zeroFigures();
  const processes: ProcessFigures[] = [];
  tree.forEach((p, i) => {
    const f = figures[i];
    if (f === null || f === undefined) return; // exited between listing and reading
    processes.push({ pid: p.pid, ppid: p.ppid, comm: p.comm, ...f });
    total.rss += f.rss;
    total.pss += f.pss;
    total.uss += f.uss;
    total.anon += f.anon;
    total.swap += f.swap;
  });
  return { total, processes };
}
