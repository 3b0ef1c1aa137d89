// The library API's flakiness guard: measureLeak with its defaults over many clean functions (allocation-heavy with
// no retention, caches that fill and plateau, closures created and dropped, async calls, buffers), where any 'leak' is
// a false positive, and over functions that retain 16, 64 and 256 bytes per iteration, where it must say 'leak'. One
// process runs them all one after another, as a test file would. Targets: false positives <= 1%, detection >= 95% at
// 64 B/iteration within 5 s per test.
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measureLeak, type LeakResult } from '../src/lib/measure-leak.js';
import { leaker } from '../test/support/leaker.js';

export interface LibraryCase {
  name: string;
  /** Bytes retained per iteration; 0 for a clean function. */
  leakBytes: number;
  runs: number;
  leaks: number;
  inconclusive: number;
  medianSlope: number;
  medianMs: number;
  maxMs: number;
}

export interface LibraryBench {
  gc: string;
  cases: LibraryCase[];
  cleanRuns: number;
  falsePositives: number;
  falsePositiveRate: number;
  detection: Record<number, number>;
  /** The slowest 64 B/iteration test, ms. */
  maxMs64: number;
}

/** A fresh clean function of each kind per run, so caches start empty and fill during the run. */
const CLEAN: Record<string, () => () => unknown> = {
  'allocation-heavy': () => () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', 'b'] }));
    return JSON.parse(JSON.stringify(rows)).length;
  },
  'cache fills and plateaus': () => {
    const cache = new Map<string, { value: string }>();
    let k = 0;
    return () => {
      const key = `k${k++ % 5000}`;
      let v = cache.get(key);
      if (v === undefined) cache.set(key, (v = { value: key.repeat(3) }));
      return v.value.length;
    };
  },
  'closures created and dropped': () => () => {
    const handlers = Array.from({ length: 20 }, (_, i) => (x: number) => x + i);
    return handlers.reduce((acc, h) => h(acc), 0);
  },
  'async with timers': () => async () => {
    await new Promise((res) => setImmediate(res));
    return Buffer.alloc(256).length;
  },
  'HTTP request over keep-alive': () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    return () =>
      new Promise<void>((resolve, reject) => {
        request({ host: '127.0.0.1', port: httpPort, agent, path: '/' }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
  },
  'buffers and typed arrays': () => () => {
    const b = Buffer.allocUnsafe(4096);
    const f = new Float64Array(128);
    return b.length + f.length;
  },
};

let httpPort = 0;

/** A loopback server for the HTTP case, in this process as an in-process route test would have it. */
async function startServer(): Promise<Server> {
  const server = createServer((_req, res) => res.end(JSON.stringify({ ok: true })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpPort = (server.address() as AddressInfo).port;
  return server;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function runLibraryBench(opts: { cleanRunsPerKind: number; leakRuns: number; onRun?: (name: string, r: LeakResult) => void }): Promise<LibraryBench> {
  const cases: LibraryCase[] = [];
  let gc = '';
  const run = async (name: string, leakBytes: number, runs: number, make: () => () => unknown): Promise<void> => {
    const results: LeakResult[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await measureLeak(make());
      gc = r.gc;
      results.push(r);
      opts.onRun?.(name, r);
    }
    cases.push({
      name,
      leakBytes,
      runs,
      leaks: results.filter((r) => r.verdict === 'leak').length,
      inconclusive: results.filter((r) => r.verdict === 'inconclusive').length,
      medianSlope: median(results.map((r) => r.bytesPerIteration)),
      medianMs: median(results.map((r) => r.elapsedMs)),
      maxMs: Math.max(...results.map((r) => r.elapsedMs)),
    });
  };
  const server = await startServer();
  try {
    for (const [name, make] of Object.entries(CLEAN)) await run(name, 0, opts.cleanRunsPerKind, make);
  } finally {
    server.closeAllConnections();
    server.close();
  }
  for (const bytes of [16, 64, 256]) {
    await run(`leaks ${bytes} B/iteration`, bytes, opts.leakRuns, () => leaker(bytes));
  }
  const clean = cases.filter((c) => c.leakBytes === 0);
  const cleanRuns = clean.reduce((a, c) => a + c.runs, 0);
  const falsePositives = clean.reduce((a, c) => a + c.leaks, 0);
  const detection: Record<number, number> = {};
  for (const c of cases.filter((c) => c.leakBytes > 0)) detection[c.leakBytes] = c.leaks / c.runs;
  const c64 = cases.find((c) => c.leakBytes === 64)!;
  return { gc, cases, cleanRuns, falsePositives, falsePositiveRate: falsePositives / cleanRuns, detection, maxMs64: c64.maxMs };
}

export function formatLibraryBench(b: LibraryBench): string {
  const rows = b.cases.map((c) => [
    c.name,
    String(c.runs),
    c.leakBytes === 0 ? `${c.leaks} false positive(s)` : `${c.leaks}/${c.runs} detected`,
    String(c.inconclusive),
    c.medianSlope.toFixed(1),
    `${Math.round(c.medianMs)} / ${Math.round(c.maxMs)}`,
  ]);
  const widths = [0, 1, 2, 3, 4, 5].map((i) => Math.max(...[['case', 'runs', 'verdicts', 'inconclusive', 'median B/iter', 'ms median / max'][i]!.length, ...rows.map((r) => r[i]!.length)]));
  const line = (r: string[]): string => r.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  return [
    line(['case', 'runs', 'verdicts', 'inconclusive', 'median B/iter', 'ms median / max']),
    ...rows.map(line),
    '',
    `GC through ${b.gc}; defaults of measureLeak (300 ms warm-up, 1.5 s, 30 points, floor 8 B/iteration)`,
    `false positives: ${b.falsePositives}/${b.cleanRuns} = ${(b.falsePositiveRate * 100).toFixed(1)}% (target <= 1%): ${b.falsePositiveRate <= 0.01 ? 'PASS' : 'MISS'}`,
    `detection at 64 B/iteration: ${((b.detection[64] ?? 0) * 100).toFixed(0)}%, slowest test ${Math.round(b.maxMs64)} ms (target >= 95% within 5 s): ${(b.detection[64] ?? 0) >= 0.95 && b.maxMs64 <= 5000 ? 'PASS' : 'MISS'}`,
    `detection at 16 / 256 B/iteration: ${((b.detection[16] ?? 0) * 100).toFixed(0)}% / ${((b.detection[256] ?? 0) * 100).toFixed(0)}%`,
  ].join('\n');
}
