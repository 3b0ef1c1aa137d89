// The config sections added around the core schema: native tools (valgrind, heaptrack), runtime heaps (Node, JVM,
// Python), the memory cgroup, baseline stores and same-runner A/B, the PR comment, and the load tools beyond plain
// autocannon (k6, any command, request mixes, constant rate). Each validator takes the raw mapping and the Problems
// collector, like config.ts, so every problem is reported at once.
import {
  bool, bytes, int, isPlainObject, millis, num, obj, oneOf, pathList, type Problems, seconds, str,
} from './checks.js';
import { DEFAULT_K6_MAX_DURATION_MS } from '../load/k6-driver.js';
import { REQUEST_MODES, type RequestMode } from '../load/request-mix.js';
import { NATIVE_MODES, type NativeMode } from '../native/wrap-command.js';

/** The native tool, or off: the wrapper's own list of modes. */
export type NativeTool = NativeMode;

export interface NativeConfig {
  tool: NativeTool;
  /** Multiplier of the readiness timeout and of app.stop-grace (capped at 60 s) for the tool's slowdown. */
  slowdown: number;
  /** Load duration under the tool (shorter than a plain run: the app is 3-50x slower). */
  durationMs: number;
  /** Requests per second under the tool; undefined = closed loop with native.connections. */
  rate?: number;
  connections: number;
  /** valgrind suppression files (memcheck). */
  suppressions: string[];
  /** A leak site fails the gate when its definitely + indirectly lost bytes exceed this. */
  maxLostBytes: number;
  /** memcheck: interval of the incremental leak checks (vgdb) during the load; 0 = only at exit. */
  checkIntervalMs: number;
  /** Frames of a leak site's stack that make its fingerprint. */
  frames: number;
  /** Whether line numbers are part of the fingerprint (false survives edits that move code). */
  lines: boolean;
  /** jemalloc/tcmalloc: dump a heap profile every this many bytes allocated. */
  dumpEveryBytes: number;
  /** jemalloc/tcmalloc: the binary whose symbols name the sites; default app.command's program. */
  binary?: string;
}

const NATIVE_KEYS = ['tool', 'slowdown', 'duration', 'rate', 'connections', 'suppressions', 'max-lost-bytes', 'check-interval', 'frames', 'lines', 'dump-every', 'binary'];
/**
 * Readiness (and stop-grace) slowdown per tool. Measured (2 CPUs shared with other jobs, valgrind 3.19, heaptrack
 * 1.4), spawn to the first 200 of /healthz: C example server 9 ms plain, memcheck 1.08 s, massif 0.73 s, heaptrack
 * 16 ms; Python http.server 129 ms plain, memcheck 9.1 s (70x), massif 4.4 s (34x), heaptrack 141 ms (1.1x).
 * Valgrind's fixed start dominates tiny apps; real work runs 30-70x slower under valgrind, 1-2x under heaptrack.
 */
const NATIVE_SLOWDOWN: Record<NativeTool, number> = { memcheck: 20, massif: 10, heaptrack: 3, jemalloc: 1.5, tcmalloc: 2, off: 1 };

/** The preloaded profilers run at (nearly) full speed: the load keeps its own duration and connections. */
const FULL_SPEED: readonly NativeTool[] = ['jemalloc', 'tcmalloc'];

