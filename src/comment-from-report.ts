// `comment` mode: posts the sticky PR comment from a report saved by an earlier run, without running anything.
// This is the second half of the fork-PR pattern: the `pull_request` workflow (read-only token) measures and
// uploads its report as an artifact; a `workflow_run` workflow (write token) downloads it and comments. The PR
// number comes from the flags, else from the workflow_run event, else from the report's own source.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBaselineReport } from './baseline/read-baseline-reports.js';
import type { CommentMode } from './config.js';
import { COMMENT_MODES } from './config-sections.js';
import { ConfigError } from './errors.js';
import { loadEventContext } from './github/event-context.js';
import type { Logger } from './logger.js';
import { publishComment, type PublishOutcome } from './publish-comment.js';

export interface CommentRequest {
  reportPath: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** owner/name; default GITHUB_REPOSITORY. */
  repo?: string;
  pr?: string;
  runUrl?: string;
  mode?: string;
  logger: Logger;
}

export async function commentFromReport(req: CommentRequest): Promise<PublishOutcome & { ok: boolean }> {
  const path = resolve(req.cwd, req.reportPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`comment: the report '${req.reportPath}' does not exist (download the artifact the measuring workflow uploaded first)`);
  }
  const report = parseBaselineReport(text, req.reportPath, 'report');
  const mode = (req.mode ?? 'always') as CommentMode;
  if (!COMMENT_MODES.includes(mode)) throw new ConfigError(`comment: mode must be one of ${COMMENT_MODES.join(', ')}, got '${req.mode}'`);
  const token = req.env.GITHUB_TOKEN ?? req.env.INPUT_GITHUB_TOKEN ?? '';
  if (token === '') throw new ConfigError('comment: GITHUB_TOKEN is not set (the token needs pull-requests: write)');
  const context = loadEventContext(req.env);
  const repoText = req.repo ?? req.env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, extra] = repoText.split('/');
  if (!owner || !repo || extra !== undefined) throw new ConfigError(`comment: the repository must be owner/name (--repo or GITHUB_REPOSITORY), got '${repoText}'`);
  const prText = req.pr ?? String(context.pr?.number ?? context.workflowRun?.prNumbers[0] ?? report.source?.pr ?? '');
  const pr = Number(prText);
  if (!Number.isInteger(pr) || pr <= 0) {
    throw new ConfigError(`comment: no pull request number (--pr, a workflow_run event for a pull request, or the report's source), got '${prText}'`);
  }
  const runUrl = req.runUrl ?? report.source?.runUrl ?? context.runUrl;
  const outcome = await publishComment({
    report,
    mode,
    token,
    apiUrl: context.apiUrl,
    owner,
    repo,
    pr,
    ...(runUrl ? { runUrl } : {}),
    logger: req.logger,
  });
  return { ...outcome, ok: outcome.status !== 'forbidden' };
}
