// The Node heap (runtime: node): the app is started with the inspector on a free loopback port (through
// NODE_OPTIONS, without changing the app), which every node process of its tree inherits; during the load the live
// memory after a forced GC (V8 heap used plus external: Buffers count) of every non-wrapper node process (cluster
// workers, forked children; at most 32) is read every few seconds, summed, and its slope per request reported;
// with snapshots on, heap snapshots of the first app process after warm-up, midway and at the end name the
// constructors whose count and retained size grew in both steps, with a retainer path for the top one. Heap readings and snapshot times count from the load's start, like the memory
// samples. The inspector is closed before the app is stopped.
import { theilSen } from '../analyze/stats.js';
import type { Logger } from '../core/logger.js';
import type { HeapSnapshot } from '../runtime/heap-snapshot.js';
import { compareSnapshots, type HeapSnapshotSummary } from '../runtime/heap-summary.js';
import { retainerPath } from '../runtime/retainer-path.js';
import { heapMembership } from '../runtime/heap-sum.js';
import { gcPauseStats, liveBytes, startHeapSumSampler, takeHeapSnapshot, type HeapSample, type HeapSource, type HeapSumSampler } from '../runtime/node-heap.js';
import { withClusterPreload } from '../runtime/cluster-preload.js';
import { connectInspector, findAppInspector, inspectedPid, inspectorEnv, type InspectorSession, type InspectorTarget } from '../runtime/node-inspector.js';
import type { RuntimeEvidence } from './evidence.js';
import type { TrialProbe } from './probe.js';

export interface NodeHeapProbeOptions {
  intervalMs: number;
  /** Most of the app's wall time the forced GCs may take (see startNodeHeapSampler). */
  pauseBudget?: number;
  snapshots: boolean;
  top: number;
  logger: Logger;
}

/** When the first two snapshots are due, ms after the load starts: at the end of warm-up, and midway through the rest. */
export function snapshotTimes(warmupFraction: number, loadDurationMs: number): [number, number] {
  const warm = Math.max(0, warmupFraction * loadDurationMs);
  return [warm, warm + (loadDurationMs - warm) / 2];
}

const SNAPSHOT_NAMES = ['after warm-up', 'midway', 'at the end'] as const;

/** Three heap snapshots of one load: the first two on timers, the last when the load ends. */
export interface SnapshotSeries<T> {
  /** Schedules the first two; `elapsedMs` is how long the load has already run (the inspector connects late). */
  start(elapsedMs: number): void;
  /**
   * At load end: cancels a snapshot not started yet, waits for one in progress, then takes the end one when the
   * first two were taken (a comparison needs all three). Returns the snapshots (null where not taken) and, when
   * fewer than three were taken, a note saying which are missing and why.
   */
  end(): Promise<{ taken: Array<T | null>; note?: string }>;
  /** Drops timers not fired yet. */
  cancel(): void;
}

export function createSnapshotSeries<T>(times: readonly [number, number], take: (i: number) => Promise<T>): SnapshotSeries<T> {
  const taken: Array<T | null> = [null, null, null];
  const why: string[] = [];
  const timers: NodeJS.Timeout[] = [];
  let chain: Promise<void> = Promise.resolve();
  let fired = 0;
  let started = false;
  const snapshot = (i: number): void => {
    fired = Math.max(fired, i + 1);
    // One at a time: two snapshots at once would double the app's pause and memory.
    chain = chain.then(async () => {
      try {
        taken[i] = await take(i);
      } catch (e) {
        why.push(`snapshot ${i + 1} (${SNAPSHOT_NAMES[i]}) failed: ${(e as Error).message}`);
      }
    });
  };
  const cancel = (): void => {
    for (const t of timers.splice(0)) clearTimeout(t);
  };
  return {
    start(elapsedMs) {
      started = true;
      times.forEach((at, i) => {
        const timer = setTimeout(() => snapshot(i), Math.max(0, at - elapsedMs));
        timer.unref();
        timers.push(timer);
      });
    },
    async end() {
      cancel();
      if (!started) why.push('the snapshots were never scheduled (the inspector did not connect)');
      else for (let i = fired; i < 2; i++) why.push(`snapshot ${i + 1} (${SNAPSHOT_NAMES[i]}, due ${Math.round(times[i]!)} ms into the load) was not taken: the load ended first`);
      // The midway snapshot may still be running: only once it is done is it known whether the end one is worth taking.
      await chain;
      if (taken[0] !== null && taken[1] !== null) {
        snapshot(2);
        await chain;
      } else {
        why.push('the end snapshot was not taken, as a comparison needs the first two');
      }
      const count = taken.filter((t) => t !== null).length;
      return count === 3 ? { taken } : { taken, note: `${count} of 3 heap snapshots taken, so no growing constructors: ${why.join('; ')}` };
    },
    cancel,
  };
}

