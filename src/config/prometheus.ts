// The schema of `leakgate analyze`: the prometheus section of leakgate.yml (server, queries, window, access) plus
// the shared top-level settings it uses (name, analysis, fail-on, report, comment, memory-limit, baseline
// tolerances). Same validators and messages as the run config; the app and load sections are not needed here.
import { ConfigError } from '../core/errors.js';
import type { AnalysisOptions } from '../analyze/analyze-trial.js';
import { bool, bytes, int, isPlainObject, mergeRaw, num, obj, Problems, seconds, show, str, type SourceLabels } from './checks.js';
import { ANALYSIS_KEYS, analysisOf, failOnOf, nameOf, TOP_KEYS, type FailOn } from './config.js';
import { commentOf, type CommentMode } from './sections.js';

export interface PrometheusConfig {
  /** Server base URL (http or https, with any path prefix). */
  url: string;
  /** Memory series to check for leaks (one per pod or container). */
  query?: string;
  /** Canary against stable: memory series of the new and the old version, over the same window. */
  canaryQuery?: string;
  baselineQuery?: string;
  /** A request counter: when given, memory is analysed against requests served instead of time. */
  requestsQuery?: string;
  /** The memory limit per series (e.g. container_spec_memory_limit_bytes); 0 or absent = no limit. */
  limitQuery?: string;
  /** A fixed memory limit, bytes, when there is no limit query. */
  limit?: number;
  /** Window: `rangeMs` ending at `end` (Unix ms; absent = now), sampled every `stepMs`. */
  rangeMs: number;
  stepMs: number;
  end?: number;
  timeoutMs: number;
  bearerTokenEnv?: string;
  basicAuth?: { userEnv: string; passwordEnv: string };
  caFile?: string;
  insecure: boolean;
  headers: Record<string, string>;
  /** Segmenter: a fall by more than this share to below the segment's lowest value is a restart. */
  restartDrop: number;
  /** Gaps longer than this many steps are reported. */
  gapSteps: number;
  /** Canary comparison: practical floor of a slope difference, bytes per second (bytes per request with requests-query). */
  slopeTolerance: number;
}

export interface AnalyzeConfig {
  name: string;
  prometheus: PrometheusConfig;
  analysis: AnalysisOptions;
  failOn: FailOn[];
  reportPath: string;
  comment: CommentMode;
  compare: { alpha: number; relativeTolerance: number; peakToleranceBytes: number };
}

