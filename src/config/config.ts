// The one config schema for leakgate.yml, CLI flags and Action inputs. Raw values from every source
// are merged into one plain object first (overrides over the file), then validated here, so every
// source gets the same defaults and the same error messages: field, value, what would be valid.
import type { AnalysisOptions } from '../analyze/analyze-trial.js';
import { ConfigError } from '../core/errors.js';
import {
  bool, bytes, int, isPlainObject, mergeRaw, millis, num, obj, oneOf, pathList, Problems, seconds, show, str,
  type SourceLabels,
} from './checks.js';
import {
  abOf, cgroupOf, commentOf, LOAD_EXTRA_KEYS, LOAD_TOOLS, loadExtrasOf, nativeOf, requestExtrasOf, runtimeOf, storeOf,
  BASELINE_STORE_KEYS, type AbConfig, type CgroupConfig, type CommentMode, type LoadExtras, type LoadTool,
  type NativeConfig, type RuntimeConfig, type StoreConfig,
} from './sections.js';
export type { AbConfig, CgroupConfig, CommentMode, LoadTool, NativeConfig, RuntimeConfig, StoreConfig } from './sections.js';
export { mergeRaw, parseBytes, parseDuration, type SourceLabels } from './checks.js';
import { ANALYSIS_METRICS, type MetricName } from '../core/types.js';
import { requestMixProblems, type MixRequest } from '../load/request-mix.js';
import { acceptOf, historyOf, type AcceptConfig, type HistoryConfig } from './accept-history-sections.js';
export type { AcceptConfig, AcceptEntry, HistoryConfig } from './accept-history-sections.js';
import { attachOf, attachProblems, restartOf, type AttachSpec } from './attach.js';
export type { AttachSpec, ContainerEngine } from './attach.js';

/** One request of load.requests: the load driver's own shape, so config and driver cannot drift apart. */
export type RequestSpec = MixRequest;

export interface ReadyConfig {
  url?: string;
  port?: number;
  host: string;
  log?: string;
  timeoutMs: number;
}

/** What fails the gate. 'inconclusive' (too little data) is on by default: no silent passes. */
export type FailOn = 'leak' | 'oom' | 'inconclusive' | 'regression' | 'peak-regression' | 'native-leak' | 'drift' | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = ['leak', 'oom', 'inconclusive', 'regression', 'peak-regression', 'native-leak', 'drift', 'none'];
/** native-leak only fires in native mode: a leak site above native.max-lost-bytes that the baseline does not have. */
export const DEFAULT_FAIL_ON: readonly FailOn[] = ['leak', 'oom', 'inconclusive', 'regression', 'native-leak'];

export interface Config {
  name: string;
  app: {
    command: string[] | string;
    shell: boolean;
    cwd: string;
    env: Record<string, string>;
    ready: ReadyConfig;
    stopGraceMs: number;
    /** Measure an app already running instead of starting command (then command is []). */
    attach?: AttachSpec;
    /** Run before every trial after the first (attach only): restarts the attached app. */
    restart?: string[];
  };
  load: LoadExtras & {
    tool: LoadTool;
    url: string;
    durationMs: number;
    /**
     * Whether load.duration was given (file, flag or input) rather than defaulted. k6 gets --duration only then:
     * k6 replaces a script's scenarios and stages with constant VUs when given --duration.
     */
    durationSet: boolean;
    /** Stop after this many requests instead of after durationMs (whichever comes first). */
    amount?: number;
    connections: number;
    pipelining: number;
    timeoutMs: number;
    requests: RequestSpec[];
  };
  sample: { intervalMs: number };
  /**
   * metric may be 'heap' (the runtime's live memory after GC); the sampled figures go to analyzeTrial as they are.
   * Unless `pinned` (analysis.metric was set), every signal the runtime offers decides too: anon memory (metric) and
   * the after-GC heap where the runtime has one, with the family-wise error held at alpha (Holm).
   */
  analysis: Omit<AnalysisOptions, 'metric'> & {
    metric: MetricName;
    pinned: boolean;
    /** The practical floor of the after-GC heap signal: live bytes are exact, so it sits far below anon's. */
    minHeapBytesPerRequest: number;
    /**
     * Stop the load as soon as the verdict is settled (a group-sequential design with Hwang-Shih-DeCani (gamma -2) alpha
     * spending: see analyze/sequential.ts): looks every `checkpointMs` after `minLoadMs`; load.duration is the budget.
     */
    stopEarly: { enabled: boolean; minLoadMs: number; checkpointMs: number };
  };
  trials: number;
  /** Extra trials to run when the first verdict is a leak or regression by a small margin. */
  confirmTrials: number;
  /** Memory limit for the time-to-limit projection (bytes); else the app's cgroup limit, if any. */
  memoryLimit?: number;
  baseline: {
    /** Reports of earlier runs on the base branch (a history), compared with this run. */
    reports: string[];
    /** Where baselines are saved and loaded (file, git branch, Actions cache), and when they are saved. */
    store: StoreConfig;
    /** Same-runner A/B: build the base ref in a worktree and interleave its trials with this run's. */
    ab: AbConfig | null;
    alpha: number;
    relativeTolerance: number;
    absoluteToleranceBytesPerRequest: number;
    absoluteTolerancePeakBytes: number;
    minHistory: number;
  };
  failOn: FailOn[];
  reportPath: string;
  native: NativeConfig;
  runtime: RuntimeConfig;
  cgroup: CgroupConfig;
  /** When the Action posts its sticky PR comment. */
  comment: CommentMode;
  /** Accepting a measured growth: the PR label, comment commands, a config-level entry. */
  accept: AcceptConfig;
  /** Stored history: the drift test, `leakgate history`, published pages. */
  history: HistoryConfig;
}


