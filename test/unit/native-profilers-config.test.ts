// Config of the full-speed profilers: native jemalloc/tcmalloc keep the load's duration and connections (the
// valgrind tools shorten and thin it), dump-every and binary; runtime go's pprof URL and its default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configErrorOf, loadTestConfig } from '../support/config.js';
import { goPprofUrl } from '../../src/probes/go-probe.js';

const app = { command: ['./server'], ready: { url: 'http://127.0.0.1:3907/healthz' } };
const load = loadTestConfig;
const errorOf = configErrorOf;

const rows: Array<{ what: string; file: Record<string, unknown>; expected: Record<string, unknown> }> = [
  { what: 'jemalloc keeps the load', file: { app, native: 'jemalloc', load: { duration: '30s', connections: 16 } }, expected: { tool: 'jemalloc', durationMs: 30_000, connections: 16, dumpEveryBytes: 4 * 1024 * 1024, slowdown: 1.5 } },
  { what: 'memcheck still shortens and thins it', file: { app, native: 'memcheck', load: { duration: '30s', connections: 16 } }, expected: { tool: 'memcheck', durationMs: 20_000, connections: 2 } },
  { what: 'tcmalloc with dump-every and binary', file: { app, native: { tool: 'tcmalloc', 'dump-every': '1MiB', binary: 'bin/app' } }, expected: { tool: 'tcmalloc', dumpEveryBytes: 1024 * 1024, binary: 'bin/app', slowdown: 2 } },
];
for (const row of rows) {
  test(`native: ${row.what}`, () => {
    const native = load(row.file).native as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(row.expected)) assert.deepEqual(native[k], v, k);
  });
}

test('runtime go: pprof-url, or /debug/pprof on the ready port', () => {
  const c = load({ app, runtime: 'go' });
  assert.equal(c.runtime.kind, 'go');
  assert.equal(goPprofUrl(c), 'http://127.0.0.1:3907/debug/pprof');
  assert.equal(c.runtime.intervalMs, 250);
  const set = load({ app, runtime: { kind: 'go', 'pprof-url': 'http://127.0.0.1:6060/debug/pprof/' }, analysis: { metric: 'heap' } });
  assert.equal(goPprofUrl(set), 'http://127.0.0.1:6060/debug/pprof');
});

test('runtime go: bad values name the key', () => {
  assert.match(errorOf({ app, runtime: { kind: 'go', 'pprof-url': 'http://example.com/debug/pprof' } }), /'runtime\.pprof-url'.*must be a loopback http:\/\/ URL of net\/http\/pprof/s);
  assert.match(errorOf({ app: { command: ['./server'], ready: { log: 'listening' } }, runtime: 'go' }), /'runtime\.pprof-url'.*is required with 'runtime: go'/s);
  assert.match(errorOf({ app, native: { tool: 'jemalloc', 'dump-every': '1KiB' } }), /'native\.dump-every'/);
  assert.match(errorOf({ app, analysis: { metric: 'heap' }, runtime: 'python' }), /'heap' needs a runtime with a heap after GC: node .*, jvm \(java\) or go/);
});
