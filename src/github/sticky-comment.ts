// The one sticky PR comment per config name: found by a hidden HTML marker across every page of the
// PR's comments, updated in place (or left alone when identical), created only when absent. A token
// that may not write (fork PRs) yields status 'forbidden' with advice instead of an exception.
import type { GitHubClient, IssueComment } from './client.js';
import { GitHubApiError } from './client.js';

import { COMMENT_MODES, type CommentMode } from '../config/sections.js';

export { COMMENT_MODES, type CommentMode };

/** What the run found, and whether the PR already carries leakgate's comment for this config. */
export interface CommentFacts {
  /** The gate failed (the step's verdict is a failure). */
  failed: boolean;
  /** A regression against the baseline was found (even if configured not to fail). */
  regression: boolean;
  /** A leak was found (even if configured not to fail). */
  leak: boolean;
  /** A sticky comment for this config already exists on the PR. */
  existing: boolean;
}

/**
 * Whether to post or update the sticky comment.
 * - 'always': every run posts or updates it.
 * - 'never': no comment.
 * - 'on-regression': post when the gate failed or found a regression or leak; when the run is clean,
 *   post nothing new BUT still update an existing comment, so a stale "leak found" comment from an
 *   earlier push does not stay on the PR after the fix.
 */
export function shouldComment(mode: CommentMode, facts: CommentFacts): boolean {
  switch (mode) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'on-regression':
      return facts.failed || facts.regression || facts.leak || facts.existing;
    default:
      throw new Error(`comment mode '${String(mode).slice(0, 40)}' is not one of ${COMMENT_MODES.join(', ')}`);
  }
}

/**
 * The hidden marker that identifies the comment of config `name`: `<!-- leakgate:name=api -->`.
 * The name is percent-encoded (encodeURIComponent), so `<`, `>`, spaces and line breaks cannot
 * close the HTML comment or make one name's marker a prefix of another's.
 */
export function commentMarker(name: string): string {
  if (name === '') throw new Error("sticky comment name is empty: pass the config name, e.g. 'api'");
  return `<!-- leakgate:name=${encodeURIComponent(name)} -->`;
}

/** GitHub refuses comment bodies over 65536 characters; we cut below that with a note. */
export const MAX_COMMENT_CHARS = 65_536;
const CUT_AT = 65_000;

/** The body as stored: marker first (unless the body carries it already), cut to GitHub's limit. */
export function stickyBody(name: string, body: string): string {
  const marker = commentMarker(name);
  let full = body.includes(marker) ? body : `${marker}\n${body}`;
  if (full.length > MAX_COMMENT_CHARS) {
    let cut = full.slice(0, CUT_AT);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    full = `${cut}\n\n… _(comment cut: ${full.length - cut.length} more characters exceed GitHub's ${MAX_COMMENT_CHARS}-character limit; the job summary has the full report)_`;
  }
  return full;
}

/** GitHub's login for the GITHUB_TOKEN of Actions. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * Of the comments carrying `marker`, the one to update: the oldest written by `viewerLogin`
 * (case-insensitive), else the oldest of any author. Null when none carries it.
 */
export function pickStickyComment(comments: readonly IssueComment[], marker: string, viewerLogin: string): IssueComment | null {
  const marked = comments.filter((c) => c.body.includes(marker));
  const own = marked.find((c) => c.user?.login.toLowerCase() === viewerLogin.toLowerCase());
  return own ?? marked[0] ?? null;
}

export interface StickyTarget {
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  issueNumber: number;
  /** The config name: one sticky comment per name. */
  name: string;
  /** Login the token acts as; preferred when several comments carry the marker. Default github-actions[bot]. */
  viewerLogin?: string;
  /** Bound on pages of 100 comments to search. Default 50 (5000 comments). */
  maxPages?: number;
}

export interface StickyLookup {
  comment: IssueComment | null;
  pagesRead: number;
  /** False when maxPages was reached with more pages left: absence is then not proven. */
  complete: boolean;
}

/** Searches every page (bounded by maxPages) for the marker of `name`. API errors propagate. */
export async function findStickyComment(client: GitHubClient, target: StickyTarget): Promise<StickyLookup> {
  const marker = commentMarker(target.name);
  const maxPages = target.maxPages ?? 50;
  const marked: IssueComment[] = [];
  let page = 1;
  for (; page <= maxPages; page++) {
    const { comments, hasNext } = await client.listIssueComments(target.owner, target.repo, target.issueNumber, page);
    marked.push(...comments.filter((c) => c.body.includes(marker)));
    if (!hasNext || comments.length === 0) {
      return { comment: pickStickyComment(marked, marker, target.viewerLogin ?? ACTIONS_BOT_LOGIN), pagesRead: page, complete: true };
    }
  }
  return { comment: pickStickyComment(marked, marker, target.viewerLogin ?? ACTIONS_BOT_LOGIN), pagesRead: maxPages, complete: false };
}