export interface LoadConfigInput {
  /** Parsed leakgate.yml (or {} when there is none). */
  file: unknown;
  /** Name of the file, for messages, and the directory relative paths are resolved against. */
  fileLabel: string;
  baseDir: string;
  /** Overrides from flags or inputs, in the file's shape (e.g. { load: { duration: '10s' } }). */
  overrides: Record<string, unknown>;
  overrideLabels: SourceLabels;
}

export const TOP_KEYS = ['name', 'app', 'load', 'sample', 'analysis', 'trials', 'confirm-trials', 'memory-limit', 'baseline', 'fail-on', 'report', 'native', 'runtime', 'cgroup', 'comment', 'accept', 'history', 'prometheus'];
const BASELINE_KEYS = ['reports', 'alpha', 'relative-tolerance', 'absolute-tolerance', 'peak-tolerance', 'min-history', ...BASELINE_STORE_KEYS];
const APP_KEYS = ['command', 'shell', 'cwd', 'env', 'ready', 'stop-grace', 'attach', 'restart'];
const READY_KEYS = ['url', 'port', 'host', 'log', 'timeout'];
const LOAD_KEYS = ['tool', 'url', 'duration', 'amount', 'connections', 'pipelining', 'timeout', 'requests', ...LOAD_EXTRA_KEYS];
const REQUEST_KEYS = ['method', 'path', 'headers', 'body', 'weight', 'ids'];
const SAMPLE_KEYS = ['interval'];
export const ANALYSIS_KEYS = [
  'metric',
  'warmup',
  'warmup-mode',
  'alpha',
  'confidence',
  'min-bytes-per-request',
  'min-heap-bytes-per-request',
  'stop-early',
  'min-load',
  'checkpoint',
  'min-bytes-per-second',
  'min-relative-growth',
  'min-requests',
  'min-points',
];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Validates raw config and returns a Config, or throws a ConfigError listing every problem. */
export function loadConfig(input: LoadConfigInput): Config {
  const p = new Problems(input.fileLabel, input.overrideLabels);
  if (input.file !== undefined && input.file !== null && !isPlainObject(input.file)) {
    throw new ConfigError(`${input.fileLabel} must hold a mapping of settings (name, app, load, ...), got ${show(input.file)}`);
  }
  const raw = mergeRaw(input.file ?? {}, input.overrides);
  const config = validate(raw, input, p);
  if (p.list.length > 0 || config === undefined) {
    const n = p.list.length;
    throw new ConfigError(`invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n  - ${p.list.join('\n  - ')}`);
  }
  return config;
}

