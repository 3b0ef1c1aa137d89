// The load tools beyond autocannon, through the real CLI: wrk as a load command (with the app's own request
// counter, and without one, when the analysis runs over time), and k6 missing from PATH.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/types.js';
import { skipUnless } from '../support/tools.js';
import { EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, tempDir, writeConfig } from './helpers.js';

const RUN = `tools-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

async function configFor(name: string, leakBytes: number, load: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const fill = (v: unknown): unknown => (typeof v === 'string' ? v.replace('{url}', url) : Array.isArray(v) ? v.map(fill) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v);
  return writeConfig(dir, {
    name: `${RUN}-${name}`,
    app: { command: ['node', 'node-leak/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK_BYTES: leakBytes }, ready: { url: `${url}healthz` } },
    load: { url, ...(fill(load) as object) },
    report: join(dir, `${name}.json`),
    ...extra,
  }, `${name}.yml`);
}

test('wrk as the load command, counted by the app: a leak is found per request', { skip: skipUnless(['wrk']) }, async () => {
  const config = await configFor('wrk', 4096, { tool: 'command', duration: '8s', run: ['wrk', '-t1', '-c8', '-d8s', '--latency', '{url}'], counter: { url: '{url}count', field: 'served' } });
  const r = await runCli(['run', '--config', config, '--no-progress']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const report = readJson<Report>(join(dir, 'wrk.json'));
  assert.equal(report.summary.verdict, 'leak');
  assert.equal(report.trials[0]!.load.tool, 'wrk');
  assert.ok(report.trials[0]!.load.latency.p50 > 0, 'latency from wrk\'s summary');
  assert.ok(Math.abs(report.summary.bytesPerRequest - 4096) / 4096 < 0.5, `estimate ${report.summary.bytesPerRequest}`);
  assert.equal(report.trials[0]!.countsRequests, undefined);
});

test('a leak under a load command without a counter is found over time, in bytes per second', { skip: skipUnless(['wrk']) }, async () => {
  // 4 KiB, as the counted wrk test: small Buffers carry allocator and object overhead of their own.
  const leakBytes = 4096;
  const config = await configFor('nocount', leakBytes, { tool: 'command', duration: '6s', run: ['wrk', '-t1', '-c1', '-d6s', '{url}'] }, { 'memory-limit': '4GiB' });
  const r = await runCli(['run', '--config', config, '--no-progress']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const report = readJson<Report>(join(dir, 'nocount.json'));
  const trial = report.trials[0]!;
  assert.equal(trial.countsRequests, false);
  assert.match(r.stdout, /Analysed over time, not requests/);
  const last = trial.samples.at(-1)!;
  assert.ok(Math.abs(last.requests - last.t) < 600, 'the samples keep milliseconds of load');
  assert.equal(report.summary.verdict, 'leak', trial.analysis.reason);
  // The app retains leakBytes per request at wrk's rate: that many bytes per second.
  const throughput = trial.load.throughput;
  assert.ok(throughput > 100, `wrk's summary gave the throughput: ${throughput}`);
  const expected = leakBytes * throughput;
  assert.ok(Math.abs(report.summary.bytesPerRequest - expected) / expected < 0.5, `slope ${report.summary.bytesPerRequest} B/s, expected ~${Math.round(expected)} B/s`);
  assert.equal(trial.analysis.bytesPerSecond, trial.analysis.bytesPerRequest);
  assert.ok(Math.abs(report.summary.growthPerMillionRequests - leakBytes * 1e6) / (leakBytes * 1e6) < 0.5, `growth/1M ${report.summary.growthPerMillionRequests}`);
  assert.match(trial.analysis.reason, /B\/s/);
  // The projection runs at the B/s slope itself: (limit - end) / slope seconds, not divided again by wrk's req/s.
  const toLimit = (4 * 1024 ** 3 - trial.analysis.endBytes) / report.summary.bytesPerRequest;
  assert.ok(report.summary.secondsToLimit !== null && Math.abs(report.summary.secondsToLimit - toLimit) / toLimit < 0.05, `seconds to limit ${report.summary.secondsToLimit}, expected ~${Math.round(toLimit)}`);
  assert.match(r.stdout, /bytes\/s +[\d,.]+ [KM]?i?B\/s/);
});

test('k6 missing from PATH: exit 2 with how to get it', async () => {
  writeFileSync(join(dir, 'script.js'), 'export default function () {}\n');
  const config = await configFor('k6', 0, { tool: 'k6', script: join(dir, 'script.js'), duration: '5s' });
  const r = await runCli(['run', '--config', config, '--no-progress']);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /k6' was not found on PATH/);
  assert.match(r.stdout + r.stderr, /grafana\/setup-k6-action/);
});
