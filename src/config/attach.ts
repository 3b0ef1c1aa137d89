// app.attach: measure an app leakgate did not start (a pid, a pid file, a memory cgroup, a container) instead of
// starting app.command, and app.restart, the command run between trials. Validated like every other section:
// each problem names the key, the value and what is valid; the settings attach cannot honour are refused here,
// not discovered halfway through a run.
import { isPlainObject, obj, oneOf, type Problems } from './checks.js';

export const CONTAINER_ENGINES = ['auto', 'docker', 'podman'] as const;
export type ContainerEngine = (typeof CONTAINER_ENGINES)[number];

/** What to attach to: exactly one of these. */
export type AttachSpec =
  | { kind: 'pid'; pid: number }
  | { kind: 'pid-file'; path: string }
  | { kind: 'cgroup'; path: string }
  | { kind: 'container'; name: string; engine: ContainerEngine };

export const ATTACH_KEYS = ['pid', 'pid-file', 'cgroup', 'container', 'engine'];
const TARGET_KEYS = ['pid', 'pid-file', 'cgroup', 'container'] as const;

const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** app.attach, or undefined when absent; problems for a mapping that does not name exactly one target. */
export function attachOf(v: unknown, p: Problems): AttachSpec | undefined {
  if (v === undefined || v === null) return undefined;
  // A bare number or string is a pid; attaching must still be explicit about anything else.
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v))) return pidOf(v, 'app.attach', p);
  if (!isPlainObject(v)) {
    p.add('app.attach', v, "must be a mapping with one of pid, pid-file, cgroup or container (e.g. { container: web })");
    return undefined;
  }
  const raw = obj(v, 'app.attach', ATTACH_KEYS, p);
  const given = TARGET_KEYS.filter((k) => set(raw[k]));
  if (given.length !== 1) {
    p.add('app.attach', v, given.length === 0 ? 'must set one of pid, pid-file, cgroup or container' : `must set only one of pid, pid-file, cgroup or container (got ${given.join(', ')})`);
    return undefined;
  }
  if (set(raw.engine) && given[0] !== 'container') p.add('app.attach.engine', raw.engine, 'only applies with app.attach.container');
  switch (given[0]) {
    case 'pid':
      return pidOf(raw.pid, 'app.attach.pid', p);
    case 'pid-file': {
      if (typeof raw['pid-file'] !== 'string') {
        p.add('app.attach.pid-file', raw['pid-file'], 'must be the path of a file holding the pid');
        return undefined;
      }
      return { kind: 'pid-file', path: raw['pid-file'] };
    }
    case 'cgroup': {
      const path = raw.cgroup;
      if (typeof path !== 'string' || !path.startsWith('/') || path.split('/').includes('..')) {
        p.add('app.attach.cgroup', path, "must be an absolute path without '..': the cgroup's directory (e.g. /sys/fs/cgroup/memory/app, /sys/fs/cgroup/app.slice/app.service) or its path as /proc/PID/cgroup shows it (e.g. /app)");
        return undefined;
      }
      return { kind: 'cgroup', path };
    }
    default: {
      const name = raw.container;
      // docker and podman accept names of [a-zA-Z0-9][a-zA-Z0-9_.-]* and hex ids; a leading '-' would read as an option.
      if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/.test(name)) {
        p.add('app.attach.container', name, 'must be a container name or id (letters, digits, _ . -, starting with a letter or digit)');
        return undefined;
      }
      return { kind: 'container', name, engine: oneOf(raw.engine, 'app.attach.engine', CONTAINER_ENGINES, 'auto', p) };
    }
  }
}

function pidOf(v: unknown, path: string, p: Problems): AttachSpec | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 4_194_304) {
    p.add(path, v, 'must be a positive whole number: the pid of a running process (at most 4194304, the kernel pid limit)');
    return undefined;
  }
  if (n === 1) {
    p.add(path, v, "must not be 1: pid 1 is the machine's (or container's) init; attach to the app's own pid or its container");
    return undefined;
  }
  return { kind: 'pid', pid: n };
}

/** app.restart: an argument array run (no shell) before every trial after the first; undefined when absent. */
export function restartOf(v: unknown, p: Problems): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string' || typeof a === 'number') && String(v[0]) !== '') return v.map(String);
  p.add('app.restart', v, 'must be a non-empty list of arguments (e.g. [docker, compose, restart, web]); it runs without a shell');
  return undefined;
}

/** What an attached run cannot do, given the raw settings: each names the key that conflicts. */
export interface AttachConflicts {
  command: unknown;
  shell: unknown;
  env: unknown;
  readyLog: unknown;
  nativeTool: string;
  runtimeKind: string;
  runtimeChosen: 'auto' | 'configured';
  cgroupLimit: number | undefined;
  ab: boolean;
}

/** Problems for settings that need leakgate to start the app, when app.attach is set; app.command xor app.attach. */
export function attachProblems(attach: AttachSpec | undefined, c: AttachConflicts, p: Problems): void {
  if (attach === undefined) return;
  if (set(c.command)) p.add('app.command', c.command, "cannot be set with app.attach: set one of them (app.command starts the app, app.attach measures one already running)");
  if (c.shell === true || c.shell === 'true') p.add('app.shell', c.shell, 'only applies with app.command');
  if (isPlainObject(c.env) && Object.keys(c.env).length > 0) p.add('app.env', c.env, 'only applies with app.command (an attached app already has its environment)');
  if (set(c.readyLog)) p.add('app.ready.log', c.readyLog, "cannot be used with app.attach: leakgate does not see an attached app's output; use app.ready.url or app.ready.port");
  if (c.nativeTool !== 'off') p.add('native.tool', c.nativeTool, 'cannot be used with app.attach: valgrind and heaptrack must start the app; use app.command');
  if (c.runtimeChosen === 'configured' && c.runtimeKind !== 'none') {
    p.add('runtime', c.runtimeKind, "cannot be used with app.attach: the runtime probes set up the app's environment at start; use 'none' or app.command");
  }
  if (c.cgroupLimit !== undefined) p.add('cgroup.limit', c.cgroupLimit, "cannot be used with app.attach: leakgate does not start the app, so it cannot put it in a fresh cgroup; set the limit where the app is started (docker run --memory)");
  if (c.ab) p.add('baseline.ab', true, 'cannot be used with app.attach: A/B builds and starts the base version itself');
}