function validate(raw: unknown, input: LoadConfigInput, p: Problems): Config | undefined {
  if (!isPlainObject(raw)) {
    p.raw(`${input.fileLabel} must hold a mapping of settings (name, app, load, ...), got ${show(raw)}`);
    return undefined;
  }
  const top = obj(raw, '', TOP_KEYS, p);
  const app = obj(top.app ?? {}, 'app', APP_KEYS, p);
  const ready = obj(app.ready ?? {}, 'app.ready', READY_KEYS, p);
  const load = obj(top.load ?? {}, 'load', LOAD_KEYS, p);
  const sample = obj(top.sample ?? {}, 'sample', SAMPLE_KEYS, p);
  const analysis = obj(top.analysis ?? {}, 'analysis', ANALYSIS_KEYS, p);
  const analysisConfig = analysisOf(analysis, p);
  const baseline = obj(top.baseline ?? {}, 'baseline', BASELINE_KEYS, p);
  const memoryLimit = memoryLimitOf(top['memory-limit'], p);

  const shell = bool(app.shell, 'app.shell', false, p);
  const attach = attachOf(app.attach, p);
  const restart = restartOf(app.restart, p);
  const command = attach !== undefined || (app.attach !== undefined && app.attach !== null) ? [] : commandOf(app.command, shell, p);
  const readyConfig = readyOf(ready, p);
  const loadTool = oneOf(load.tool, 'load.tool', LOAD_TOOLS, 'autocannon', p);
  const loadUrl = loadTool === 'websocket' ? wsUrlOf(load.url, p) : loadUrlOf(load.url, readyConfig, p);
  const loadDurationMs = seconds(load.duration, 'load.duration', 30_000, p, { min: 1000, max: 6 * 3600_000 });

  const config: Config = {
    name: nameOf(top.name, p),
    app: {
      command,
      shell,
      cwd: str(app.cwd, 'app.cwd', '.', p),
      env: envOf(app.env, p),
      ready: readyConfig,
      stopGraceMs: seconds(app['stop-grace'], 'app.stop-grace', 5000, p, { min: 0, max: 600_000 }),
      ...(attach ? { attach } : {}),
      ...(restart ? { restart } : {}),
    },
    load: {
      ...loadExtrasOf(load, loadTool, p),
      tool: loadTool,
      url: loadUrl,
      durationMs: loadDurationMs,
      durationSet: load.duration !== undefined && load.duration !== null && load.duration !== '',
      amount: load.amount === undefined ? undefined : int(load.amount, 'load.amount', 0, p, { min: 1 }),
      connections: int(load.connections, 'load.connections', 10, p, { min: 1, max: 10_000 }),
      pipelining: int(load.pipelining, 'load.pipelining', 1, p, { min: 1, max: 1000 }),
      timeoutMs: seconds(load.timeout, 'load.timeout', 10_000, p, { min: 100, max: 600_000 }),
      requests: requestsOf(load.requests, p),
    },
    sample: {
      intervalMs: millis(sample.interval, 'sample.interval', 250, p, { min: 20, max: 10_000 }),
    },
    analysis: analysisConfig,
    trials: int(top.trials, 'trials', 1, p, { min: 1, max: 100 }),
    confirmTrials: int(top['confirm-trials'], 'confirm-trials', 0, p, { min: 0, max: 20 }),
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    baseline: {
      reports: pathList(baseline.reports, 'baseline.reports', p),
      alpha: num(baseline.alpha, 'baseline.alpha', 0.01, p, { min: 1e-9, max: 0.5 }),
      relativeTolerance: num(baseline['relative-tolerance'], 'baseline.relative-tolerance', 0.2, p, { min: 0, max: 100 }),
      absoluteToleranceBytesPerRequest: num(baseline['absolute-tolerance'], 'baseline.absolute-tolerance', 32, p, { min: 0 }),
      absoluteTolerancePeakBytes: bytes(baseline['peak-tolerance'], 'baseline.peak-tolerance', 8 * 1024 * 1024, p, { min: 0 }),
      minHistory: int(baseline['min-history'], 'baseline.min-history', 3, p, { min: 1, max: 1000 }),
      store: storeOf(baseline, p),
      ab: abOf(baseline, p),
    },
    failOn: failOnOf(top['fail-on'], p),
    reportPath: str(top.report, 'report', 'leakgate-report.json', p),
    native: nativeOf(top.native, loadDurationMs, p, typeof load.connections === 'number' ? load.connections : 10),
    // With early stopping the first look comes after min-load: the heap readings are spaced for twice that (16
    // readings by the first look, 625 ms at the default 10 s), so the after-GC signal can decide there.
    runtime: runtimeOf(top.runtime, command, p, analysisConfig.stopEarly.enabled ? Math.min(loadDurationMs, 2 * analysisConfig.stopEarly.minLoadMs) : loadDurationMs),
    cgroup: cgroupOf(top.cgroup, p),
    comment: commentOf(top.comment, p),
    accept: acceptOf(top.accept, p),
    history: historyOf(top.history, p),
  };
  for (const m of requestMixProblems(config.load.requests, config.load.mix)) p.add(m.path, m.value, m.message);
  attachProblems(attach, {
    command: app.command, shell: app.shell, env: app.env, readyLog: ready.log, nativeTool: config.native.tool, runtimeKind: config.runtime.kind,
    runtimeChosen: config.runtime.chosen, cgroupLimit: config.cgroup.limit, ab: config.baseline.ab !== null,
  }, p);
  if (restart && !attach) p.add('app.restart', app.restart, 'only applies with app.attach (a started app is restarted by leakgate itself for every trial)');
  if (config.analysis.metric === 'heap' && config.runtime.kind !== 'node' && config.runtime.kind !== 'go' && config.runtime.kind !== 'jvm') {
    p.add('analysis.metric', 'heap', `'heap' needs a runtime with a heap after GC: node (the default when app.command runs node), jvm (java) or go; runtime is '${config.runtime.kind}'`);
  }
  if (config.runtime.kind === 'go' && !config.runtime.pprofUrl && config.app.ready.port === undefined && !config.app.ready.url) {
    p.add('runtime.pprof-url', undefined, "is required with 'runtime: go' when app.ready has no port or url (net/http/pprof's base URL, e.g. http://127.0.0.1:6060/debug/pprof)");
  }
  if (config.load.durationMs < config.sample.intervalMs * 8) {
    p.add('load.duration', top.load && (top.load as Record<string, unknown>).duration, `must be at least 8 sample intervals (${(config.sample.intervalMs * 8) / 1000}s at sample.interval ${config.sample.intervalMs}ms)`);
  }
  return config;
}