const PROMETHEUS_KEYS = [
  'url', 'query', 'canary-query', 'baseline-query', 'requests-query', 'limit-query', 'limit', 'range', 'step', 'end',
  'timeout', 'bearer-token-env', 'basic-auth', 'ca-file', 'insecure', 'headers', 'restart-drop', 'gap-steps', 'slope-tolerance',
];
const BASIC_AUTH_KEYS = ['user-env', 'password-env'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface LoadAnalyzeInput {
  file: unknown;
  fileLabel: string;
  overrides: Record<string, unknown>;
  overrideLabels: SourceLabels;
}

/** Validates the analyze settings; throws a ConfigError listing every problem. */
export function loadAnalyzeConfig(input: LoadAnalyzeInput): AnalyzeConfig {
  const p = new Problems(input.fileLabel, input.overrideLabels);
  if (input.file !== undefined && input.file !== null && !isPlainObject(input.file)) {
    throw new ConfigError(`${input.fileLabel} must hold a mapping of settings, got ${show(input.file)}`);
  }
  const raw = mergeRaw(input.file ?? {}, input.overrides) as Record<string, unknown>;
  const top = obj(raw, '', TOP_KEYS, p);
  const section = obj(top.prometheus ?? {}, 'prometheus', PROMETHEUS_KEYS, p);
  const analysis = obj(top.analysis ?? {}, 'analysis', ANALYSIS_KEYS, p);
  const baseline = isPlainObject(top.baseline) ? top.baseline : {};
  const analysisOptions = analysisOf(analysis, p);
  const config: AnalyzeConfig = {
    name: nameOf(top.name, p),
    prometheus: prometheusOf(section, analysisOptions, p),
    // The metric names nothing here (the query says what is measured); samples carry the value as rss and anon.
    analysis: { ...analysisOptions, metric: 'rss' },
    failOn: failOnOf(top['fail-on'], p).filter((f) => f !== 'native-leak'),
    reportPath: str(top.report, 'report', 'leakgate-report.json', p),
    comment: commentOf(top.comment, p),
    compare: {
      alpha: num(baseline.alpha, 'baseline.alpha', 0.01, p, { min: 1e-9, max: 0.5 }),
      relativeTolerance: num(baseline['relative-tolerance'], 'baseline.relative-tolerance', 0.2, p, { min: 0, max: 100 }),
      peakToleranceBytes: bytes(baseline['peak-tolerance'], 'baseline.peak-tolerance', 8 * 1024 * 1024, p, { min: 0 }),
    },
  };
  // A top-level memory-limit (shared with `run`) is the fixed limit when the section names none.
  if (config.prometheus.limit === undefined && top['memory-limit'] !== undefined && top['memory-limit'] !== '') {
    config.prometheus.limit = bytes(top['memory-limit'], 'memory-limit', 0, p, { min: 1024 * 1024 });
  }
  if (p.list.length > 0) {
    const n = p.list.length;
    throw new ConfigError(`invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n  - ${p.list.join('\n  - ')}`);
  }
  return config;
}

function prometheusOf(s: Record<string, unknown>, analysis: Omit<AnalysisOptions, 'metric'>, p: Problems): PrometheusConfig {
  const url = serverUrl(s.url, p);
  const query = optionalQuery(s.query, 'prometheus.query', p);
  const canaryQuery = optionalQuery(s['canary-query'], 'prometheus.canary-query', p);
  const baselineQuery = optionalQuery(s['baseline-query'], 'prometheus.baseline-query', p);
  const requestsQuery = optionalQuery(s['requests-query'], 'prometheus.requests-query', p);
  const limitQuery = optionalQuery(s['limit-query'], 'prometheus.limit-query', p);
  if (!query && !canaryQuery && !baselineQuery) {
    p.raw("'prometheus.query' is required (a PromQL expression giving memory in bytes per pod, e.g. container_memory_working_set_bytes{container=\"app\"}), or 'prometheus.canary-query' and 'prometheus.baseline-query' to compare a canary with the stable version");
  } else if (Boolean(canaryQuery) !== Boolean(baselineQuery)) {
    p.raw(`'prometheus.canary-query' and 'prometheus.baseline-query' go together: only ${canaryQuery ? 'canary-query' : 'baseline-query'} is set`);
  }
  const rangeMs = seconds(s.range, 'prometheus.range', 3600_000, p, { min: 60_000, max: 32 * 24 * 3600_000 });
  const stepMs = seconds(s.step, 'prometheus.step', 15_000, p, { min: 1000, max: 3600_000 });
  // Prometheus refuses more than 11,000 points per series.
  if (rangeMs / stepMs > 11_000) p.add('prometheus.step', s.step, `must give at most 11000 points over prometheus.range (${rangeMs / 1000}s): use a step of at least ${Math.ceil(rangeMs / 11_000_000)}s`);
  if (rangeMs / stepMs < analysis.minPoints) p.add('prometheus.range', s.range, `must hold at least analysis.min-points (${analysis.minPoints}) steps of ${stepMs / 1000}s`);
  const limit = s.limit === undefined || s.limit === '' ? undefined : bytes(s.limit, 'prometheus.limit', 0, p, { min: 1024 * 1024 });
  const end = endOf(s.end, p);
  const bearerTokenEnv = envName(s['bearer-token-env'], 'prometheus.bearer-token-env', p);
  const basicAuth = basicAuthOf(s['basic-auth'], p);
  if (bearerTokenEnv && basicAuth) p.raw("set only one of 'prometheus.bearer-token-env' and 'prometheus.basic-auth'");
  return {
    url,
    ...(query ? { query } : {}),
    ...(canaryQuery ? { canaryQuery } : {}),
    ...(baselineQuery ? { baselineQuery } : {}),
    ...(requestsQuery ? { requestsQuery } : {}),
    ...(limitQuery ? { limitQuery } : {}),
    ...(limit !== undefined ? { limit } : {}),
    rangeMs,
    stepMs,
    ...(end !== undefined ? { end } : {}),
    timeoutMs: seconds(s.timeout, 'prometheus.timeout', 30_000, p, { min: 100, max: 600_000 }),
    ...(bearerTokenEnv ? { bearerTokenEnv } : {}),
    ...(basicAuth ? { basicAuth } : {}),
    ...(s['ca-file'] !== undefined && s['ca-file'] !== '' ? { caFile: str(s['ca-file'], 'prometheus.ca-file', '', p) } : {}),
    insecure: bool(s.insecure, 'prometheus.insecure', false, p),
    headers: headersOf(s.headers, p),
    restartDrop: num(s['restart-drop'], 'prometheus.restart-drop', 0.2, p, { min: 0.01, max: 0.99 }),
    gapSteps: int(s['gap-steps'], 'prometheus.gap-steps', 3, p, { min: 1, max: 10_000 }),
    slopeTolerance: num(s['slope-tolerance'], 'prometheus.slope-tolerance', requestsQuery ? analysis.minBytesPerRequest : analysis.minBytesPerSecond, p, { min: 0 }),
  };
}

function serverUrl(v: unknown, p: Problems): string {
  if (v === undefined || v === null || v === '') {
    p.raw("'prometheus.url' is required: the Prometheus server's base URL (e.g. http://prometheus.monitoring:9090)");
    return '';
  }
  if (typeof v === 'string') {
    try {
      const u = new URL(v);
      if (u.username || u.password) {
        p.add('prometheus.url', `${u.protocol}//***@${u.host}${u.pathname}`, 'must not hold credentials (they would end up in logs and the report): name environment variables in prometheus.bearer-token-env or prometheus.basic-auth');
        return '';
      }
      if (u.protocol === 'http:' || u.protocol === 'https:') return v;
    } catch {
      // reported below
    }
  }
  p.add('prometheus.url', v, 'must be an http:// or https:// URL');
  return '';
}

function optionalQuery(v: unknown, path: string, p: Problems): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  p.add(path, v, 'must be a PromQL expression (a string)');
  return undefined;
}

