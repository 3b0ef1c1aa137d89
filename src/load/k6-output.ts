// Parsers for what k6 writes: the `--out json=FILE` stream (one JSON object a line, read while k6 runs, to
// count requests as they complete) and the `--summary-export=FILE` end-of-test summary (latency, totals,
// thresholds). Pure: text in, figures out; reading the files and running k6 is the driver's job.
import { StringDecoder } from 'node:string_decoder';

/** One line of k6's JSON output: a metric declaration or a data point. */
export type K6JsonLine =
  | { type: 'Metric'; metric: string; data: Record<string, unknown> }
  | { type: 'Point'; metric: string; time: number; value: number; tags: Record<string, string> };

const SOURCE = 'k6 --out json';

/** A value for a message: JSON, cut to a readable length. */
function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses one line of `k6 run --out json=FILE`, e.g.
 * `{"type":"Point","data":{"time":"2024-05-09T14:34:45.62+02:00","value":1,"tags":{...}},"metric":"http_reqs"}`.
 * Point times become epoch milliseconds. Throws an Error naming `where` (file and line) when the line is not
 * such an object.
 */
export function parseK6JsonLine(line: string, where = SOURCE): K6JsonLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message}): ${shorten(line)}`);
  }
  if (!isRecord(raw)) throw new Error(`${where}: expected a JSON object with type, metric and data, got ${shorten(line)}`);
  const { type, metric, data } = raw;
  if (typeof metric !== 'string' || metric === '') throw new Error(`${where}: 'metric' must be a metric name, got ${shorten(JSON.stringify(metric) ?? 'nothing')}`);
  if (!isRecord(data)) throw new Error(`${where}: 'data' must be an object, got ${shorten(JSON.stringify(data) ?? 'nothing')}`);
  if (type === 'Metric') return { type, metric, data };
  if (type !== 'Point') throw new Error(`${where}: 'type' must be "Metric" or "Point", got ${shorten(JSON.stringify(type) ?? 'nothing')}`);
  const value = data.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${where}: point of '${metric}' has no numeric data.value: ${shorten(line)}`);
  }
  const time = typeof data.time === 'string' ? Date.parse(data.time) : NaN;
  if (!Number.isFinite(time)) throw new Error(`${where}: point of '${metric}' has no valid data.time (RFC 3339): ${shorten(line)}`);
  const tags: Record<string, string> = {};
  if (isRecord(data.tags)) for (const [k, v] of Object.entries(data.tags)) if (typeof v === 'string') tags[k] = v;
  return { type, metric, time, value, tags };
}

/** Requests that completed in one wall-clock second (from the points' own timestamps). */
export interface K6SecondCount {
  /** Start of the second, epoch milliseconds. */
  second: number;
  requests: number;
}

/** How the stream ended, from K6StreamCounter.end(). */
export interface K6StreamEnd {
  /** True when an unterminated, unparseable last line was dropped (k6 was stopped mid-write). */
  droppedPartialLine: boolean;
}

/** Lines that can change the counts; other lines are only checked for shape, not parsed (the stream is large). */
const COUNTED_METRIC = /"metric"\s*:\s*"http_req(?:s|_failed)"/;
/** Longest partial line kept while waiting for its newline; k6 lines are well under 10 KB. */
const MAX_PENDING = 1 << 20;

/**
 * Counts requests in k6's JSON output as it is read, chunk by chunk (a line may be split across chunks, and a
 * UTF-8 character across byte chunks). Counts:
 * - requests: the sum of http_reqs point values (k6 writes one point of value 1 per request);
 * - failed: http_req_failed points of value 1 (k6 marks responses outside `expected_statuses`, and requests that
 *   got no response, as failed); noResponse / timeouts: the failed ones with tag status "0" / error_code "1050";
 * - requests per second, keyed by the points' timestamps.
 * Only lines naming http_reqs or http_req_failed are parsed in full; every other line must still look like a
 * JSON object (start with '{', end with '}'), else push() throws with the line number.
 */
