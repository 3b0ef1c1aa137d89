// Scale-out through the real CLI: two "matrix jobs" each run one trial of the same config with fail-on none and
// write their report into a directory; `leakgate merge` pools both trials and gates once. Reports of a different
// config are refused, naming the setting that differs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/types.js';
import { EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, tempDir, writeConfig } from './helpers.js';

const RUN = `merge-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

test('merge pools the trials of matrix jobs and gates once; a different config is refused', async () => {
  const port = await freePort();
  const config = (connections: number) => ({
    name: `${RUN}-api`,
    app: { command: ['node', 'node-leak/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK_BYTES: 4096 }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
    load: { duration: '6s', connections },
    'fail-on': ['none'],
  });
  const path = writeConfig(dir, config(10));
  mkdirSync(join(dir, 'reports', 'shard-1'), { recursive: true });
  mkdirSync(join(dir, 'reports', 'shard-2'), { recursive: true });
  for (const shard of [1, 2]) {
    const r = await runCli(['run', '--config', path, '--no-progress', '--report', join(dir, 'reports', `shard-${shard}`, 'leakgate-report.json')]);
    assert.equal(r.code, 0, `fail-on none: each shard only measures\n${r.stdout}${r.stderr}`);
  }
  const merged = await runCli(['merge', '--report', join(dir, 'merged.json'), join(dir, 'reports')], { cwd: dir });
  // fail-on none came from the shards' config; the pooled verdict is still a leak, reported without failing.
  assert.equal(merged.code, 0, merged.stdout + merged.stderr);
  const report = readJson<Report>(join(dir, 'merged.json'));
  assert.equal(report.trials.length, 2);
  assert.equal(report.mergedFrom?.length, 2);
  assert.equal(report.summary.verdict, 'leak');
  assert.equal(report.summary.trialsLeaking, 2);
  assert.match(merged.stdout, /merged 2 report\(s\)/);

  const otherPath = writeConfig(dir, config(20), 'other.yml');
  mkdirSync(join(dir, 'reports', 'shard-3'));
  const other = await runCli(['run', '--config', otherPath, '--no-progress', '--report', join(dir, 'reports', 'shard-3', 'leakgate-report.json')]);
  assert.equal(other.code, 0, other.stdout + other.stderr);
  const refused = await runCli(['merge', '--report', join(dir, 'merged2.json'), join(dir, 'reports')], { cwd: dir });
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /different config .*load\.connections: 10 vs 20/);
});
