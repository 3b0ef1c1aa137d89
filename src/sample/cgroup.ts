// The memory cgroup of the app: finds it (v1 memory controller or v2 unified, via /proc/PID/cgroup
// and the mount table), reads its figures (usage, anon, file, kernel, limit), and makes a fresh one
// with a limit to run the app in. Parsers are pure; the readers and createMemoryCgroup do the I/O.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CgroupFigures } from '../core/types.js';
import { readOomKills } from './oom.js';

/** A memory cgroup leakgate can read. */
export interface CgroupHandle {
  version: 1 | 2;
  /** Its directory in the cgroup filesystem, e.g. /sys/fs/cgroup/memory/ci/job1. */
  dir: string;
  /** Where that hierarchy is mounted: v2 limits are looked up from `dir` up to here. */
  mountPoint: string;
}

/** A cgroup filesystem from /proc/self/mountinfo: v1 ones only when they carry the memory controller. */
export interface CgroupMount {
  version: 1 | 2;
  mountPoint: string;
  /** The cgroup that appears at the mount point ('/' unless a sub-tree was bind-mounted). */
  root: string;
}

/** v1 reports "no limit" as a huge page-aligned number near 2^63. */
const V1_UNLIMITED = 2 ** 60;

/** Undoes mountinfo's octal escapes (\040 for a space, \011, \012, \134). */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * The cgroup mounts in /proc/PID/mountinfo ("id parent maj:min root mountpoint opts [tags] - fstype
 * source superopts"): every cgroup2 mount, and the v1 mounts whose options hold `memory`.
 */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  mountinfo.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 4) {
      throw new Error(`mountinfo: line ${i + 1} is not 'id parent maj:min root mountpoint opts ... - fstype source superopts': '${short(line)}'`);
    }
    const fstype = fields[dash + 1]!;
    const root = unescapeMountPath(fields[3]!);
    const mountPoint = unescapeMountPath(fields[4]!);
    if (fstype === 'cgroup2') mounts.push({ version: 2, mountPoint, root });
    else if (fstype === 'cgroup' && fields[dash + 3]!.split(',').includes('memory')) mounts.push({ version: 1, mountPoint, root });
  });
  return mounts;
}

/**
 * The memory cgroup's path in /proc/PID/cgroup: the line whose controllers include `memory` (v1),
 * else the unified `0::` line (v2). Null when neither is there.
 */
export function parseProcCgroup(text: string): { version: 1 | 2; path: string } | null {
  let unified: string | null = null;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (controllers.split(',').includes('memory')) return { version: 1, path };
    if (controllers === '' && line.startsWith('0::')) unified = path;
  }
  return unified !== null ? { version: 2, path: unified } : null;
}

/** The directory of cgroup `path` under a mount; null when the mount does not show that cgroup. */
export function cgroupDirOf(path: string, mount: CgroupMount): string | null {
  const root = mount.root.replace(/\/+$/, '');
  if (root !== '' && path !== root && !path.startsWith(`${root}/`)) return null;
  const rel = path.slice(root.length).replace(/^\/+/, '');
  return rel === '' ? mount.mountPoint : join(mount.mountPoint, rel);
}

export interface DetectOptions {
  procRoot?: string;
  /** Mount table to resolve paths with (default: procRoot/self/mountinfo). */
  mountinfo?: string;
}

/**
 * The memory cgroup process `pid` runs in, or null when there is none leakgate can read: no memory
 * controller, no mount of it here, or the v2 root cgroup (which has no memory.current).
 */
export function detectCgroup(pid: number | 'self' = 'self', opts: DetectOptions = {}): CgroupHandle | null {
  const procRoot = opts.procRoot ?? '/proc';
  let procCgroup: string;
  let mountinfo: string;
  try {
    procCgroup = readFileSync(join(procRoot, String(pid), 'cgroup'), 'utf8');
    mountinfo = opts.mountinfo ?? readFileSync(join(procRoot, 'self', 'mountinfo'), 'utf8');
  } catch {
    return null;
  }
  const where = parseProcCgroup(procCgroup);
  if (!where) return null;
  for (const mount of parseCgroupMounts(mountinfo)) {
    if (mount.version !== where.version) continue;
    const dir = cgroupDirOf(where.path, mount);
    if (dir === null) continue;
    const probe = where.version === 1 ? 'memory.usage_in_bytes' : 'memory.current';
    if (existsSync(join(dir, probe))) return { version: where.version, dir, mountPoint: mount.mountPoint };
  }
  return null;
}

/**
 * A flat-keyed cgroup file ("key value" per line: memory.stat, memory.events), values as numbers.
 * `file` names the file in errors.
 */
