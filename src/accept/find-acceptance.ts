// Finds a maintainer's acceptance on a pull request through the REST API, never from a report: the newest
// `labeled` event of the accept label still on the PR (not removed after), and `/leakgate accept <reason>` comments,
// each kept only when its author has write access (admin, maintain or write, asked of
// GET /repos/{o}/{r}/collaborators/{user}/permission). Also reads leakgate's own sticky comment for the record of an
// acceptance's bounds (comments by bots only: a user cannot write as one). Refusals come back as notes.
import type { CollaboratorPermission, GitHubClient, IssueComment, IssueEvent } from '../github/client.js';
import { GitHubApiError } from '../github/client.js';
import { commentMarker } from '../github/sticky-comment.js';
import { errorMessage } from '../core/errors.js';
import { parseAcceptCommand, parseAcceptRecord, type AcceptRecord } from './accept-command.js';
import { grantKey, type Grant } from './apply-acceptance.js';

export interface AcceptanceQuery {
  client: GitHubClient;
  owner: string;
  repo: string;
  pr: number;
  label: string;
  comments: boolean;
  /** Config name: picks the sticky comment holding the record. */
  configName: string;
  /** Pages of 100 to read at most (events, comments); default 20. */
  maxPages?: number;
}

export interface FoundAcceptance {
  /** The newest acceptance by a writer, with its bounds when a record of them exists. */
  grant: Grant | null;
  /** One line per refused or ignored request, for the log and the summary. */
  notes: string[];
}

const WRITE_ROLES = new Set(['admin', 'maintain', 'write']);

/** Whether a permission answer grants write access (role_name says maintain; permission says write for it). */
export function canWrite(p: CollaboratorPermission): boolean {
  return WRITE_ROLES.has(p.permission) || (p.roleName !== null && WRITE_ROLES.has(p.roleName));
}

async function allPages<T>(maxPages: number, page: (n: number) => Promise<{ items: T[]; hasNext: boolean }>): Promise<T[]> {
  const out: T[] = [];
  for (let n = 1; n <= maxPages; n++) {
    const { items, hasNext } = await page(n);
    out.push(...items);
    if (!hasNext || items.length === 0) break;
  }
  return out;
}

/** The label's acceptance: the newest `labeled` of it with no `unlabeled` after; null when the label is not on. */
export function labelCandidate(events: readonly IssueEvent[], label: string): { by: string; at: string } | null {
  let on: { by: string; at: string } | null = null;
  for (const e of events) {
    if (e.label === null || e.label.toLowerCase() !== label.toLowerCase()) continue;
    if (e.event === 'labeled' && e.actor) on = { by: e.actor.login, at: e.created_at };
    else if (e.event === 'unlabeled') on = null;
  }
  return on;
}

/** Candidates, newest first: the label (if on) and every accept command. */
export function candidates(events: readonly IssueEvent[], comments: readonly IssueComment[], q: Pick<AcceptanceQuery, 'label' | 'comments' | 'pr'>): { grants: Grant[]; notes: string[] } {
  const grants: Grant[] = [];
  const notes: string[] = [];
  const onLabel = labelCandidate(events, q.label);
  if (onLabel) grants.push({ ...onLabel, reason: `label '${q.label}'`, source: 'label', pr: q.pr });
  if (q.comments) {
    for (const c of comments) {
      const cmd = parseAcceptCommand(c.body);
      if (!cmd || !c.user || c.user.type === 'Bot') continue;
      if (cmd.reason === '') {
        notes.push(`@${c.user.login}'s /leakgate accept has no reason and was ignored: write /leakgate accept <why the growth is intended>`);
        continue;
      }
      grants.push({ by: c.user.login, at: c.created_at ?? '', reason: cmd.reason, source: 'comment', pr: q.pr });
    }
  }
  grants.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { grants, notes };
}

export async function findAcceptance(q: AcceptanceQuery): Promise<FoundAcceptance> {
  const maxPages = q.maxPages ?? 20;
  const { client } = q;
  if (!client.listIssueEvents || !client.getCollaboratorPermission) return { grant: null, notes: ['this GitHub client cannot read label events or permissions'] };
  const listEvents = client.listIssueEvents.bind(client);
  const permissionOf = client.getCollaboratorPermission.bind(client);
  const events = await allPages(maxPages, async (n) => {
    const r = await listEvents(q.owner, q.repo, q.pr, n);
    return { items: r.events, hasNext: r.hasNext };
  });
  const comments = await allPages(maxPages, async (n) => {
    const r = await client.listIssueComments(q.owner, q.repo, q.pr, n);
    return { items: r.comments, hasNext: r.hasNext };
  });
  const { grants, notes } = candidates(events, comments, q);
  const record = findRecord(comments, q.configName);
  const checked = new Map<string, CollaboratorPermission | string>();
  for (const g of grants) {
    let perm = checked.get(g.by);
    if (perm === undefined) {
      try {
        perm = await permissionOf(q.owner, q.repo, g.by);
      } catch (e) {
        perm = e instanceof GitHubApiError ? `its permission could not be read (${e.message})` : errorMessage(e);
      }
      checked.set(g.by, perm);
    }
    const what = g.source === 'label' ? `the label '${q.label}' added by @${g.by}` : `/leakgate accept by @${g.by}`;
    if (typeof perm === 'string') {
      notes.push(`${what} was not honoured: ${perm}`);
      continue;
    }
    if (!canWrite(perm)) {
      notes.push(`${what} was not honoured: @${g.by} has ${perm.roleName ?? perm.permission} access; accepting needs write, maintain or admin`);
      continue;
    }
    const grant: Grant = { ...g };
    if (record && record.key === grantKey(g)) grant.bounds = record.bounds;
    return { grant, notes };
  }
  return { grant: null, notes };
}

/** The bounds record in leakgate's own sticky comment of this config (written by a bot), if any. */
export function findRecord(comments: readonly IssueComment[], configName: string): AcceptRecord | null {
  const marker = commentMarker(configName);
  for (const c of comments) {
    if (c.user?.type !== 'Bot' || !c.body.includes(marker)) continue;
    const r = parseAcceptRecord(c.body);
    if (r) return r;
  }
  return null;
}
