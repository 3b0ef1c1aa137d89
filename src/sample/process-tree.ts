// Finds the processes that make up the app under test: the process leakgate started, everything
// it spawned (shell wrappers, cluster workers, gunicorn workers), and anything left in its process
// group after a parent died and the orphan was reparented to init. Reads /proc/*/stat; the tracker
// caches the tree between full scans and follows /proc/PID/task/PID/children in between.

// Synchronous on purpose: /proc reads never touch a disk, and the promise versions cost ~6x the
// CPU per sample (thread-pool round trips for ~70 small files), measured by `npm run bench`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseChildren, parseStat, type StatFigures } from './procfs.js';

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
  /** Also include these processes (an attached cgroup's members), read at every full scan. */
  members?: () => readonly number[];
}

/** True for the errors a process that exited between readdir and read produces. */
export function isGoneError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** /proc/PID/stat of one process, or null if it exited while we looked. */
function readStat(procRoot: string, pid: number): StatFigures | null {
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
  return scanProcessTree(rootPid, opts);
}

/** listProcessTree, synchronously: reads /proc/PID/stat of every process on the machine. */
export function scanProcessTree(rootPid: number, opts: ProcessTreeOptions = {}): TreeProcess[] {
  const procRoot = opts.procRoot ?? '/proc';
  // readdir lists thread-group leaders only, so each process appears once, not once per thread.
  const pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = pids.map((pid) => readStat(procRoot, pid)).filter((s): s is StatFigures => s !== null);

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
  for (const pid of opts.members?.() ?? []) {
    const member = byPid.get(pid);
    if (member) visit(member);
  }
  // Descendants of everything found so far, so an orphan's own children come along too. Zombies
  // stay in the walk (their children were already reparented, but it costs nothing) and are only
  // dropped from the result.
  for (let i = 0; i < order.length; i++) {
    for (const child of childrenOf.get(order[i].pid) ?? []) visit(child);
  }
  return order.filter((s) => s.state !== 'Z').map(({ pid, ppid, comm }) => ({ pid, ppid, comm }));
}

export interface TreeTrackerOptions extends ProcessTreeOptions {
  /** Full scan of /proc every this many calls of list() (default 20: every 5 s at 250 ms). */
  rescanEvery?: number;
}

export interface TreeTrackerStats {
  /** Calls of list(). */
  lists: number;
  /** Of which walked all of /proc. */
  fullScans: number;
  /** False once a live process had no task/PID/children file (kernel without CONFIG_PROC_CHILDREN). */
  childrenFiles: boolean;
  /** Of the lists that were not full scans, those that read the children files (a pid was created since the last list). */
  childChecks: number;
}

export interface TreeTracker {
  /** The tree now: cached, checked for new children, rescanned when due or after a process vanished. */
  list(): TreeProcess[];
  /** Tells the tracker a listed process is gone (or a zombie): the next list() rescans. */
  gone(pid: number): void;
  stats(): TreeTrackerStats;
}

export const DEFAULT_RESCAN_EVERY = 20;

/**
 * A cached view of scanProcessTree for the sampler. A full scan reads the stat file of every
 * process on the machine (~1.6 ms with ~80 processes, more on a busy runner). In between, list()
 * reads the last pid handed out (/proc/loadavg, ~5 us): when it has not moved, no process (or
 * thread) was created and the cached tree stands; when it has, it reads
 * /proc/PID/task/PID/children of each known process (~6 us each) and the stat of any new child.
 * That file lists what the process's MAIN thread forked: children forked by other threads, and
 * group members not descended from a known process, are found at the next full scan, which comes
 * every `rescanEvery` calls, after gone(), and on every call where the kernel has no children files.
 */
export function createTreeTracker(rootPid: number, opts: TreeTrackerOptions = {}): TreeTracker {
  const procRoot = opts.procRoot ?? '/proc';
  const rescanEvery = opts.rescanEvery ?? DEFAULT_RESCAN_EVERY;
  if (!Number.isInteger(rescanEvery) || rescanEvery < 1) {
    throw new RangeError(`tree tracker rescanEvery must be an integer >= 1, got ${rescanEvery}`);
  }
  let tree: TreeProcess[] = [];
  let sinceScan = Infinity;
  let stale = true;
  let childrenFiles = true;
  let lists = 0;
  let fullScans = 0;
  let childChecks = 0;
  let lastPid: string | null = null;
  let checkAgain = false;

  /** The last pid the kernel handed out in our pid namespace (5th field of /proc/loadavg); null if unreadable. */
  const newestPid = (): string | null => {
    try {
      const text = readFileSync(join(procRoot, 'loadavg'), 'latin1');
      return text.trim().split(/\s+/)[4] ?? null;
    } catch {
      return null;
    }
  };

  const scan = (): void => {
    tree = scanProcessTree(rootPid, { procRoot, pgid: opts.pgid, members: opts.members });
    sinceScan = 0;
    stale = false;
    fullScans++;
  };

  /** New children of known processes; false when a children file is missing (no CONFIG_PROC_CHILDREN). */
  const followChildren = (): boolean => {
    const known = new Set(tree.map((p) => p.pid));
    for (let i = 0; i < tree.length; i++) {
      const parent = tree[i]!;
      let text: string;
      try {
        text = readFileSync(join(procRoot, String(parent.pid), 'task', String(parent.pid), 'children'), 'utf8');
      } catch (err) {
        if (!isGoneError(err)) throw err;
        // Either the process is gone (the status read will say so) or the kernel has no such file.
        if (existsSync(join(procRoot, String(parent.pid), 'stat'))) return false;
        continue;
      }
      let kids: number[];
      try {
        kids = parseChildren(text);
      } catch (err) {
        throw new Error(`${join(procRoot, String(parent.pid), 'task', String(parent.pid))}/${(err as Error).message}`, { cause: err });
      }
      for (const pid of kids) {
        if (known.has(pid)) continue;
        const s = readStat(procRoot, pid);
        if (s === null || s.state === 'Z') continue;
        known.add(pid);
        tree.push({ pid: s.pid, ppid: s.ppid, comm: s.comm }); // its own children are visited later in this loop
      }
    }
    return true;
  };

  return {
    list() {
      lists++;
      sinceScan++;
      const newest = newestPid();
      // A pid is handed out a moment before the child is linked to its parent: after a list that
      // saw a new pid, the next one looks at the children files again.
      const moved = newest === null || newest !== lastPid;
      const forked = moved || checkAgain;
      checkAgain = moved;
      lastPid = newest;
      if (stale || sinceScan >= rescanEvery || !childrenFiles) {
        scan();
      } else if (forked) {
        childChecks++;
        if (!followChildren()) {
          childrenFiles = false;
          scan();
        }
      }
      return [...tree];
    },
    gone(pid) {
      const before = tree.length;
      tree = tree.filter((p) => p.pid !== pid);
      if (tree.length !== before) stale = true;
    },
    stats: () => ({ lists, fullScans, childrenFiles, childChecks }),
  };
}
