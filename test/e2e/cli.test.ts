// The real bundled CLI (dist/cli.js) on the example apps: verdicts, estimates, exit codes, error
// messages, and no process of the app left behind in any outcome.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/types.js';
import { EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, tempDir, writeConfig } from './helpers.js';

const RUN = `e2e-${randomBytes(3).toString('hex')}`;
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), [], 'no process of any app under test may remain');
});

interface Case {
  name: string;
  command: string[];
  env?: Record<string, string | number>;
  duration?: string;
  readyTimeout?: string;
  extra?: Record<string, unknown>;
}

async function runCase(c: Case) {
  const dir = tempDir();
  const port = await freePort();
  const name = `${RUN}-${c.name}`;
  const config = {
    name,
    app: {
      command: c.command,
      cwd: EXAMPLES,
      env: { PORT: port, ...c.env },
      ready: { url: `http://127.0.0.1:${port}/healthz`, timeout: c.readyTimeout ?? '20s' },
    },
    load: { duration: c.duration ?? '7s', connections: 10 },
    report: join(dir, 'report.json'),
    ...c.extra,
  };
  const path = writeConfig(dir, config);
  const result = await runCli(['run', '--config', path, '--no-progress']);
  const reportPath = join(dir, 'report.json');
  const report = existsSync(reportPath) ? readJson<Report>(reportPath) : undefined;
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(processesWithRunIdPrefix(name), [], `no process of ${c.name} may remain`);
  return { ...result, report };
}

function within(actual: number, expected: number, tolerance: number): boolean {
  return Math.abs(actual - expected) <= expected * tolerance;
}

test('a Node app leaking 4 KiB per request fails the gate with an estimate within 30%', async () => {
  const r = await runCase({ name: 'node-leak', command: ['node', 'node-leak/server.js'], env: { LEAK_BYTES: 4096 } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.report?.summary.verdict, 'leak');
  const est = r.report!.summary.bytesPerRequest;
  assert.ok(within(est, 4096, 0.3), `estimate ${est} B/req should be within 30% of 4096`);
  assert.ok(r.report!.summary.ciLow <= r.report!.summary.bytesPerRequest);
  assert.match(r.stdout, /leak/);
  assert.ok(r.report!.trials[0]!.samples.length >= 20, 'samples recorded');
});

test('the same Node app without the leak passes', async () => {
  const r = await runCase({ name: 'node-clean', command: ['node', 'node-leak/server.js'], env: { LEAK_BYTES: 0 } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.report?.summary.verdict, 'no-leak');
  assert.equal(r.report?.gate.failed, false);
});

test('a Node app that fills a bounded cache and then plateaus passes', async () => {
  // 15 s: a bounded cache of Buffers in old space is freed only by full collections, which the heap readings now
  // force every half second; the bench's real plateau runs are 30 s.
  const r = await runCase({ name: 'node-plateau', command: ['node', 'node-plateau/server.js'], env: { CACHE_ENTRIES: 30000, ENTRY_BYTES: 1024 }, duration: '15s' });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.report?.summary.verdict, 'no-leak');
  // The cache really did grow during the run, so passing is a decision, not an absence of growth.
  const s = r.report!.trials[0]!.samples;
  assert.ok(s[s.length - 1]!.total.anon - s[0]!.total.anon > 20 * 1024 * 1024, 'the cache filled');
});

test('a Python app leaking 4 KiB per request fails the gate with an estimate within 30%', async () => {
  const r = await runCase({ name: 'py-leak', command: ['python3', 'python-leak/server.py'], env: { LEAK_BYTES: 4096 } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.report?.summary.verdict, 'leak');
  const est = r.report!.summary.bytesPerRequest;
  assert.ok(within(est, 4096, 0.3), `estimate ${est} B/req should be within 30% of 4096`);
});

test('the Python app without the leak passes', async () => {
  const r = await runCase({ name: 'py-clean', command: ['python3', 'python-leak/server.py'], env: { LEAK_BYTES: 0 } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.report?.summary.verdict, 'no-leak');
});

test('an app that never becomes ready fails with exit 2 and its last output, within the timeout', async () => {
  const r = await runCase({
    name: 'never-ready',
    command: ['node', '-e', "console.log('booting the flux capacitor'); setInterval(() => {}, 1000)"],
    readyTimeout: '2s',
  });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /booting the flux capacitor/);
  assert.match(r.stderr, /2s|2000 ?ms|2 s/);
  assert.ok(r.ms < 15_000, `gave up after ${r.ms} ms`);
  assert.equal(r.report?.gate.failed, true);
});

test('an app that crashes under load is reported with its exit status', async () => {
  const r = await runCase({ name: 'crash', command: ['node', 'node-leak/server.js'], env: { LEAK_BYTES: 0, CRASH_AFTER_REQUESTS: 3000 } });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /exit code 3/);
  assert.match(r.stderr, /crashing on purpose/);
  assert.equal(r.report?.trials[0]?.exit.code, 3);
  assert.equal(r.report?.trials[0]?.exit.early, true);
});

test('an invalid config exits 2 naming the field, the value and what is valid', async () => {
  const r = await runCase({ name: 'invalid', command: ['node', 'node-leak/server.js'], duration: '-3' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /'load\.duration'/);
  assert.match(r.stderr, /got '-3'/);
  assert.match(r.stderr, /must be a duration between 1s and 6h/);
  assert.equal(r.report, undefined, 'no report is written for an invalid config');
});

test('a missing config file exits 2 naming the path', async () => {
  const r = await runCli(['run', '--config', 'does-not-exist.yml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /does-not-exist\.yml' does not exist/);
});

test('an unknown flag exits 2 and points at --help', async () => {
  const r = await runCli(['run', '--durration', '3']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /durration/);
  assert.match(r.stderr, /--help/);
});

test('load sent to a port nothing listens on exits 2 naming load.url', async () => {
  const deadPort = await freePort();
  const r = await runCase({ name: 'wrong-url', command: ['node', 'node-leak/server.js'], env: { LEAK_BYTES: 0 }, duration: '2s', extra: { load: { url: `http://127.0.0.1:${deadPort}/`, duration: '2s' } } });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /the load got no responses from http:\/\/127\.0\.0\.1:\d+\/ \(\d+ connection errors/);
});
