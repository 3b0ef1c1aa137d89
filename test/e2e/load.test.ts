// The autocannon driver against a real HTTP server in this process: request lists, amounts,
// durations, and the completed-requests counter the sampler reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAutocannon } from '../../src/load/autocannon-driver.js';

async function withServer(fn: (url: string, seen: Map<string, number>) => Promise<void>) {
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const key = `${req.method} ${req.url} ${req.headers['x-test'] ?? ''} ${body}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      res.statusCode = req.url === '/fail' ? 500 : 200;
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

test('a request list is sent as configured and an amount stops the load', async () => {
  await withServer(async (url, seen) => {
    const run = startAutocannon({
      url: `${url}/`,
      durationMs: 20_000,
      amount: 600,
      connections: 3,
      pipelining: 1,
      timeoutMs: 5000,
      requests: [
        { method: 'GET', path: '/items', headers: { 'x-test': 'a' } },
        { method: 'POST', path: '/items', headers: { 'content-type': 'text/plain' }, body: 'hello' },
        { method: 'GET', path: '/fail', headers: {} },
      ],
    });
    const result = await run.done;
    assert.equal(result.requests, 600);
    assert.equal(run.completed(), 600);
    // Each connection cycles through the list, so the three share the 600 nearly evenly.
    for (const key of ['GET /items a ', 'POST /items  hello', 'GET /fail  ']) {
      const n = seen.get(key) ?? 0;
      assert.ok(n >= 190 && n <= 210, `${key}: ${n}`);
    }
    assert.ok(result.non2xx >= 190 && result.non2xx <= 210, `non2xx ${result.non2xx}`);
    assert.equal(result.ok + result.non2xx, 600);
    assert.equal(result.errors, 0);
    assert.ok(result.throughput > 0);
  });
});

test('a duration bounds the load and completed() only grows', async () => {
  await withServer(async (url) => {
    const run = startAutocannon({ url, durationMs: 1500, connections: 2, pipelining: 1, timeoutMs: 5000, requests: [] });
    const readings: number[] = [];
    const timer = setInterval(() => readings.push(run.completed()), 50);
    const result = await run.done;
    clearInterval(timer);
    assert.ok(result.durationMs >= 1400 && result.durationMs < 4000, `ran ${result.durationMs} ms`);
    assert.ok(readings.length > 5);
    for (let i = 1; i < readings.length; i++) assert.ok(readings[i]! >= readings[i - 1]!);
    assert.equal(result.requests, run.completed());
    assert.ok(result.latency.p99 >= result.latency.p50);
  });
});

test('connection errors are counted when nothing listens', async () => {
  const run = startAutocannon({ url: 'http://127.0.0.1:9/', durationMs: 1000, connections: 1, pipelining: 1, timeoutMs: 1000, requests: [] });
  const result = await run.done;
  assert.equal(result.requests, 0);
  assert.ok(result.errors > 0, `errors: ${result.errors}`);
});
