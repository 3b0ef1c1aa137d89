// Reads the memory of one process, or of a whole process tree summed, from procfs: readTreeMemory
// reads everything at once (smaps_rollup, status as the fallback); createTreeMemoryReader is the
// sampler's cost-aware reader (status every tick, smaps_rollup every k-th tick within a CPU budget).

// Synchronous on purpose: see process-tree.ts.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MemoryFigures, ProcessFigures } from '../core/types.js';
import { createTreeTracker, isGoneError, listProcessTree, type ProcessTreeOptions, type TreeTrackerStats } from './process-tree.js';
import { parseCmdline, parseSmapsRollup, parseStatus, parseStatusMemory, type StatusMemory } from './procfs.js';

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

const scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * A small procfs file as latin1 text with one open/read/close (readFileSync adds an fstat and a
 * second read, ~1.5 us more). Only for files whose text we read as ASCII.
 */
export function readProcText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let text = '';
    for (;;) {
      const n = readSync(fd, scratch, 0, scratch.length, null);
      if (n === 0) return text;
      text += scratch.toString('latin1', 0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The memory lines of /proc/PID/status: the cheap figures (~15 us, no page-table walk). Null when
 * the process is gone or has no address space (a zombie or kernel thread: no VmRSS line).
 */
export function readProcessStatus(pid: number, procRoot = '/proc'): StatusMemory | null {
  let text: string;
  try {
    text = readProcText(join(procRoot, String(pid), 'status'));
  } catch (err) {
    if (isGoneError(err)) return null;
    throw err;
  }
  return withPid(procRoot, pid, () => parseStatusMemory(text));
}

/** pss and uss of one process from smaps_rollup; 'unreadable' where it cannot be read, null when gone. */
function readRollupPssUss(pid: number, procRoot: string): { pss: number; uss: number } | 'unreadable' | null {
  let text: string;
  try {
    text = readFileSync(join(procRoot, String(pid), 'smaps_rollup'), 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ESRCH') return null;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') return 'unreadable';
    throw err;
  }
  if (text === '') return null;
  const f = withPid(procRoot, pid, () => parseSmapsRollup(text));
  return { pss: f.pss, uss: f.uss };
}

/** /proc/PID/cmdline as ps shows it; '' when gone or unreadable. */
export function readCmdline(pid: number, procRoot = '/proc'): string {
  try {
    return parseCmdline(readFileSync(join(procRoot, String(pid), 'cmdline'), 'utf8'));
  } catch {
    return '';
  }
}

/** Default share of one core the smaps_rollup reads may take on average: 0.5%. */
export const DEFAULT_FULL_READ_BUDGET = 0.005;

/**
 * Ticks from one full (smaps_rollup) read to the next, so that full reads cost at most `budget`
 * of a core on average: a read that took `lastFullReadMs` is repeated after
 * max(1, ceil(lastFullReadMs / (budget * intervalMs))) ticks. E.g. at 250 ms and 0.5%: every tick
 * up to 1.25 ms per read, every 7th tick at 8 ms (a 1 GiB heap).
 */
export function fullReadEvery(lastFullReadMs: number, intervalMs: number, budget = DEFAULT_FULL_READ_BUDGET): number {
  if (!(intervalMs > 0) || !(budget > 0)) {
    throw new RangeError(`fullReadEvery: intervalMs and budget must be positive, got ${intervalMs} ms and ${budget}`);
  }
  if (!Number.isFinite(lastFullReadMs) || lastFullReadMs <= 0) return 1;
  return Math.max(1, Math.ceil(lastFullReadMs / (budget * intervalMs)));
}

/** What the sampler knows about one process of the tree, beyond its figures. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  /** Command line as ps shows it (read when first seen, again if comm changes: an exec); '' if unreadable or not read. */
  cmdline: string;
  /** Index of the reading the process was first seen in. */
  firstSeen: number;
  /** Index of the last reading it was in. */
  lastSeen: number;
}

export interface TreeReading extends TreeMemory {
  /** True when pss and uss of every process were read now; false when some were carried forward. */
  full: boolean;
}

export interface TreeReaderOptions extends ProcessTreeOptions {
  /** The sampling interval, for the full-read budget. */
  intervalMs: number;
  /** Share of one core the smaps_rollup reads may cost on average (default 0.005). */
  fullReadBudget?: number;
  /** Full /proc scan every this many reads (default 20). */
  rescanEvery?: number;
  /** Read /proc/PID/cmdline once per new process (default true). */
  cmdline?: boolean;
  /** Monotonic ms clock timing the full reads (default performance.now). */
  clock?: () => number;
}

export interface TreeReaderStats extends TreeTrackerStats {
  reads: number;
  /** Reads that read smaps_rollup of every process. */
  fullReads: number;
  /** Duration of the last full read's smaps_rollup part, ms. */
  lastFullReadMs: number;
  /** Current gap between full reads, in reads. */
  fullEvery: number;
}

export interface TreeReader {
  /** Reads the tree now. An empty `processes` means the app has exited. */
  read(): TreeReading;
  /** Every process seen so far, by pid. */
  processes(): ReadonlyMap<number, ProcessInfo>;
  stats(): TreeReaderStats;
}

/**
 * The sampler's reader. Every read: the tree (cached, see createTreeTracker) and /proc/PID/status
 * of each process, which gives rss (VmRSS), anon (RssAnon) and swap (VmSwap), so those three
 * come from one source at every sample. pss and uss need smaps_rollup, which walks the page table
 * (~8 ms per GiB resident): it is read at the first read, then every fullReadEvery(...) reads,
 * and in between the last pss/uss of each process are carried forward (`full: false`). A process
 * seen for the first time has its smaps_rollup read at once. Where smaps_rollup is unreadable,
 * pss and uss are VmRSS (an upper bound), as in readProcessMemory.
 */
export function createTreeMemoryReader(rootPid: number, opts: TreeReaderOptions): TreeReader {
  const procRoot = opts.procRoot ?? '/proc';
  const budget = opts.fullReadBudget ?? DEFAULT_FULL_READ_BUDGET;
  const clock = opts.clock ?? (() => performance.now());
  fullReadEvery(0, opts.intervalMs, budget); // validates
  const tracker = createTreeTracker(rootPid, { procRoot, pgid: opts.pgid, members: opts.members, rescanEvery: opts.rescanEvery });
  const carried = new Map<number, { pss: number; uss: number } | 'unreadable'>();
  const info = new Map<number, ProcessInfo>();
  let reads = 0;
  let fullReads = 0;
  let lastFullReadMs = 0;
  let fullEvery = 1;
  let nextFull = 0;

  return {
    read() {
      const index = reads++;
      const full = index >= nextFull;
      const tree = tracker.list();
      const total = zeroFigures();
      const processes: ProcessFigures[] = [];
      let rollupMs = 0;
      let allRead = true;
      for (const p of tree) {
        const status = readProcessStatus(p.pid, procRoot);
        if (status === null) {
          tracker.gone(p.pid);
          carried.delete(p.pid);
          continue;
        }
        let pssUss = carried.get(p.pid);
        if (full || pssUss === undefined) {
          const t0 = clock();
          const r = readRollupPssUss(p.pid, procRoot);
          rollupMs += clock() - t0;
          if (r === null) {
            tracker.gone(p.pid);
            carried.delete(p.pid);
            continue;
          }
          pssUss = r;
          carried.set(p.pid, r);
        } else if (pssUss !== 'unreadable') {
          allRead = false;
        }
        const { pss, uss } = pssUss === 'unreadable' ? { pss: status.vmRss, uss: status.vmRss } : pssUss;
        const f: ProcessFigures = { pid: p.pid, ppid: p.ppid, comm: p.comm, rss: status.vmRss, pss, uss, anon: status.rssAnon, swap: status.vmSwap };
        processes.push(f);
        total.rss += f.rss;
        total.pss += f.pss;
        total.uss += f.uss;
        total.anon += f.anon;
        total.swap += f.swap;
        const known = info.get(p.pid);
        if (known) {
          known.lastSeen = index;
          known.ppid = p.ppid;
          // A process first seen between fork and exec had its parent's name and command line.
          if (known.comm !== p.comm) {
            known.comm = p.comm;
            if (opts.cmdline !== false) known.cmdline = readCmdline(p.pid, procRoot);
          }
        } else {
          const cmdline = opts.cmdline === false ? '' : readCmdline(p.pid, procRoot);
          info.set(p.pid, { pid: p.pid, ppid: p.ppid, comm: p.comm, cmdline, firstSeen: index, lastSeen: index });
        }
      }
      if (full) {
        fullReads++;
        lastFullReadMs = rollupMs;
        fullEvery = fullReadEvery(rollupMs, opts.intervalMs, budget);
        nextFull = index + fullEvery;
      }
      return { total, processes, full: full || allRead };
    },
    processes: () => info,
    stats: () => ({ ...tracker.stats(), reads, fullReads, lastFullReadMs, fullEvery }),
  };
}
