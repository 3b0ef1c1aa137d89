// Node heap mode over an inspector session: live memory after a forced full GC (the V8 heap in use plus the
// memory outside it that JS objects hold: Buffers, ArrayBuffers, native addons' external allocations), sampled
// against the request count (10-40x less noisy than anonymous memory on real apps), as often as a budget of the
// app's wall time spent in those forced pauses allows; and heap snapshots streamed straight into the compact
// parser and summarised.
import { errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { computeDominators } from './heap-dominators.js';
import type { HeapSnapshot } from './heap-snapshot.js';
import { HeapSnapshotParser } from './heap-snapshot-parser.js';
import { summarizeHeapSnapshot, type HeapSnapshotSummary } from './heap-summary.js';
import { sumHeapReadings, type HeapFigures, type ProcessHeapReading } from './heap-sum.js';
import type { InspectorSession } from './node-inspector.js';

/** One heap reading, taken right after a forced full GC (summed over the processes read, see heap-sum.ts). */
export interface HeapSample extends HeapFigures {
  /** opts.now() when the GC had finished. */
  t: number;
  /** opts.requests() at the same moment. */
  requests: number;
  /** The processes summed into this reading (startHeapSumSampler), ascending; [0] for a lone session. */
  pids?: number[];
}

/** The live-memory figure the gate reads: V8 heap in use plus external memory (Buffers count). */
export function liveBytes(s: Pick<HeapSample, 'usedSize' | 'external'>): number {
  return s.usedSize + s.external;
}

export interface NodeHeapSamplerOptions {
  /** Shortest time between the starts of two samples. Default 2000 ms. A sample never starts before the last one ended. */
  intervalMs?: number;
  /**
   * Most of the app's wall time the forced GCs may take (0.03 = 3%): after each sample the next waits at least
   * gcMs / budget, so a large heap is read less often. Default: no budget (intervalMs alone).
   */
  pauseBudget?: number;
  /** The clock samples are stamped with (e.g. ms since the load started). */
  now: () => number;
  /** Requests completed so far. */
  requests: () => number;
  /** Per protocol call. Default 30 s (a heap snapshot taken meanwhile delays the calls queued behind it). */
  callTimeoutMs?: number;
  /** Called with each sample as it is taken. */
  onSample?: (s: HeapSample) => void;
  logger?: Logger;
}

export interface NodeHeapSampler {
  /** Samples so far. */
  samples(): readonly HeapSample[];
  /** The forced GCs' pauses so far, and their share of the time sampled. */
  pauses(): GcPauseStats;
  /** Stops sampling, waits for a sample in flight, and returns all samples. */
  stop(): Promise<HeapSample[]>;
}

/** What the forced GCs cost the app. */
export interface GcPauseStats {
  count: number;
  totalMs: number;
  medianMs: number;
  maxMs: number;
  /** totalMs over the time from the first sample's start to the last one's end. */
  share: number;
  /** Median time between two samples' starts, ms. */
  medianIntervalMs: number;
}

/** The forced GCs' cost from the samples' pauses and start times. */
export function gcPauseStats(samples: readonly (Pick<HeapSample, 't' | 'gcMs'> & { gcMeasured?: boolean })[]): GcPauseStats {
  // The app's own measures where there are any (the round trips overstate the pause on a busy machine); every
  // forced GC paused the app, so the total scales the median measured pause to all of them.
  const measured = samples.filter((s) => s.gcMeasured);
  const pauses = (measured.length > 0 ? measured : samples).map((s) => s.gcMs).sort((a, b) => a - b);
  const mean = pauses.length > 0 ? pauses.reduce((a, b) => a + b, 0) / pauses.length : 0;
  const totalMs = mean * samples.length;
  const gaps = samples.slice(1).map((s, i) => s.t - samples[i]!.t).sort((a, b) => a - b);
  const span = samples.length > 1 ? samples.at(-1)!.t - samples[0]!.t + (samples[0]!.gcMs ?? 0) : 0;
  const mid = (xs: number[]): number => (xs.length === 0 ? 0 : xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2);
  return {
    count: samples.length,
    totalMs,
    medianMs: mid(pauses),
    maxMs: pauses.at(-1) ?? 0,
    share: span > 0 ? totalMs / span : 0,
    medianIntervalMs: mid(gaps),
  };
}

/**
 * One full GC, timed by the app itself, then its live memory, in one round trip. The app's own gc() is made once
 * with `v8.setFlagsFromString('--expose-gc')` and a gc function from a fresh vm context (the inspector's command
 * line API has `require`, in CommonJS and ESM apps alike), kept under a registry symbol: the app's globals are not
 * touched. A single full GC pauses a 10 MB Express heap for 9-18 ms, where HeapProfiler.collectGarbage (every
 * available garbage, several GCs in a row) took 35 ms and more, and the app's own clock is the true measure of the
 * pause (the round trip is mostly leakgate waiting for a core on a busy machine). Returns
 * [heapUsed, heapTotal, external, arrayBuffers, pauseMs]; external includes arrayBuffers, so every Buffer counts.
 */
const GC_AND_READ = `(() => {
  const k = Symbol.for('leakgate.gc');
  if (typeof globalThis[k] !== 'function') {
    require('v8').setFlagsFromString('--expose-gc');
    globalThis[k] = require('vm').runInNewContext('gc');
  }
  const t = performance.now();
  globalThis[k]();
  const pause = performance.now() - t;
  const m = process.memoryUsage();
  return [m.heapUsed, m.heapTotal, m.external, m.arrayBuffers, pause];
})()`;

/** Without the app's gc (an app whose context cannot evaluate it): its figures outside the V8 heap alone. */
const EXTERNAL_ONLY = '(() => { const m = process.memoryUsage(); return [m.external, m.arrayBuffers]; })()';

/** Failed samples in a row after which the sampler gives up on a process (it hangs or the protocol fails). */
const MAX_FAILURES_IN_A_ROW = 3;

/** One node process whose live memory joins the readings. */
export interface HeapSource {
  /** The process id (0 when unknown: a lone session). */
  pid: number;
  session: InspectorSession;
}

/** A sampler over several processes: each reading sums them (see heap-sum.ts). */
export interface HeapSumSampler extends NodeHeapSampler {
  /** Adds a process from the next reading on; a session already in is ignored. */
  add(source: HeapSource): void;
  /** Processes read now (not left, not given up on). */
  size(): number;
}

/**
 * Reads one process: its own forced GC and live memory (GC_AND_READ), or, once that cannot be made, the
 * inspector's collectGarbage then Runtime.getHeapUsage (and process.memoryUsage() for external memory while the
 * app's context can evaluate it).
 */
function processHeapReader(session: InspectorSession, callTimeoutMs: number, logger: Logger): () => Promise<HeapFigures> {
  let ownGc = true;
  // Once evaluating process.memoryUsage() fails (no process global: not Node's main context), use the heap alone.
  let canEvaluate = true;
  const evaluate = async (expression: string, includeCommandLineAPI: boolean): Promise<unknown[] | null> => {
    const r = await session.send<{ result?: { value?: unknown }; exceptionDetails?: unknown }>(
      'Runtime.evaluate',
      { expression, returnByValue: true, silent: true, includeCommandLineAPI },
      { timeoutMs: callTimeoutMs },
    );
    const v = r.result?.value;
    return !r.exceptionDetails && Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : null;
  };
  return async () => {
    if (ownGc) {
      const v = await evaluate(GC_AND_READ, true);
      if (v && v.length === 5) {
        const [usedSize, totalSize, external, arrayBuffers, gcMs] = v as [number, number, number, number, number];
        return { usedSize, totalSize, external, arrayBuffers, gcMs, gcMeasured: true };
      }
      ownGc = false;
      logger.debug("node heap: the app's own gc() could not be made; forcing GCs through the inspector instead");
    }
    const started = performance.now();
    await session.send('HeapProfiler.collectGarbage', {}, { timeoutMs: callTimeoutMs });
    const gcMs = performance.now() - started;
    const usage = await session.send<{ usedSize?: unknown; totalSize?: unknown }>('Runtime.getHeapUsage', {}, { timeoutMs: callTimeoutMs });
    if (typeof usage.usedSize !== 'number' || typeof usage.totalSize !== 'number') {
      throw new Error(`inspector Runtime.getHeapUsage: expected numbers usedSize and totalSize, got ${JSON.stringify(usage).slice(0, 200)}`);
    }
    let external = 0;
    let arrayBuffers = 0;
    if (canEvaluate) {
      const v = await evaluate(EXTERNAL_ONLY, false);
      if (v && v.length === 2) [external, arrayBuffers] = v as [number, number];
      else {
        canEvaluate = false;
        logger.warn("node heap: process.memoryUsage() could not be read in the app's context, so Buffers and other external memory are not in the live-memory signal (the V8 heap alone is)");
      }
    }
    return { usedSize: usage.usedSize, totalSize: usage.totalSize, external, arrayBuffers, gcMs, gcMeasured: false };
  };
}

/**
 * Samples one process's live memory every intervalMs (see startHeapSumSampler). The first sample is taken at once.
 * Stops by itself when the session closes (the app exited) or after 3 failures in a row, saying so once through
 * the logger.
 */
export function startNodeHeapSampler(session: InspectorSession, opts: NodeHeapSamplerOptions): NodeHeapSampler {
  return startHeapSumSampler([{ pid: 0, session }], opts);
}

/**
 * Samples the live memory of every source every intervalMs: each process's own forced GC and read, all in
 * parallel, summed into one HeapSample (the longest pause as gcMs, the pids summed as pids). The first sample is
 * taken at once. A process whose session closes leaves the sum from then on; one that fails 3 times in a row is
 * given up on (with a warning); a reading where a process failed with its session still open is dropped (a sum
 * without it would be a false dip). With `keepWhenEmpty` the sampler waits for sources added later when none is
 * left; without, it stops, saying so once through the logger.
 */
export function startHeapSumSampler(initial: readonly HeapSource[], opts: NodeHeapSamplerOptions & { keepWhenEmpty?: boolean }): HeapSumSampler {
  const intervalMs = Math.max(1, opts.intervalMs ?? 2000);
  const budget = opts.pauseBudget !== undefined && opts.pauseBudget > 0 ? opts.pauseBudget : null;
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;
  const logger = opts.logger ?? silentLogger;
  const samples: HeapSample[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;

  interface Member extends HeapSource {
    read: () => Promise<HeapFigures>;
    failures: number;
  }
  const members: Member[] = [];
  const add = (source: HeapSource): void => {
    if (members.some((m) => m.session === source.session)) return;
    members.push({ ...source, read: processHeapReader(source.session, callTimeoutMs, logger), failures: 0 });
  };
  initial.forEach(add);
  const drop = (m: Member): void => {
    const i = members.indexOf(m);
    if (i >= 0) members.splice(i, 1);
  };
  const of = (m: Member): string => (m.pid > 0 ? ` of pid ${m.pid}` : '');

  const sampleOnce = async (): Promise<void> => {
    const round = [...members];
    if (round.length === 0) return;
    const results = await Promise.allSettled(round.map((m) => m.read()));
    const t = opts.now();
    const requests = opts.requests();
    const readings: ProcessHeapReading[] = [];
    let failed = false;
    let gone: string | null = null;
    results.forEach((r, i) => {
      const m = round[i]!;
      if (r.status === 'fulfilled') {
        m.failures = 0;
        readings.push({ pid: m.pid, ...r.value });
        return;
      }
      if (m.session.isClosed()) {
        // The process exited (or its session closed): its memory is gone, it leaves the sum.
        drop(m);
        gone = errorMessage(r.reason);
        logger.debug(`heap reading${of(m)}: the session closed (${gone})`);
        return;
      }
      failed = true;
      m.failures++;
      logger.warn(`heap sample${of(m)} failed: ${errorMessage(r.reason)}`);
      if (m.failures >= MAX_FAILURES_IN_A_ROW) {
        drop(m);
        logger.warn(`heap sampling${of(m)} stopped after ${m.failures} failures in a row (${samples.length} samples kept)`);
      }
    });
    if (!failed && readings.length > 0) {
      const sum = sumHeapReadings(readings);
      const sample: HeapSample = { t, requests, ...sum };
      samples.push(sample);
      opts.onSample?.(sample);
    }
    if (members.length === 0 && !opts.keepWhenEmpty) {
      if (gone !== null) logger.warn(`heap sampling stopped after ${samples.length} samples: ${gone}`);
      stopped = true;
    }
  };

  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const started = performance.now();
    inFlight = sampleOnce().catch((err: unknown) => logger.warn(`heap sample failed: ${errorMessage(err)}`));
    void inFlight.then(() => {
      inFlight = null;
      if (stopped) return;
      const last = samples.at(-1);
      // The pause budget stretches the interval for a heap whose full GC is slow: gcMs / budget between starts.
      // A round trip is no measure of the pause (see GC_AND_READ): only the app's own measure stretches it.
      const spacing = budget !== null && last?.gcMeasured ? Math.max(intervalMs, last.gcMs / budget) : intervalMs;
      const wait = Math.max(0, spacing - (performance.now() - started));
      timer = setTimeout(tick, wait);
    });
  };
  tick();

  return {
    samples: () => samples,
    pauses: () => gcPauseStats(samples),
    add,
    size: () => members.length,
    async stop(): Promise<HeapSample[]> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (inFlight) await inFlight;
      return [...samples];
    },
  };
}

