// Drives HTTP load with autocannon in-process: an optional warm-up at a low constant rate, then the
// measured load (closed-loop connections, or a constant overall rate), with request mixes and {id}s.
// Counts completed responses itself (autocannon's `tick` counter is reset by a separate timer), so
// the sampler can read "requests served so far" at any instant and memory can be analysed per request.
import autocannon from 'autocannon';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { LatencyFigures, LoadResult } from '../core/types.js';
import type { LoadRun } from './load-run.js';
import { startAbortLoad, type AbortCounts, type AbortLoadOptions, type AbortRun } from './abort-driver.js';
import {
  idRotation,
  maxCycleLength,
  requestCycle,
  requestMixProblems,
  usesId,
  withId,
  type MixRequest,
  type RequestMode,
} from './request-mix.js';

/** A warm-up before the measured load: same requests and connections, at a constant overall rate. */
export interface WarmupOptions {
  durationMs: number;
  /** Requests per second, overall. */
  rate: number;
}

/** What the driver needs; the lead maps the config's `load` section onto it. */
export interface AutocannonLoadOptions {
  url: string;
  /** Length of the measured load, ms (a warm-up runs before it, on top). */
  durationMs: number;
  /** Ends the measured load after this many responses when that comes before durationMs (warm-up responses do not count). */
  amount?: number;
  /** Connections kept open; with a rate, at most ceil(rate) are used (as autocannon does). */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining). */
  pipelining: number;
  timeoutMs: number;
  /** Empty: GET the url itself. */
  requests: MixRequest[];
  /** 'sequence' (the list in order on every connection) or 'mix' (weighted); default: 'mix' when a weight is given. */
  mode?: RequestMode;
  /**
   * Requests per second overall, spread evenly over time and connections (open-loop pacing up to
   * `connections * pipelining` in flight). Absent: closed loop, each connection sends as soon as it
   * has a response.
   */
  rate?: number;
  warmup?: WarmupOptions;
  /**
   * Connection churn: each connection is closed and reopened after this many requests (once their responses are
   * in), so per-connection state in the app (socket listeners, TLS sessions, per-connection caches) is set up and
   * torn down all through the load. 0 or absent: keep-alive connections for the whole load.
   */
  reconnectEvery?: number;
  /** A share of requests aborted by the client during the measured load (load.abort); see abort-driver.ts. */
  abort?: { share: number; afterMs: number; from: 'response' | 'request' };
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';
const STATUS_CLASSES: readonly StatusClass[] = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** LoadResult plus what this driver knows beyond it. */
export interface AutocannonLoadResult extends LoadResult {
  /** Of the measured load only (not the warm-up). p95 comes from leakgate's own histogram (1% buckets). */
  latency: LatencyFigures & { p95: number; p97_5: number };
  /** Responses by status class, warm-up included (1xx/3xx/4xx/5xx add up to non2xx). */
  statusClasses: Record<StatusClass, number>;
  /** The target rate of the measured load, requests/s, when one was set. */
  rate?: number;
  /** Connections actually used by the measured load. */
  connections: number;
  /** Responses completed during the warm-up (included in `requests`), when there was one. */
  warmupRequests?: number;
  warmupDurationMs?: number;
  connectionsOpened: number;
}

/**
 * `requests`, `ok`, `non2xx`, `errors`, `timeouts`, `durationMs` and `statusClasses` cover the warm-up
 * and the measured load (requests === completed() at the end); `throughput` and `latency` cover the
 * measured load alone.
 */
export interface AutocannonLoadRun extends LoadRun {
  done: Promise<AutocannonLoadResult>;
  /** completed() when the warm-up ended; undefined while it runs or when there is none. */
  warmupEnd(): number | undefined;
}

/**
 * Starts the load now; `done` resolves when the measured load's duration or amount is reached, or
 * after stop(). Throws a ConfigError at once for unusable options (weights, ids, rate).
 *
 * Counting: a phase ends by draining, not by cutting connections: no new request is sent and each
 * connection closes once its in-flight (pipelined) responses are in, so completed() matches what the
 * server answered. Requests still unanswered min(timeout, 2 s) after the end are abandoned.
 */