/** RFC 3339 time or Unix seconds. */
function endOf(v: unknown, p: Problems): number | undefined {
  if (v === undefined || v === null || v === '' || v === 'now') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
  if (n !== undefined) return n * 1000;
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isFinite(t)) return t;
  p.add('prometheus.end', v, "must be 'now', Unix seconds, or an RFC 3339 time (e.g. 2025-01-31T12:00:00Z)");
  return undefined;
}

function envName(v: unknown, path: string, p: Problems): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && ENV_NAME.test(v)) return v;
  p.add(path, v, 'must be the NAME of an environment variable holding the secret (letters, digits, underscores), never the secret itself');
  return undefined;
}

function basicAuthOf(v: unknown, p: Problems): { userEnv: string; passwordEnv: string } | undefined {
  if (v === undefined || v === null) return undefined;
  const raw = obj(v, 'prometheus.basic-auth', BASIC_AUTH_KEYS, p);
  const userEnv = envName(raw['user-env'], 'prometheus.basic-auth.user-env', p);
  const passwordEnv = envName(raw['password-env'], 'prometheus.basic-auth.password-env', p);
  if (!userEnv || !passwordEnv) {
    p.add('prometheus.basic-auth', v, "must name both 'user-env' and 'password-env' (environment variable names)");
    return undefined;
  }
  return { userEnv, passwordEnv };
}

function headersOf(v: unknown, p: Problems): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isPlainObject(v)) {
    p.add('prometheus.headers', v, 'must be a mapping of header names to values');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.toLowerCase() === 'authorization') p.raw("'prometheus.headers' must not set Authorization (it would be stored in the report): use prometheus.bearer-token-env or prometheus.basic-auth");
    else if (typeof val === 'string' || typeof val === 'number') out[k] = String(val);
    else p.add(`prometheus.headers.${k}`, val, 'must be a string');
  }
  return out;
}

/** The config as it goes into the report: names of variables, never their values; header values hidden. */
export function redactAnalyzeConfig(config: AnalyzeConfig): unknown {
  return { ...config, prometheus: { ...config.prometheus, headers: Object.fromEntries(Object.keys(config.prometheus.headers).map((k) => [k, '***'])) } };
}

/** The analyze settings a flag (--name) or an Action input (same name) can set, and where each lands in the file. */
export const ANALYZE_FIELDS = {
  prometheus: ['prometheus', 'url'],
  query: ['prometheus', 'query'],
  'canary-query': ['prometheus', 'canary-query'],
  'baseline-query': ['prometheus', 'baseline-query'],
  'requests-query': ['prometheus', 'requests-query'],
  'limit-query': ['prometheus', 'limit-query'],
  limit: ['prometheus', 'limit'],
  range: ['prometheus', 'range'],
  step: ['prometheus', 'step'],
  end: ['prometheus', 'end'],
  timeout: ['prometheus', 'timeout'],
  'bearer-token-env': ['prometheus', 'bearer-token-env'],
  'ca-file': ['prometheus', 'ca-file'],
  name: ['name'],
  'fail-on': ['fail-on'],
  report: ['report'],
  comment: ['comment'],
} as const;

export type AnalyzeFieldName = keyof typeof ANALYZE_FIELDS;
export const ANALYZE_FIELD_NAMES = Object.keys(ANALYZE_FIELDS) as AnalyzeFieldName[];

/** Turns `{ query: '...', range: '2h' }` into the file-shaped overrides and labels naming how each was given. */
export function buildAnalyzeOverrides(
  values: Partial<Record<AnalyzeFieldName, string>>,
  label: (name: AnalyzeFieldName) => string,
): { overrides: Record<string, unknown>; labels: SourceLabels } {
  const overrides: Record<string, unknown> = {};
  const labels: SourceLabels = {};
  for (const name of ANALYZE_FIELD_NAMES) {
    const v = values[name];
    if (v === undefined || v === '') continue;
    const path = ANALYZE_FIELDS[name];
    let node = overrides;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]!] = v;
    labels[path.join('.')] = label(name);
  }
  return { overrides, labels };
}
