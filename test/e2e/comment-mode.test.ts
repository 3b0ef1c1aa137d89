// Comment mode in a workflow_run (the fork setup's second workflow) against the local fake GitHub API: the
// report is an artifact the fork's code wrote, so its PR number, run link and commit are not trusted. The PR
// comes from the event or the API (by the run's head commit), the link from the event, and a report of another
// commit is refused without writing anything.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commentFromReport } from '../../src/pipeline/comment-from-report.js';
import type { Logger } from '../../src/core/logger.js';
import type { Report } from '../../src/core/types.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { makeReport } from '../support/report-fixture.js';
import { tempDir } from './helpers.js';

const HEAD = 'c'.repeat(40);
const RUN_PAGE = 'https://github.com/octo/app/actions/runs/777';
const FORGED_LINK = 'https://evil.example/phish';
const dir = tempDir();
let github: FakeGitHub;

before(async () => {
  // PR #12 is the fork's; #99 is someone else's PR the forged report names.
  github = await startFakeGitHub({
    pulls: [
      { number: 12, headSha: HEAD, headRef: 'feature', headRepo: 'mallory/app' },
      { number: 99, headSha: 'e'.repeat(40), headRef: 'victim', headRepo: 'octo/app' },
    ],
  });
});
after(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

function forgedReport(step: string, source: Report['source'], name = 'api'): string {
  const path = join(dir, `${step}.json`);
  writeFileSync(path, JSON.stringify(makeReport([{ verdict: 'no-leak', slope: 0 }], { name, source })));
  return path;
}

function workflowRunEnv(step: string, pullRequests: Array<{ number: number }>): NodeJS.ProcessEnv {
  const event = join(dir, `${step}-event.json`);
  const workflowRun = {
    id: 777,
    event: 'pull_request',
    head_sha: HEAD,
    head_branch: 'feature',
    head_repository: { full_name: 'mallory/app' },
    html_url: RUN_PAGE,
    pull_requests: pullRequests,
  };
  writeFileSync(event, JSON.stringify({ action: 'completed', workflow_run: workflowRun, repository: { full_name: 'octo/app', default_branch: 'main' } }));
  return {
    GITHUB_EVENT_NAME: 'workflow_run',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_API_URL: github.url,
    GITHUB_RUN_ID: '888',
    GITHUB_TOKEN: 'write-token',
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, debug() {}, warn: (m) => warnings.push(m) };
}

const commentsOn = (issue: number) => github.comments.filter((c) => c.issue === issue);

describe('comment mode in a workflow_run', () => {
  it("ignores a forged report.source.pr and runUrl: the PR is found by the run's head commit, the link is the event's", async () => {
    const reportPath = forgedReport('forged-pr', { sha: HEAD, pr: 99, runUrl: FORGED_LINK });
    const logger = recordingLogger();
    const outcome = await commentFromReport({ reportPath, cwd: dir, env: workflowRunEnv('forged-pr', []), logger });
    assert.equal(outcome.status, 'created', outcome.message);
    assert.equal(commentsOn(99).length, 0, 'nothing on the PR the report named');
    assert.equal(commentsOn(12).length, 1);
    const body = commentsOn(12)[0]!.body;
    assert.ok(body.includes(RUN_PAGE), body);
    assert.ok(!body.includes(FORGED_LINK), body);
    assert.ok(github.requests.some((r) => r.path === `/repos/octo/app/commits/${HEAD}/pulls`), 'looked the PR up by commit');
    assert.match(logger.warnings.join('\n'), /report says PR #99; ignored, commenting on #12/);
  });

  it('takes the PR from the event when GitHub lists it, without asking the API', async () => {
    const before = github.requests.length;
    const reportPath = forgedReport('from-event', { sha: HEAD, pr: 99 }, 'api-two');
    const outcome = await commentFromReport({ reportPath, cwd: dir, env: workflowRunEnv('from-event', [{ number: 12 }]), logger: recordingLogger() });
    assert.equal(outcome.status, 'created', outcome.message);
    assert.equal(commentsOn(99).length, 0);
    assert.ok(!github.requests.slice(before).some((r) => r.path.endsWith('/pulls')), 'no PR lookup');
  });

  it("refuses a report whose commit is not the run's head commit, and writes nothing", async () => {
    const writes = () => github.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const reportPath = forgedReport('other-sha', { sha: 'd'.repeat(40), pr: 12 });
    await assert.rejects(
      commentFromReport({ reportPath, cwd: dir, env: workflowRunEnv('other-sha', [{ number: 12 }]), logger: recordingLogger() }),
      new RegExp(`source\\.sha ${'d'.repeat(40)}\\) differs from the triggering run's head commit \\(workflow_run\\.head_sha ${HEAD}\\)`),
    );
    assert.equal(writes(), before);
  });

  it('refuses a report name no config can have (it would pick the marker)', async () => {
    const reportPath = forgedReport('bad-name', { sha: HEAD }, 'api --> <img src=x>');
    await assert.rejects(
      commentFromReport({ reportPath, cwd: dir, env: workflowRunEnv('bad-name', [{ number: 12 }]), logger: recordingLogger() }),
      /has the name "api --> <img src=x>", which no config can have/,
    );
  });

  it('says so when no open PR has the head commit', async () => {
    const reportPath = forgedReport('no-pr', { sha: HEAD });
    const env = workflowRunEnv('no-pr', []);
    const gh = await startFakeGitHub({ pulls: [] });
    try {
      await assert.rejects(
        commentFromReport({ reportPath, cwd: dir, env: { ...env, GITHUB_API_URL: gh.url }, logger: recordingLogger() }),
        new RegExp(`no open pull request of octo/app has the head commit ${HEAD}`),
      );
      assert.ok(gh.requests.some((r) => r.path === '/repos/octo/app/pulls' && r.query.head === 'mallory:feature'), 'also asked by head branch');
    } finally {
      await gh.close();
    }
  });
});