export function startAutocannon(opts: AutocannonLoadOptions, now: () => number = () => performance.now()): AutocannonLoadRun {
  checkOptions(opts);
  const requests = autocannonRequests(opts);
  // classes[0] counts 1xx ... classes[4] 5xx.
  const counts = { completed: 0, ok: 0, classes: [0, 0, 0, 0, 0] };
  let latencies = new LatencyHistogram();
  const onResponse = (status: number, ms: number): void => {
    counts.completed += 1;
    const cls = Math.floor(status / 100) - 1;
    if (cls === 1) counts.ok += 1;
    if (cls >= 0 && cls < 5) counts.classes[cls]! += 1;
    latencies.record(ms);
  };

  let stopped = false;
  let current: Phase | undefined;
  let warmupEnd: number | undefined;
  const started = now();
  let connectionsOpened = 0;
  const common = {
    url: opts.url,
    pipelining: opts.pipelining,
    timeoutMs: opts.timeoutMs,
    requests,
    reconnectEvery: opts.reconnectEvery ?? 0,
    onConnect: () => (connectionsOpened += 1),
  };

  const run = async (): Promise<AutocannonLoadResult> => {
    let warm: PhaseOutcome | undefined;
    if (opts.warmup) {
      current = runPhase({ ...common, durationMs: opts.warmup.durationMs, rate: opts.warmup.rate, connections: opts.connections }, onResponse);
      warm = await current.done;
      warmupEnd = counts.completed;
      latencies = new LatencyHistogram(); // the measured load's latencies only
    }
    let main: PhaseOutcome | undefined;
    let aborts: AbortCounts | undefined;
    if (!stopped) {
      current = runPhase(
        { ...common, durationMs: opts.durationMs, amount: opts.amount, rate: opts.rate, connections: opts.connections },
        onResponse,
      );
      if (opts.abort) abortRun = startAbortLoad(abortOptions(opts, opts.abort), () => counts.completed, onResponse);
      main = await current.done;
      aborts = await abortRun?.stop();
    }
    const result = toLoadResult(counts, latencies, warm, main, now() - started, opts.rate);
    if (aborts) {
      // Aborted requests count as requests finished (the app handled them) but are neither answered nor errors.
      result.requests += aborts.aborted;
      result.aborted = aborts.aborted;
      result.errors += aborts.errors;
      result.timeouts += aborts.timeouts;
      connectionsOpened += aborts.connectionsOpened;
    }
    result.connectionsOpened = connectionsOpened;
    if (common.reconnectEvery > 0) result.reconnectEvery = common.reconnectEvery;
    return result;
  };
  let abortRun: AbortRun | undefined;
  const done = run();

  return {
    completed: () => counts.completed + (abortRun?.aborted() ?? 0),
    warmupEnd: () => warmupEnd,
    done,
    stop: () => {
      stopped = true;
      current?.stop();
    },
  };
}

/** The abort loop's request: load.url, or its origin with the first of load.requests. */
function abortOptions(opts: AutocannonLoadOptions, abort: NonNullable<AutocannonLoadOptions['abort']>): AbortLoadOptions {
  const first = opts.requests[0];
  return {
    url: first ? new URL(first.path, opts.url).href : opts.url,
    ...(first ? { request: first } : {}),
    ...abort,
    // Enough requests in flight to keep up with the share when each one waits afterMs and opens its own connection.
    concurrency: Math.max(2, Math.ceil(opts.connections * abort.share * 4)),
    timeoutMs: opts.timeoutMs,
  };
}

function checkOptions(opts: AutocannonLoadOptions): void {
  const problems = requestMixProblems(opts.requests, opts.mode).map((p) => `${p.path}: ${p.message} (got ${JSON.stringify(p.value)})`);
  const positive = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) problems.push(`${name}: must be a number > 0 (got ${String(v)})`);
  };
  positive('load.rate', opts.rate);
  if (opts.reconnectEvery !== undefined && !(Number.isInteger(opts.reconnectEvery) && opts.reconnectEvery >= 0)) {
    problems.push(`load.reconnect-every: must be a whole number >= 0 (got ${String(opts.reconnectEvery)})`);
  }
  if (opts.warmup) {
    positive('load.warmup.rate', opts.warmup.rate);
    positive('load.warmup.duration', opts.warmup.durationMs);
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
}