/** The analysis section (warm-up, significance, floors), validated: shared with `analyze` (Prometheus series). */
export function analysisOf(analysis: Record<string, unknown>, p: Problems): Config['analysis'] {
  const warmup = warmupOf(analysis.warmup, analysis['warmup-mode'], p);
  return {
    metric: analysis.metric === 'auto' ? 'anon' : oneOf(analysis.metric, 'analysis.metric', ANALYSIS_METRICS, 'anon', p),
    pinned: analysis.metric !== undefined && analysis.metric !== null && analysis.metric !== '' && analysis.metric !== 'auto',
    stopEarly: {
      enabled: bool(analysis['stop-early'], 'analysis.stop-early', DEFAULT_STOP_EARLY, p),
      minLoadMs: seconds(analysis['min-load'], 'analysis.min-load', 10_000, p, { min: 1000, max: 6 * 3600_000 }),
      checkpointMs: seconds(analysis.checkpoint, 'analysis.checkpoint', 5000, p, { min: 500, max: 3600_000 }),
    },
    minHeapBytesPerRequest: num(analysis['min-heap-bytes-per-request'], 'analysis.min-heap-bytes-per-request', DEFAULT_MIN_HEAP_BYTES_PER_REQUEST, p, { min: 0 }),
    warmup,
    alpha: num(analysis.alpha, 'analysis.alpha', 0.01, p, { min: 1e-9, max: 0.5 }),
    confidence: num(analysis.confidence, 'analysis.confidence', 0.95, p, { min: 0.5, max: 0.9999 }),
    minBytesPerRequest: num(analysis['min-bytes-per-request'], 'analysis.min-bytes-per-request', 32, p, { min: 0 }),
    // Over time (a load command without a counter) the floor is per second: 1 KiB/s is 3.5 MiB an hour.
    minBytesPerSecond: num(analysis['min-bytes-per-second'], 'analysis.min-bytes-per-second', 1024, p, { min: 0 }),
    minRelativeGrowth: num(analysis['min-relative-growth'], 'analysis.min-relative-growth', 0.02, p, { min: 0, max: 100 }),
    minRequests: int(analysis['min-requests'], 'analysis.min-requests', 1000, p, { min: 1 }),
    minPoints: int(analysis['min-points'], 'analysis.min-points', 12, p, { min: 4, max: 10_000 }),
  };
}

/**
 * The after-GC heap signal's floor, bytes per request. Measured on real clean runs (bench, real apps): the clean
 * Express app's heap interval stays within -2..5 B/req, node-clean and node-plateau within a few B/req after the
 * warm-up, so 8 B/req clears their noise with margin while a 16 B/req leak can still clear it.
 */
