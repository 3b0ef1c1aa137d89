// Where a comment from a workflow_run goes: the report's commit must be the run's head commit, and the pull
// request is the open one whose head IS that commit in this repository, never one that merely contains it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PullRequestRef } from '../../src/github/client.js';
import type { WorkflowRunContext } from '../../src/github/event-context.js';
import { checkReportCommit, pickPullRequest, workflowRunUrl } from '../../src/github/workflow-run-target.js';

const HEAD = 'c'.repeat(40);
const run: WorkflowRunContext = {
  id: 77,
  event: 'pull_request',
  headSha: HEAD,
  headBranch: 'feature',
  headRepo: 'mallory/app',
  conclusion: 'success',
  htmlUrl: 'https://github.com/octo/app/actions/runs/77',
  prNumbers: [],
};
const pr = (number: number, extra: Partial<PullRequestRef> = {}): PullRequestRef => ({
  number,
  state: 'open',
  headSha: HEAD,
  headRef: 'feature',
  headRepo: 'mallory/app',
  baseRepo: 'octo/app',
  ...extra,
});

describe('checkReportCommit', () => {
  it('accepts the run head commit, in any case', () => {
    assert.doesNotThrow(() => checkReportCommit(HEAD.toUpperCase(), run));
  });
  it('refuses a report of another commit, naming both', () => {
    assert.throws(() => checkReportCommit('d'.repeat(40), run), (e: Error) => {
      assert.match(e.message, new RegExp(`source\\.sha ${'d'.repeat(40)}`));
      assert.match(e.message, new RegExp(`workflow_run\\.head_sha ${HEAD}`));
      return true;
    });
  });
  it('refuses a report that records no commit', () => {
    assert.throws(() => checkReportCommit(undefined, run), /does not record the commit it measured \(source\.sha\)/);
  });
  it('refuses an event without head_sha', () => {
    assert.throws(() => checkReportCommit(HEAD, { ...run, headSha: null }), /no 'workflow_run\.head_sha'/);
  });
});

describe('pickPullRequest', () => {
  const want = { repo: 'octo/app', headSha: HEAD };
  it('takes the open PR of this repository whose head is the commit', () => {
    assert.equal(pickPullRequest([pr(5, { state: 'closed' }), pr(6, { baseRepo: 'other/app' }), pr(7)], want), 7);
  });
  it('does not take a PR that only contains the commit further down', () => {
    assert.equal(pickPullRequest([pr(8, { headSha: 'e'.repeat(40), headRepo: 'victim/app' })], want), null);
  });
  it('refuses to guess between two PRs with the same head', () => {
    assert.throws(() => pickPullRequest([pr(3), pr(4)], want), /head of several open pull requests \(#3, #4\)/);
  });
});

describe('workflowRunUrl', () => {
  it("is the event's html_url, else built from the run id", () => {
    assert.equal(workflowRunUrl(run, 'https://github.com', 'octo/app'), 'https://github.com/octo/app/actions/runs/77');
    assert.equal(workflowRunUrl({ ...run, htmlUrl: null, id: 78 }, 'https://ghe.example.com', 'octo/app'), 'https://ghe.example.com/octo/app/actions/runs/78');
    assert.equal(workflowRunUrl({ ...run, htmlUrl: null, id: null }, 'https://github.com', 'octo/app'), null);
  });
});
