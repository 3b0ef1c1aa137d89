// Where memory grows, through the real CLI on the example apps (the leaking worker of a Node cluster: cluster-heap.test.ts): the
// constructor a Node app leaks (V8 heap snapshots over the inspector), the C function valgrind names as a new
// leak site, a still-reachable cache's growth, a report cut short by SIGKILL, massif's heap slope, heaptrack's
// growing site, a missing native tool, and an app killed by the OOM killer in a memory-limited cgroup.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/types.js';
import { onPath, skipUnless } from '../support/tools.js';
import { EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, runNode, CLI, tempDir, writeConfig } from './helpers.js';

const RUN = `ev-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
// The C server is built only where the native tests can run (make and gcc); the others do not need it.
const cTools = ['make', 'gcc'];
before(() => {
  if (cTools.every((tool) => onPath(tool))) execFileSync('make', ['-s', '-C', join(EXAMPLES, 'c-server')], { stdio: 'ignore' });
});
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

async function run(name: string, config: (port: number) => Record<string, unknown>, env?: NodeJS.ProcessEnv) {
  const port = await freePort();
  const report = join(dir, `${name}.json`);
  const path = writeConfig(dir, { name: `${RUN}-${name}`, report, ...config(port) }, `${name}.yml`);
  const r = env ? await runNode(CLI, ['run', '--config', path, '--no-progress'], { env, limitMs: 120_000 }) : await runCli(['run', '--config', path, '--no-progress'], { limitMs: 120_000 });
  let parsed: Report | undefined;
  try {
    parsed = readJson<Report>(report);
  } catch {
    parsed = undefined;
  }
  return { ...r, report: parsed };
}

const ready = (port: number) => ({ url: `http://127.0.0.1:${port}/healthz` });