/** The request list autocannon cycles through on every connection, with {id} set per request sent. */
function autocannonRequests(opts: AutocannonLoadOptions): autocannon.Request[] | undefined {
  if (opts.requests.length === 0) return undefined;
  let cycle: number[];
  try {
    cycle = requestCycle(opts.requests, opts.mode, maxCycleLength(opts.connections));
  } catch (e) {
    throw new ConfigError(errorMessage(e));
  }
  // One autocannon request per configured one, shared by its places in the cycle, so the id
  // rotation of a request is global (over connections and places) and continues from warm-up to load.
  const built = opts.requests.map((r): autocannon.Request => {
    const base: autocannon.Request = {
      method: r.method as autocannon.Request['method'],
      path: r.path,
      headers: r.headers,
      ...(r.body !== undefined ? { body: r.body } : {}),
    };
    if (!r.ids || !usesId(r)) return base;
    const nextId = idRotation(r.ids);
    // autocannon calls setupRequest once for every request it sends (and builds nothing ahead). It
    // passes a copy of the request with its defaults filled in (an empty body is a Buffer).
    const setupRequest = (req: autocannon.Request): autocannon.Request => {
      const filled = withId(
        { method: r.method, path: req.path ?? r.path, headers: (req.headers ?? {}) as Record<string, string>, ...(typeof req.body === 'string' ? { body: req.body } : {}) },
        nextId(),
      );
      return { ...req, path: filled.path, headers: filled.headers, ...(filled.body !== undefined ? { body: filled.body } : {}) };
    };
    return { ...base, setupRequest };
  });
  return cycle.map((i) => built[i]!);
}

interface PhaseSpec {
  url: string;
  durationMs: number;
  amount?: number;
  rate?: number;
  connections: number;
  pipelining: number;
  timeoutMs: number;
  requests?: autocannon.Request[];
  /** Requests per connection before it is reopened; 0: never. */
  reconnectEvery: number;
  /** Called when a TCP connection is established. */
  onConnect: () => void;
}

interface PhaseOutcome {
  result: autocannon.Result | undefined;
  responses: number;
  /** From the phase's start to its last connection closing. */
  durationMs: number;
  connections: number;
}

interface Phase {
  done: Promise<PhaseOutcome>;
  stop(): void;
}