export function nativeOf(v: unknown, loadDurationMs: number, p: Problems, loadConnections = 10): NativeConfig {
  const raw: Record<string, unknown> = typeof v === 'string' || v === undefined || v === null ? { tool: v ?? 'off' } : obj(v, 'native', NATIVE_KEYS, p);
  const tool = oneOf(raw.tool, typeof v === 'string' ? 'native' : 'native.tool', NATIVE_MODES, 'off', p);
  const rate = raw.rate === undefined || raw.rate === '' ? undefined : num(raw.rate, 'native.rate', 50, p, { min: 1, max: 1e6 });
  return {
    tool,
    slowdown: num(raw.slowdown, 'native.slowdown', NATIVE_SLOWDOWN[tool], p, { min: 1, max: 1000 }),
    durationMs: seconds(raw.duration, 'native.duration', FULL_SPEED.includes(tool) ? loadDurationMs : Math.min(loadDurationMs, 20_000), p, { min: 2000, max: 3600_000 }),
    ...(rate !== undefined ? { rate } : {}),
    connections: int(raw.connections, 'native.connections', FULL_SPEED.includes(tool) ? Math.min(loadConnections, 1000) : 2, p, { min: 1, max: 1000 }),
    suppressions: pathList(raw.suppressions, 'native.suppressions', p),
    maxLostBytes: bytes(raw['max-lost-bytes'], 'native.max-lost-bytes', 0, p, { min: 0 }),
    checkIntervalMs: seconds(raw['check-interval'], 'native.check-interval', 5000, p, { min: 0, max: 600_000 }),
    frames: int(raw.frames, 'native.frames', 5, p, { min: 1, max: 50 }),
    lines: bool(raw.lines, 'native.lines', true, p),
    dumpEveryBytes: bytes(raw['dump-every'], 'native.dump-every', 4 * 1024 * 1024, p, { min: 64 * 1024 }),
    ...(raw.binary !== undefined && raw.binary !== '' ? { binary: str(raw.binary, 'native.binary', '', p) } : {}),
  };
}

export type RuntimeKind = 'node' | 'jvm' | 'python' | 'go' | 'none';
export const RUNTIME_KINDS = ['auto', 'node', 'jvm', 'python', 'go', 'none'] as const;

export interface RuntimeConfig {
  /** Resolved: 'auto' became node when the command runs node, else none. */
  kind: RuntimeKind;
  /** How the kind was chosen, for the report. */
  chosen: 'auto' | 'configured';
  /** Shortest interval between heap readings after a forced GC (Node). */
  intervalMs: number;
  /**
   * Most of the app's wall time the forced GCs may take: the readings slow down for a heap whose GC is slow. null
   * when runtime.interval was set without it: the interval is then kept as set.
   */
  pauseBudget: number | null;
  /** Take heap snapshots / histograms after warm-up, midway and at the end. */
  snapshots: boolean;
  /** Rows of growing classes / sites to report. */
  top: number;
  /** Go: the net/http/pprof base URL; default http://127.0.0.1:<app.ready's port>/debug/pprof. */
  pprofUrl?: string;
}

/** The default heap reading interval: a 32nd of the load duration, between 250 ms and 1 s. */
export function defaultHeapIntervalMs(loadDurationMs: number): number {
  return Math.min(1000, Math.max(250, Math.round(loadDurationMs / 32)));
}

const RUNTIME_KEYS = ['kind', 'interval', 'pause-budget', 'snapshots', 'top', 'pprof-url'];

export function runtimeOf(v: unknown, command: string[] | string, p: Problems, loadDurationMs = 30_000): RuntimeConfig {
  const raw: Record<string, unknown> = typeof v === 'string' || v === undefined || v === null ? { kind: v ?? 'auto' } : obj(v, 'runtime', RUNTIME_KEYS, p);
  const kind = oneOf(raw.kind, typeof v === 'string' ? 'runtime' : 'runtime.kind', RUNTIME_KINDS, 'auto', p);
  const resolved: RuntimeKind = kind === 'auto' ? (runsNode(command) ? 'node' : runsJava(command) ? 'jvm' : 'none') : kind;
  return {
    kind: resolved,
    chosen: kind === 'auto' ? 'auto' : 'configured',
    // The after-GC heap gates by default: about 32 readings over the load (once a second for 30 s and longer,
    // every 250 ms at most, for an 8 s run), stretched by the pause budget for a slow GC. Not more often: a forced
    // full GC costs the app more than its pause (code and caches rebuilt after it): node-clean served 8,965 req/s
    // with a reading every second and 3,009 with one every 250 ms (8% of its time in pauses), while 22 readings
    // after a 30 s run's warm-up are plenty for the trend of exact after-GC figures. A short run needs the same
    // count: at one a second an 8 s run kept 6 readings after its warm-up, too few for the heap signal to decide.
    // Go's pprof reads (a GC each) stay at 250 ms: its example runs load for 8 s.
    intervalMs: seconds(raw.interval, 'runtime.interval', resolved === 'go' ? 250 : defaultHeapIntervalMs(loadDurationMs), p, { min: 100, max: 600_000 }),
    // An interval set by hand is kept as set; else the budget stretches the default one for a slow GC.
    pauseBudget: raw.interval !== undefined && raw['pause-budget'] === undefined ? null : num(raw['pause-budget'], 'runtime.pause-budget', 0.03, p, { min: 0.001, max: 0.5 }),
    // Snapshots pause the app and leave ~40 MB resident for good (a step in the RSS series): on when runtime is set
    // explicitly, off when it was only guessed from the command.
    snapshots: bool(raw.snapshots, 'runtime.snapshots', kind !== 'auto', p),
    top: int(raw.top, 'runtime.top', 10, p, { min: 1, max: 100 }),
    ...pprofUrlOf(raw['pprof-url'], p),
  };
}