test('node heap mode names the leaking constructor and its retainer', async () => {
  const r = await run('objects', (port) => ({
    app: { command: ['node', 'node-leak-objects/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK: 1 }, ready: ready(port) },
    load: { duration: '10s', connections: 4 },
    runtime: { kind: 'node', interval: '500ms' },
  }));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const rt = r.report!.trials[0]!.evidence?.runtime;
  assert.equal(rt?.kind, 'node');
  assert.equal(rt?.growing[0]?.name, 'SessionRecord', JSON.stringify(rt?.growing.slice(0, 3)));
  assert.ok((rt?.heapBytesPerRequest ?? 0) > 1000, `heap slope ${rt?.heapBytesPerRequest}`);
  assert.match(rt?.path ?? '', /SessionRecord/);
  assert.equal(rt?.note, undefined, 'all three snapshots were taken');
});

test('analysis.metric heap: the verdict rests on the V8 heap after forced GCs', async () => {
  const r = await run('heap-metric', (port) => ({
    app: { command: ['node', 'node-leak-objects/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK: 1 }, ready: ready(port) },
    load: { duration: '10s', connections: 4 },
    runtime: { kind: 'node', interval: '500ms', snapshots: false },
    analysis: { metric: 'heap' },
  }));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const a = r.report!.trials[0]!.analysis;
  assert.equal(a.metric, 'heap');
  assert.equal(a.verdict, 'leak');
  // Each SessionRecord keeps about 2.3 KB of V8 heap (a 2 KiB string payload plus the object).
  assert.ok(a.bytesPerRequest > 1500 && a.bytesPerRequest < 3500, `heap slope ${a.bytesPerRequest}`);
  // Heap readings count from the load's start, like the memory samples: the first comes as the inspector connects,
  // the last within one 500 ms interval of the load's end (not seconds of leakgate's own uptime later).
  const trial = r.report!.trials[0]!;
  const heap = trial.evidence?.runtime?.heapSeries ?? [];
  assert.ok(heap.length >= 10, `heap readings: ${heap.length}`);
  assert.ok(heap[0]!.t >= 0 && heap[0]!.t < 1000, `first heap reading at ${heap[0]!.t} ms into the load`);
  assert.ok(Math.abs(heap.at(-1)!.t - trial.load.durationMs) < 1000, `last heap reading at ${heap.at(-1)!.t} ms, the load lasted ${trial.load.durationMs} ms`);
  assert.ok(a.warmupEndMs >= 0 && a.warmupEndMs < trial.load.durationMs / 2, `warm-up ended ${a.warmupEndMs} ms into a ${trial.load.durationMs} ms load`);
});

test('memcheck names the leaking C function as a leak site and fails the gate; the clean build passes', { skip: skipUnless(['valgrind', 'vgdb', ...cTools]) }, async () => {
  const cfg = (leak: number) => (port: number) => ({
    native: { tool: 'memcheck', duration: '6s', 'check-interval': '2s' },
    app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port, LEAK_BYTES: leak }, ready: ready(port) },
    load: { connections: 2 },
    'fail-on': ['native-leak'],
  });
  const leaking = await run('memcheck-leak', cfg(512));
  assert.equal(leaking.code, 1, leaking.stdout + leaking.stderr);
  const native = leaking.report!.trials[0]!.evidence!.native!;
  const site = native.sites.find((s) => s.kind === 'definitely-lost');
  assert.match(site?.label ?? '', /leak_request_buffer/);
  assert.ok(native.definitelyLostBytes > 512 * 100);
  assert.match(site?.suppression ?? '', /Memcheck:Leak[\s\S]*leak_request_buffer/, 'a suppression to accept the site');
  assert.match(leaking.report!.gate.reasons.join('\n'), /native-leak: leak site .*leak_request_buffer/);
  // The same leak against a baseline that has it: a known site, reported but not failing the gate.
  const again = await run('memcheck-known', (port) => ({ ...cfg(512)(port), baseline: { reports: [join(dir, 'memcheck-leak.json')] } }));
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const knownSite = again.report!.trials[0]!.evidence!.native!.sites.find((s) => s.kind === 'definitely-lost');
  assert.equal(knownSite?.status, 'known');
  assert.equal(knownSite?.fingerprint, site!.fingerprint, 'the same site, the same fingerprint across runs');
  const clean = await run('memcheck-clean', cfg(0));
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.equal(clean.report!.trials[0]!.evidence!.native!.definitelyLostBytes, 0);
});

test('memcheck reports a still-reachable cache growing during the load, with its growth per request', { skip: skipUnless(['valgrind', 'vgdb', ...cTools]) }, async () => {
  const r = await run('memcheck-cache', (port) => ({
    native: { tool: 'memcheck', duration: '6s', 'check-interval': '1s' },
    app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port, CACHE_BYTES: 256 }, ready: ready(port) },
    load: { connections: 2 },
    'fail-on': ['native-leak'],
  }));
  // Still reachable is not lost: the gate passes, and the growth is reported.
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const native = r.report!.trials[0]!.evidence!.native!;
  const cache = native.sites.find((s) => s.kind === 'still-reachable' && /cache_request/.test(s.label));
  assert.ok(cache, JSON.stringify(native.sites.map((s) => s.label)));
  assert.ok((cache.bytesIncrease ?? 0) > 256 * 100, `grew ${cache.bytesIncrease}`);
  // Each request keeps a node of 8 bytes (next) plus 256 of data.
  assert.ok(cache.bytesPerRequest !== undefined && cache.bytesPerRequest > 200 && cache.bytesPerRequest < 330, `bytes per request ${cache.bytesPerRequest}`);
  assert.match(r.stdout, /leak site\s+still-reachable at cache_request .*grew \d+ B\/req/);
});

