// Posts or updates the sticky PR comment for a report: one comment per config name, found by its hidden marker.
// Shared by the Action (after a run) and `comment` mode (from a saved report, for fork pull requests). A
// read-only token (fork PR) is not an error: the gate has decided already; the caller warns with the message.
import type { CommentMode } from '../config/config.js';
import { createGitHubClient } from '../github/client.js';
import { commentMarker, shouldComment, upsertStickyComment } from '../github/sticky-comment.js';
import type { Logger } from '../core/logger.js';
import { renderPrComment } from '../report/pr-comment.js';
import type { Report } from '../core/types.js';

export interface PublishRequest {
  report: Report;
  mode: CommentMode;
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  pr: number;
  runUrl?: string;
  note?: string;
  logger: Logger;
}

export interface PublishOutcome {
  status: 'created' | 'updated' | 'unchanged' | 'forbidden' | 'skipped';
  message: string;
  url?: string;
}

export async function publishComment(req: PublishRequest): Promise<PublishOutcome> {
  const { report } = req;
  if (req.mode === 'never') return { status: 'skipped', message: "PR comment skipped: comment is 'never'" };
  const regression = report.comparison?.slope.verdict === 'regression' || report.comparison?.peak.verdict === 'regression';
  const flags = { failed: report.gate.failed, regression, leak: report.summary.verdict === 'leak' };
  const client = createGitHubClient({ token: req.token, apiUrl: req.apiUrl });
  const marker = commentMarker(report.name);
  const body = renderPrComment(report, { marker, ...(req.runUrl ? { runUrl: req.runUrl } : {}), ...(req.note ? { note: req.note } : {}) });
  const result = await upsertStickyComment(client, {
    owner: req.owner,
    repo: req.repo,
    issueNumber: req.pr,
    name: report.name,
    body,
    // on-regression: a passing run only refreshes a comment that is already there, so a stale failure does not stay.
    shouldPost: (existing) => shouldComment(req.mode, { ...flags, existing }),
  });
  const where = `PR #${req.pr}`;
  switch (result.status) {
    case 'created':
      return { status: 'created', message: `PR comment created on ${where}`, ...(result.url ? { url: result.url } : {}) };
    case 'updated':
      return { status: 'updated', message: `PR comment updated on ${where}`, ...(result.url ? { url: result.url } : {}) };
    case 'unchanged':
      return { status: 'unchanged', message: `PR comment on ${where} already up to date` };
    case 'forbidden':
      return { status: 'forbidden', message: `could not comment on ${where}: ${result.message ?? 'the token may not write (fork pull request)'}` };
    default:
      return { status: 'skipped', message: `PR comment skipped (${req.mode}): ${result.message ?? 'nothing to report'}` };
  }
}