function pprofUrlOf(v: unknown, p: Problems): { pprofUrl?: string } {
  if (v === undefined || v === null || v === '') return {};
  const url = str(v, 'runtime.pprof-url', '', p);
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url)) {
    p.add('runtime.pprof-url', v, 'must be a loopback http:// URL of net/http/pprof, e.g. http://127.0.0.1:6060/debug/pprof');
    return {};
  }
  return { pprofUrl: url.replace(/\/+$/, '') };
}

/** The program a command runs: its first word, past an `env` wrapper and its NAME=value settings. */
export function programOf(command: string[] | string): string {
  const words = typeof command === 'string' ? command.trim().split(/\s+/) : [...command];
  let i = 0;
  if ((words[0]?.split('/').pop() ?? '') === 'env') {
    i = 1;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || words[i]!.startsWith('-'))) i++;
  }
  return (words[i] ?? '').split('/').pop() ?? '';
}

/** True when the command starts java directly (java, /usr/lib/jvm/.../bin/java, env ... java). */
export function runsJava(command: string[] | string): boolean {
  return programOf(command) === 'java';
}

/** True when the command starts node directly (node, /usr/bin/node, node20, ...). */
export function runsNode(command: string[] | string): boolean {
  const base = programOf(command);
  return /^node(\d+)?(\.exe)?$/.test(base) || base === process.execPath.split('/').pop();
}

export interface CgroupConfig {
  /** Start the app in a fresh memory cgroup with this limit (bytes); undefined = run where leakgate runs. */
  limit?: number;
  /** Sample the app's own memory cgroup (usage, anon, file, kernel) at each tick; a fresh one is always sampled. */
  sample: boolean;
}

const CGROUP_KEYS = ['limit', 'sample'];

export function cgroupOf(v: unknown, p: Problems): CgroupConfig {
  if (v === undefined || v === null) return { sample: false };
  const raw = obj(v, 'cgroup', CGROUP_KEYS, p);
  const limit = raw.limit === undefined || raw.limit === '' ? undefined : bytes(raw.limit, 'cgroup.limit', 0, p, { min: 8 * 1024 * 1024 });
  // A fresh cgroup is always sampled; the app's own one only on request (on a runner it is the whole job's).
  return { ...(limit !== undefined ? { limit } : {}), sample: bool(raw.sample, 'cgroup.sample', false, p) };
}

export type StoreKind = 'none' | 'file' | 'branch' | 'cache';
export const STORE_KINDS: readonly StoreKind[] = ['none', 'file', 'branch', 'cache'];
export const DEFAULT_STORE_BRANCH = 'leakgate-baselines';
export const DEFAULT_STORE_FILE = '.leakgate/baselines.json';

export interface StoreConfig {
  kind: StoreKind;
  /** file store: the JSON file in the repository. */
  path: string;
  /** branch store: the git branch holding baselines and history. */
  branch: string;
  /** branch store: the repository to fetch from and push to; default the GitHub repository (in Actions) or origin. */
  remote?: string;
  /** The base branch whose baselines a run compares with, outside pull requests; default the default branch. */
  baseBranch?: string;
  /** Branches whose pushes save a baseline; empty = the repository's default branch. */
  saveOn: string[];
  /** Save on this run even when it is not a push to a save-on branch (CLI `--save-baseline`). */
  save: boolean;
  /** Entries of history used for the comparison. */
  history: number;
  /** Fail the gate when no baseline exists yet. */
  failOnMissing: boolean;
}

export interface AbConfig {
  /** The git ref whose build is the baseline (e.g. origin/main). */
  ref: string;
  /** Run in the base worktree before its trials (e.g. [npm, ci]); none when empty. */
  setup: string[] | string | null;
  /** Pairs of interleaved base/head trials. */
  pairs: number;
}

