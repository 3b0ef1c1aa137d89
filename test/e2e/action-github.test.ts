// The bundled Action through a whole GitHub loop, with the runner's environment and a local server that speaks
// GitHub's REST shapes: a pull request with no baseline yet (passes, says so, comments), a push to main that
// saves the baseline to a file store when asked, a leaking pull request that regresses against it (fails, updates
// the same comment), one where only the regression fails the step (fail-on: regression), the same one when too few
// baseline trials make the check advisory (passes, warns), fail-on-missing without a baseline, a fork pull request whose token cannot comment (still decides, warns), and comment mode
// posting from a saved report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Outputs } from '../../src/action/inputs.js';
import type { Report } from '../../src/core/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { ACTION, freePort, processesWithRunIdPrefix, readJson, ROOT, runNode, tempDir } from './helpers.js';

const RUN = `gh-${randomBytes(3).toString('hex')}`;
const NAME = `${RUN}-api`;
const dir = tempDir();
const store = join(dir, 'baselines.json');
let github: FakeGitHub;

before(async () => {
  // PR #12 from a fork, for comment mode in a workflow_run to find by its head commit.
  github = await startFakeGitHub({ pulls: [{ number: 12, headSha: 'b'.repeat(40), headRef: 'feature', headRepo: 'someone/app' }] });
});
after(async () => {
  await github.close();
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!;
  return out;
}

interface Run {
  event: 'pull_request' | 'push' | 'workflow_run';
  /** The event payload, instead of the one built for a pull request or a push. */
  payload?: object;
  leakBytes: number;
  token?: string;
  fork?: boolean;
  extra?: Record<string, string>;
  /** The config's baseline section, instead of the shared file store with min-history 1. */
  baseline?: string;
}

async function runAction(step: string, run: Run) {
  const port = await freePort();
  const files = { summary: join(dir, `${step}.md`), outputs: join(dir, `${step}.out`), event: join(dir, `${step}.json`), report: join(dir, `${step}-report.json`) };
  writeFileSync(files.summary, '');
  writeFileSync(files.outputs, '');
  const repo = { full_name: 'octo/app', default_branch: 'main' };
  const payload = run.payload ?? (run.event === 'pull_request'
    ? { pull_request: { number: 12, head: { sha: 'b'.repeat(40), ref: 'feature', repo: { full_name: run.fork ? 'someone/app' : 'octo/app' } }, base: { sha: 'a'.repeat(40), ref: 'main', repo } }, repository: repo }
    : { ref: 'refs/heads/main', after: 'a'.repeat(40), repository: repo });
  writeFileSync(files.event, JSON.stringify(payload));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: ROOT,
    GITHUB_EVENT_NAME: run.event,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.outputs,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: github.url,
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: run.event === 'push' ? 'refs/heads/main' : 'refs/pull/12/merge',
    GITHUB_REF_NAME: run.event === 'push' ? 'main' : '12/merge',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: dir,
    INPUT_NAME: NAME,
    INPUT_COMMAND: 'node examples/node-leak/server.js',
    'INPUT_WORKING-DIRECTORY': '.',
    INPUT_ENV: `PORT=${port}\nLEAK_BYTES=${run.leakBytes}`,
    'INPUT_READY-URL': `http://127.0.0.1:${port}/healthz`,
    INPUT_DURATION: '8s',
    'INPUT_REPORT-PATH': files.report,
    'INPUT_BASELINE-STORE': 'file',
    'INPUT_GITHUB-TOKEN': run.token ?? 'write-token',
    'INPUT_FAIL-ON': 'leak,regression',
    ...run.extra,
  };
  // The file store's path is relative to the working directory: point it at the temp dir through the config.
  const config = join(dir, `${step}.yml`);
  writeFileSync(config, `app:\n  cwd: ${ROOT}\nbaseline:\n${run.baseline ?? `  path: ${store}\n  min-history: 1\n`}`);
  env.INPUT_CONFIG = config;
  const r = await runNode(ACTION, [], { cwd: ROOT, env });
  return {
    ...r,
    summary: readFileSync(files.summary, 'utf8'),
    outputs: parseOutputs(readFileSync(files.outputs, 'utf8')),
    report: existsSync(files.report) ? readJson<Report>(files.report) : undefined,
  };
}