export class K6StreamCounter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private lineNo = 0;
  private counted = 0;
  private failedCount = 0;
  private noResponseCount = 0;
  private timeoutCount = 0;
  private first: number | null = null;
  private last: number | null = null;
  private readonly seconds = new Map<number, number>();

  /** `source` names the stream in messages, e.g. the file path. */
  constructor(private readonly source: string = SOURCE) {}

  /** Adds a chunk of the stream. Throws on a malformed complete line, naming the line number. */
  push(chunk: string | Uint8Array): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      const line = this.pending + text.slice(start, nl);
      this.pending = '';
      start = nl + 1;
      this.line(line);
    }
    this.pending += text.slice(start);
    if (this.pending.length > MAX_PENDING) {
      throw new Error(`${this.source}: line ${this.lineNo + 1} is longer than ${MAX_PENDING} characters without a newline: not k6 JSON output`);
    }
  }

  /**
   * The stream is complete. An unterminated last line is counted if it parses; if it does not, it is dropped when
   * `tolerateTruncated` (k6 was stopped while writing it) and an Error otherwise.
   */
  end(opts: { tolerateTruncated?: boolean } = {}): K6StreamEnd {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest.trim() === '') return { droppedPartialLine: false };
    try {
      this.line(rest);
      return { droppedPartialLine: false };
    } catch (err) {
      if (opts.tolerateTruncated) return { droppedPartialLine: true };
      throw new Error(`${(err as Error).message} (the last line has no newline: was k6 stopped while writing it?)`);
    }
  }

  /** Sum of http_reqs point values so far. */
  get requests(): number {
    return this.counted;
  }

  /** Requests k6 counted as failed (http_req_failed points of value 1). */
  get failed(): number {
    return this.failedCount;
  }

  /** Failed requests that got no response at all (status tag "0": connection refused, reset, timeout, ...). */
  get noResponse(): number {
    return this.noResponseCount;
  }

  /** Failed requests with k6 error code 1050 (request timeout). */
  get timeouts(): number {
    return this.timeoutCount;
  }

  /** Complete lines read so far. */
  get lines(): number {
    return this.lineNo;
  }

  /** Epoch ms of the first and last http_reqs point; null before the first. */
  get span(): { first: number; last: number } | null {
    return this.first === null || this.last === null ? null : { first: this.first, last: this.last };
  }

  /** Requests per wall-clock second, oldest first; seconds without requests inside the span are listed as 0. */
  perSecond(): K6SecondCount[] {
    if (this.seconds.size === 0) return [];
    const keys = [...this.seconds.keys()];
    const lo = Math.min(...keys);
    const hi = Math.max(...keys);
    const out: K6SecondCount[] = [];
    for (let s = lo; s <= hi; s += 1000) out.push({ second: s, requests: this.seconds.get(s) ?? 0 });
    return out;
  }

  private line(raw: string): void {
    this.lineNo += 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '') return;
    const where = `${this.source} line ${this.lineNo}`;
    if (!COUNTED_METRIC.test(trimmed)) {
      if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) throw new Error(`${where}: expected a JSON object, got ${shorten(trimmed)}`);
      return;
    }
    const parsed = parseK6JsonLine(trimmed, where);
    if (parsed.type !== 'Point') return;
    if (parsed.metric === 'http_reqs') {
      this.counted += parsed.value;
      const second = Math.floor(parsed.time / 1000) * 1000;
      this.seconds.set(second, (this.seconds.get(second) ?? 0) + parsed.value);
      this.first = this.first === null ? parsed.time : Math.min(this.first, parsed.time);
      this.last = this.last === null ? parsed.time : Math.max(this.last, parsed.time);
    } else if (parsed.metric === 'http_req_failed' && parsed.value === 1) {
      this.failedCount += 1;
      if (parsed.tags.status === '0') this.noResponseCount += 1;
      if (parsed.tags.error_code === '1050') this.timeoutCount += 1;
    }
  }
}

/** The figures leakgate takes from k6's end-of-test summary. Latency in milliseconds. */
export interface K6Summary {
  /** http_reqs count. */
  requests: number;
  /** http_req_failed passes (matches in the new format): a rate's true values, and this metric is true for a FAILED request. */
  failures: number;
  /** http_reqs rate, requests per second over the test run. */
  throughput: number;
  /** Test run duration derived from count / rate; null when either is 0 or absent. */
  durationMs: number | null;
  latency: {
    p50: number;
    p90: number;
    /** Absent when the run did not compute p(99) (leakgate passes --summary-trend-stats with it; user args may not). */
    p99?: number;
    max: number;
    mean: number;
  };
  /** Thresholds that failed, as "metric: expression". */
  failedThresholds: string[];
  iterations: number;
}

