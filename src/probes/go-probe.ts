// The Go heap (runtime: go) through the app's net/http/pprof: during the load, every runtime.interval, the heap
// profile after a forced GC (/debug/pprof/heap?gc=1&debug=1) and the goroutine profile (debug=1) are read. The heap
// series is Go's memory in use after GC, heap objects plus goroutine stacks (MemStats HeapAlloc + StackInuse, exact,
// not sampled), on the same shape as the Node heap series, so the gate analyses it as metric 'heap'; the goroutine
// count is a second series. The first profiles after warm-up are diffed against the last by site: the allocation
// sites whose in-use bytes grew, and the stacks where goroutines piled up.
import { theilSen } from '../analyze/stats.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { describeFrame } from '../native/fingerprint.js';
import { fingerprintFrames, growingSites, parseGoroutineProfile, parsePprofHeap, type GoroutineProfile, type HeapProfile } from '../native/heap-profile.js';
import type { RuntimeEvidence } from './evidence.js';
import type { TrialProbe } from './probe.js';

export interface GoProbeOptions {
  /** net/http/pprof's base URL, e.g. http://127.0.0.1:6060/debug/pprof. */
  baseUrl: string;
  intervalMs: number;
  top: number;
  logger: Logger;
}

/** runtime.pprof-url, else /debug/pprof on the port app.ready waits for (ready.port, or ready.url's). */
export function goPprofUrl(config: Pick<Config, 'runtime' | 'app'>): string | null {
  if (config.runtime.pprofUrl) return config.runtime.pprofUrl;
  const r = config.app.ready;
  let port = r.port;
  if (port === undefined && r.url) {
    const u = new URL(r.url);
    port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  }
  return port === undefined ? null : `http://127.0.0.1:${port}/debug/pprof`;
}

interface Reading {
  t: number;
  requests: number;
  heap: HeapProfile;
  goroutines: GoroutineProfile;
}

/** Go's memory in use after GC: heap objects plus goroutine stacks (a leaked goroutine's cost is mostly its stack). */
export function goInUseBytes(heap: HeapProfile): number {
  const m = heap.memStats ?? {};
  return (m.HeapAlloc ?? heap.inuseBytes) + (m.StackInuse ?? 0);
}

/** Goroutine stacks whose count grew from the first profile to the last, most first, by fingerprint of their frames. */
export function growingGoroutines(first: GoroutineProfile, last: GoroutineProfile): Array<{ label: string; fingerprint: string; from: number; to: number; stack: string[] }> {
  const count = (p: GoroutineProfile) => {
    const out = new Map<string, { label: string; n: number; stack: string[] }>();
    for (const s of p.stacks) {
      const f = fingerprintFrames('goroutines', s.frames);
      const e = out.get(f.fingerprint) ?? { label: f.label, n: 0, stack: f.top.map(describeFrame) };
      e.n += s.count;
      out.set(f.fingerprint, e);
    }
    return out;
  };
  const a = count(first);
  const b = count(last);
  return [...b]
    .map(([fingerprint, e]) => ({ fingerprint, label: e.label, from: a.get(fingerprint)?.n ?? 0, to: e.n, stack: e.stack }))
    .filter((g) => g.to > g.from && g.stack.length > 0)
    .sort((x, y) => y.to - y.from - (x.to - x.from));
}