export function parseFlatKeyed(text: string, file: string): Map<string, number> {
  const out = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\S+) (\d+)$/.exec(line.trim());
    if (!m) throw new Error(`${file}: line ${i + 1} is not 'key number': '${short(line)}'`);
    out.set(m[1]!, Number(m[2]));
  });
  if (out.size === 0) throw new Error(`${file}: empty, expected 'key number' lines`);
  return out;
}

/** A single-number cgroup file (memory.current, memory.usage_in_bytes). */
export function parseBytes(text: string, file: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new Error(`${file}: expected a number of bytes, got '${short(t)}'`);
  return Number(t);
}

/** A limit file (memory.max, memory.limit_in_bytes): null for 'max' or v1's huge "unlimited". */
export function parseLimitBytes(text: string, file: string): number | null {
  const t = text.trim();
  if (t === 'max') return null;
  if (!/^\d+$/.test(t)) throw new Error(`${file}: expected a number of bytes or 'max', got '${short(t)}'`);
  const n = Number(t);
  return n >= V1_UNLIMITED ? null : n;
}

const minLimit = (limits: (number | null)[]): number | null => {
  const set = limits.filter((l): l is number => l !== null);
  return set.length > 0 ? Math.min(...set) : null;
};

/** Texts of a v1 memory cgroup's files. */
export interface V1Files {
  usage: string;
  stat: string;
  limit: string;
  /** memory.kmem.usage_in_bytes; absent on kernels without kmem accounting. */
  kmem?: string;
}

/**
 * v1 figures. anon and file come from total_rss / total_cache (this cgroup and its children) where
 * present, else rss / cache. The limit is the lower of memory.limit_in_bytes and memory.stat's
 * hierarchical_memory_limit (a parent's limit binds too).
 */
export function cgroupFiguresV1(files: V1Files): CgroupFigures {
  const stat = parseFlatKeyed(files.stat, 'memory.stat');
  const pick = (total: string, own: string): number => {
    const v = stat.get(total) ?? stat.get(own);
    if (v === undefined) throw new Error(`memory.stat: neither '${total}' nor '${own}' is there (not a v1 memory.stat?)`);
    return v;
  };
  const hierarchical = stat.get('hierarchical_memory_limit');
  return {
    usage: parseBytes(files.usage, 'memory.usage_in_bytes'),
    anon: pick('total_rss', 'rss'),
    file: pick('total_cache', 'cache'),
    kernel: files.kmem === undefined ? 0 : parseBytes(files.kmem, 'memory.kmem.usage_in_bytes'),
    limit: minLimit([
      parseLimitBytes(files.limit, 'memory.limit_in_bytes'),
      hierarchical === undefined || hierarchical >= V1_UNLIMITED ? null : hierarchical,
    ]),
  };
}

/** Texts of a v2 memory cgroup's files. */
export interface V2Files {
  current: string;
  stat: string;
  /** memory.max of the cgroup, then of each ancestor that has one (the lowest binds). */
  max: string[];
}

/** memory.stat keys that make up kernel memory on kernels older than the 'kernel' key (5.18). */
const V2_KERNEL_PARTS = ['kernel_stack', 'pagetables', 'sec_pagetables', 'percpu', 'vmalloc'];

/**
 * v2 figures. kernel is memory.stat 'kernel' (Linux 5.18+: kernel_stack, pagetables, percpu,
 * vmalloc, slab and other kernel use), else the sum of those parts; sock is left out either way.
 */
export function cgroupFiguresV2(files: V2Files): CgroupFigures {
  const stat = parseFlatKeyed(files.stat, 'memory.stat');
  const need = (key: string): number => {
    const v = stat.get(key);
    if (v === undefined) throw new Error(`memory.stat: field '${key}' is missing (not a v2 memory.stat?)`);
    return v;
  };
  let kernel = stat.get('kernel');
  if (kernel === undefined) {
    const slab = stat.get('slab') ?? (stat.get('slab_reclaimable') ?? 0) + (stat.get('slab_unreclaimable') ?? 0);
    kernel = V2_KERNEL_PARTS.reduce((sum, key) => sum + (stat.get(key) ?? 0), slab);
  }
  return {
    usage: parseBytes(files.current, 'memory.current'),
    anon: need('anon'),
    file: need('file'),
    kernel,
    limit: minLimit(files.max.map((m) => parseLimitBytes(m, 'memory.max'))),
  };
}