export const BASELINE_STORE_KEYS = ['store', 'path', 'branch', 'remote', 'base-branch', 'save-on', 'save', 'history', 'fail-on-missing', 'ref', 'setup', 'pairs'];

export function storeOf(raw: Record<string, unknown>, p: Problems): StoreConfig {
  return {
    kind: oneOf(raw.store, 'baseline.store', STORE_KINDS, 'none', p),
    path: str(raw.path, 'baseline.path', DEFAULT_STORE_FILE, p),
    branch: branchName(raw.branch, 'baseline.branch', DEFAULT_STORE_BRANCH, p),
    ...(raw.remote !== undefined && raw.remote !== '' ? { remote: str(raw.remote, 'baseline.remote', '', p) } : {}),
    ...(raw['base-branch'] !== undefined && raw['base-branch'] !== '' ? { baseBranch: branchName(raw['base-branch'], 'baseline.base-branch', 'main', p) } : {}),
    saveOn: stringList(raw['save-on'], 'baseline.save-on', p),
    save: bool(raw.save, 'baseline.save', false, p),
    history: int(raw.history, 'baseline.history', 10, p, { min: 1, max: 100 }),
    failOnMissing: bool(raw['fail-on-missing'], 'baseline.fail-on-missing', false, p),
  };
}

export function abOf(raw: Record<string, unknown>, p: Problems): AbConfig | null {
  if (raw.ref === undefined || raw.ref === null || raw.ref === '') {
    if (raw.setup !== undefined) p.raw("'baseline.setup' needs 'baseline.ref' (the git ref to build the baseline from)");
    return null;
  }
  const ref = str(raw.ref, 'baseline.ref', '', p);
  if (ref.startsWith('-')) p.add('baseline.ref', raw.ref, 'must be a git ref, not an option');
  let setup: string[] | string | null = null;
  if (raw.setup !== undefined && raw.setup !== null && raw.setup !== '') {
    if (typeof raw.setup === 'string') setup = raw.setup;
    else if (Array.isArray(raw.setup) && raw.setup.length > 0 && raw.setup.every((a) => typeof a === 'string')) setup = raw.setup as string[];
    else p.add('baseline.setup', raw.setup, 'must be a command: a list of arguments, or one string run by /bin/sh');
  }
  return { ref, setup, pairs: int(raw.pairs, 'baseline.pairs', 2, p, { min: 1, max: 20 }) };
}

function branchName(v: unknown, path: string, dflt: string, p: Problems): string {
  const s = str(v, path, dflt, p);
  if (!/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/.test(s) || s.endsWith('/') || s.endsWith('.lock')) {
    p.add(path, v, 'must be a git branch name (letters, digits, . _ - /; no .., not starting with -)');
    return dflt;
  }
  return s;
}

function stringList(v: unknown, path: string, p: Problems): string[] {
  if (v === undefined || v === null || v === '') return [];
  const items = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (Array.isArray(items) && items.every((i) => typeof i === 'string' && i !== '')) return items as string[];
  p.add(path, v, 'must be a list of names (or a comma-separated string)');
  return [];
}

export type CommentMode = 'always' | 'on-regression' | 'never';
export const COMMENT_MODES: readonly CommentMode[] = ['always', 'on-regression', 'never'];

export function commentOf(v: unknown, p: Problems): CommentMode {
  return oneOf(v, 'comment', COMMENT_MODES, 'always', p);
}

export type LoadTool = 'autocannon' | 'k6' | 'command' | 'websocket';
export const LOAD_TOOLS: readonly LoadTool[] = ['autocannon', 'k6', 'command', 'websocket'];

export type CounterConfig = { url: string; field?: string } | { regex: string } | { file: string; field?: string };

