// Attaches to an app leakgate did not start (app.attach): a pid, a pid file, a memory cgroup, or a container
// (resolved through `docker inspect` or `podman inspect` to its first process and that process's cgroup). Gives a
// Target like startTarget's, so readiness, sampling and the probes run unchanged, but leakgate neither starts nor
// stops the app: detachTarget only stops watching it. The app's exit is noticed by polling (a process leakgate did
// not spawn sends it no exit event) and its exit status stays unknown.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { AttachSpec, ContainerEngine } from '../config/attach.js';
import { errorMessage, MeasureError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ExitStatus } from '../core/types.js';
import { findExecutable } from '../process/find-executable.js';
import { runBounded } from '../process/run-bounded.js';
import { detectCgroup, parseCgroupMounts, readCgroupMemory, type CgroupHandle } from '../sample/cgroup.js';
import { parseStat } from '../sample/procfs.js';
import { parseCgroupProcs, parsePidFile, parseStartTime, resolveCgroupDir, rootMember, type Member } from './attach-resolve.js';
import { notAttachable, parseContainerInspect, type ContainerState } from './container-inspect.js';
import type { Target, TargetExit } from './start-target.js';

export interface AttachedTarget extends Target {
  readonly attached: {
    kind: AttachSpec['kind'];
    /** The memory cgroup sampled as the app's (cgroup and container); null for a pid. */
    cgroup: CgroupHandle | null;
    /** The cgroup's processes now (cgroup and container); null for a pid, whose tree is followed instead. */
    members: (() => number[]) | null;
  };
}

export function isAttached(target: Target): target is AttachedTarget {
  return 'attached' in target;
}

export interface AttachOptions {
  logger?: Logger;
  /** Relative pid files are resolved against it (the config file's directory). */
  baseDir: string;
  /** How often to look whether the app is still there. Default 200 ms. */
  pollMs?: number;
  procRoot?: string;
  /** The mount table (default /proc/self/mountinfo), for tests. */
  mountinfo?: string;
  /** PATH to find docker and podman on (default process.env.PATH). */
  path?: string;
}

/** Finds the app and starts watching it; throws a MeasureError saying what was not found or not readable. */
export async function attachTarget(spec: AttachSpec, opts: AttachOptions): Promise<AttachedTarget> {
  const procRoot = opts.procRoot ?? '/proc';
  switch (spec.kind) {
    case 'pid':
      return watchPid(spec.pid, `pid ${spec.pid}`, opts);
    case 'pid-file': {
      const file = isAbsolute(spec.path) ? spec.path : resolve(opts.baseDir, spec.path);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new MeasureError(`app.attach.pid-file: cannot read ${file}: ${errorMessage(err)} (is the app started, and does it write its pid there?)`);
      }
      let pid: number;
      try {
        pid = parsePidFile(text, file);
      } catch (err) {
        throw new MeasureError(`app.attach.pid-file: ${errorMessage(err)}`);
      }
      return watchPid(pid, `pid ${pid} from ${file}`, opts);
    }
    case 'cgroup':
      return watchCgroup(locateCgroup(spec.path, opts), `cgroup ${spec.path}`, 'cgroup', opts);
    case 'container': {
      const { engine, state } = await inspectContainer(spec.name, spec.engine, opts);
      const cg = detectCgroup(state.pid, { procRoot, ...(opts.mountinfo !== undefined ? { mountinfo: opts.mountinfo } : {}) });
      if (cg === null) {
        throw new MeasureError(
          `container '${spec.name}' runs as pid ${state.pid}, but ${join(procRoot, String(state.pid), 'cgroup')} names no memory cgroup mounted here ` +
            `(${state.cgroupPath ? `${engine} says ${state.cgroupPath}; ` : ''}is leakgate itself in a container without the host's /sys/fs/cgroup?)`,
        );
      }
      return watchCgroup(cg, `container ${state.name} (${engine}, id ${state.id.slice(0, 12)}, pid ${state.pid})`, 'container', opts);
    }
  }
}

/** Stops watching: the app keeps running. The exit status of a process leakgate did not start is unknown. */
export function detachTarget(target: AttachedTarget): ExitStatus {
  const early = target.hasExited();
  target.dispose();
  return { code: null, signal: null, early };
}

