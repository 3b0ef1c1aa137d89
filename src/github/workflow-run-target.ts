// Where a comment posted from a `workflow_run` goes. In the two-workflow fork setup the report is an artifact
// written by the fork's own code, so nothing in it may pick the pull request, the run link or the commit: the
// event payload (written by GitHub) and the API decide, and a report of another commit than the one the
// triggering run measured is refused. The choices are pure (checkReportCommit, pickPullRequest); only
// findWorkflowRunPullRequest calls the API.
import { ConfigError } from '../core/errors.js';
import type { GitHubClient, PullRequestRef } from './client.js';
import { runUrlOf, type WorkflowRunContext } from './event-context.js';

/** Refuses a report that does not say it measured the triggering run's head commit. */
export function checkReportCommit(reportSha: string | undefined, run: WorkflowRunContext): void {
  if (!run.headSha) {
    throw new ConfigError("comment: the workflow_run event has no 'workflow_run.head_sha', so the report cannot be checked against the commit that was measured");
  }
  if (!reportSha) {
    throw new ConfigError(
      `comment: the report does not record the commit it measured (source.sha); the triggering run measured ${run.headSha}. ` +
        'Refusing to comment from a report that may not belong to this run: use the report that run uploaded',
    );
  }
  if (reportSha.toLowerCase() !== run.headSha.toLowerCase()) {
    throw new ConfigError(
      `comment: the report's commit (source.sha ${reportSha.slice(0, 64)}) differs from the triggering run's head commit ` +
        `(workflow_run.head_sha ${run.headSha}); refusing to comment from a report of another commit`,
    );
  }
}

/**
 * Of pull requests the API returned, the one whose head IS `headSha` in `repo` (owner/name), open. A PR that
 * merely contains the commit further down is not taken: it could be someone else's PR built on the fork's
 * commit. Null when none; a ConfigError when several (the caller cannot tell which one was meant).
 */
export function pickPullRequest(candidates: readonly PullRequestRef[], want: { repo: string; headSha: string }): number | null {
  const repo = want.repo.toLowerCase();
  const sha = want.headSha.toLowerCase();
  const numbers = [
    ...new Set(
      candidates
        .filter((c) => c.state === 'open' && c.baseRepo?.toLowerCase() === repo && c.headSha?.toLowerCase() === sha && Number.isInteger(c.number) && c.number > 0)
        .map((c) => c.number),
    ),
  ];
  if (numbers.length > 1) {
    throw new ConfigError(`comment: commit ${want.headSha} is the head of several open pull requests (#${numbers.join(', #')}); pass the one to comment on explicitly (leakgate comment --pr <n>)`);
  }
  return numbers[0] ?? null;
}

export interface WorkflowRunPullRequest {
  number: number;
  /** How it was found, for the log. */
  how: string;
}

/**
 * The triggering run's pull request: from the event's workflow_run.pull_requests when GitHub filled it in (it
 * leaves it empty for forks), else the open PR whose head is workflow_run.head_sha, asked of the API by commit
 * and then by the head repository's branch. A ConfigError when none is found.
 */
export async function findWorkflowRunPullRequest(client: GitHubClient, owner: string, repo: string, run: WorkflowRunContext): Promise<WorkflowRunPullRequest> {
  const fromEvent = run.prNumbers[0];
  if (fromEvent !== undefined) return { number: fromEvent, how: 'from the workflow_run event' };
  const headSha = run.headSha!;
  const want = { repo: `${owner}/${repo}`, headSha };
  const byCommit = pickPullRequest(await client.listPullRequestsForCommit(owner, repo, headSha), want);
  if (byCommit !== null) return { number: byCommit, how: `found by the head commit ${headSha.slice(0, 7)}` };
  const headOwner = run.headRepo?.split('/')[0];
  if (headOwner && run.headBranch) {
    const byBranch = pickPullRequest(await client.listOpenPullRequestsByHead(owner, repo, `${headOwner}:${run.headBranch}`), want);
    if (byBranch !== null) return { number: byBranch, how: `found by the head branch ${headOwner}:${run.headBranch}` };
  }
  throw new ConfigError(
    `comment: no open pull request of ${owner}/${repo} has the head commit ${headSha} of the triggering run` +
      `${run.headBranch ? ` (branch ${run.headRepo ?? '?'}:${run.headBranch})` : ''}; it may have been closed or pushed to since. ` +
      'Pass the pull request explicitly (leakgate comment --pr <n>) to comment anyway',
  );
}

/** The triggering run's page: workflow_run.html_url, else built from its id; null when the event has neither. */
export function workflowRunUrl(run: WorkflowRunContext, serverUrl: string, repository: string): string | null {
  return run.htmlUrl ?? (run.id !== null ? runUrlOf(serverUrl, repository, String(run.id), null) : null);
}