/** The parts of autocannon's (private) Client this driver relies on, checked on every client. */
interface ClientInternals {
  _doRequest: () => void;
  _connect: () => void;
  _resetConnection: () => void;
  conn?: { once(event: string, listener: () => void): unknown };
  destroy: () => void;
  destroyed: boolean;
  reqsMade: number;
  responseMax?: number;
  timeout?: number;
  pipelinedRequests: { size(): number };
  timeoutTicker?: { reschedule(ms: number): void };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

function asInternals(c: unknown): ClientInternals {
  const k = c as Partial<ClientInternals> | null;
  if (
    !k ||
    typeof k._doRequest !== 'function' ||
    typeof k._connect !== 'function' ||
    typeof k._resetConnection !== 'function' ||
    typeof k.destroy !== 'function' ||
    typeof k.reqsMade !== 'number' ||
    typeof k.pipelinedRequests?.size !== 'function'
  ) {
    throw new Error('autocannon client lacks _doRequest/_connect/_resetConnection/destroy/reqsMade/pipelinedRequests: this autocannon version is not one leakgate supports (8.x)');
  }
  return k as ClientInternals;
}

/** Longest wait for in-flight responses once a phase ends. */
const DRAIN_LIMIT_MS = 2000;
/** How often autocannon checks whether to finish once every connection is closed. */
const SAMPLE_INT_MS = 100;

/**
 * One autocannon instance. Every client's _doRequest is wrapped to (a) pace requests on a grid of
 * 1000/rate ms shared round-robin by the connections (autocannon's own overallRate sends each
 * second's budget in a burst at the start of the second) and (b) drain at the end instead of
 * dropping in-flight pipelined responses (autocannon's amount stops a connection with
 * pipelining - 1 responses unread).
 */
function runPhase(spec: PhaseSpec, onResponse: (status: number, ms: number) => void): Phase {
  const connections = Math.max(
    1,
    Math.min(spec.connections, spec.rate !== undefined ? Math.ceil(spec.rate) : Infinity, spec.amount ?? Infinity),
  );
  const slotMs = spec.rate !== undefined ? 1000 / spec.rate : 0;
  const drainLimitMs = Math.min(spec.timeoutMs, DRAIN_LIMIT_MS);
  // `dead`: requests in the client's queue when its connection failed, which will never be answered.
  const clients: { client: ClientInternals; dead: number }[] = [];
  const pacing = new Set<NodeJS.Timeout>();
  let draining = false;
  let responses = 0;
  let closed = 0;
  let endedAt: number | undefined;
  let instance: autocannon.Instance | undefined;
  let endTimer: NodeJS.Timeout | undefined;
  let hardStop: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  // The pacing grid starts with the first request (after autocannon's set-up), the phase's clock too.
  let gridStart: number | undefined;
  const endAt = (): number => (gridStart ?? t0) + spec.durationMs;

  const idle = (s: { client: ClientInternals; dead: number }): boolean => s.client.pipelinedRequests.size() <= s.dead;

  const setupClient = (c: unknown): void => {
    const client = asInternals(c);
    const state = { client, dead: 0 };
    const index = clients.length;
    clients.push(state);
    const send = client._doRequest.bind(client);
    let slot = 0;
    // Connection churn is done here rather than with autocannon's reconnectRate, which swallows the 'response'
    // event of every Nth response (so it would go uncounted) and drops the connection's pipelined requests.
    let sentOnConnection = 0;
    const connect = client._connect.bind(client);
    client._connect = (): void => {
      sentOnConnection = 0;
      connect();
      client.conn?.once('connect', spec.onConnect);
    };
    /** True when this connection has had its share of requests; reopens it once its responses are in. */
    const churned = (): boolean => {
      if (spec.reconnectEvery === 0 || sentOnConnection < spec.reconnectEvery) return false;
      if (idle(state)) {
        state.dead = 0; // the reset clears the queue
        client._resetConnection();
      }
      return true;
    };
    // A connection error leaves the in-flight queue uncleared (a timeout clears it): those entries
    // will never be answered, so draining waits only for the ones sent after.
    client.on('connError', () => (state.dead = client.pipelinedRequests.size()));
    client.on('timeout', () => (state.dead = 0));
    client.on('done', () => {
      closed += 1;
      if (closed === clients.length) endedAt ??= performance.now();
    });
    const finished = (): boolean => draining || (client.responseMax !== undefined && client.responseMax > 0 && client.reqsMade >= client.responseMax);
    const release = (): void => {
      if (client.destroyed) return;
      if (finished()) {
        if (idle(state)) client.destroy();
        return;
      }
      if (churned()) return;
      sentOnConnection += 1;
      send();
    };
    client._doRequest = (): void => {
      if (client.destroyed) return;
      if (slotMs === 0 || finished()) {
        release();
        return;
      }
      if (churned()) return;
      gridStart ??= performance.now();
      const due = gridStart + (index + slot * connections) * slotMs;
      if (due >= endAt()) return; // no slot left in this phase: the drain closes the connection
      slot += 1;
      const wait = due - performance.now();
      if (wait <= 0) {
        release();
        return;
      }
      // Idle while paced: keep autocannon's per-request timeout from firing on a quiet connection.
      if (client.pipelinedRequests.size() === 0) client.timeoutTicker?.reschedule(wait + (client.timeout ?? spec.timeoutMs));
      const timer = setTimeout(() => {
        pacing.delete(timer);
        release();
      }, wait);
      pacing.add(timer);
    };
  };

  const drain = (limitMs: number): void => {
    if (draining) return;
    draining = true;
    for (const t of pacing) clearTimeout(t);
    pacing.clear();
    for (const s of clients) {
      if (!s.client.destroyed && idle(s)) s.client.destroy();
    }
    hardStop = setTimeout(() => {
      endedAt ??= performance.now();
      instance?.stop();
    }, limitMs);
  };

  const done = new Promise<PhaseOutcome>((resolve, reject) => {
    const options: autocannon.Options = {
      url: spec.url,
      connections,
      pipelining: spec.pipelining,
      timeout: Math.max(1, Math.round(spec.timeoutMs / 1000)),
      // A backstop only: the phase ends by draining (endTimer or amount), well before this.
      duration: (spec.durationMs + drainLimitMs + 2000) / 1000,
      sampleInt: SAMPLE_INT_MS,
      setupClient: setupClient as unknown as autocannon.Options['setupClient'],
      ...(spec.amount !== undefined ? { amount: spec.amount } : {}),
      ...(spec.requests ? { requests: spec.requests } : {}),
    };
    const finish = (err: Error | null, result?: autocannon.Result): void => {
      clearTimeout(endTimer);
      clearTimeout(hardStop);
      for (const t of pacing) clearTimeout(t);
      if (err) {
        reject(err);
        return;
      }
      const end = endedAt ?? performance.now();
      resolve({ result, responses, durationMs: end - t0, connections });
    };
    try {
      instance = autocannon(options, (err: Error | null, result: autocannon.Result) => finish(err, result));
    } catch (e) {
      finish(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      responses += 1;
      onResponse(statusCode, responseTime);
    });
    endTimer = setTimeout(() => drain(drainLimitMs), Math.max(0, endAt() - performance.now()));
  });

  return {
    done,
    stop: () => drain(Math.min(drainLimitMs, 1000)),
  };
}

function toLoadResult(
  counts: { completed: number; ok: number; classes: number[] },
  latencies: LatencyHistogram,
  warm: PhaseOutcome | undefined,
  main: PhaseOutcome | undefined,
  durationMs: number,
  rate: number | undefined,
): AutocannonLoadResult {
  const lat = main?.result?.latency;
  const phases = [warm, main].filter((p): p is PhaseOutcome => p !== undefined);
  const sum = (f: (r: autocannon.Result) => number): number => phases.reduce((n, p) => n + (p.result ? finite(f(p.result)) : 0), 0);
  const out: AutocannonLoadResult = {
    tool: 'autocannon',
    requests: counts.completed,
    ok: counts.ok,
    non2xx: counts.completed - counts.ok,
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    durationMs: Math.round(durationMs),
    throughput: main && main.durationMs > 0 ? main.responses / (main.durationMs / 1000) : 0,
    latency: {
      p50: finite(lat?.p50),
      p90: finite(lat?.p90),
      p95: latencies.count > 0 ? latencies.quantile(0.95) : 0,
      p97_5: finite(lat?.p97_5),
      p99: finite(lat?.p99),
      max: finite(lat?.max),
      mean: finite(lat?.average),
    },
    statusClasses: Object.fromEntries(STATUS_CLASSES.map((c, i) => [c, counts.classes[i] ?? 0])) as Record<StatusClass, number>,
    connections: main?.connections ?? warm?.connections ?? 0,
    connectionsOpened: 0,
  };
  if (rate !== undefined) out.rate = rate;
  if (warm) {
    out.warmupRequests = warm.responses;
    out.warmupDurationMs = Math.round(warm.durationMs);
  }
  return out;
}

function finite(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/** Latencies in log buckets 1% wide from 1 µs (autocannon's result has no p95). */
export class LatencyHistogram {
  private static readonly MIN = 0.001;
  private static readonly LOG_STEP = Math.log(1.01);
  private readonly buckets = new Uint32Array(2200); // up to ~1.01^2200 µs: hours
  count = 0;

  record(ms: number): void {
    if (!Number.isFinite(ms)) return;
    const i = ms <= LatencyHistogram.MIN ? 0 : Math.ceil(Math.log(ms / LatencyHistogram.MIN) / LatencyHistogram.LOG_STEP);
    this.buckets[Math.min(i, this.buckets.length - 1)]! += 1;
    this.count += 1;
  }

  /** The q-quantile in ms (the upper edge of its bucket, at most 1% above the true value); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return LatencyHistogram.MIN * Math.exp(i * LatencyHistogram.LOG_STEP);
    }
    return Infinity;
  }
}