export interface TakeSnapshotOptions {
  /** For the whole snapshot. Default 120 s: a heap of a few hundred MB takes tens of seconds. */
  timeoutMs?: number;
}

export interface TakenHeapSnapshot {
  summary: HeapSnapshotSummary;
  /** The graph in typed arrays, for retainerPath(); drop it when only the summary is needed. */
  snapshot: HeapSnapshot;
  /** Characters of JSON the app sent. */
  chars: number;
  /** Time taken (the app is paused while V8 writes the snapshot), ms. */
  ms: number;
}

/**
 * Takes a heap snapshot (V8 runs a full GC first) and parses it chunk by chunk as it arrives:
 * the JSON text is never held whole. Costs the app a pause and, while it lasts, memory of the
 * order of the snapshot's size.
 */
export async function takeHeapSnapshot(session: InspectorSession, opts: TakeSnapshotOptions = {}): Promise<TakenHeapSnapshot> {
  const started = performance.now();
  const parser = new HeapSnapshotParser();
  let chars = 0;
  let parseError: unknown = null;
  const unsubscribe = session.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
    if (parseError !== null) return;
    const chunk = (params as { chunk?: unknown } | undefined)?.chunk;
    try {
      if (typeof chunk !== 'string') throw new Error(`heap snapshot: a HeapProfiler.addHeapSnapshotChunk event without a string chunk (after ${chars} characters)`);
      chars += chunk.length;
      parser.write(chunk);
    } catch (err) {
      parseError = err;
    }
  });
  try {
    await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, { timeoutMs: opts.timeoutMs ?? 120_000 });
  } finally {
    unsubscribe();
  }
  if (parseError !== null) throw parseError;
  const snapshot = parser.end();
  const summary = summarizeHeapSnapshot(snapshot, computeDominators(snapshot));
  return { summary, snapshot, chars, ms: performance.now() - started };
}
