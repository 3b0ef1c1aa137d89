// The autocannon driver's request mixes, {id} substitution, constant rate, warm-up and pipelining,
// against a real HTTP server in this process that records every request it answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { LatencyHistogram, startAutocannon, type AutocannonLoadOptions } from '../../src/load/autocannon-driver.js';
import { ConfigError } from '../../src/core/errors.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  id: string | undefined;
  /** Which connection it came on (numbered in order of first request). */
  socket: number;
  /** ms since the server started. */
  t: number;
}

async function withServer(fn: (url: string, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const sockets = new WeakMap<object, number>();
  let nextSocket = 0;
  const t0 = performance.now();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, nextSocket++);
      const id = req.headers['x-id'];
      seen.push({ method: req.method!, url: req.url!, body, id: typeof id === 'string' ? id : undefined, socket: sockets.get(req.socket)!, t: performance.now() - t0 });
      res.statusCode = req.url === '/fail' ? 503 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    await fn(`http://127.0.0.1:${port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const base = (url: string): AutocannonLoadOptions => ({ url: `${url}/`, durationMs: 10_000, connections: 4, pipelining: 1, timeoutMs: 5000, requests: [] });

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

test('weights 3:1 interleave A A B A on every connection and split the requests exactly 75/25', async () => {
  await withServer(async (url, seen) => {
    const run = startAutocannon({
      ...base(url),
      amount: 800,
      mode: 'mix',
      requests: [
        { method: 'GET', path: '/a', headers: {}, weight: 3 },
        { method: 'GET', path: '/b', headers: {}, weight: 1 },
      ],
    });
    const result = await run.done;
    assert.equal(result.requests, 800);
    assert.equal(seen.length, 800);
    const byPath = countBy(seen, (s) => s.url);
    // 4 connections x 200 requests = 50 whole cycles each: the split is exact.
    assert.equal(byPath.get('/a'), 600);
    assert.equal(byPath.get('/b'), 200);
    const perSocket = new Map<number, string[]>();
    for (const s of seen) perSocket.set(s.socket, [...(perSocket.get(s.socket) ?? []), s.url]);
    assert.equal(perSocket.size, 4);
    for (const [socket, urls] of perSocket) {
      assert.deepEqual(urls.slice(0, 8), ['/a', '/a', '/b', '/a', '/a', '/a', '/b', '/a'], `connection ${socket}`);
    }
  });
});

test('decimal weights mix to the configured shares within one request per connection', async () => {
  await withServer(async (url, seen) => {
    const run = startAutocannon({
      ...base(url),
      amount: 999,
      connections: 3,
      requests: [
        { method: 'GET', path: '/x', headers: {}, weight: 0.5 },
        { method: 'GET', path: '/y', headers: {}, weight: 0.3 },
        { method: 'GET', path: '/z', headers: {}, weight: 0.2 },
      ],
    });
    await run.done;
    const byPath = countBy(seen, (s) => s.url);
    const expected: Record<string, number> = { '/x': 499.5, '/y': 299.7, '/z': 199.8 };
    for (const [path, want] of Object.entries(expected)) {
      const got = byPath.get(path) ?? 0;
      assert.ok(Math.abs(got - want) <= 3, `${path}: ${got}, expected ${want} +-3`);
    }
  });
});

test('ids are substituted round-robin in path, header and body, and other requests and status classes come through', async () => {
  await withServer(async (url, seen) => {
    const ids = ['a', 'b c', '7'];
    const run = startAutocannon({
      ...base(url),
      amount: 900,
      connections: 3,
      mode: 'mix',
      requests: [
        { method: 'POST', path: '/items/{id}', headers: { 'x-id': '{id}', 'content-type': 'application/json' }, body: '{"id":"{id}"}', weight: 2, ids },
        { method: 'GET', path: '/fail', headers: {}, weight: 1 },
      ],
    });
    const result = await run.done;
    assert.equal(result.requests, 900);
    const posts = seen.filter((s) => s.method === 'POST');
    // 300 requests per connection: 100 whole cycles of POST GET POST.
    assert.equal(posts.length, 600);
    const byId = countBy(posts, (s) => s.id ?? '');
    // One rotation shared by every connection: each id is used for a third of the requests (+-1).
    for (const id of ids) {
      const n = byId.get(id) ?? 0;
      assert.ok(Math.abs(n - 200) <= 1, `id ${id}: ${n}`);
    }
    for (const p of posts) {
      assert.equal(p.url, `/items/${encodeURIComponent(p.id!)}`);
      assert.equal(p.body, JSON.stringify({ id: p.id }));
    }
    assert.equal(result.statusClasses['5xx'], 300);
    assert.equal(result.statusClasses['2xx'], 600);
    assert.equal(result.non2xx, 300);
    assert.ok(result.latency.p95 >= result.latency.p50 && result.latency.p95 <= result.latency.p97_5 + 1, JSON.stringify(result.latency));
  });
});

test('a rate of 200 req/s for 2 s sends about 400 requests, spread over time rather than in bursts', async () => {
  await withServer(async (url, seen) => {
    const run = startAutocannon({ ...base(url), durationMs: 2000, connections: 10, rate: 200 });
    const result = await run.done;
    assert.ok(result.requests >= 340 && result.requests <= 460, `completed ${result.requests}`);
    assert.equal(run.completed(), seen.length);
    assert.equal(result.rate, 200);
    // Per 250 ms the rate is 50 requests; autocannon's own overallRate would send 200 at once.
    const buckets = countBy(seen.filter((s) => s.t < seen[0]!.t + 2000), (s) => String(Math.floor((s.t - seen[0]!.t) / 250)));
    assert.equal(buckets.size, 8);
    for (const [b, n] of buckets) assert.ok(n >= 25 && n <= 75, `bucket ${b}: ${n}`);
    assert.ok(result.throughput > 170 && result.throughput < 230, `throughput ${result.throughput}`);
  });
});

test('a warm-up at a lower rate runs first, and its requests are counted and reported apart', async () => {
  await withServer(async (url, seen) => {
    const run = startAutocannon({ ...base(url), durationMs: 1000, connections: 2, warmup: { durationMs: 1000, rate: 50 } });
    const result = await run.done;
    assert.equal(result.requests, seen.length);
    assert.equal(run.completed(), seen.length);
    const warm = result.warmupRequests!;
    assert.ok(warm >= 43 && warm <= 57, `warm-up requests ${warm}`);
    assert.equal(run.warmupEnd(), warm);
    assert.ok(result.warmupDurationMs! >= 950 && result.warmupDurationMs! < 1500, `warm-up ${result.warmupDurationMs} ms`);
    // The server saw the warm-up's requests first and at the low rate, then the closed-loop load.
    const firstSecond = seen.filter((s) => s.t - seen[0]!.t < 900).length;
    assert.ok(firstSecond <= 50, `first 900 ms: ${firstSecond}`);
    assert.ok(result.requests - warm > 10 * warm, `measured ${result.requests - warm} vs warm-up ${warm}`);
    assert.ok(result.throughput > 500, `measured throughput ${result.throughput}`);
  });
});

test('with pipelining 4, completed() equals what the server answered, for an amount and for a duration', async () => {
  await withServer(async (url, seen) => {
    const byAmount = startAutocannon({ ...base(url), amount: 1000, connections: 2, pipelining: 4 });
    const a = await byAmount.done;
    assert.equal(seen.length, 1000);
    assert.equal(a.requests, 1000);
    assert.equal(byAmount.completed(), 1000);
    seen.length = 0;
    const byDuration = startAutocannon({ ...base(url), durationMs: 1000, connections: 3, pipelining: 4 });
    const d = await byDuration.done;
    assert.ok(d.requests > 100, `completed ${d.requests}`);
    assert.equal(d.requests, seen.length);
    assert.equal(byDuration.completed(), seen.length);
    assert.equal(d.errors, 0);
  });
});

test('stop() during the warm-up ends the load without starting the measured part', async () => {
  await withServer(async (url) => {
    const run = startAutocannon({ ...base(url), durationMs: 5000, warmup: { durationMs: 5000, rate: 100 } });
    const deadline = performance.now() + 3000;
    while (run.completed() < 20 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const stoppedAt = performance.now();
    run.stop();
    const result = await run.done;
    assert.ok(performance.now() - stoppedAt < 1500, `took ${performance.now() - stoppedAt} ms to stop`);
    assert.equal(result.requests, result.warmupRequests);
    assert.ok(result.requests >= 20);
  });
});

test('unusable request options are a ConfigError naming the field', () => {
  const url = 'http://127.0.0.1:9/';
  assert.throws(
    () => startAutocannon({ ...base(url), mode: 'sequence', requests: [{ method: 'GET', path: '/', headers: {}, weight: 2 }] }),
    (e: unknown) => e instanceof ConfigError && /load\.requests\[0\]\.weight/.test(e.message) && /mix/.test(e.message),
  );
  assert.throws(
    () => startAutocannon({ ...base(url), requests: [{ method: 'GET', path: '/a', headers: {}, ids: ['1'] }] }),
    (e: unknown) => e instanceof ConfigError && /load\.requests\[0\]\.ids/.test(e.message) && /\{id\}/.test(e.message),
  );
  assert.throws(() => startAutocannon({ ...base(url), rate: 0 }), (e: unknown) => e instanceof ConfigError && /load\.rate/.test(e.message));
});

test('the latency histogram gives quantiles within 1% above the true value', () => {
  const h = new LatencyHistogram();
  assert.ok(Number.isNaN(h.quantile(0.5)));
  for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 .. 100 ms
  h.record(Number.NaN);
  assert.equal(h.count, 1000);
  for (const [q, exact] of [[0.5, 50], [0.95, 95], [0.99, 99], [1, 100]] as const) {
    const got = h.quantile(q);
    assert.ok(got >= exact && got <= exact * 1.01, `q${q}: ${got} vs ${exact}`);
  }
});