export interface LoadExtras {
  /** autocannon: requests per second overall (constant rate) instead of closed-loop connections. */
  rate?: number;
  /** autocannon: a warm-up phase at a lower rate before the measured load. */
  warmup?: { durationMs: number; rate: number };
  /** autocannon: 'sequence' runs load.requests in order per connection; 'mix' interleaves them by weight (the default when a weight is given). */
  mix?: RequestMode;
  /**
   * autocannon: requests per connection before it is closed and reopened (connection churn), so per-connection state
   * is set up and torn down all through the load; 0 keeps every connection for the whole load.
   */
  reconnectEvery?: number;
  /** websocket: the messages sent in turn (each awaits one reply), how many per session, sessions in parallel. */
  websocket?: { messages: string[]; perSession: number; sessions: number };
  /** autocannon: a share of requests the client aborts, `afterMs` after the response started (or the request was sent). */
  abort?: AbortConfig;
  /** k6: the script, virtual users and extra arguments. */
  script?: string;
  vus?: number;
  /** k6 without load.duration: the hard limit on the script's own run length (default 30 minutes). */
  maxDurationMs?: number;
  args: string[];
  /** command: argv of the load command and where its request count comes from. */
  run?: string[];
  counter?: CounterConfig;
}

/** load.reconnect-every when not set: measured in docs/workloads.md (exposes a 16 KiB-per-connection leak in 30 s). */
export const DEFAULT_RECONNECT_EVERY = 50;

/** load.abort: see docs/workloads.md. */
export interface AbortConfig {
  /** Share of all requests that are aborted, 0 < share < 1. */
  share: number;
  afterMs: number;
  /** 'response': `afterMs` after the response headers arrived (mid-response); 'request': after the request was sent (a client timeout). */
  from: AbortFrom;
}
export type AbortFrom = 'response' | 'request';
export const ABORT_FROM: readonly AbortFrom[] = ['response', 'request'];

export const LOAD_EXTRA_KEYS = ['reconnect-every', 'abort', 'messages', 'per-session', 'sessions', 'rate', 'warmup', 'mix', 'script', 'vus', 'max-duration', 'args', 'run', 'counter'];

export function loadExtrasOf(raw: Record<string, unknown>, tool: LoadTool, p: Problems): LoadExtras {
  const out: LoadExtras = { args: [] };
  if (raw.mix !== undefined && raw.mix !== '') out.mix = oneOf(raw.mix, 'load.mix', REQUEST_MODES, 'sequence', p);
  if (raw.rate !== undefined && raw.rate !== '') out.rate = num(raw.rate, 'load.rate', 100, p, { min: 0.1, max: 1e7 });
  if (raw.warmup !== undefined && raw.warmup !== null) {
    const w = obj(raw.warmup, 'load.warmup', ['duration', 'rate'], p);
    out.warmup = {
      durationMs: seconds(w.duration, 'load.warmup.duration', 5000, p, { min: 500, max: 3600_000 }),
      rate: num(w.rate, 'load.warmup.rate', 50, p, { min: 0.1, max: 1e7 }),
    };
  }
  const only = (key: string, want: LoadTool) => {
    if (raw[key] !== undefined && tool !== want) p.add(`load.${key}`, raw[key], `is only used with 'load.tool: ${want}' (load.tool is '${tool}')`);
  };
  // autocannon's own pacing and mixes: k6 scripts and load commands have their own, and would silently ignore these.
  if (tool === 'autocannon') out.reconnectEvery = int(raw['reconnect-every'], 'load.reconnect-every', DEFAULT_RECONNECT_EVERY, p, { min: 0, max: 1e9 });
  only('reconnect-every', 'autocannon');
  only('abort', 'autocannon');
  only('messages', 'websocket');
  only('per-session', 'websocket');
  only('sessions', 'websocket');
  if (tool === 'autocannon' && raw.abort !== undefined && raw.abort !== null) {
    const a = obj(raw.abort, 'load.abort', ['share', 'after', 'from'], p);
    if (a.share === undefined) p.add('load.abort.share', a.share, 'is required: the share of requests to abort, e.g. 0.1');
    out.abort = {
      share: num(a.share, 'load.abort.share', 0.1, p, { min: 0.001, max: 0.9 }),
      afterMs: millis(a.after, 'load.abort.after', 5, p, { min: 0, max: 60_000 }),
      from: oneOf(a.from, 'load.abort.from', ABORT_FROM, 'response', p),
    };
  }
  if (tool === 'websocket') {
    let messages = ['ping'];
    if (raw.messages !== undefined) {
      if (Array.isArray(raw.messages) && raw.messages.length > 0 && raw.messages.every((m) => typeof m === 'string' || typeof m === 'number')) messages = raw.messages.map(String);
      else p.add('load.messages', raw.messages, "must be a non-empty list of messages (strings), e.g. ['ping', '{\"op\":\"get\"}']");
    }
    out.websocket = {
      messages,
      perSession: int(raw['per-session'], 'load.per-session', messages.length, p, { min: 1, max: 1e6 }),
      sessions: int(raw.sessions, 'load.sessions', 10, p, { min: 1, max: 10_000 }),
    };
  }
  only('rate', 'autocannon');
  only('warmup', 'autocannon');
  only('mix', 'autocannon');
  only('script', 'k6');
  only('vus', 'k6');
  only('max-duration', 'k6');
  only('run', 'command');
  only('counter', 'command');
  if (tool === 'k6') {
    if (raw.script === undefined || raw.script === '') p.raw("'load.script' is required with 'load.tool: k6' (the path of the k6 script to run)");
    else out.script = str(raw.script, 'load.script', '', p);
    if (raw.vus !== undefined) out.vus = int(raw.vus, 'load.vus', 10, p, { min: 1, max: 100_000 });
    out.maxDurationMs = seconds(raw['max-duration'], 'load.max-duration', DEFAULT_K6_MAX_DURATION_MS, p, { min: 1000, max: 6 * 3600_000 });
  }
  if (raw.args !== undefined) {
    if (Array.isArray(raw.args) && raw.args.every((a) => typeof a === 'string' || typeof a === 'number')) out.args = raw.args.map(String);
    else p.add('load.args', raw.args, 'must be a list of extra arguments for the load tool');
  }
  if (tool === 'command') {
    if (Array.isArray(raw.run) && raw.run.length > 0 && raw.run.every((a) => typeof a === 'string' || typeof a === 'number')) out.run = raw.run.map(String);
    else p.add('load.run', raw.run, "is required with 'load.tool: command' and must be a list of arguments, e.g. [wrk, -t2, -c10, -d30s, http://127.0.0.1:3000/]");
    if (raw.counter !== undefined && raw.counter !== null) {
      const counter = counterOf(raw.counter, p);
      if (counter) out.counter = counter;
    }
  }
  return out;
}

