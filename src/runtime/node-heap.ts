// Node heap mode over an inspector session: the V8 heap used after a forced full GC, sampled at an
// interval against the request count (far less noisy than RSS), and heap snapshots streamed
// straight into the compact parser and summarised.
import { errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { HeapSnapshotParser, computeDominators, summarizeHeapSnapshot, type HeapSnapshot, type HeapSnapshotSummary } from './heap-snapshot.js';
import type { InspectorSession } from './node-inspector.js';

/** One heap reading, taken right after a forced full GC. */
export interface HeapSample {
  /** opts.now() when the GC had finished. */
  t: number;
  /** opts.requests() at the same moment. */
  requests: number;
  /** V8 heap in use by live objects, bytes (Runtime.getHeapUsage usedSize). */
  usedSize: number;
  /** V8 heap reserved, bytes (totalSize). */
  totalSize: number;
  /** How long the forced GC took, round trip included, ms: the pause the app saw. */
  gcMs: number;
}

export interface NodeHeapSamplerOptions {
  /** Between the starts of two samples. Default 2000 ms. A sample never starts before the last one ended. */
  intervalMs?: number;
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
  /** Stops sampling, waits for a sample in flight, and returns all samples. */
  stop(): Promise<HeapSample[]>;
}

/** Failed samples in a row after which the sampler gives up (the app hangs or the protocol fails). */
const MAX_FAILURES_IN_A_ROW = 3;

/**
 * Samples the heap every intervalMs: HeapProfiler.collectGarbage, then Runtime.getHeapUsage. The
 * first sample is taken at once. Stops by itself when the session closes (the app exited) or
 * after 3 failures in a row, saying so once through the logger.
 */
export function startNodeHeapSampler(session: InspectorSession, opts: NodeHeapSamplerOptions): NodeHeapSampler {
  const intervalMs = Math.max(1, opts.intervalMs ?? 2000);
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;
  const logger = opts.logger ?? silentLogger;
  const samples: HeapSample[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;
  let failures = 0;

  const sampleOnce = async (): Promise<void> => {
    const started = performance.now();
    await session.send('HeapProfiler.collectGarbage', {}, { timeoutMs: callTimeoutMs });
    const gcMs = performance.now() - started;
    const t = opts.now();
    const requests = opts.requests();
    const usage = await session.send<{ usedSize?: unknown; totalSize?: unknown }>('Runtime.getHeapUsage', {}, { timeoutMs: callTimeoutMs });
    if (typeof usage.usedSize !== 'number' || typeof usage.totalSize !== 'number') {
      throw new Error(`inspector Runtime.getHeapUsage: expected numbers usedSize and totalSize, got ${JSON.stringify(usage).slice(0, 200)}`);
    }
    const sample: HeapSample = { t, requests, usedSize: usage.usedSize, totalSize: usage.totalSize, gcMs };
    samples.push(sample);
    opts.onSample?.(sample);
  };

  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const started = performance.now();
    inFlight = sampleOnce().then(
      () => {
        failures = 0;
      },
      (err: unknown) => {
        if (session.isClosed()) {
          if (!stopped) logger.warn(`heap sampling stopped after ${samples.length} samples: ${errorMessage(err)}`);
          stopped = true;
          return;
        }
        failures++;
        logger.warn(`heap sample failed: ${errorMessage(err)}`);
        if (failures >= MAX_FAILURES_IN_A_ROW) {
          logger.warn(`heap sampling stopped after ${failures} failures in a row (${samples.length} samples kept)`);
          stopped = true;
        }
      },
    );
    void inFlight.then(() => {
      inFlight = null;
      if (stopped) return;
      const wait = Math.max(0, intervalMs - (performance.now() - started));
      timer = setTimeout(tick, wait);
    });
  };
  tick();

  return {
    samples: () => samples,
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