for (const tool of ['memcheck', 'heaptrack'] as const) {
  test(`an app that ignores SIGTERM under ${tool} fails native-leak: the SIGKILL cut its report short`, { skip: skipUnless(tool === 'memcheck' ? ['valgrind', 'vgdb', ...cTools] : ['heaptrack', 'heaptrack_print', ...cTools]) }, async () => {
    const r = await run(`${tool}-sigkill`, (port) => ({
      native: { tool, duration: '3s', 'check-interval': 0, slowdown: 1 },
      app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port, IGNORE_SIGTERM: 1 }, ready: ready(port), 'stop-grace': '1s' },
      load: { connections: 2 },
      'fail-on': ['native-leak'],
    }));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const t = r.report!.trials[0]!;
    assert.equal(t.exit.signal, 'SIGKILL');
    assert.match(t.evidence?.native?.incomplete ?? '', /SIGKILL/);
    assert.match(r.report!.gate.reasons.join('\n'), new RegExp(`native-leak: ${tool}'s report is incomplete: .*SIGKILL.*; the app must exit on SIGTERM`));
  });
}

test("massif's heap series decides native-leak: the leaking server fails in B/req, the clean one passes", { skip: skipUnless(['valgrind', ...cTools]) }, async () => {
  const cfg = (leak: number) => (port: number) => ({
    native: { tool: 'massif', duration: '8s' },
    app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port, LEAK_BYTES: leak }, ready: ready(port) },
    load: { connections: 2 },
    'fail-on': ['native-leak'],
  });
  const leaking = await run('massif-leak', cfg(512));
  assert.equal(leaking.code, 1, leaking.stdout + leaking.stderr);
  const trend = leaking.report!.trials[0]!.evidence!.native!.heapTrend;
  // 512 B of data a request, plus massif's count of malloc's overhead.
  assert.ok(trend && trend.bytesPerRequest > 500 && trend.bytesPerRequest < 560, JSON.stringify(trend));
  assert.match(leaking.report!.gate.reasons.join('\n'), /native-leak: massif's heap grows 5\d\d B\/req/);
  const clean = await run('massif-clean', cfg(0));
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.deepEqual(clean.report!.gate.reasons, []);
});

test('heaptrack fails native-leak on the site that grows with the load, not on a fixed stdio buffer', { skip: skipUnless(['heaptrack', 'heaptrack_print', ...cTools]) }, async () => {
  const cfg = (leak: number) => (port: number) => ({
    native: { tool: 'heaptrack', duration: '5s' },
    app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port, LEAK_BYTES: leak }, ready: ready(port) },
    load: { connections: 2 },
    'fail-on': ['native-leak'],
  });
  const leaking = await run('heaptrack-leak', cfg(512));
  assert.equal(leaking.code, 1, leaking.stdout + leaking.stderr);
  const native = leaking.report!.trials[0]!.evidence!.native!;
  assert.ok((native.leakedBytes ?? 0) > 512 * 1000, `not freed ${native.leakedBytes}`);
  assert.equal(native.stillReachableBytes, 0, 'heaptrack does not tell still reachable apart');
  const reasons = leaking.report!.gate.reasons.filter((r) => r.startsWith('native-leak'));
  assert.equal(reasons.length, 1, reasons.join('\n'));
  assert.match(reasons[0]!, /leak site leak_request_buffer .* not freed/);
  const clean = await run('heaptrack-clean', cfg(0));
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.ok(clean.report!.trials[0]!.evidence!.native!.sites.length > 0, 'the stdio buffer is reported, not gated');
});

test('a missing valgrind is a clear error with the package to install', async () => {
  // PATH with node only: valgrind is not found.
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  const r = await run('no-valgrind', (port) => ({
    native: 'memcheck',
    app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port }, ready: ready(port) },
  }), { PATH: bin, HOME: process.env.HOME });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /needs 'valgrind' on PATH; install it with: sudo apt-get install -y valgrind/);
});