const marked = () => github.comments.filter((c) => c.body.includes(`<!-- leakgate:name=${encodeURIComponent(NAME)} -->`));

test('a pull request with no baseline yet passes, says so, and gets one sticky comment', async () => {
  const r = await runAction('pr-first', { event: 'pull_request', leakBytes: 0 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.summary, /no baseline yet/);
  assert.equal(r.outputs[Outputs.BaselineSaved], 'false', 'pull requests never save');
  assert.ok(!existsSync(store));
  assert.equal(marked().length, 1);
  assert.match(marked()[0]!.body, /No leak/);
  assert.match(marked()[0]!.body, /actions\/runs\/4242/);
  assert.match(r.outputs[Outputs.CommentUrl] ?? '', new RegExp(`#issuecomment-${marked()[0]!.id}$`));
});

test('a push to main saves the baseline when asked (the file store writes only then)', async () => {
  const r = await runAction('push-main', { event: 'push', leakBytes: 0, extra: { 'INPUT_SAVE-BASELINE': 'true' } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs[Outputs.BaselineSaved], 'true', r.stdout);
  const saved = JSON.parse(readFileSync(store, 'utf8')) as { entries: Array<{ sha: string; branch: string }> };
  assert.equal(saved.entries.length, 1);
  assert.equal(saved.entries[0]!.sha, 'a'.repeat(40));
  assert.equal(saved.entries[0]!.branch, 'main');
  assert.equal(marked().length, 1, 'a push does not comment');
});

test('a leaking pull request regresses against the saved baseline and updates the same comment', async () => {
  const before = readFileSync(store, 'utf8');
  const r = await runAction('pr-leak', { event: 'pull_request', leakBytes: 4096 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.outputs[Outputs.Verdict], 'leak');
  assert.equal(r.outputs[Outputs.Regression], 'true');
  assert.equal(r.outputs[Outputs.BaselineSha], 'a'.repeat(40));
  assert.ok(Number(r.outputs[Outputs.BytesPerRequestChange]) > 2000);
  assert.match(r.stdout, /::error title=leakgate[^:]*::.*regress/i);
  assert.match(r.summary, /main @ aaaaaaa/);
  assert.equal(readFileSync(store, 'utf8'), before, 'a pull request leaves the store untouched');
  assert.equal(marked().length, 1, 'updated in place, never duplicated');
  assert.match(marked()[0]!.body, /Leak/);
  assert.ok(github.requests.some((q) => q.method === 'PATCH'), 'the comment was PATCHed');
});

test('a leaking pull request with fail-on: regression fails on the regression alone', async () => {
  const r = await runAction('pr-regression-only', { event: 'pull_request', leakBytes: 4096, extra: { 'INPUT_FAIL-ON': 'regression' } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.outputs[Outputs.Verdict], 'leak', 'it leaks, but leak is not in fail-on');
  assert.equal(r.outputs[Outputs.Regression], 'true');
  const reasons = r.report?.gate.reasons ?? [];
  assert.ok(reasons.length > 0 && reasons.every((x) => x.startsWith('regression: ')), reasons.join('\n'));
  assert.match(r.stdout, /::error title=leakgate[^:]*::regression: slope regressed/);
});

test('the same leaking pull request with min-history above the stored trials passes and warns the check is advisory', async () => {
  const r = await runAction('pr-advisory', { event: 'pull_request', leakBytes: 4096, extra: { 'INPUT_FAIL-ON': 'regression' }, baseline: `  path: ${store}\n  min-history: 3\n` });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.report?.comparison?.advisory, true);
  assert.match(r.stdout, /::warning::regression check is advisory: the baseline has 1 trial\(s\), min-history is 3/);
  assert.match(r.summary, /regression check is advisory: the baseline has 1 trial\(s\), min-history is 3/);
});

test('baseline.fail-on-missing fails a pull request that has no baseline yet, and says why', async () => {
  const empty = join(dir, 'empty-store.json');
  const r = await runAction('pr-missing', {
    event: 'pull_request',
    leakBytes: 0,
    extra: { 'INPUT_FAIL-ON': 'leak', INPUT_DURATION: '3s' },
    baseline: `  path: ${empty}\n  fail-on-missing: true\n`,
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.report?.gate.reasons.length, 1, r.report?.gate.reasons.join('\n'));
  assert.match(r.report?.gate.reasons[0] ?? '', /^no baseline: no baseline yet for '.*' on main.*\(baseline\.fail-on-missing is true\)$/);
  assert.ok(!existsSync(empty), 'a pull request writes no store');
});

test('a fork pull request with a read-only token still decides and warns it could not comment', async () => {
  const r = await runAction('pr-fork', { event: 'pull_request', leakBytes: 0, token: 'read-token', fork: true });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs[Outputs.Verdict], 'no-leak');
  assert.match(r.stdout, /::warning::could not comment on PR #12: .*fork/i);
  assert.ok(r.summary.length > 100, 'the job summary is still written');
});

test('comment mode posts from a saved report without running anything', async () => {
  const report = join(dir, 'pr-leak-report.json');
  const saved = readJson<Report>(report);
  saved.summary.verdict = 'no-leak';
  saved.gate = { failed: false, reasons: [] };
  writeFileSync(join(dir, 'saved.json'), JSON.stringify(saved));
  const r = await runAction('comment', { event: 'pull_request', leakBytes: 0, extra: { INPUT_MODE: 'comment', 'INPUT_REPORT-PATH': join(dir, 'saved.json') } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /app ready/, 'nothing ran');
  assert.equal(marked().length, 1);
  assert.match(marked()[0]!.body, /No leak/);
});

/** A workflow_run event of the measuring workflow on the fork's PR: GitHub lists no pull request for forks. */
const workflowRunPayload = (headSha: string) => ({
  action: 'completed',
  workflow_run: { id: 5150, event: 'pull_request', head_sha: headSha, head_branch: 'feature', head_repository: { full_name: 'someone/app' }, html_url: 'https://github.com/octo/app/actions/runs/5150', pull_requests: [] },
  repository: { full_name: 'octo/app', default_branch: 'main' },
});

function forgedReport(file: string, sha: string): string {
  const saved = readJson<Report>(join(dir, 'pr-leak-report.json'));
  saved.source = { ...saved.source, sha, pr: 77, runUrl: 'https://evil.example/run' };
  writeFileSync(join(dir, file), JSON.stringify(saved));
  return join(dir, file);
}

test("comment mode in a workflow_run comments on the run's PR with the event's link, whatever the report says", async () => {
  const path = forgedReport('forged.json', 'b'.repeat(40));
  const r = await runAction('wr-comment', { event: 'workflow_run', payload: workflowRunPayload('b'.repeat(40)), leakBytes: 0, extra: { INPUT_MODE: 'comment', 'INPUT_REPORT-PATH': path } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(github.comments.filter((c) => c.issue === 77).length, 0, 'not on the PR the report names');
  assert.equal(marked().length, 1);
  assert.equal(marked()[0]!.issue, 12);
  assert.match(marked()[0]!.body, /actions\/runs\/5150/);
  assert.doesNotMatch(marked()[0]!.body, /evil\.example/);
  assert.match(r.stdout, /::warning::comment: the report says PR #77; ignored, commenting on #12/);
});

test("comment mode in a workflow_run refuses a report of another commit than the run's head", async () => {
  const before = github.requests.filter((q) => q.method !== 'GET').length;
  const path = forgedReport('other-commit.json', 'd'.repeat(40));
  const r = await runAction('wr-mismatch', { event: 'workflow_run', payload: workflowRunPayload('b'.repeat(40)), leakBytes: 0, extra: { INPUT_MODE: 'comment', 'INPUT_REPORT-PATH': path } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /::error::comment: the report's commit \(source\.sha d{40}\) differs from the triggering run's head commit \(workflow_run\.head_sha b{40}\)/);
  assert.equal(github.requests.filter((q) => q.method !== 'GET').length, before, 'nothing written');
});
