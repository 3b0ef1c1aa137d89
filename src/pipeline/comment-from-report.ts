// `comment` mode: posts the sticky PR comment from a report saved by an earlier run, without running anything.
// This is the second half of the fork-PR pattern: the `pull_request` workflow (read-only token) measures and
// uploads its report as an artifact; a `workflow_run` workflow (write token) downloads it and comments. That
// artifact was written by the fork's code, so in a workflow_run the report never picks where the comment goes:
// the PR comes from the event (or the API, by the run's head commit), the link from the event, and a report of
// another commit is refused (github/workflow-run-target.ts). Outside workflow_run the PR number comes from the
// flags, else the event, else the report's own source.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBaselineReport } from '../baseline/read-baseline-reports.js';
import { CONFIG_NAME_PATTERN, type CommentMode } from '../config/config.js';
import { COMMENT_MODES } from '../config/sections.js';
import { ConfigError } from '../core/errors.js';
import { createGitHubClient, GitHubApiError } from '../github/client.js';
import { loadEventContext, type EventContext } from '../github/event-context.js';
import { checkReportCommit, findWorkflowRunPullRequest, workflowRunUrl } from '../github/workflow-run-target.js';
import type { Logger } from '../core/logger.js';
import { publishComment, type PublishOutcome } from './publish-comment.js';
import type { Report } from '../core/types.js';
import { acceptGrowth } from '../accept/resolve-acceptance.js';
import { DEFAULT_ACCEPT_LABEL } from '../config/accept-history-sections.js';

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

interface Target {
  pr: number;
  runUrl: string | null;
}

/**
 * The report's name picks the sticky comment (its marker): one outside the config-name charset is refused, so a
 * forged report cannot smuggle markup into the marker or a name no config could have.
 */
function checkReportName(report: Report, label: string): void {
  if (typeof report.name !== 'string' || !CONFIG_NAME_PATTERN.test(report.name)) {
    throw new ConfigError(
      `comment: the report ${label} has the name ${JSON.stringify(String(report.name).slice(0, 80))}, which no config can have ` +
        '(1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit)',
    );
  }
}

function parsePr(prText: string, from: string): number {
  const pr = Number(prText);
  if (!Number.isInteger(pr) || pr <= 0) throw new ConfigError(`comment: no pull request number (${from}), got '${prText}'`);
  return pr;
}

/** In a workflow_run: everything from the event and the API, nothing from the report but its (checked) commit. */
async function workflowRunTarget(req: CommentRequest, context: EventContext, report: Report, token: string, owner: string, repo: string): Promise<Target> {
  const run = context.workflowRun!;
  checkReportCommit(report.source?.sha, run);
  const runUrl = req.runUrl ?? workflowRunUrl(run, context.serverUrl, `${owner}/${repo}`);
  if (req.pr !== undefined) return { pr: parsePr(req.pr, '--pr'), runUrl };
  let found;
  try {
    found = await findWorkflowRunPullRequest(createGitHubClient({ token, apiUrl: context.apiUrl }), owner, repo, run);
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    throw new ConfigError(`comment: could not look up the pull request of commit ${run.headSha}: ${e.message} (the token needs pull-requests: read)`);
  }
  if (report.source?.pr !== undefined && report.source.pr !== found.number) {
    req.logger.warn(`comment: the report says PR #${report.source.pr}; ignored, commenting on #${found.number} (${found.how})`);
  } else req.logger.info(`comment: PR #${found.number} ${found.how}`);
  return { pr: found.number, runUrl };
}

function plainTarget(req: CommentRequest, context: EventContext, report: Report): Target {
  const prText = req.pr ?? String(context.pr?.number ?? report.source?.pr ?? '');
  return {
    pr: parsePr(prText, '--pr, a pull request event, or the report\'s source'),
    runUrl: req.runUrl ?? report.source?.runUrl ?? context.runUrl,
  };
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
  checkReportName(report, `'${req.reportPath}'`);
  const mode = (req.mode ?? 'always') as CommentMode;
  if (!COMMENT_MODES.includes(mode)) throw new ConfigError(`comment: mode must be one of ${COMMENT_MODES.join(', ')}, got '${req.mode}'`);
  const token = req.env.GITHUB_TOKEN ?? req.env.INPUT_GITHUB_TOKEN ?? '';
  if (token === '') throw new ConfigError('comment: GITHUB_TOKEN is not set (the token needs pull-requests: write)');
  const context = loadEventContext(req.env);
  const repoText = req.repo ?? req.env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, extra] = repoText.split('/');
  if (!owner || !repo || extra !== undefined) throw new ConfigError(`comment: the repository must be owner/name (--repo or GITHUB_REPOSITORY), got '${repoText}'`);
  if (context.eventName === 'workflow_run' && !context.workflowRun) {
    // Without the payload nothing trustworthy names the PR, and the report must not.
    throw new ConfigError('comment: GITHUB_EVENT_NAME is workflow_run but there is no event payload (GITHUB_EVENT_PATH); cannot tell which pull request the run was for');
  }
  const target = context.workflowRun ? await workflowRunTarget(req, context, report, token, owner, repo) : plainTarget(req, context, report);
  await reAccept(report, req, context, token, target.pr);
  const outcome = await publishComment({
    report,
    mode,
    token,
    apiUrl: context.apiUrl,
    owner,
    repo,
    pr: target.pr,
    ...(target.runUrl ? { runUrl: target.runUrl } : {}),
    logger: req.logger,
  });
  return { ...outcome, ok: outcome.status !== 'forbidden' };
}

/**
 * A saved report may come from a fork: its acceptance is dropped, never trusted, and looked up again through the API
 * (a writer's label or /leakgate accept comment on the pull request), with the report's own accept label and
 * tolerances when it records them, else the defaults.
 */
async function reAccept(report: Report, req: CommentRequest, context: EventContext, token: string, pr: number): Promise<void> {
  if (report.acceptance) {
    req.logger.warn(`comment: the report's acceptance (by ${String(report.acceptance.by).slice(0, 40)}) was ignored: acceptances are checked through the GitHub API, never taken from a report`);
    // The reasons it claims to have accepted fail again, until the API says a writer accepted them.
    const claimed = Array.isArray(report.acceptance.acceptedReasons) ? report.acceptance.acceptedReasons.filter((r) => typeof r === 'string') : [];
    if (claimed.length > 0) report.gate = { failed: true, reasons: [...report.gate.reasons, ...claimed] };
    delete report.acceptance;
  }
  const cfg = (report.config ?? {}) as { accept?: { label?: unknown; comments?: unknown }; baseline?: { absoluteToleranceBytesPerRequest?: unknown; absoluteTolerancePeakBytes?: unknown } };
  const label = typeof cfg.accept?.label === 'string' && cfg.accept.label.length <= 50 ? cfg.accept.label : DEFAULT_ACCEPT_LABEL;
  const tol = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt);
  await acceptGrowth(report, {
    config: {
      name: report.name,
      // Never the report's config entry: a fork's config cannot accept its own growth.
      accept: { label, comments: cfg.accept?.comments !== false, entry: null },
      baseline: {
        absoluteToleranceBytesPerRequest: tol(cfg.baseline?.absoluteToleranceBytesPerRequest, 32),
        absoluteTolerancePeakBytes: tol(cfg.baseline?.absoluteTolerancePeakBytes, 8 * 1024 * 1024),
      } as Parameters<typeof acceptGrowth>[1]['config']['baseline'],
    },
    context,
    token,
    pr,
    today: new Date(),
    logger: req.logger,
  });
}
