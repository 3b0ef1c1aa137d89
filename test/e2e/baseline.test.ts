// Baseline comparison through the real CLI: a clean baseline run, then head runs compared with it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/core/types.js';
import { EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, tempDir, writeConfig } from './helpers.js';

const RUN = `base-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
const baselinePath = join(dir, 'baseline.json');

async function run(name: string, leakBytes: number, baseline: string, extra: Record<string, unknown> = {}) {
  const port = await freePort();
  const report = join(dir, `${name}.json`);
  const config = writeConfig(dir, {
    name: `${RUN}-${name}`,
    app: { command: ['node', 'node-leak/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK_BYTES: leakBytes }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
    load: { duration: '8s' },
    report,
    baseline: { reports: [baseline], 'min-history': 1 },
    ...extra,
  }, `${name}.yml`);
  const r = await runCli(['run', '--config', config, '--no-progress']);
  return { ...r, report: r.code === 2 ? undefined : readJson<Report>(report) };
}

before(async () => {
  const r = await run('baseline', 0, join(dir, 'none-yet.json'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.report!.baselineNote ?? '', /no baseline yet/);
  assert.equal(r.report!.comparison, null);
  writeFileSync(baselinePath, JSON.stringify(r.report));
});

after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

test('a leak added since the baseline is a regression and fails the gate', async () => {
  const r = await run('head-leak', 4096, baselinePath, { 'fail-on': ['regression'] });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.report!.comparison?.slope.verdict, 'regression');
  // The differential check needs the two runs to overlap in requests served after warm-up; a
  // leaking build is slower, so over 8 s they may not, and then it says so instead of guessing.
  const d = r.report!.comparison!.differential;
  assert.ok(d.diverged || /not compared/.test(d.reason), d.reason);
  assert.ok(r.report!.gate.reasons.some((x) => x.startsWith('regression:')), r.report!.gate.reasons.join('\n'));
  assert.match(r.stdout, /vs baseline/);
});

test('the same code compared with its baseline is unchanged and passes', async () => {
  const r = await run('head-clean', 0, baselinePath);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.report!.comparison?.slope.verdict, 'unchanged');
  assert.equal(r.report!.gate.failed, false);
});

test('a corrupt baseline exits 2 with a clear message and is left untouched', async () => {
  const corrupt = join(dir, 'corrupt.json');
  writeFileSync(corrupt, '{"schemaVersion": 1, "tool": {"name": "leakg');
  const r = await run('head-corrupt', 0, corrupt);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /baseline report '.*corrupt\.json' is not valid JSON/);
  assert.equal(readFileSync(corrupt, 'utf8'), '{"schemaVersion": 1, "tool": {"name": "leakg');
});

test('a report path equal to the baseline is refused before anything runs', async () => {
  const before = readFileSync(baselinePath, 'utf8');
  const r = await run('head-overwrite', 0, baselinePath, { report: baselinePath });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /would overwrite its own baseline/);
  assert.equal(readFileSync(baselinePath, 'utf8'), before);
});
