// Accepting a measured growth against the local GitHub REST stand-in: a writer's label and a writer's
// `/leakgate accept <reason>` pass the gate and show in the sticky comment (who, when, why, figures); a non-writer's
// label or comment and a fork's report claiming an acceptance are refused; a later, worse run of the same pull
// request fails again; the push that merges the accepted pull request saves a baseline carrying the acceptance into
// a real git branch store, and the next comparison starts from it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acceptGrowth } from '../../src/accept/resolve-acceptance.js';
import { createBranchStore } from '../../src/baseline/branch-store.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Logger } from '../../src/core/logger.js';
import type { Report } from '../../src/core/types.js';
import { readEventContext } from '../../src/github/event-context.js';
import { commentFromReport } from '../../src/pipeline/comment-from-report.js';
import { publishComment } from '../../src/pipeline/publish-comment.js';
import { makeReport } from '../support/report-fixture.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { tempDir } from './helpers.js';

const MERGE_SHA = 'c'.repeat(40);
const root = tempDir('leakgate-accept-');
let github: FakeGitHub;
const config: Config = loadConfig({
  file: { name: 'api-server', app: { command: ['node', 's.js'], ready: { port: 3000 } }, load: { url: 'http://127.0.0.1:3000/' } },
  fileLabel: 'leakgate.yml',
  baseDir: root,
  overrides: {},
  overrideLabels: {},
});

before(async () => {
  github = await startFakeGitHub({
    permissions: { alice: 'maintain', trent: 'triage', mallory: 'read' },
    pulls: [{ number: 12, state: 'closed', headSha: 'b'.repeat(40), headRef: 'cache', commits: [MERGE_SHA] }],
    events: [
      { issue: 12, event: 'labeled', label: 'leakgate-accept', actor: 'alice' },
      { issue: 21, event: 'labeled', label: 'leakgate-accept', actor: 'trent' },
    ],
    comments: [
      { issue: 13, body: '/leakgate accept I wrote this', author: 'mallory' },
      { issue: 14, body: 'Looks right.\n/leakgate accept the session cache keeps 10k entries by design', author: 'alice' },
    ],
  });
});
after(async () => {
  await github.close();
  rmSync(root, { recursive: true, force: true });
});

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, debug() {}, warn: (m) => warnings.push(m) };
}

function prContext(pr: number, fork = false) {
  const repo = { full_name: 'octo/app', default_branch: 'main' };
  return readEventContext(
    { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: github.url, GITHUB_EVENT_NAME: 'pull_request', GITHUB_RUN_ID: '77' },
    { pull_request: { number: pr, head: { sha: 'b'.repeat(40), ref: 'cache', repo: { full_name: fork ? 'someone/app' : 'octo/app' } }, base: { sha: 'a'.repeat(40), ref: 'main', repo } }, repository: repo },
  );
}

/** A leaking run that regresses: the gate failed on growth alone. */
function grownReport(slope: number): Report {
  return makeReport([{ verdict: 'leak', slope }], {
    gate: { failed: true, reasons: [`leak: anon memory grows ${slope} bytes per request`, `regression: ${slope} B/req against 40 B/req`] },
  });
}

async function comment(report: Report, pr: number): Promise<string> {
  await publishComment({ report, mode: 'always', token: 'write-token', apiUrl: github.url, owner: 'octo', repo: 'app', pr, logger: logger() });
  return github.comments.find((c) => c.issue === pr && c.body.includes('leakgate:name=api-server'))!.body;
}