export const DEFAULT_MIN_HEAP_BYTES_PER_REQUEST = 8;

/** Whether the load stops once the verdict is settled, unless analysis.stop-early says otherwise. */
export const DEFAULT_STOP_EARLY = false;

/** What a config name may be; comment mode holds the name in a saved report to the same rule. */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function nameOf(v: unknown, p: Problems): string {
  const name = str(v, 'name', 'default', p);
  if (!CONFIG_NAME_PATTERN.test(name)) {
    p.add('name', v, 'must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
    return 'default';
  }
  return name;
}

function commandOf(v: unknown, shell: boolean, p: Problems): string[] | string {
  if (v === undefined || v === null || v === '') {
    p.add('app.command', v, 'is required: the command that starts the app, as a list of arguments (e.g. [node, server.js]); or set app.attach to measure an app already running');
    return [];
  }
  if (typeof v === 'string') {
    if (shell) return v;
    p.add('app.command', v, "must be a list of arguments (e.g. [node, server.js]); to run it through /bin/sh as one string, also set 'app.shell: true'");
    return [];
  }
  if (Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'string' || typeof a === 'number')) {
    const args = v.map(String);
    if (args[0] === '') {
      p.add('app.command', v, 'must start with a program name');
      return [];
    }
    if (shell) {
      p.add('app.command', v, "must be one string when 'app.shell' is true (it is passed to /bin/sh -c)");
      return [];
    }
    return args;
  }
  p.add('app.command', v, 'must be a non-empty list of strings');
  return [];
}

function envOf(v: unknown, p: Problems): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) {
    p.add('app.env', v, 'must be a mapping of variable names to values');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
      p.add(`app.env.${k}`, k, 'must be a variable name of letters, digits and underscores');
    } else if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') {
      out[k] = String(val);
    } else {
      p.add(`app.env.${k}`, val, 'must be a string or a number');
    }
  }
  return out;
}

function readyOf(r: Record<string, unknown>, p: Problems): ReadyConfig {
  const set = (['url', 'port', 'log'] as const).filter((k) => r[k] !== undefined && r[k] !== null && r[k] !== '');
  const out: ReadyConfig = {
    host: str(r.host, 'app.ready.host', '127.0.0.1', p),
    timeoutMs: seconds(r.timeout, 'app.ready.timeout', 30_000, p, { min: 100, max: 3600_000 }),
  };
  if (set.length === 0) {
    p.raw("'app.ready' needs one of url (an HTTP URL answering < 500), port (a TCP port that accepts connections) or log (a regex matched against the app's output)");
  } else if (set.length > 1) {
    p.add('app.ready', Object.fromEntries(set.map((k) => [k, r[k]])), 'must set only one of url, port or log');
  }
  if (r.url !== undefined && r.url !== '') out.url = httpUrl(r.url, 'app.ready.url', p);
  if (r.port !== undefined && r.port !== '') out.port = int(r.port, 'app.ready.port', 0, p, { min: 1, max: 65535 });
  if (r.log !== undefined && r.log !== '') {
    const src = str(r.log, 'app.ready.log', '', p);
    try {
      new RegExp(src);
      out.log = src;
    } catch (e) {
      p.add('app.ready.log', r.log, `must be a valid regular expression (${(e as Error).message})`);
    }
  }
  return out;
}

function httpUrl(v: unknown, path: string, p: Problems): string {
  if (typeof v === 'string') {
    try {
      const u = new URL(v);
      if (u.protocol === 'http:' || u.protocol === 'https:') return v;
    } catch {
      // reported below
    }
  }
  p.add(path, v, 'must be an http:// or https:// URL');
  return '';
}

function wsUrlOf(v: unknown, p: Problems): string {
  if (typeof v === 'string') {
    try {
      const u = new URL(v);
      if (u.protocol === 'ws:' || u.protocol === 'wss:') return v;
    } catch {
      // reported below
    }
  }
  p.add('load.url', v, "must be a ws:// or wss:// URL with 'load.tool: websocket'");
  return '';
}

function loadUrlOf(v: unknown, ready: ReadyConfig, p: Problems): string {
  if (v !== undefined && v !== null && v !== '') return httpUrl(v, 'load.url', p);
  if (ready.url) return new URL(ready.url).origin + '/';
  // A port that accepts connections is almost always the HTTP server the user means to load.
  if (ready.port !== undefined) return `http://${ready.host.includes(':') ? `[${ready.host}]` : ready.host}:${ready.port}/`;
  p.raw("'load.url' is required (the URL to send load to) unless 'app.ready.url' (its origin is used) or 'app.ready.port' (http://host:port/) is set");
  return '';
}