export function createGoProbe(opts: GoProbeOptions): TrialProbe {
  const readings: Array<{ t: number; requests: number; usedBytes: number; goroutines: number }> = [];
  let firstAfterWarmup: Reading | null = null;
  let latest: Reading | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const failures: string[] = [];

  const get = async (path: string): Promise<string> => {
    const res = await fetch(`${opts.baseUrl}/${path}`, { signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${opts.baseUrl}/${path}: HTTP ${res.status} ${text.slice(0, 100)}`);
    return text;
  };

  return {
    name: 'go-pprof',
    loadStarted(_t, ctx) {
      const start = ctx.now();
      const warmupEnd = ctx.warmupFraction * ctx.loadDurationMs;
      const read = async (): Promise<void> => {
        try {
          const heapText = await get('heap?gc=1&debug=1');
          const requests = ctx.requests();
          const t = ctx.now() - start;
          const goroutineText = await get('goroutine?debug=1');
          const r: Reading = { t, requests, heap: parsePprofHeap(heapText, `${opts.baseUrl}/heap`), goroutines: parseGoroutineProfile(goroutineText, `${opts.baseUrl}/goroutine`) };
          readings.push({ t: Math.round(t), requests, usedBytes: goInUseBytes(r.heap), goroutines: r.goroutines.total });
          if (firstAfterWarmup === null && t >= warmupEnd) firstAfterWarmup = r;
          latest = r;
        } catch (e) {
          failures.push((e as Error).message);
          opts.logger.debug(`runtime go: ${(e as Error).message}`);
        }
      };
      const tick = (): void => {
        running = read().then(() => {
          if (stopped) return;
          timer = setTimeout(tick, opts.intervalMs);
          timer.unref();
        });
      };
      tick();
    },
    async loadEnded() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    async finish(_exit, ctx) {
      const notes: string[] = [];
      if (failures.length > 0) notes.push(`${failures.length} read(s) of ${opts.baseUrl} failed (is net/http/pprof imported and served there? set runtime.pprof-url): ${failures[0]}`);
      const evidence: RuntimeEvidence = { kind: 'go', growing: [] };
      if (readings.length > 0) {
        evidence.heapSeries = readings.map((r) => ({ t: r.t, requests: r.requests, usedBytes: r.usedBytes }));
        evidence.goroutineSeries = readings.map((r) => ({ t: r.t, requests: r.requests, count: r.goroutines }));
        const after = readings.filter((r) => r.requests >= ctx.warmupFraction * (readings.at(-1)?.requests ?? 0));
        if (after.length >= 3 && after.at(-1)!.requests > after[0]!.requests) {
          const x = after.map((r) => r.requests);
          evidence.heapBytesPerRequest = theilSen(x, after.map((r) => r.usedBytes), 0.95).slope;
          evidence.goroutinesPerRequest = theilSen(x, after.map((r) => r.goroutines), 0.95).slope;
        }
      }
      const first = firstAfterWarmup as Reading | null;
      const last = latest as Reading | null;
      if (first && last && last !== first) {
        const requests = last.requests - first.requests;
        const stacks = (p: HeapProfile) => p.stacks.map((s) => ({ frames: s.frames, objects: s.inuseObjects, bytes: s.inuseBytes }));
        const sites = growingSites({ first: stacks(first.heap), last: stacks(last.heap), requests, kind: 'growing' });
        const goroutines = growingGoroutines(first.goroutines, last.goroutines);
        const stackBytes = (last.heap.memStats?.StackInuse ?? 0) - (first.heap.memStats?.StackInuse ?? 0);
        const extra = goroutines.reduce((n, g) => n + g.to - g.from, 0);
        const rows = [
          ...goroutines.map((g) => ({
            name: g.label,
            countDelta: g.to - g.from,
            bytesDelta: extra > 0 && stackBytes > 0 ? Math.round((stackBytes * (g.to - g.from)) / extra) : 0,
            detail: `${g.from} → ${g.to} goroutines${requests > 0 ? `, ${((g.to - g.from) / requests).toFixed(3)} per request` : ''}; stack: ${g.stack.join(' <- ')}`,
          })),
          ...sites.map((s) => ({
            name: s.label,
            countDelta: s.objectsIncrease,
            bytesDelta: s.bytesIncrease,
            bytesEnd: s.bytes,
            detail: `${s.bytesPerRequest !== undefined ? `${Math.round(s.bytesPerRequest)} B/req; ` : ''}stack: ${s.stack.slice(0, 6).map(describeFrame).join(' <- ')}`,
          })),
        ];
        evidence.growing = rows.sort((a, b) => b.bytesDelta - a.bytesDelta).slice(0, opts.top);
        if (evidence.growing[0]) evidence.path = evidence.growing[0].detail;
      } else if (readings.length > 0) {
        notes.push('fewer than two pprof readings after warm-up, so no sites were compared');
      }
      if (notes.length > 0) evidence.note = notes.join('; ');
      return { runtime: evidence };
    },
    async dispose() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
