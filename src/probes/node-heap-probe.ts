// The Node heap (runtime: node): the app is started with the inspector on a free loopback port (through
// NODE_OPTIONS, without changing the app); during the load the V8 heap used after a forced GC is read every few
// seconds and its slope per request reported (its noise is several times lower than anonymous RSS, but it misses
// Buffer contents, which live outside the V8 heap: the RSS verdict stays); with snapshots on, heap snapshots after
// warm-up, midway and at the end name the constructors whose count and retained size grew in both steps, with a
// retainer path for the top one. The inspector is closed before the app is stopped.
import { theilSen } from '../analyze/stats.js';
import type { Logger } from '../logger.js';
import { compareSnapshots, retainerPath, type HeapSnapshot, type HeapSnapshotSummary } from '../runtime/heap-snapshot.js';
import { startNodeHeapSampler, takeHeapSnapshot, type HeapSample, type NodeHeapSampler } from '../runtime/node-heap.js';
import { connectInspector, findAppInspector, inspectorEnv, type InspectorSession, type InspectorTarget } from '../runtime/node-inspector.js';
import type { RuntimeEvidence } from './evidence.js';
import type { TrialProbe } from './probe.js';

export interface NodeHeapProbeOptions {
  intervalMs: number;
  snapshots: boolean;
  top: number;
  logger: Logger;
}

export function createNodeHeapProbe(opts: NodeHeapProbeOptions): TrialProbe {
  let found: Promise<InspectorTarget> | null = null;
  let session: InspectorSession | null = null;
  let sampler: NodeHeapSampler | null = null;
  let connecting: Promise<void> = Promise.resolve();
  const timers: NodeJS.Timeout[] = [];
  const summaries: Array<HeapSnapshotSummary | null> = [null, null, null];
  let last: HeapSnapshot | null = null;
  let snapshotChain: Promise<void> = Promise.resolve();
  let samples: HeapSample[] = [];
  let note: string | undefined;

  const snapshot = (i: number): void => {
    snapshotChain = snapshotChain.then(async () => {
      if (!session || session.isClosed()) return;
      const taken = await takeHeapSnapshot(session);
      summaries[i] = taken.summary;
      if (i === 2) last = taken.snapshot;
      opts.logger.debug(`node heap snapshot ${i + 1}/3: ${taken.chars} characters in ${Math.round(taken.ms)} ms`);
    }).catch((e) => {
      note = `heap snapshot ${i + 1} failed: ${(e as Error).message}`;
    });
  };

  return {
    name: 'node-heap',
    prepare(spec) {
      return { ...spec, env: { ...spec.env, ...inspectorEnv(spec.env.NODE_OPTIONS ?? process.env.NODE_OPTIONS, opts.logger) } };
    },
    started(target) {
      found = findAppInspector({ onLine: (cb) => target.onLine(cb), lines: target.tail(), exited: target.exited, logger: opts.logger });
      found.catch(() => undefined);
    },
    loadStarted(target, ctx) {
      connecting = (async () => {
        const t = await found!;
        session = await connectInspector(t.wsUrl, { onLine: (cb) => target.onLine(cb), logger: opts.logger });
        sampler = startNodeHeapSampler(session, { intervalMs: opts.intervalMs, now: ctx.now, requests: ctx.requests, logger: opts.logger });
        if (opts.snapshots) {
          const warm = ctx.warmupFraction * ctx.loadDurationMs;
          const mid = warm + (ctx.loadDurationMs - warm) / 2;
          for (const [i, at] of [warm, mid].entries()) {
            const timer = setTimeout(() => snapshot(i), at);
            timer.unref();
            timers.push(timer);
          }
        }
      })().catch((e) => {
        note = `the Node inspector was not reachable: ${(e as Error).message}`;
        opts.logger.warn(`runtime node: ${note}`);
      });
    },
    async loadEnded() {
      for (const t of timers) clearTimeout(t);
      await connecting;
      if (opts.snapshots && summaries[0] && summaries[1]) snapshot(2);
      await snapshotChain;
      if (sampler) samples = await sampler.stop();
      session?.close();
    },
    async finish(_exit, ctx) {
      const evidence: RuntimeEvidence = { kind: 'node', growing: [], ...(note ? { note } : {}) };
      if (samples.length > 0) {
        evidence.heapSeries = samples.map((s) => ({ t: Math.round(s.t), requests: s.requests, usedBytes: s.usedSize }));
        const after = samples.filter((s) => s.requests >= ctx.warmupFraction * (samples.at(-1)?.requests ?? 0));
        if (after.length >= 3 && after.at(-1)!.requests > after[0]!.requests) {
          evidence.heapBytesPerRequest = theilSen(after.map((s) => s.requests), after.map((s) => s.usedSize), 0.95).slope;
        }
      }
      const [a, b, c] = summaries;
      if (a && b && c) {
        const growing = compareSnapshots(a, b, c).slice(0, opts.top);
        evidence.growing = growing.map((g) => ({
          name: g.name,
          countDelta: g.countGrowth,
          bytesDelta: g.retainedGrowth,
          bytesEnd: g.retainedSizes[2],
          detail: `${g.counts.join(' → ')} instances, ~${Math.round(g.bytesPerInstance)} B each`,
        }));
        if (growing[0] && last) {
          const path = retainerPath(last, growing[0].name);
          if (path) evidence.path = path.text;
        }
      }
      return { runtime: evidence };
    },
    async dispose() {
      for (const t of timers) clearTimeout(t);
      session?.close();
    },
  };
}
