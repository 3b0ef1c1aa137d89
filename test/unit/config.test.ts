import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, mergeRaw, parseDuration, redactConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { buildOverrides } from '../../src/config/overrides.js';

const minimal = {
  app: { command: ['node', 'server.js'], ready: { url: 'http://127.0.0.1:3000/healthz' } },
};

function load(file: unknown, overrides: Record<string, unknown> = {}, labels: Record<string, string> = {}) {
  return loadConfig({ file, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides, overrideLabels: labels });
}

function errorOf(file: unknown, overrides: Record<string, unknown> = {}, labels: Record<string, string> = {}): string {
  try {
    load(file, overrides, labels);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the config to be rejected');
}

test('a minimal config gets the documented defaults', () => {
  const c = load(minimal);
  assert.equal(c.load.url, 'http://127.0.0.1:3000/');
  assert.equal(c.load.durationMs, 30_000);
  assert.equal(c.load.connections, 10);
  assert.equal(c.sample.intervalMs, 250);
  assert.equal(c.analysis.metric, 'anon');
  assert.deepEqual(c.failOn, ['leak', 'oom', 'inconclusive', 'regression', 'native-leak']);
  assert.equal(c.confirmTrials, 0);
  assert.deepEqual(c.baseline.reports, []);
  assert.equal(c.baseline.minHistory, 3);
  assert.equal(c.trials, 1);
  assert.equal(c.app.ready.timeoutMs, 30_000);
  assert.equal(c.app.shell, false);
});

const rejected: { what: string; file: unknown; mentions: string[] }[] = [
  { what: 'negative duration', file: mergeRaw(minimal, { load: { duration: -3 } }), mentions: ["'load.duration'", "'-3'", 'duration between'] },
  { what: 'duration with a bad unit', file: mergeRaw(minimal, { load: { duration: '30 parsecs' } }), mentions: ["'load.duration'", '30 parsecs', "'30s'"] },
  { what: 'unknown metric', file: mergeRaw(minimal, { analysis: { metric: 'vsz' } }), mentions: ["'analysis.metric'", "'vsz'", 'anon, rss, pss, uss, heap'] },
  { what: 'zero connections', file: mergeRaw(minimal, { load: { connections: 0 } }), mentions: ["'load.connections'", "'0'", 'between 1 and 10000'] },
  { what: 'fractional trials', file: mergeRaw(minimal, { trials: 1.5 }), mentions: ["'trials'", 'whole number'] },
  { what: 'unknown top-level key', file: mergeRaw(minimal, { durration: 3 }), mentions: ["unknown setting 'durration'", 'valid keys'] },
  { what: 'misspelled nested key with a hint', file: mergeRaw(minimal, { load: { Connections: 3 } }), mentions: ["unknown setting 'load.Connections'", "did you mean 'load.connections'"] },
  { what: 'missing command', file: { app: { ready: { port: 3000 } }, load: { url: 'http://127.0.0.1:3000/' } }, mentions: ["'app.command'", 'is required'] },
  { what: 'string command without shell', file: mergeRaw(minimal, { app: { command: 'node server.js' } }), mentions: ["'app.command'", 'app.shell: true'] },
  { what: 'no readiness check', file: { app: { command: ['x'] }, load: { url: 'http://127.0.0.1:1/' } }, mentions: ["'app.ready' needs one of url"] },
  { what: 'two readiness checks', file: mergeRaw(minimal, { app: { ready: { port: 3000 } } }), mentions: ["'app.ready'", 'only one of'] },
  { what: 'bad ready regex', file: { app: { command: ['x'], ready: { log: '(unclosed' } }, load: { url: 'http://127.0.0.1:1/' } }, mentions: ["'app.ready.log'", 'regular expression'] },
  { what: 'non-http url', file: mergeRaw(minimal, { load: { url: 'ftp://x/' } }), mentions: ["'load.url'", 'http://'] },
  { what: 'bad fail-on', file: mergeRaw(minimal, { 'fail-on': 'leak,regressions' }), mentions: ["'fail-on'", 'leak, oom, inconclusive, regression, peak-regression, native-leak, drift, none'] },
  { what: 'none combined with leak', file: mergeRaw(minimal, { 'fail-on': ['none', 'leak'] }), mentions: ["'fail-on'", "'none'"] },
  { what: 'request path without slash', file: mergeRaw(minimal, { load: { requests: [{ path: 'api' }] } }), mentions: ["'load.requests[0].path'", "start with '/'"] },
  { what: 'bad env name', file: mergeRaw(minimal, { app: { env: { 'BAD-NAME': 1 } } }), mentions: ["'app.env.BAD-NAME'"] },
  { what: 'warm-up fraction too large', file: mergeRaw(minimal, { analysis: { warmup: 0.9 } }), mentions: ["'analysis.warmup'", 'between 0 and 0.6'] },
  { what: 'not a mapping', file: ['a', 'b'], mentions: ['must hold a mapping'] },
  { what: 'rate with k6', file: mergeRaw(minimal, { load: { tool: 'k6', script: 'load.js', rate: 500 } }), mentions: ["'load.rate'", "'500'", "only used with 'load.tool: autocannon' (load.tool is 'k6')"] },
  { what: 'warmup with a command', file: mergeRaw(minimal, { load: { tool: 'command', run: ['wrk', 'http://x/'], warmup: { duration: '5s', rate: 50 } } }), mentions: ["'load.warmup'", "only used with 'load.tool: autocannon' (load.tool is 'command')"] },
  { what: 'mix with k6', file: mergeRaw(minimal, { load: { tool: 'k6', script: 'load.js', mix: 'mix' } }), mentions: ["'load.mix'", "'mix'", "only used with 'load.tool: autocannon' (load.tool is 'k6')"] },
  { what: 'max-duration with autocannon', file: mergeRaw(minimal, { load: { 'max-duration': '10m' } }), mentions: ["'load.max-duration'", "only used with 'load.tool: k6' (load.tool is 'autocannon')"] },
  { what: 'a weight in sequence mode names load.mix', file: mergeRaw(minimal, { load: { mix: 'sequence', requests: [{ path: '/a', weight: 2 }] } }), mentions: ["'load.requests[0].weight'", "only applies when load.mix is 'mix'"] },
  { what: 'over-time floor below zero', file: mergeRaw(minimal, { analysis: { 'min-bytes-per-second': -1 } }), mentions: ["'analysis.min-bytes-per-second'", "'-1'"] },
  { what: 'an unknown native tool', file: mergeRaw(minimal, { native: 'callgrind' }), mentions: ["'native'", 'memcheck, massif, heaptrack, jemalloc, tcmalloc, off', "'callgrind'"] },
  { what: 'a k6 load without a script', file: mergeRaw(minimal, { load: { tool: 'k6' } }), mentions: ["'load.script' is required"] },
  { what: 'a command load given as a string', file: mergeRaw(minimal, { load: { tool: 'command', run: 'wrk -c10 http://x' } }), mentions: ["'load.run'", 'list of arguments'] },
  { what: 'a k6 script with the autocannon tool', file: mergeRaw(minimal, { load: { script: 'a.js' } }), mentions: ["'load.script'", "only used with 'load.tool: k6'"] },
  { what: 'a counter regex without a group', file: mergeRaw(minimal, { load: { tool: 'command', run: ['x'], counter: { regex: '\\d+ done' } } }), mentions: ["'load.counter.regex'", 'capturing group'] },
  { what: 'an unknown baseline store', file: mergeRaw(minimal, { baseline: { store: 'redis' } }), mentions: ["'baseline.store'", 'none, file, branch, cache'] },
  { what: 'a baseline branch starting with a dash', file: mergeRaw(minimal, { baseline: { store: 'branch', branch: '--force' } }), mentions: ["'baseline.branch'", 'git branch name'] },
  { what: 'a cgroup limit below 8 MiB', file: mergeRaw(minimal, { cgroup: { limit: '1MiB' } }), mentions: ["'cgroup.limit'"] },
  { what: 'a heap metric without the Node runtime', file: mergeRaw(minimal, { app: { command: ['python3', 'app.py'] }, analysis: { metric: 'heap' } }), mentions: ["'analysis.metric'", 'a heap after GC'] },
  { what: 'an unknown comment mode', file: mergeRaw(minimal, { comment: 'sometimes' }), mentions: ["'comment'", 'always, on-regression, never'] },
  { what: 'a negative request weight', file: mergeRaw(minimal, { load: { requests: [{ path: '/a', weight: -1 }] } }), mentions: ["'load.requests[0].weight'"] },
  { what: 'duration shorter than 8 samples', file: mergeRaw(minimal, { load: { duration: 1 }, sample: { interval: 500 } }), mentions: ["'load.duration'", '8 sample intervals'] },
];

for (const row of rejected) {
  test(`rejects ${row.what}`, () => {
    const message = errorOf(row.file);
    for (const m of row.mentions) assert.ok(message.includes(m), `message should mention ${m}:\n${message}`);
  });
}

test('reports every problem at once', () => {
  const message = errorOf(mergeRaw(minimal, { load: { duration: -1, connections: 0 }, trials: 0 }));
  assert.match(message, /3 problems/);
});

const accepted: { what: string; file: unknown; check: (c: ReturnType<typeof load>) => void }[] = [
  { what: 'durations with units', file: mergeRaw(minimal, { load: { duration: '2m' }, sample: { interval: '500ms' } }), check: (c) => { assert.equal(c.load.durationMs, 120_000); assert.equal(c.sample.intervalMs, 500); } },
  { what: 'a Node heap reading every 32nd of the load: 250 ms for 8 s, 1 s from 32 s', file: mergeRaw(minimal, { app: { command: ['node', 'server.js'] }, load: { duration: '8s' } }), check: (c) => { assert.equal(c.runtime.kind, 'node'); assert.equal(c.runtime.intervalMs, 250); assert.equal(c.runtime.pauseBudget, 0.03); } },
  { what: 'a Node heap reading every second for a 60 s load', file: mergeRaw(minimal, { app: { command: ['node', 'server.js'] }, load: { duration: '60s' } }), check: (c) => assert.equal(c.runtime.intervalMs, 1000) },
  { what: 'a Node heap reading every 625 ms for a 20 s load', file: mergeRaw(minimal, { app: { command: ['node', 'server.js'] }, load: { duration: '20s' } }), check: (c) => assert.equal(c.runtime.intervalMs, 625) },
  { what: 'with early stopping, Node heap readings spaced for the first look: 625 ms at min-load 10 s', file: mergeRaw(minimal, { app: { command: ['node', 'server.js'] }, load: { duration: '60s' }, analysis: { 'stop-early': true } }), check: (c) => assert.equal(c.runtime.intervalMs, 625) },
  { what: 'runtime.interval as set, kept without the pause budget', file: mergeRaw(minimal, { app: { command: ['node', 'server.js'] }, load: { duration: '8s' }, runtime: { interval: '2s' } }), check: (c) => { assert.equal(c.runtime.intervalMs, 2000); assert.equal(c.runtime.pauseBudget, null); } },
  { what: 'fail-on as a comma string', file: mergeRaw(minimal, { 'fail-on': 'leak' }), check: (c) => assert.deepEqual(c.failOn, ['leak']) },
  { what: 'a shell command string', file: mergeRaw(minimal, { app: { command: 'node server.js | cat', shell: true } }), check: (c) => assert.equal(c.app.command, 'node server.js | cat') },
  { what: 'numeric env values', file: mergeRaw(minimal, { app: { env: { PORT: 3000 } } }), check: (c) => assert.equal(c.app.env.PORT, '3000') },
  { what: 'readiness by port with explicit load url', file: { app: { command: ['x'], ready: { port: 8080 } }, load: { url: 'http://127.0.0.1:8080/api' } }, check: (c) => { assert.equal(c.app.ready.port, 8080); assert.equal(c.load.url, 'http://127.0.0.1:8080/api'); } },
  { what: 'request lists', file: mergeRaw(minimal, { load: { requests: [{ method: 'post', path: '/items', body: { a: 1 } }] } }), check: (c) => assert.deepEqual(c.load.requests[0], { method: 'POST', path: '/items', headers: {}, body: '{"a":1}' }) },
  { what: 'native as a string', file: mergeRaw(minimal, { native: 'memcheck' }), check: (c) => { assert.equal(c.native.tool, 'memcheck'); assert.equal(c.native.slowdown, 20); assert.equal(c.native.maxLostBytes, 0); } },
  { what: 'native as a mapping', file: mergeRaw(minimal, { native: { tool: 'massif', duration: '8s', suppressions: 'vg.supp' } }), check: (c) => { assert.equal(c.native.tool, 'massif'); assert.equal(c.native.durationMs, 8000); assert.deepEqual(c.native.suppressions, ['vg.supp']); } },
  { what: 'runtime auto for a node command', file: mergeRaw(minimal, { app: { command: ['node', 'server.js'] } }), check: (c) => { assert.equal(c.runtime.kind, 'node'); assert.equal(c.runtime.chosen, 'auto'); } },
  { what: 'runtime auto for a python command', file: mergeRaw(minimal, { app: { command: ['python3', 'server.py'] } }), check: (c) => assert.equal(c.runtime.kind, 'none') },
  { what: 'a branch store', file: mergeRaw(minimal, { baseline: { store: 'branch', 'save-on': 'main, release' } }), check: (c) => { assert.equal(c.baseline.store.kind, 'branch'); assert.equal(c.baseline.store.branch, 'leakgate-baselines'); assert.deepEqual(c.baseline.store.saveOn, ['main', 'release']); } },
  { what: 'same-runner A/B', file: mergeRaw(minimal, { baseline: { ref: 'origin/main', setup: ['npm', 'ci'] } }), check: (c) => assert.deepEqual(c.baseline.ab, { ref: 'origin/main', setup: ['npm', 'ci'], pairs: 2 }) },
  { what: 'a command load with a url counter', file: mergeRaw(minimal, { load: { tool: 'command', run: ['wrk', '-d20s', 'http://127.0.0.1:1/'], counter: { url: 'http://127.0.0.1:1/count', field: 'n' } } }), check: (c) => { assert.equal(c.load.tool, 'command'); assert.deepEqual(c.load.counter, { url: 'http://127.0.0.1:1/count', field: 'n' }); } },
  { what: 'a weighted mix at a constant rate', file: mergeRaw(minimal, { load: { mix: 'mix', rate: 500, warmup: { duration: '5s', rate: 50 }, requests: [{ path: '/a', weight: 3 }, { path: '/b/{id}', ids: [1, 2] }] } }), check: (c) => { assert.equal(c.load.rate, 500); assert.deepEqual(c.load.warmup, { durationMs: 5000, rate: 50 }); assert.equal(c.load.requests[0]!.weight, 3); assert.deepEqual(c.load.requests[1]!.ids, ['1', '2']); } },
];

for (const row of accepted) {
  test(`accepts ${row.what}`, () => row.check(load(row.file)));
}

test('overrides win over the file and errors name the flag', () => {
  const { overrides, labels } = buildOverrides({ duration: '10', connections: '0' }, (n) => `flag --${n}`);
  const message = errorOf(minimal, overrides, labels);
  assert.match(message, /flag --connections \('load.connections'\) must be a whole number between 1 and 10000, got '0'/);
  const ok = buildOverrides({ duration: '10', command: 'node "my server.js" --port 3' }, (n) => `flag --${n}`);
  const c = load(minimal, ok.overrides, ok.labels);
  assert.equal(c.load.durationMs, 10_000);
  assert.deepEqual(c.app.command, ['node', 'my server.js', '--port', '3']);
});

test('parseDuration reads bare numbers in the given unit', () => {
  assert.equal(parseDuration('30', 's'), 30_000);
  assert.equal(parseDuration(250, 'ms'), 250);
  assert.equal(parseDuration('1.5s', 'ms'), 1500);
  assert.equal(parseDuration('fast', 's'), undefined);
});

test('redactConfig hides secret-looking env values and headers but keeps the rest', () => {
  const c = load(mergeRaw(minimal, { app: { env: { API_TOKEN: 'abc', LEAK_BYTES: 8 } }, load: { requests: [{ path: '/', headers: { Authorization: 'Bearer x', Accept: 'json' } }] } }));
  const r = redactConfig(c) as { app: { env: Record<string, string> }; load: { requests: { headers: Record<string, string> }[] } };
  assert.equal(r.app.env.API_TOKEN, '***');
  assert.equal(r.app.env.LEAK_BYTES, '8');
  assert.equal(r.load.requests[0]!.headers.Authorization, '***');
  assert.equal(r.load.requests[0]!.headers.Accept, 'json');
});

test('sizes and baseline settings', () => {
  const c = load(mergeRaw(minimal, { 'memory-limit': '512MiB', baseline: { reports: 'base.json', 'peak-tolerance': '16MB', 'min-history': 1 } }));
  assert.equal(c.memoryLimit, 512 * 1024 * 1024);
  assert.deepEqual(c.baseline.reports, ['base.json']);
  assert.equal(c.baseline.absoluteTolerancePeakBytes, 16_000_000);
  assert.equal(c.baseline.minHistory, 1);
  const message = errorOf(mergeRaw(minimal, { 'memory-limit': 'lots', baseline: { reports: [3] } }));
  assert.match(message, /'memory-limit' in leakgate.yml must be a size in bytes at least 1048576 \(a number, or e.g. '512MiB'/);
  assert.match(message, /'baseline.reports' in leakgate.yml must be a path or a list of paths/);
});