/** Runs app.restart (no shell), bounded; throws a MeasureError with its output when it fails. */
export async function runRestart(argv: readonly string[], cwd: string, logger: Logger, timeoutMs = 120_000): Promise<void> {
  const [file, ...args] = argv;
  if (file === undefined) return;
  logger.info(`restarting the app: ${argv.join(' ')}`);
  let r;
  try {
    r = await runBounded(file, args, { cwd, timeoutMs, group: true, maxOutput: 1024 * 1024 });
  } catch (err) {
    throw new MeasureError(`app.restart (${argv.join(' ')}) could not be started: ${errorMessage(err)}`);
  }
  if (r.code !== 0) {
    const why = r.timedOut ? `did not finish within ${timeoutMs / 1000}s` : r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
    const said = r.stderr.trim().split('\n').slice(-5).join(' | ');
    throw new MeasureError(`app.restart (${argv.join(' ')}) ${why}${said ? `: ${said}` : ''}`);
  }
}

function statOf(procRoot: string, pid: number): { state: string; ppid: number; start: number | null } | null {
  let text: string;
  try {
    text = readFileSync(join(procRoot, String(pid), 'stat'), 'utf8');
  } catch {
    return null;
  }
  if (text === '') return null;
  const s = parseStat(text);
  return { state: s.state, ppid: s.ppid, start: parseStartTime(text) };
}

function watchPid(pid: number, display: string, opts: AttachOptions): AttachedTarget {
  const procRoot = opts.procRoot ?? '/proc';
  const first = statOf(procRoot, pid);
  if (first === null || first.state === 'Z') {
    throw new MeasureError(`${display}: no such process${first?.state === 'Z' ? ' (it has exited: a zombie waiting for its parent)' : ''}; is the app running, and in this pid namespace?`);
  }
  // Same pid and same start time: the same process, not a later one the kernel gave the pid to.
  const alive = (): boolean => {
    const now = statOf(procRoot, pid);
    return now !== null && now.state !== 'Z' && now.start === first.start;
  };
  return watching(pid, display, { kind: 'pid', cgroup: null, members: null }, alive, opts);
}

/** The configured cgroup as a readable memory cgroup; throws saying which file could not be read and why. */
function locateCgroup(path: string, opts: AttachOptions): CgroupHandle {
  let mountinfo: string;
  try {
    mountinfo = opts.mountinfo ?? readFileSync(join(opts.procRoot ?? '/proc', 'self', 'mountinfo'), 'utf8');
  } catch (err) {
    throw new MeasureError(`app.attach.cgroup ${path}: cannot read the mount table: ${errorMessage(err)}`);
  }
  const mounts = parseCgroupMounts(mountinfo);
  const loc = resolveCgroupDir(path, mounts);
  if (loc === null) throw new MeasureError(`app.attach.cgroup ${path}: no memory cgroup hierarchy is mounted here (no v1 'memory' mount, no cgroup2 mount)`);
  const shown = loc.dir === path ? path : `${path} (${loc.dir})`;
  if (!existsSync(loc.dir)) {
    throw new MeasureError(`app.attach.cgroup ${shown}: no such cgroup (memory hierarchies mounted here: ${mounts.map((m) => `${m.mountPoint} v${m.version}`).join(', ')})`);
  }
  const handle: CgroupHandle = { version: loc.version, dir: loc.dir, mountPoint: loc.mountPoint };
  try {
    readCgroupMemory(handle);
  } catch (err) {
    const hint =
      loc.version === 2 && mounts.some((m) => m.version === 1)
        ? `; the memory controller is mounted as v1 here (${mounts.find((m) => m.version === 1)!.mountPoint}), so cgroup2 directories have no memory files`
        : loc.version === 2
          ? "; is the memory controller enabled for it (the parent's cgroup.subtree_control lists memory)?"
          : '';
    throw new MeasureError(`app.attach.cgroup ${shown}: cannot read its memory figures: ${errorMessage(err)}${hint}`);
  }
  return handle;
}

/** The pids in a cgroup and its descendant cgroups (a v1 parent's cgroup.procs lists only its own). */
function cgroupPids(dir: string, depth = 0): number[] {
  let pids: number[] = [];
  try {
    pids = parseCgroupProcs(readFileSync(join(dir, 'cgroup.procs'), 'utf8'));
  } catch {
    return []; // removed (the container stopped) or never was
  }
  if (depth >= 8) return pids;
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return pids;
  }
  for (const e of entries) if (e.isDirectory()) pids.push(...cgroupPids(join(dir, e.name), depth + 1));
  return pids;
}

