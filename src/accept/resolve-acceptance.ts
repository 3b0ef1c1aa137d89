// Which acceptance applies to this run, and applying it to the report: on a pull request, a writer's label or
// comment found through the API; on a push (the merge of an accepted pull request into the base branch), the
// acceptance of the pull request the commit came from, so the baseline saved from it carries the acceptance; else
// the config's entry. Never from a report. API failures are notes, never a failed run.
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { Report } from '../core/types.js';
import { errorMessage } from '../core/errors.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import type { EventContext } from '../github/event-context.js';
import { applyAcceptance, type Grant } from './apply-acceptance.js';
import { configGrant } from './config-acceptance.js';
import { findAcceptance } from './find-acceptance.js';

export interface ResolveRequest {
  config: Pick<Config, 'name' | 'accept' | 'baseline'>;
  context: EventContext;
  token?: string;
  /** The pull request to look on, when the context does not name it (comment mode's target). */
  pr?: number;
  today: Date;
  logger: Logger;
  /** Default: createGitHubClient over context.apiUrl. */
  client?: GitHubClient;
}

export interface Resolved {
  grant: Grant | null;
  notes: string[];
}

/** The pull request whose acceptance a run honours: the event's, the request's, or (push) the commit's merged PR. */
async function pullRequestOf(req: ResolveRequest, client: GitHubClient): Promise<number | null> {
  if (req.pr !== undefined) return req.pr;
  if (req.context.pr) return req.context.pr.number;
  const { context } = req;
  if (context.eventName !== 'push' || !context.sha || !context.repo) return null;
  const pulls = await client.listPullRequestsForCommit(context.repo.owner, context.repo.name, context.sha);
  const full = `${context.repo.owner}/${context.repo.name}`;
  // On the default branch GitHub lists the merged pull request that brought the commit in; an open one is not it.
  const merged = pulls.find((p) => p.state === 'closed' && (p.baseRepo === null || p.baseRepo.toLowerCase() === full.toLowerCase()));
  return merged?.number ?? null;
}

export async function resolveGrant(req: ResolveRequest): Promise<Resolved> {
  const notes: string[] = [];
  const { context } = req;
  if (context.repo && (req.token || req.client)) {
    try {
      const client = req.client ?? createGitHubClient({ token: req.token!, apiUrl: context.apiUrl });
      const pr = await pullRequestOf(req, client);
      if (pr !== null) {
        const found = await findAcceptance({
          client,
          owner: context.repo.owner,
          repo: context.repo.name,
          pr,
          label: req.config.accept.label,
          comments: req.config.accept.comments,
          configName: req.config.name,
        });
        notes.push(...found.notes);
        if (found.grant) return { grant: found.grant, notes };
      }
    } catch (e) {
      notes.push(`acceptances on GitHub could not be read: ${errorMessage(e)}`);
    }
  }
  const fromConfig = configGrant(req.config.accept.entry, req.today, context.pr?.isFork ?? false);
  if (fromConfig.warning) notes.push(fromConfig.warning);
  return { grant: fromConfig.grant, notes };
}

/** Resolves and applies: sets report.acceptance and turns covered growth reasons into accepted ones. */
export async function acceptGrowth(report: Report, req: ResolveRequest): Promise<void> {
  if (report.error !== null) return;
  const { grant, notes } = await resolveGrant(req);
  for (const n of notes) req.logger.warn(n);
  if (!grant) return;
  const s = report.summary;
  const b = req.config.baseline;
  const { gate, acceptance } = applyAcceptance(
    report.gate,
    { bytesPerRequest: s.bytesPerRequest, ciHigh: s.ciHigh, peakBytes: s.peakBytes },
    grant,
    { bytesPerRequest: b.absoluteToleranceBytesPerRequest, peakBytes: b.absoluteTolerancePeakBytes },
  );
  report.gate = gate;
  report.acceptance = acceptance;
  req.logger.info(
    acceptance.covered
      ? `growth accepted by ${grant.source === 'config' ? 'the config' : `@${grant.by}`} (${grant.reason})${acceptance.acceptedReasons.length ? `: ${acceptance.acceptedReasons.length} reason(s) accepted` : ''}`
      : `an acceptance by ${grant.source === 'config' ? 'the config' : `@${grant.by}`} exists but this run is above the figures accepted`,
  );
}