function counterOf(v: unknown, p: Problems): CounterConfig | undefined {
  if (!isPlainObject(v)) {
    p.add('load.counter', v, 'must be a mapping with one of url (an endpoint returning the request count), regex (matched on the command output) or file');
    return undefined;
  }
  const c = obj(v, 'load.counter', ['url', 'regex', 'file', 'field'], p);
  const set = (['url', 'regex', 'file'] as const).filter((k) => c[k] !== undefined && c[k] !== '');
  if (set.length !== 1) {
    p.add('load.counter', v, 'must set exactly one of url, regex or file');
    return undefined;
  }
  const field = c.field === undefined ? undefined : str(c.field, 'load.counter.field', '', p);
  if (c.url !== undefined) {
    const url = str(c.url, 'load.counter.url', '', p);
    if (!/^https?:\/\//.test(url)) p.add('load.counter.url', c.url, 'must be an http:// URL');
    return field ? { url, field } : { url };
  }
  if (c.regex !== undefined) {
    const regex = str(c.regex, 'load.counter.regex', '', p);
    try {
      const re = new RegExp(regex);
      if (!/\((?!\?)/.test(re.source)) p.add('load.counter.regex', c.regex, 'must have a capturing group around the count, e.g. "(\\d+) requests"');
    } catch (e) {
      p.add('load.counter.regex', c.regex, `must be a valid regular expression (${(e as Error).message})`);
    }
    return { regex };
  }
  const file = str(c.file, 'load.counter.file', '', p);
  return field ? { file, field } : { file };
}

/** Request-level extras for autocannon mixes: weight and ids substituted for {id}. */
export function requestExtrasOf(r: Record<string, unknown>, path: string, p: Problems): { weight?: number; ids?: string[] } {
  const out: { weight?: number; ids?: string[] } = {};
  if (r.weight !== undefined) out.weight = num(r.weight, `${path}.weight`, 1, p, { min: 0.001, max: 1e6 });
  if (r.ids !== undefined) {
    if (Array.isArray(r.ids) && r.ids.length > 0 && r.ids.every((i) => typeof i === 'string' || typeof i === 'number')) out.ids = r.ids.map(String);
    else p.add(`${path}.ids`, r.ids, 'must be a non-empty list of values substituted for {id}');
  }
  return out;
}