function watchCgroup(cg: CgroupHandle, display: string, kind: 'cgroup' | 'container', opts: AttachOptions): AttachedTarget {
  const procRoot = opts.procRoot ?? '/proc';
  const members = (): number[] => cgroupPids(cg.dir);
  const withStat: Member[] = members().flatMap((pid) => {
    const s = statOf(procRoot, pid);
    return s && s.state !== 'Z' ? [{ pid, ppid: s.ppid }] : [];
  });
  const root = rootMember(withStat);
  if (root === null) throw new MeasureError(`${display}: no process runs in ${cg.dir} (cgroup.procs is empty): start the app in it before leakgate runs`);
  const alive = (): boolean => members().some((pid) => {
    const s = statOf(procRoot, pid);
    return s !== null && s.state !== 'Z';
  });
  return watching(root, `${display}, ${cg.dir}`, { kind, cgroup: cg, members }, alive, opts);
}

function watching(pid: number, display: string, attached: AttachedTarget['attached'], alive: () => boolean, opts: AttachOptions): AttachedTarget {
  const logger = opts.logger ?? silentLogger;
  let status: TargetExit | null = null;
  let resolveExit: (s: TargetExit) => void = () => undefined;
  const exited = new Promise<TargetExit>((r) => (resolveExit = r));
  const check = (): void => {
    if (status !== null || alive()) return;
    status = { code: null, signal: null };
    clearInterval(timer);
    logger.debug(`${display} is gone`);
    resolveExit(status);
  };
  const timer = setInterval(check, opts.pollMs ?? 200);
  // Watching must never keep leakgate alive.
  timer.unref();
  logger.debug(`attached to ${display} (root pid ${pid})`);
  return {
    pid,
    pgid: pid,
    marker: `attached-${pid}`,
    command: display,
    exited,
    outputEnded: Promise.resolve(),
    hasExited: () => {
      check();
      return status !== null;
    },
    exitStatus: () => status,
    tail: () => [],
    onLine: () => () => undefined,
    dispose: () => clearInterval(timer),
    attached,
  };
}

const INSTALL: Record<'docker' | 'podman', string> = { docker: 'apt-get install -y docker.io', podman: 'apt-get install -y podman' };

/**
 * Runs `<engine> inspect` on the container and checks it runs. With engine auto, docker first, then podman: the
 * first engine that knows the container decides; a container found but not running is an error at once.
 */
async function inspectContainer(name: string, wanted: ContainerEngine, opts: AttachOptions): Promise<{ engine: string; state: ContainerState }> {
  const path = opts.path ?? process.env.PATH;
  const engines = (wanted === 'auto' ? (['docker', 'podman'] as const) : [wanted]).flatMap((e) => {
    const file = findExecutable(e, path);
    return file === null ? [] : [{ engine: e, file }];
  });
  if (engines.length === 0) {
    throw new MeasureError(
      wanted === 'auto'
        ? `app.attach.container: neither docker nor podman is installed (not on PATH); install one (${INSTALL.docker}, or ${INSTALL.podman})`
        : `app.attach.engine is ${wanted}, but ${wanted} is not installed (not on PATH): ${INSTALL[wanted]}`,
    );
  }
  const failures: string[] = [];
  for (const { engine, file } of engines) {
    const r = await inspectWith(engine, file, name);
    if (typeof r === 'string') {
      failures.push(r);
      continue;
    }
    const why = notAttachable(r);
    if (why !== null) throw new MeasureError(`${why} (${engine})`);
    return { engine, state: r };
  }
  throw new MeasureError(failures.join('; '));
}

/** The container's state, or why the engine could not say. */
async function inspectWith(engine: 'docker' | 'podman', file: string, name: string): Promise<ContainerState | string> {
  const args = ['inspect', '--type', 'container', '--', name];
  let r;
  try {
    r = await runBounded(file, args, { timeoutMs: 30_000, maxOutput: 8 * 1024 * 1024 });
  } catch (err) {
    return `${engine} ${args.join(' ')} could not be started: ${errorMessage(err)}`;
  }
  const said = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  if (r.code !== 0) {
    // An unreachable daemon also prints '[]': tell it apart from a missing container by what the engine said.
    if (/cannot connect to the docker daemon|is the docker daemon running|unable to connect to podman/i.test(r.stderr)) {
      return `${engine} inspect could not reach the ${engine} daemon (${said}): start it, or point DOCKER_HOST at it`;
    }
    if (/no such (container|object)/i.test(r.stderr) || r.stdout.trim() === '[]') return `${engine} has no container '${name}' (${said || 'no such container'})`;
    return `${engine} ${args.join(' ')} failed (${r.timedOut ? 'timed out' : `exit code ${r.code}`}): ${said || 'it printed nothing'}`;
  }
  try {
    return parseContainerInspect(r.stdout, name);
  } catch (err) {
    return `${engine} inspect: ${errorMessage(err)}`;
  }
}
