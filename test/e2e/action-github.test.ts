// The bundled Action through a whole GitHub loop, with the runner's environment and a local server that speaks
// GitHub's REST shapes: a pull request with no baseline yet (passes, says so, comments), a push to main that
// saves the baseline to a file store, a leaking pull request that regresses against it (fails, updates the
// same comment), a fork pull request whose token cannot comment (still decides, warns), and comment mode
// posting from a saved report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Outputs } from '../../src/action/inputs.js';
import type { Report } from '../../src/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { ACTION, freePort, processesWithRunIdPrefix, readJson, ROOT, runNode, tempDir } from './helpers.js';

const RUN = `gh-${randomBytes(3).toString('hex')}`;
const NAME = `${RUN}-api`;
const dir = tempDir();
const store = join(dir, 'baselines.json');
let github: FakeGitHub;

before(async () => {
  github = await startFakeGitHub();
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
  event: 'pull_request' | 'push';
  leakBytes: number;
  token?: string;
  fork?: boolean;
  extra?: Record<string, string>;
}

async function runAction(step: string, run: Run) {
  const port = await freePort();
  const files = { summary: join(dir, `${step}.md`), outputs: join(dir, `${step}.out`), event: join(dir, `${step}.json`), report: join(dir, `${step}-report.json`) };
  writeFileSync(files.summary, '');
  writeFileSync(files.outputs, '');
  const repo = { full_name: 'octo/app', default_branch: 'main' };
  const payload = run.event === 'pull_request'
    ? { pull_request: { number: 12, head: { sha: 'b'.repeat(40), ref: 'feature', repo: { full_name: run.fork ? 'someone/app' : 'octo/app' } }, base: { sha: 'a'.repeat(40), ref: 'main', repo } }, repository: repo }
    : { ref: 'refs/heads/main', after: 'a'.repeat(40), repository: repo };
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
  writeFileSync(join(dir, 'leakgate.yml'), `app:\n  cwd: ${ROOT}\nbaseline:\n  path: ${store}\n  min-history: 1\n`);
  env.INPUT_CONFIG = join(dir, 'leakgate.yml');
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
