// Same-runner A/B through the real CLI: a git repository whose previous commit is clean and whose head leaks;
// leakgate checks the previous commit out into a worktree, runs its setup there, interleaves base and head
// trials, and reports the regression against the base with no stored baseline.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Report } from '../../src/core/types.js';
import { EXAMPLES, freePort, processesWithRunIdPrefix, readJson, runCli, startCli, tempDir, waitFor, writeConfig } from './helpers.js';

const RUN = `ab-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).trim();
}

test('A/B against the previous commit finds the regression its change brings', async () => {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'app'), { recursive: true });
  const port = await freePort();
  // The config is the same on both sides (the head's); the code differs: the head's server keeps 4 KiB a request.
  const config = {
    name: `${RUN}-ab`,
    app: { command: ['node', 'server.js'], cwd: 'app', env: { PORT: port }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
    load: { duration: '8s' },
    // A short run stands on the live heap after GC (anon of a fresh Node process climbs while V8 sizes itself),
    // read as often as a 10% pause budget allows: the leaking head's heap grows to ~100 MB, whose forced GCs
    // take tens of milliseconds, which the default 3% budget would space a second apart.
    analysis: { metric: 'heap' },
    runtime: { 'pause-budget': 0.1 },
    // The setup proves it ran in the base worktree: the file it makes is checked below.
    baseline: { ref: 'HEAD~1', setup: ['node', '-e', "require('fs').writeFileSync('setup-ran', process.cwd())"], pairs: 1 },
    'fail-on': ['regression'],
    report: join(dir, 'report.json'),
  };
  const server = readFileSync(join(EXAMPLES, 'node-leak', 'server.js'), 'utf8');
  const leakDefault = "Number(process.env.LEAK_BYTES ?? '1024')";
  assert.ok(server.includes(leakDefault));
  gitIn(repo, 'init', '-q', '-b', 'main');
  writeConfig(repo, config);
  writeFileSync(join(repo, 'app', 'server.js'), server.replace(leakDefault, '0'));
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-q', '-m', 'clean');
  writeFileSync(join(repo, 'app', 'server.js'), server.replace(leakDefault, '4096'));
  gitIn(repo, 'commit', '-q', '-am', 'leak');

  const r = await runCli(['run', '--config', join(repo, 'leakgate.yml'), '--no-progress'], { limitMs: 90_000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const report = readJson<Report>(join(dir, 'report.json'));
  assert.equal(report.baseline?.store, 'ab');
  assert.equal(report.baseline?.sha, gitIn(repo, 'rev-parse', 'HEAD~1'));
  assert.equal(report.trials.length, 1, 'the head trial is this run; the base trial is the baseline');
  assert.equal(report.comparison?.slope.verdict, 'regression');
  assert.ok(report.comparison!.slope.head > 2000 && report.comparison!.slope.base < 500, JSON.stringify(report.comparison!.slope));
  assert.ok(report.baseline!.curve.length > 2, 'the base curve is kept for the chart');
  assert.match(r.stderr, /setup in the base worktree/);
  assert.ok(!existsSync(join(repo, 'setup-ran')), 'setup ran in the worktree, not in the checkout');
  assert.equal(gitIn(repo, 'worktree', 'list').split('\n').length, 1, 'the worktree is removed');
});

test('SIGINT during an A/B run: no further trial starts, the report is interrupted, the worktree is removed', async () => {
  const repo = join(dir, 'repo');
  const port = await freePort();
  const config = {
    name: `${RUN}-ab-int`,
    app: { command: ['node', 'server.js'], cwd: 'app', env: { PORT: port }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
    load: { duration: '30s' },
    baseline: { ref: 'HEAD~1', pairs: 2 },
    report: join(dir, 'report-int.json'),
  };
  writeConfig(repo, config, 'interrupt.yml');
  const run = startCli(['run', '--config', join(repo, 'interrupt.yml'), '--no-progress'], repo);
  // The base trial comes first; the signal lands while it loads (its samples are on the way).
  await waitFor('the first A/B trial to start its load', () => /A\/B trial 1\/4[^]*app ready/.test(run.stderr()), 60_000);
  run.child.kill('SIGINT');
  assert.equal(await run.exited, 130, run.stderr());
  assert.doesNotMatch(run.stderr(), /A\/B trial 2\/4/, 'no trial starts after the signal');
  const report = readJson<Report>(join(dir, 'report-int.json'));
  assert.equal(report.summary.verdict, 'interrupted');
  assert.equal(report.interrupted?.signal, 'SIGINT');
  assert.equal(report.gate.failed, true);
  assert.equal(gitIn(repo, 'worktree', 'list').split('\n').length, 1, 'the worktree is removed');
  assert.deepEqual(processesWithRunIdPrefix(`${RUN}-ab-int`), []);
});

test('a ref that is not a commit is a config error naming it', async () => {
  const repo = join(dir, 'repo');
  const bad = writeConfig(repo, { name: `${RUN}-bad`, app: { command: ['node', 'x.js'], ready: { port: 1 } }, load: { url: 'http://127.0.0.1:1/' }, baseline: { ref: 'no-such-branch' } }, 'bad.yml');
  const b = await runCli(['run', '--config', bad, '--no-progress'], { limitMs: 30_000 });
  assert.equal(b.code, 2);
  assert.match(b.stderr, /baseline\.ref 'no-such-branch' is not a commit/);
});