/** A snapshot's summary, and its graph for the end one only (a retainer path needs it; the others would only hold memory). */
interface Shot {
  summary: HeapSnapshotSummary;
  snapshot: HeapSnapshot | null;
}

/** Most node processes whose heaps one reading sums. */
export const MAX_HEAP_PROCESSES = 32;

/** The line node prints when a process cannot open its inspector (a cluster worker's port taken, say). */
const INSPECTOR_FAILED = /^Starting inspector on \S+ failed/;

export function createNodeHeapProbe(opts: NodeHeapProbeOptions): TrialProbe {
  let found: Promise<InspectorTarget> | null = null;
  // Every non-wrapper node process of the tree that printed an inspector URL, in the order printed; once the load
  // has started, each one is joined as it comes.
  const targets: InspectorTarget[] = [];
  let onTarget: ((t: InspectorTarget) => void) | null = null;
  const watching = new AbortController();
  const inspectorFailures: string[] = [];
  let stopFailureWatch: (() => void) | undefined;
  // The first app process: snapshots are taken there.
  let session: InspectorSession | null = null;
  const sessions: InspectorSession[] = [];
  let sampler: HeapSumSampler | null = null;
  let connecting: Promise<void> = Promise.resolve();
  let series: SnapshotSeries<Shot> | null = null;
  let taken: Array<Shot | null> = [null, null, null];
  let samples: HeapSample[] = [];
  const notes: string[] = [];
  const closeAll = (): void => {
    watching.abort();
    stopFailureWatch?.();
    for (const s of sessions) void s.close();
  };

  const take = async (i: number): Promise<Shot> => {
    if (!session || session.isClosed()) throw new Error('the inspector session is closed (did the app exit?)');
    const shot = await takeHeapSnapshot(session);
    opts.logger.debug(`node heap snapshot ${i + 1}/3: ${shot.chars} characters in ${Math.round(shot.ms)} ms`);
    // Only the end snapshot's graph is kept (for the retainer path); the others' summaries suffice.
    return { summary: shot.summary, snapshot: i === 2 ? shot.snapshot : null };
  };

  return {
    name: 'node-heap',
    prepare(spec) {
      const env = inspectorEnv(spec.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS, opts.logger);
      return { ...spec, env: { ...spec.env, NODE_OPTIONS: withClusterPreload(env.NODE_OPTIONS ?? '') } };
    },
    started(target) {
      const failed = (line: string): void => {
        if (INSPECTOR_FAILED.test(line.trim())) inspectorFailures.push(line.trim());
      };
      stopFailureWatch = target.onLine(failed);
      target.tail().forEach(failed);
      const each = (t: InspectorTarget): void => {
        targets.push(t);
        onTarget?.(t);
      };
      found = findAppInspector({ onLine: (cb) => target.onLine(cb), lines: target.tail(), exited: target.exited, each, signal: watching.signal, logger: opts.logger });
      found.catch(() => undefined);
    },
    loadStarted(_target, ctx) {
      // The load's t = 0: heap readings and snapshot times count from here, as the memory samples do, not from
      // whenever the inspector connects (and not in leakgate's own clock).
      const loadStart = ctx.now();
      const sinceLoadStart = (): number => ctx.now() - loadStart;
      if (opts.snapshots) series = createSnapshotSeries(snapshotTimes(ctx.warmupFraction, ctx.loadDurationMs), take);
      const byUrl = new Map<string, Promise<HeapSource>>();
      const ready: HeapSource[] = [];
      const join = (t: InspectorTarget): void => {
        if (byUrl.has(t.wsUrl)) return;
        if (byUrl.size >= MAX_HEAP_PROCESSES) {
          if (byUrl.size === MAX_HEAP_PROCESSES) notes.push(`more than ${MAX_HEAP_PROCESSES} node processes: the heap reading sums the first ${MAX_HEAP_PROCESSES}`);
          byUrl.set(t.wsUrl, Promise.reject(new Error('over the cap')));
          byUrl.get(t.wsUrl)!.catch(() => undefined);
          return;
        }
        const joined = (async () => {
          const s = await connectInspector(t.wsUrl, { closeWhenWaiting: true, logger: opts.logger });
          sessions.push(s);
          if (watching.signal.aborted) void s.close(); // joined as the load ended
          const source = { pid: await inspectedPid(s, t.title), session: s };
          if (sampler) sampler.add(source);
          else ready.push(source);
          return source;
        })();
        joined.catch((e: unknown) => opts.logger.debug(`node heap: ${t.title} at ${t.wsUrl} did not join the heap reading: ${(e as Error).message}`));
        byUrl.set(t.wsUrl, joined);
      };
      onTarget = join;
      targets.forEach(join);
      connecting = (async () => {
        const first = await found!;
        // The processes known by now are all in the first reading; later ones join from their first.
        await Promise.allSettled([...byUrl.values()]);
        session = (await byUrl.get(first.wsUrl)!).session;
        sampler = startHeapSumSampler(ready, { intervalMs: opts.intervalMs, ...(opts.pauseBudget !== undefined ? { pauseBudget: opts.pauseBudget } : {}), now: sinceLoadStart, requests: ctx.requests, logger: opts.logger });
        series?.start(sinceLoadStart());
      })().catch((e) => {
        notes.push(`the Node inspector was not reachable: ${(e as Error).message}`);
        opts.logger.warn(`runtime node: ${notes.at(-1)}`);
      });
    },
    peekEvidence() {
      const now = sampler?.samples() ?? [];
      if (now.length === 0) return {};
      return { runtime: { kind: 'node', growing: [], heapSeries: now.map((s) => ({ t: Math.round(s.t), requests: s.requests, usedBytes: liveBytes(s), ...processCount(s) })) } };
    },
    async loadEnded() {
      await connecting;
      if (series) {
        const result = await series.end();
        taken = result.taken;
        if (result.note) notes.push(result.note);
      }
      if (sampler) samples = await sampler.stop();
      closeAll();
    },
    async finish(_exit, ctx) {
      const warmupRequests = ctx.warmupFraction * (samples.at(-1)?.requests ?? 0);
      const all = [...heapMembership(samples, warmupRequests).notes, ...notes];
      if (inspectorFailures.length > 0) {
        all.push(`${inspectorFailures.length} node process(es) could not open an inspector, so their heap is not in the reading (${inspectorFailures.join('; ')})`);
      }
      const evidence: RuntimeEvidence = { kind: 'node', growing: [], ...(all.length > 0 ? { note: all.join('; ') } : {}) };
      if (samples.length > 0) {
        evidence.heapSeries = samples.map((s) => ({ t: Math.round(s.t), requests: s.requests, usedBytes: liveBytes(s), v8HeapBytes: s.usedSize, externalBytes: s.external, ...processCount(s) }));
        evidence.gcPauses = gcPauseStats(samples);
        const after = samples.filter((s) => s.requests >= warmupRequests);
        if (after.length >= 3 && after.at(-1)!.requests > after[0]!.requests) {
          evidence.heapBytesPerRequest = theilSen(after.map((s) => s.requests), after.map(liveBytes), 0.95).slope;
        }
      }
      const [a, b, c] = taken;
      if (a && b && c) {
        const growing = compareSnapshots(a.summary, b.summary, c.summary).slice(0, opts.top);
        evidence.growing = growing.map((g) => ({
          name: g.name,
          countDelta: g.countGrowth,
          bytesDelta: g.retainedGrowth,
          bytesEnd: g.retainedSizes[2],
          detail: `${g.counts.join(' → ')} instances, ~${Math.round(g.bytesPerInstance)} B each`,
        }));
        if (growing[0] && c.snapshot) {
          const path = retainerPath(c.snapshot, growing[0].name);
          if (path) evidence.path = path.text;
        }
      }
      return { runtime: evidence };
    },
    async dispose() {
      series?.cancel();
      closeAll();
    },
  };
}

/** How many processes a reading summed, for the evidence's heap series. */
function processCount(s: HeapSample): { processes?: number } {
  return s.pids ? { processes: s.pids.length } : {};
}
