// Scale-out through the real CLI and the bundled Action: two "matrix jobs" each run one trial of the same config
// with fail-on none (they only measure) and write their report into a directory; `leakgate merge` and the Action's
// merge mode pool both trials and gate once, with the merge's own fail-on (default: the standard one, never the
// shards' none). Reports of a different config are refused, naming the setting that differs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Outputs } from '../../src/action/inputs.js';
import type { Report } from '../../src/core/types.js';
import { ACTION, EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, runNode, tempDir, writeConfig } from './helpers.js';

const RUN = `merge-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
let port = 0;
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

const config = (connections: number) => ({
  name: `${RUN}-api`,
  app: { command: ['node', 'node-leak/server.js'], cwd: EXAMPLES, env: { PORT: port, LEAK_BYTES: 4096 }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
  load: { duration: '6s', connections },
  'fail-on': ['none'],
  comment: 'never',
});

before(async () => {
  port = await freePort();
  const path = writeConfig(dir, config(10));
  for (const shard of [1, 2]) {
    mkdirSync(join(dir, 'reports', `shard-${shard}`), { recursive: true });
    const r = await runCli(['run', '--config', path, '--no-progress', '--report', join(dir, 'reports', `shard-${shard}`, 'leakgate-report.json')]);
    assert.equal(r.code, 0, `fail-on none: each shard only measures\n${r.stdout}${r.stderr}`);
  }
});

test("merge pools the trials of matrix jobs and fails on the pooled leak with the default fail-on, not the shards' none", async () => {
  const merged = await runCli(['merge', '--report', join(dir, 'merged.json'), join(dir, 'reports')], { cwd: dir });
  assert.equal(merged.code, 1, merged.stdout + merged.stderr);
  const report = readJson<Report>(join(dir, 'merged.json'));
  assert.equal(report.trials.length, 2);
  assert.equal(report.mergedFrom?.length, 2);
  assert.equal(report.summary.verdict, 'leak');
  assert.equal(report.summary.trialsLeaking, 2);
  assert.equal(report.gate.failed, true);
  assert.match(merged.stdout, /merged 2 report\(s\)/);

  const lenient = await runCli(['merge', '--fail-on', 'none', '--report', join(dir, 'merged-none.json'), join(dir, 'reports')], { cwd: dir });
  assert.equal(lenient.code, 0, `--fail-on none on the merge itself only reports\n${lenient.stdout}${lenient.stderr}`);
  assert.equal(readJson<Report>(join(dir, 'merged-none.json')).summary.verdict, 'leak');

  const bad = await runCli(['merge', '--fail-on', 'leaks', join(dir, 'reports')], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /flag --fail-on \('fail-on'\) must be one or more of leak, .*got 'leaks'/);
});

test('the Action in merge mode gates with its own fail-on input (default when empty)', async () => {
  const summary = join(dir, 'summary.md');
  const outputs = join(dir, 'outputs.txt');
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: outputs,
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: dir,
    INPUT_MODE: 'merge',
    INPUT_REPORTS: 'reports',
    'INPUT_WORKING-DIRECTORY': '.',
    ...extra,
  });
  const failing = await runNode(ACTION, [], { cwd: dir, env: env({ 'INPUT_REPORT-PATH': join(dir, 'action-merged.json') }) });
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /::error title=leakgate[^:]*::leak: (anon memory|live heap after GC) grows/);
  assert.match(failing.stdout, /::error::leakgate gate failed/);
  assert.match(readFileSync(outputs, 'utf8'), new RegExp(`${Outputs.Failed}<<(\\S+)\\ntrue\\n\\1`));
  assert.match(readFileSync(summary, 'utf8'), /leak/i);

  const passing = await runNode(ACTION, [], { cwd: dir, env: env({ 'INPUT_REPORT-PATH': join(dir, 'action-merged-2.json'), 'INPUT_FAIL-ON': 'none', 'INPUT_MEMORY-LIMIT': '1GiB' }) });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.equal(readJson<Report>(join(dir, 'action-merged-2.json')).summary.memoryLimitBytes, 1024 * 1024 * 1024);
});

test('reports of a different config are refused, naming the setting that differs', async () => {
  const otherPath = writeConfig(dir, config(20), 'other.yml');
  mkdirSync(join(dir, 'reports', 'shard-3'));
  const other = await runCli(['run', '--config', otherPath, '--no-progress', '--report', join(dir, 'reports', 'shard-3', 'leakgate-report.json')]);
  assert.equal(other.code, 0, other.stdout + other.stderr);
  const refused = await runCli(['merge', '--report', join(dir, 'merged2.json'), join(dir, 'reports')], { cwd: dir });
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /different config .*load\.connections: 10 vs 20/);
});