test('an app killed by the OOM killer in a memory-limited cgroup gets the verdict oom, with the trend up to its death', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('making a memory cgroup needs root here');
  const r = await run('oom', (port) => ({
    app: { command: ['node', 'node-leak/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK_BYTES: 65536 }, ready: ready(port) },
    load: { duration: '20s' },
    cgroup: { limit: '96MiB' },
    runtime: 'none',
  }));
  if (/could not make a memory cgroup/.test(r.stdout + r.stderr)) return t.skip(`cgroups cannot be made here: ${r.stderr.split('\n').find((l) => l.includes('cgroup'))}`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.report!.error, null);
  assert.equal(r.report!.summary.verdict, 'oom');
  const trial = r.report!.trials[0]!;
  assert.equal(trial.analysis.oom?.source, 'kernel');
  assert.match(trial.analysis.oom?.evidence ?? '', /OOM-killed: OOM kill: the app was killed by SIGKILL and the cgroup's oom_kill counter rose/);
  assert.ok(trial.analysis.oom!.requests > 0 && trial.analysis.oom!.lastBytes > 32 * 1024 * 1024, JSON.stringify(trial.analysis.oom));
  // 64 KiB kept per request: the samples up to the death show it.
  assert.ok(trial.analysis.bytesPerRequest > 16 * 1024, `slope ${trial.analysis.bytesPerRequest} B/req from the samples before the death`);
  assert.match(r.report!.gate.reasons.join('\n'), /^oom: /m);
  assert.equal(r.report!.trials[0]!.evidence?.cgroupLimitBytes, 96 * 1024 * 1024);
  assert.ok(r.report!.trials[0]!.samples.some((s) => s.cgroup && s.cgroup.limit === 96 * 1024 * 1024), 'the cgroup was sampled');
  // The projection aims at the limit that kills the app (the fresh cgroup's), not leakgate's own cgroup's.
  assert.equal(r.report!.summary.memoryLimitBytes, 96 * 1024 * 1024);
  assert.equal(r.report!.summary.memoryLimitSource, 'cgroup.limit');
  // The container's figures in the terminal evidence: usage from start to end, anon's growth, the limit.
  assert.match(r.stdout, /container +[\d.]+ [KMG]?i?B → [\d.]+ MiB \(anon \+[\d.]+ MiB, file [+−][\d.]+ [KMG]?i?B, kernel [+−][\d.]+ [KMG]?i?B\); limit 96\.0 MiB \(cgroup\.limit\); time to limit projected to it/);
});

test('runtime python names the leaking line', async () => {
  const py = await run('python-heap', (port) => ({
    app: { command: ['python3', 'python-leak/server.py'], cwd: EXAMPLES, env: { PORT: port, LEAK_BYTES: 4096 }, ready: ready(port) },
    load: { duration: '8s', connections: 4 },
    runtime: 'python',
  }));
  assert.equal(py.code, 1, py.stdout + py.stderr);
  const top = py.report!.trials[0]!.evidence?.runtime?.growing[0];
  assert.match(top?.name ?? '', /server\.py:\d+/, JSON.stringify(py.report!.trials[0]!.evidence?.runtime));
  assert.ok((top?.bytesDelta ?? 0) > 1024 * 1024);
  assert.match(py.report!.environment.appRuntime ?? '', /^Python 3\./, 'the app runtime is recorded for the baseline check');
});

test('runtime jvm names the leaking class', { skip: skipUnless(['java', 'jcmd']) }, async () => {
  const jvm = await run('jvm-heap', (port) => ({
    app: { command: ['java', 'Leak.java'], cwd: join(EXAMPLES, 'java-leak'), env: { PORT: port, LEAK: 1 }, ready: { ...ready(port), timeout: '60s' } },
    load: { duration: '8s', connections: 4 },
    runtime: 'jvm',
  }));
  assert.notEqual(jvm.code, 2, jvm.stdout + jvm.stderr);
  const classes = jvm.report!.trials[0]!.evidence?.runtime?.growing ?? [];
  assert.ok(classes.some((c) => /SessionRecord/.test(c.name)), JSON.stringify(classes.slice(0, 5)));
});
