// Parses the JSON of Prometheus's range query API (/api/v1/query_range) into series of finite points. Pure: the
// HTTP status and the parsed body in, series out. A body with status "error" becomes a PrometheusError carrying
// Prometheus's own errorType and message; values Prometheus writes as "NaN", "+Inf" or "-Inf" are not memory
// figures and are dropped, but counted, so the report can say how many were.

/** One point of a series: Unix time in milliseconds and the value. */
export interface Point {
  t: number;
  v: number;
}

export interface RangeSeries {
  /** The series' labels, __name__ included when Prometheus returned it. */
  labels: Record<string, string>;
  /** Finite points, oldest first. */
  points: Point[];
  /** Values that were NaN or infinite, dropped from `points`. */
  nonFinite: number;
}

export interface RangeResult {
  series: RangeSeries[];
  /** Warnings Prometheus attached to a successful answer. */
  warnings: string[];
}

/** Why a query gave no data: Prometheus refused it, or the answer was not what the range API returns. */
export class PrometheusError extends Error {
  constructor(
    message: string,
    /** Prometheus's errorType (bad_data, execution, timeout, ...), 'unreachable', or 'invalid-response'. */
    readonly kind: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

/** Parses a query_range answer (HTTP status and body, already JSON-parsed or the raw text). */
export function parseQueryRange(status: number, body: unknown): RangeResult {
  const json = typeof body === 'string' ? tryJson(body) : body;
  if (!isObject(json)) {
    const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
    throw new PrometheusError(`HTTP ${status}: the answer is not Prometheus JSON${text ? ` (${text})` : ''}`, 'invalid-response', status);
  }
  if (json.status === 'error') {
    const type = typeof json.errorType === 'string' ? json.errorType : 'error';
    const message = typeof json.error === 'string' ? json.error : 'no message';
    throw new PrometheusError(`Prometheus rejected the query (HTTP ${status}, ${type}): ${message}`, type, status);
  }
  if (json.status !== 'success' || !isObject(json.data)) {
    throw new PrometheusError(`HTTP ${status}: the answer has no status "success" with data`, 'invalid-response', status);
  }
  const { resultType, result } = json.data;
  if (resultType !== 'matrix' || !Array.isArray(result)) {
    throw new PrometheusError(`expected a matrix from the range query, got ${String(resultType)}: use an expression that returns an instant vector (e.g. container_memory_working_set_bytes, not a range selector)`, 'invalid-response', status);
  }
  const series = result.map((item, i) => parseSeries(item, i, status));
  const warnings = Array.isArray(json.warnings) ? json.warnings.filter((w): w is string => typeof w === 'string') : [];
  return { series, warnings };
}

function parseSeries(item: unknown, i: number, status: number): RangeSeries {
  if (!isObject(item) || !isObject(item.metric) || !Array.isArray(item.values)) {
    throw new PrometheusError(`series ${i} of the answer has no metric and values`, 'invalid-response', status);
  }
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(item.metric)) if (typeof v === 'string') labels[k] = v;
  const points: Point[] = [];
  let nonFinite = 0;
  for (const pair of item.values) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'number' || typeof pair[1] !== 'string') {
      throw new PrometheusError(`series ${i} holds a value that is not [time, "value"]: ${JSON.stringify(pair).slice(0, 80)}`, 'invalid-response', status);
    }
    // Prometheus writes floats as strings: "NaN", "+Inf" and "-Inf" included, which Number() reads as NaN/±Infinity.
    const v = Number(pair[1] === '+Inf' ? 'Infinity' : pair[1] === '-Inf' ? '-Infinity' : pair[1]);
    if (Number.isFinite(v)) points.push({ t: Math.round(pair[0] * 1000), v });
    else nonFinite++;
  }
  points.sort((a, b) => a.t - b.t);
  return { labels, points, nonFinite };
}

/** The series' labels as PromQL writes them: name{a="1", b="2"}. */
export function seriesName(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const inner = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