export type CommentStatus = 'created' | 'updated' | 'unchanged' | 'forbidden' | 'skipped';

export interface CommentResult {
  status: CommentStatus;
  id?: number;
  url?: string;
  /** Why, for 'forbidden' and 'skipped'. */
  message?: string;
}

export interface UpsertParams extends StickyTarget {
  /** Markdown of the comment; the marker is added in front. */
  body: string;
  /**
   * Decides after the lookup whether to write, given whether a comment exists, e.g.
   * `(existing) => shouldComment(mode, { ...facts, existing })`. Default: always write.
   */
  shouldPost?: (existing: boolean) => boolean;
}

function normalize(body: string): string {
  return body.replace(/\r\n/g, '\n');
}

/** Advice for a 403/404, naming the PR and the remedy. */
export function forbiddenMessage(err: GitHubApiError, action: string, target: StickyTarget): string {
  const where = `${target.owner}/${target.repo}#${target.issueNumber}`;
  const said = err.apiMessage;
  if (/rate limit/i.test(said)) {
    return `Cannot ${action} the leakgate comment on ${where}: GitHub rate-limited the token (HTTP ${err.status} "${said}"). The verdict stands; the comment is skipped this run.`;
  }
  if (err.status === 404) {
    return (
      `Cannot ${action} the leakgate comment on ${where}: GitHub answered 404 "${said}". Either the token cannot see ` +
      `${target.owner}/${target.repo}, or #${target.issueNumber} is not an issue or pull request there. Check the repository ` +
      `and PR number, and give the job 'permissions: pull-requests: write' (a fine-grained token must include this repository).`
    );
  }
  return (
    `Cannot ${action} the leakgate comment on ${where}: GitHub answered ${err.status} "${said}". The token may not write ` +
    `comments here. For pull requests from forks GitHub hands the workflow a read-only GITHUB_TOKEN: run leakgate in the ` +
    `'pull_request' workflow, upload its report as an artifact, and post the comment from a second workflow triggered by ` +
    `'workflow_run' (it gets a write token and runs no PR code). For same-repository PRs, add ` +
    `'permissions: pull-requests: write' to the job.`
  );
}

function isForbidden(err: unknown): err is GitHubApiError {
  return err instanceof GitHubApiError && (err.status === 403 || err.status === 404 || (err.status === 429 && /rate limit/i.test(err.apiMessage)));
}

/**
 * Creates the sticky comment of `name` on the PR, or updates it in place (PATCH) when one exists,
 * or leaves it alone when its body is already identical. 403/404 -> 'forbidden' with advice (never
 * thrown); any other API error is thrown as GitHubApiError (status and the API's message).
 * A comment deleted between lookup and update is re-created.
 */
export async function upsertStickyComment(client: GitHubClient, params: UpsertParams): Promise<CommentResult> {
  const full = stickyBody(params.name, params.body);
  let action = 'read';
  try {
    const lookup = await findStickyComment(client, params);
    const existing = lookup.comment;
    if (!existing && !lookup.complete) {
      return {
        status: 'skipped',
        message: `Stopped looking for the leakgate comment on ${params.owner}/${params.repo}#${params.issueNumber} after ${lookup.pagesRead} pages of comments; not posting, to avoid a duplicate.`,
      };
    }
    if (params.shouldPost && !params.shouldPost(existing !== null)) {
      return { status: 'skipped', message: existing ? 'an existing comment was left as it is' : 'no comment needed for this result' };
    }
    if (existing) {
      if (normalize(existing.body) === normalize(full)) return { status: 'unchanged', id: existing.id, url: existing.html_url };
      action = 'update';
      try {
        const updated = await client.updateIssueComment(params.owner, params.repo, existing.id, full);
        return { status: 'updated', id: updated.id, url: updated.html_url };
      } catch (err) {
        // Deleted since we listed it: fall through and create a new one.
        if (!(err instanceof GitHubApiError && err.status === 404)) throw err;
      }
    }
    action = 'create';
    const created = await client.createIssueComment(params.owner, params.repo, params.issueNumber, full);
    return { status: 'created', id: created.id, url: created.html_url };
  } catch (err) {
    if (isForbidden(err)) return { status: 'forbidden', message: forbiddenMessage(err, action, params) };
    throw err;
  }
}