test("a maintainer's label accepts: the gate passes, the comment says who, when, why and the figures; a worse later run fails again", async () => {
  const report = grownReport(300);
  await acceptGrowth(report, { config, context: prContext(12), token: 'write-token', today: new Date(), logger: logger() });
  assert.equal(report.gate.failed, false);
  assert.equal(report.acceptance?.by, 'alice');
  assert.equal(report.acceptance?.source, 'label');
  assert.equal(report.acceptance?.acceptedReasons.length, 2);
  // The permission was asked of the API, for the label's author.
  assert.ok(github.requests.some((r) => r.path === '/repos/octo/app/collaborators/alice/permission' && r.status === 200));
  const body = await comment(report, 12);
  // escapeMarkdown puts a zero-width space after @ and # so they do not mention or link.
  assert.match(body, /Growth accepted\*\* by @\u200balice \(label on \\#\u200b12, 2024-01-01 \d\d:\d\d UTC\): label 'leakgate-accept'/);
  assert.match(body, /\| Bytes \/ request \| 300 B\/req \|/);
  assert.match(body, /leakgate:accepted=/);

  // The same pull request pushes a bigger leak: the record in the comment holds it to what was accepted.
  const worse = grownReport(900);
  await acceptGrowth(worse, { config, context: prContext(12), token: 'write-token', today: new Date(), logger: logger() });
  assert.equal(worse.gate.failed, true);
  assert.equal(worse.acceptance?.covered, false);
  assert.match(worse.gate.reasons.at(-1)!, /accepted growth does not cover this run: @alice .* accepted 300 B\/req.*900 B\/req/);
  assert.match(await comment(worse, 12), /Accepted growth exceeded/);
});

test("a writer's comment command accepts with its reason; a non-writer's label or comment is refused", async () => {
  const byComment = grownReport(300);
  await acceptGrowth(byComment, { config, context: prContext(14), token: 'write-token', today: new Date(), logger: logger() });
  assert.equal(byComment.gate.failed, false);
  assert.equal(byComment.acceptance?.reason, 'the session cache keeps 10k entries by design');
  assert.equal(byComment.acceptance?.source, 'comment');

  for (const [pr, who, role] of [[21, 'trent', 'triage'], [13, 'mallory', 'read']] as const) {
    const report = grownReport(300);
    const log = logger();
    await acceptGrowth(report, { config, context: prContext(pr), token: 'write-token', today: new Date(), logger: log });
    assert.equal(report.gate.failed, true, `#${pr}`);
    assert.equal(report.acceptance, undefined);
    assert.ok(log.warnings.some((w) => w.includes(`@${who} has ${role} access; accepting needs write`)), log.warnings.join('\n'));
  }
});

test("a fork's config entry and a fork's report claiming an acceptance are refused", async () => {
  const forkConfig = { ...config, accept: { ...config.accept, entry: { maxBytesPerRequest: 10_000, reason: 'trust me', expires: '2999-01-01' } } };
  const report = grownReport(300);
  const log = logger();
  await acceptGrowth(report, { config: forkConfig, context: prContext(21, true), token: 'write-token', today: new Date(), logger: log });
  assert.equal(report.gate.failed, true);
  assert.ok(log.warnings.some((w) => /fork/.test(w)));

  // The fork's pull_request run wrote a report that says mallory accepted; comment mode posts it on #21.
  const forged = makeReport([{ verdict: 'leak', slope: 300 }], { gate: { failed: false, reasons: [] } });
  forged.acceptance = { by: 'mallory', at: '2024-01-01T00:00:00Z', reason: 'trust me', source: 'label', bytesPerRequest: 300, peakBytes: 1, maxBytesPerRequest: 1e9, maxPeakBytes: 1e12, covered: true, acceptedReasons: ['leak: anon memory grows 300 bytes per request'] };
  const file = join(root, 'fork-report.json');
  writeFileSync(file, JSON.stringify(forged));
  const outcome = await commentFromReport({ reportPath: file, cwd: root, env: { GITHUB_TOKEN: 'write-token', GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: github.url }, pr: '21', logger: logger() });
  assert.equal(outcome.ok, true);
  const body = github.comments.find((c) => c.issue === 21)!.body;
  assert.doesNotMatch(body, /Growth accepted|mallory/);
  assert.match(body, /The gate failed/);
});

test('the merge of the accepted pull request saves a baseline carrying the acceptance; the next comparison starts from it', async () => {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  Object.assign(env, { HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
  const origin = join(root, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', origin], { env });
  const store = createBranchStore({ remote: origin, env });
  const save = (report: Report, sha: string, savedAt: string) => store.save({ report, sha, branch: 'main', configName: 'api-server', savedAt });
  await save(makeReport([{ verdict: 'no-leak', slope: 0 }]), '1'.repeat(40), '2024-01-03T00:00:00.000Z');

  const push = readEventContext(
    { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: github.url, GITHUB_EVENT_NAME: 'push', GITHUB_SHA: MERGE_SHA, GITHUB_REF: 'refs/heads/main' },
    { ref: 'refs/heads/main', repository: { full_name: 'octo/app', default_branch: 'main' } },
  );
  const merged = grownReport(310);
  await acceptGrowth(merged, { config, context: push, token: 'write-token', today: new Date(), logger: logger() });
  assert.equal(merged.gate.failed, false);
  // Held to the bounds recorded on #12 by its pull request run, not fixed afresh.
  assert.equal(merged.acceptance?.bytesPerRequest, 300);
  assert.equal(merged.acceptance?.pr, 12);
  await save(merged, MERGE_SHA, '2024-01-04T00:00:00.000Z');
  await save(makeReport([{ verdict: 'leak', slope: 305 }]), 'd'.repeat(40), '2024-01-05T00:00:00.000Z');

  const loaded = await store.load({ configName: 'api-server', branch: 'main', limit: 10 });
  assert.deepEqual(loaded.entries.map((e) => e.sha.slice(0, 1)), ['d', 'c'], 'history stops at the accepted entry');
  assert.equal(loaded.entries[1]!.report.acceptance?.by, 'alice');
  assert.equal(loaded.entries[1]!.report.acceptance?.reason, "label 'leakgate-accept'");
  const whole = await store.load({ configName: 'api-server', branch: 'main', limit: 10, wholeHistory: true });
  assert.equal(whole.entries.length, 3);
});