function warmupOf(v: unknown, mode: unknown, p: Problems): AnalysisOptions['warmup'] {
  const m = oneOf(mode, 'analysis.warmup-mode', ['auto', 'fixed'] as const, 'auto', p);
  const fraction = num(v, 'analysis.warmup', 0.25, p, { min: 0, max: 0.6 });
  return { mode: m, fraction };
}

function requestsOf(v: unknown, p: Problems): RequestSpec[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length === 0) {
    p.add('load.requests', v, 'must be a non-empty list of requests ({ method, path, headers, body })');
    return [];
  }
  return v.map((item, i) => {
    const path = `load.requests[${i}]`;
    const r = obj(item, path, REQUEST_KEYS, p);
    const method = str(r.method, `${path}.method`, 'GET', p).toUpperCase();
    if (!HTTP_METHODS.includes(method)) p.add(`${path}.method`, r.method, `must be one of ${HTTP_METHODS.join(', ')}`);
    const reqPath = str(r.path, `${path}.path`, '/', p);
    const extras = requestExtrasOf(r, path, p);
    if (!reqPath.startsWith('/')) p.add(`${path}.path`, r.path, "must start with '/' (it is appended to load.url's origin)");
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (!isPlainObject(r.headers)) p.add(`${path}.headers`, r.headers, 'must be a mapping of header names to values');
      else for (const [k, hv] of Object.entries(r.headers)) headers[k] = String(hv);
    }
    let body: string | undefined;
    if (r.body !== undefined) body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    return { method, path: reqPath, headers, ...(body === undefined ? {} : { body }), ...extras };
  });
}

function memoryLimitOf(v: unknown, p: Problems): number | undefined {
  return v === undefined || v === '' ? undefined : bytes(v, 'memory-limit', 0, p, { min: 1024 * 1024 });
}

/** What `merge` gates with. Its own, not the shards': shards run with fail-on none so that only the merge decides. */
export interface MergeGateSettings {
  failOn: FailOn[];
  comment: CommentMode;
  memoryLimit?: number;
}

/**
 * Validates the merge invocation's fail-on, comment and memory-limit (raw strings from flags or inputs, empty or
 * absent = default) with the same checks and messages as a run's config. Defaults are the standard ones, never
 * the values stored in the shard reports.
 */
export function loadMergeGateSettings(raw: { 'fail-on'?: string; comment?: string; 'memory-limit'?: string }, labels: SourceLabels): MergeGateSettings {
  const p = new Problems('the merge invocation', labels);
  const memoryLimit = memoryLimitOf(raw['memory-limit'], p);
  const settings: MergeGateSettings = {
    failOn: failOnOf(raw['fail-on'], p),
    comment: commentOf(raw.comment, p),
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
  };
  if (p.list.length > 0) throw new ConfigError(`invalid merge settings:\n  - ${p.list.join('\n  - ')}`);
  return settings;
}

export function failOnOf(v: unknown, p: Problems): FailOn[] {
  if (v === undefined || v === null || v === '') return [...DEFAULT_FAIL_ON];
  const items = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(items) || items.length === 0 || !items.every((i) => typeof i === 'string' && (FAIL_ON_VALUES as readonly string[]).includes(i))) {
    p.add('fail-on', v, `must be one or more of ${FAIL_ON_VALUES.join(', ')} (a list or a comma-separated string)`);
    return [...DEFAULT_FAIL_ON];
  }
  if (items.includes('none') && items.length > 1) {
    p.add('fail-on', v, "must not combine 'none' with other values");
  }
  return [...new Set(items as FailOn[])];
}

const SECRET_NAME = /token|secret|passw|pwd|key|auth|cookie|credential|session/i;

function redactValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, SECRET_NAME.test(k) ? '***' : v]));
}

/** The config as it goes into the report: values whose names look secret are redacted. */
export function redactConfig(config: Config): unknown {
  return {
    ...config,
    app: { ...config.app, env: redactValues(config.app.env) },
    load: {
      ...config.load,
      requests: config.load.requests.map((r) => ({ ...r, headers: redactValues(r.headers) })),
    },
  };
}