/** Reads a cgroup file, naming it in the error. */
function readCgroupFile(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${join(dir, name)}: ${(err as Error).message}`, { cause: err });
  }
}

function readOptional(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

/** The cgroup's memory now (about 4 small reads, ~50 us). Throws naming the file that failed. */
export function readCgroupMemory(cg: CgroupHandle): CgroupFigures {
  if (cg.version === 1) {
    return cgroupFiguresV1({
      usage: readCgroupFile(cg.dir, 'memory.usage_in_bytes'),
      stat: readCgroupFile(cg.dir, 'memory.stat'),
      limit: readCgroupFile(cg.dir, 'memory.limit_in_bytes'),
      kmem: readOptional(cg.dir, 'memory.kmem.usage_in_bytes'),
    });
  }
  const max: string[] = [];
  for (let dir = cg.dir; ; dir = join(dir, '..')) {
    const m = readOptional(dir, 'memory.max');
    if (m !== undefined) max.push(m);
    if (dir === cg.mountPoint || !dir.startsWith(`${cg.mountPoint}/`)) break;
  }
  return cgroupFiguresV2({ current: readCgroupFile(cg.dir, 'memory.current'), stat: readCgroupFile(cg.dir, 'memory.stat'), max });
}

/** Why a cgroup could not be made: the message says what to change. */
export class CgroupUnavailableError extends Error {
  override name = 'CgroupUnavailableError';
  constructor(
    message: string,
    readonly reason: 'no-memory-controller' | 'not-permitted' | 'read-only' | 'not-delegated' | 'exists' | 'invalid',
  ) {
    super(message);
  }
}

export interface CreateCgroupOptions {
  limitBytes: number;
  /** Directory name of the new cgroup: letters, digits, '.', '_', '-'. */
  name: string;
  /** Parent directory (default <memory mount>/leakgate); made if missing. */
  parent?: string;
  /** Also forbid swap, so the limit is the limit (default true; skipped where swap is not accounted). */
  noSwap?: boolean;
  /** Mount table to find the memory controller in (default /proc/self/mountinfo). */
  mountinfo?: string;
}

export interface MemoryCgroup extends CgroupHandle {
  /** Moves a process (and, v1: only that thread group) into the cgroup. */
  addPid(pid: number): void;
  /** Processes in the cgroup now. */
  pids(): number[];
  /** The cgroup's OOM-kill counter (null where the kernel has none: v1 before 4.13). */
  oomKills(): number | null;
  /** Waits (bounded) until no process is left in it, then removes it; throws if some remain. */
  remove(timeoutMs?: number): Promise<void>;
}

function fsError(err: unknown, what: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const msg = `${what}: ${(err as Error).message}`;
  if (code === 'EACCES' || code === 'EPERM') {
    return new CgroupUnavailableError(`${msg} (making cgroups needs root, or a cgroup sub-tree delegated to this user)`, 'not-permitted');
  }
  if (code === 'EROFS') return new CgroupUnavailableError(`${msg} (the cgroup filesystem is mounted read-only, as in most containers)`, 'read-only');
  if (code === 'EEXIST') return new CgroupUnavailableError(`${msg} (left over from an earlier run? remove it with rmdir)`, 'exists');
  return new Error(msg, { cause: err });
}

function write(path: string, value: string): void {
  try {
    writeFileSync(path, value);
  } catch (err) {
    throw fsError(err, `cannot write '${value.trim()}' to ${path}`);
  }
}

/** The memory controller's mount: v1 memory if mounted, else a cgroup2 mount that offers memory. */
function memoryMount(mountinfo: string): CgroupMount {
  const mounts = parseCgroupMounts(mountinfo);
  const v1 = mounts.find((m) => m.version === 1);
  if (v1) return v1;
  for (const m of mounts.filter((x) => x.version === 2)) {
    const controllers = readOptional(m.mountPoint, 'cgroup.controllers');
    if (controllers !== undefined && controllers.split(/\s+/).includes('memory')) return m;
  }
  throw new CgroupUnavailableError(
    'no memory cgroup controller here: neither a v1 cgroup mount with "memory" nor a cgroup2 mount whose cgroup.controllers lists memory',
    'no-memory-controller',
  );
}

/**
 * Makes a fresh memory cgroup with a limit, to run the app in: v1 <mount>/leakgate/<name> with
 * memory.limit_in_bytes (and memory.memsw.limit_in_bytes when noSwap); v2 <mount>/leakgate/<name>
 * with memory.max (and memory.swap.max 0), after enabling +memory in leakgate/cgroup.subtree_control,
 * which needs the mount root's subtree_control to offer memory. Throws CgroupUnavailableError
 * saying why when it cannot (not root, read-only cgroupfs, no memory controller, not delegated).
 */
export function createMemoryCgroup(opts: CreateCgroupOptions): MemoryCgroup {
  const { limitBytes, name } = opts;
  if (!Number.isInteger(limitBytes) || limitBytes < 1024 * 1024) {
    throw new CgroupUnavailableError(`cgroup limitBytes must be an integer of at least 1 MiB, got ${limitBytes}`, 'invalid');
  }
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name) || name === '.' || name === '..') {
    throw new CgroupUnavailableError(`cgroup name must be 1-64 letters, digits, '.', '_' or '-', got '${short(name)}'`, 'invalid');
  }
  const mount = memoryMount(opts.mountinfo ?? readFileSync('/proc/self/mountinfo', 'utf8'));
  const parent = opts.parent ?? join(mount.mountPoint, 'leakgate');
  const madeParent = opts.parent === undefined;
  const dir = join(parent, name);
  const noSwap = opts.noSwap ?? true;

  if (mount.version === 2) {
    const offered = readOptional(join(parent, '..'), 'cgroup.subtree_control') ?? '';
    if (!offered.split(/\s+/).includes('memory')) {
      throw new CgroupUnavailableError(
        `${join(parent, '..', 'cgroup.subtree_control')} does not enable memory for its children ('${offered.trim()}'): ` +
          `the memory controller is not delegated to ${parent}`,
        'not-delegated',
      );
    }
  }
  // Another run may remove an empty parent between our mkdirs: retry a few times.
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(parent, { recursive: true });
    } catch (err) {
      throw fsError(err, `cannot make ${parent}`);
    }
    if (mount.version === 2) {
      const enabled = readOptional(parent, 'cgroup.subtree_control') ?? '';
      if (!enabled.split(/\s+/).includes('memory')) write(join(parent, 'cgroup.subtree_control'), '+memory');
    }
    try {
      mkdirSync(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 3) continue;
      throw fsError(err, `cannot make ${dir}`);
    }
  }
  try {
    if (mount.version === 1) {
      write(join(dir, 'memory.limit_in_bytes'), `${limitBytes}\n`);
      if (noSwap && existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) {
        write(join(dir, 'memory.memsw.limit_in_bytes'), `${limitBytes}\n`);
      }
    } else {
      write(join(dir, 'memory.max'), `${limitBytes}\n`);
      if (noSwap && existsSync(join(dir, 'memory.swap.max'))) write(join(dir, 'memory.swap.max'), '0\n');
    }
  } catch (err) {
    try {
      rmdirSync(dir);
    } catch {
      // leave it: the error below says what failed
    }
    throw err;
  }

  const handle: CgroupHandle = { version: mount.version, dir, mountPoint: mount.mountPoint };
  const pids = (): number[] => {
    const text = readOptional(dir, 'cgroup.procs') ?? '';
    return text.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
  };
  return {
    ...handle,
    addPid(pid) {
      if (!Number.isInteger(pid) || pid <= 0) throw new RangeError(`cgroup addPid: not a pid: ${pid}`);
      write(join(dir, 'cgroup.procs'), `${pid}\n`);
    },
    pids,
    oomKills: () => readOomKills(handle),
    async remove(timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const left = pids();
        if (left.length === 0) {
          try {
            rmdirSync(dir);
            break;
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT') break;
            if (code !== 'EBUSY' || Date.now() > deadline) throw fsError(err, `cannot remove ${dir}`);
          }
        } else if (Date.now() > deadline) {
          throw new Error(`cannot remove ${dir}: processes ${left.join(', ')} are still in it after ${timeoutMs} ms; kill them first`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      if (madeParent) {
        try {
          rmdirSync(parent); // fails while another run's cgroup is in it: fine
        } catch {
          // in use or already gone
        }
      }
    },
  };
}

/**
 * The argv that runs `argv` inside the cgroup at `cgroupDir` from its first instruction: a POSIX
 * shell writes its own pid ($$) to cgroup.procs, then execs the command in place, so the app keeps
 * that pid (and its process group) and everything it allocates is charged to the cgroup. The path
 * and the command are positional parameters ("$1", "$@"), never parsed by the shell. Exit 126 with
 * a message on stderr when the move fails; 127 when the command is not found.
 */
export function cgroupWrappedCommand(cgroupDir: string, argv: readonly string[]): string[] {
  if (!isAbsolute(cgroupDir)) throw new Error(`cgroupWrappedCommand: cgroupDir must be an absolute path, got '${short(cgroupDir)}'`);
  if (argv.length === 0 || argv[0] === '') throw new Error('cgroupWrappedCommand: argv must name a command, got an empty list');
  const script = 'echo $$ > "$1/cgroup.procs" || { echo "leakgate: cannot move into cgroup $1" >&2; exit 126; }; shift; exec "$@"';
  return ['/bin/sh', '-c', script, 'leakgate-cgroup', cgroupDir, ...argv];
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 80)}...` : line;
}