/**
 * Parses the JSON k6 writes with `--summary-export=FILE` (the legacy export: `metrics.<name>` holds the values
 * directly, e.g. `http_reqs: {count, rate}`, `http_req_duration: {avg, min, med, max, "p(90)", "p(95)"}`,
 * `http_req_failed: {passes, fails, value}`, and `thresholds: {expr: failed}`). Also read: the handleSummary()
 * shape (`metrics.<name>.values`) and k6's new machine-readable summary (`results.metrics: [{name, values}]`,
 * `config.duration` in seconds, no p(99)). `source` names the file in messages.
 */
export function parseK6Summary(text: string, source: string): K6Summary {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: k6 summary is not JSON (${(err as Error).message}): ${shorten(text.trim() || '(empty)')}`);
  }
  let metrics: Record<string, unknown>;
  let runSeconds: number | undefined;
  if (isRecord(raw) && isRecord(raw.metrics)) {
    metrics = raw.metrics;
  } else if (isRecord(raw) && isRecord(raw.results) && Array.isArray(raw.results.metrics)) {
    // k6's new machine-readable summary: results.metrics is a list of {name, type, contains, values}, rates count
    // true values as 'matches', and config.duration is the run's length in seconds.
    metrics = {};
    for (const m of raw.results.metrics) if (isRecord(m) && typeof m.name === 'string') metrics[m.name] = m;
    if (isRecord(raw.config) && typeof raw.config.duration === 'number') runSeconds = raw.config.duration;
  } else {
    throw new Error(`${source}: k6 summary has no 'metrics' object (expected the file written by k6 run --summary-export): ${shorten(text.trim())}`);
  }
  const valuesOf = (name: string): Record<string, unknown> | undefined => {
    const m = metrics[name];
    if (!isRecord(m)) return undefined;
    return isRecord(m.values) ? m.values : m;
  };
  const numberAt = (name: string, key: string, required: boolean): number | undefined => {
    const values = valuesOf(name);
    const v = values?.[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (v === undefined && !required) return undefined;
    if (values === undefined) {
      throw new Error(`${source}: k6 summary has no metric '${name}' (did the script make any HTTP request with k6/http?)`);
    }
    throw new Error(`${source}: k6 summary metric '${name}' has no numeric '${key}' (found ${shorten(JSON.stringify(values))})`);
  };

  const requests = numberAt('http_reqs', 'count', true)!;
  const seconds = runSeconds !== undefined && runSeconds > 0 ? runSeconds : undefined;
  const rate = numberAt('http_reqs', 'rate', false) ?? (seconds ? requests / seconds : 0);
  // Without any failed request k6 still writes http_req_failed (passes 0); older k6 versions lack the metric.
  const failedKey = valuesOf('http_req_failed')?.matches !== undefined ? 'matches' : 'passes';
  const failures = valuesOf('http_req_failed') ? numberAt('http_req_failed', failedKey, true)! : 0;
  const p99 = numberAt('http_req_duration', 'p(99)', false);
  const latency: K6Summary['latency'] = {
    p50: numberAt('http_req_duration', 'med', true)!,
    p90: numberAt('http_req_duration', 'p(90)', true)!,
    max: numberAt('http_req_duration', 'max', true)!,
    mean: numberAt('http_req_duration', 'avg', true)!,
    ...(p99 !== undefined ? { p99 } : {}),
  };

  const failedThresholds: string[] = [];
  for (const [name, m] of Object.entries(metrics)) {
    if (!isRecord(m) || !isRecord(m.thresholds)) continue;
    for (const [expr, t] of Object.entries(m.thresholds)) {
      // Legacy export: true means the threshold FAILED. handleSummary shape: { ok: boolean }.
      const failed = typeof t === 'boolean' ? t : isRecord(t) && t.ok === false;
      if (failed) failedThresholds.push(`${name}: ${expr}`);
    }
  }

  return {
    requests,
    failures,
    throughput: rate,
    durationMs: seconds ? Math.round(seconds * 1000) : requests > 0 && rate > 0 ? Math.round((requests / rate) * 1000) : null,
    latency,
    failedThresholds,
    iterations: numberAt('iterations', 'count', false) ?? 0,
  };
}
