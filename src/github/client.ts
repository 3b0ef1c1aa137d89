// The GitHub REST calls leakgate makes (list, create and update issue comments; find the pull requests
// of a commit or a head branch) behind a small
// interface, implemented with @actions/github's octokit; errors become GitHubApiError. The only file
// that imports @actions/github, so the rest of leakgate (and its tests) can supply any client.
import { getOctokit } from '@actions/github';

/** The user who wrote a comment; type is 'User', 'Bot' or 'Organization'. */
export interface CommentUser {
  login: string;
  type: string;
}

export interface IssueComment {
  id: number;
  body: string;
  user: CommentUser | null;
  html_url: string;
  /** ISO 8601; '' when the API did not say. */
  created_at?: string;
}

/** One entry of an issue's timeline of events (GET /repos/{o}/{r}/issues/{n}/events): labeled, unlabeled, ... */
export interface IssueEvent {
  event: string;
  actor: CommentUser | null;
  created_at: string;
  /** For labeled / unlabeled events. */
  label: string | null;
}

/** A user's permission on the repository: admin, maintain, write, triage, read or none (role_name when given). */
export interface CollaboratorPermission {
  permission: string;
  roleName: string | null;
}

export interface CommentPage {
  comments: IssueComment[];
  /** True when the response's Link header names a next page. */
  hasNext: boolean;
}

/** What comment mode needs of a pull request to trust it is the one a workflow_run measured. */
export interface PullRequestRef {
  number: number;
  /** 'open' or 'closed'. */
  state: string;
  headSha: string | null;
  headRef: string | null;
  /** `owner/name` of the head repository (the fork); null when it was deleted. */
  headRepo: string | null;
  /** `owner/name` of the repository the pull request is against. */
  baseRepo: string | null;
}

/** The REST calls the sticky comment and comment mode need. Pull requests are issues for comments. */
export interface GitHubClient {
  /** One page (1-based) of an issue's comments, oldest first, 100 per page. */
  listIssueComments(owner: string, repo: string, issue: number, page: number): Promise<CommentPage>;
  createIssueComment(owner: string, repo: string, issue: number, body: string): Promise<IssueComment>;
  updateIssueComment(owner: string, repo: string, commentId: number, body: string): Promise<IssueComment>;
  /** GET /repos/{owner}/{repo}/commits/{sha}/pulls: the pull requests that contain the commit (first 100). */
  listPullRequestsForCommit(owner: string, repo: string, sha: string): Promise<PullRequestRef[]>;
  /** GET /repos/{owner}/{repo}/pulls?head=headOwner:branch&state=open: open pull requests from that branch (first 100). */
  listOpenPullRequestsByHead(owner: string, repo: string, head: string): Promise<PullRequestRef[]>;
  /** One page (1-based) of an issue's events, oldest first, 100 per page. */
  listIssueEvents?(owner: string, repo: string, issue: number, page: number): Promise<{ events: IssueEvent[]; hasNext: boolean }>;
  /** GET /repos/{owner}/{repo}/collaborators/{username}/permission. */
  getCollaboratorPermission?(owner: string, repo: string, username: string): Promise<CollaboratorPermission>;
}

/**
 * A failed API call. status is the HTTP status, or 0 when no response came (network error,
 * refused connection, timeout); message is the API's own message when it sent one.
 */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    readonly status: number,
    message: string,
    /** The API's own message ("Resource not accessible by integration"), or the network error. */
    readonly apiMessage: string = message,
    readonly documentationUrl: string | null = null,
  ) {
    super(message);
  }
}

export const COMMENTS_PER_PAGE = 100;

export interface GitHubClientOptions {
  token: string;
  /** REST root, e.g. https://api.github.com or https://ghe.example.com/api/v3 (GITHUB_API_URL). */
  apiUrl: string;
  userAgent?: string;
  /** Per request; a hung API must not hang the gate. Default 30 s. */
  timeoutMs?: number;
}

/** True when a Link header (RFC 8288, as GitHub sends it) has a rel="next" entry. */
export function linkHasNext(link: string | undefined): boolean {
  return link ? /<[^>]*>\s*;\s*rel="(?:[^"]*\s)?next(?:\s[^"]*)?"/.test(link) : false;
}

function toComment(data: unknown): IssueComment {
  const d = (data ?? {}) as Record<string, unknown>;
  const user = d.user as Record<string, unknown> | null | undefined;
  return {
    id: Number(d.id),
    body: typeof d.body === 'string' ? d.body : '',
    user: user && typeof user.login === 'string' ? { login: user.login, type: String(user.type ?? 'User') } : null,
    html_url: typeof d.html_url === 'string' ? d.html_url : '',
    created_at: typeof d.created_at === 'string' ? d.created_at : '',
  };
}

function toEvent(data: unknown): IssueEvent {
  const d = (data ?? {}) as Record<string, unknown>;
  const actor = d.actor as Record<string, unknown> | null | undefined;
  const label = d.label as Record<string, unknown> | null | undefined;
  return {
    event: typeof d.event === 'string' ? d.event : '',
    actor: actor && typeof actor.login === 'string' ? { login: actor.login, type: String(actor.type ?? 'User') } : null,
    created_at: typeof d.created_at === 'string' ? d.created_at : '',
    label: label && typeof label.name === 'string' ? label.name : null,
  };
}

function repoName(repo: unknown): string | null {
  const name = (repo as { full_name?: unknown } | null | undefined)?.full_name;
  return typeof name === 'string' ? name : null;
}

function toPullRequest(data: unknown): PullRequestRef {
  const d = (data ?? {}) as Record<string, unknown>;
  const head = (d.head ?? {}) as Record<string, unknown>;
  const base = (d.base ?? {}) as Record<string, unknown>;
  return {
    number: Number(d.number),
    state: typeof d.state === 'string' ? d.state : '',
    headSha: typeof head.sha === 'string' ? head.sha : null,
    headRef: typeof head.ref === 'string' ? head.ref : null,
    headRepo: repoName(head.repo),
    baseRepo: repoName(base.repo),
  };
}

/** Maps an octokit RequestError (or anything thrown) to GitHubApiError; `what` names the call. */
export function toGitHubApiError(err: unknown, what: string): GitHubApiError {
  const e = err as { status?: unknown; message?: unknown; response?: { data?: unknown } };
  const data = e?.response?.data;
  const hasResponse = e?.response !== undefined;
  const status = hasResponse && typeof e.status === 'number' ? e.status : 0;
  let apiMessage: string;
  let docs: string | null = null;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    apiMessage = (data as { message: string }).message;
    const url = (data as { documentation_url?: unknown }).documentation_url;
    docs = typeof url === 'string' ? url : null;
  } else if (typeof data === 'string' && data.trim() !== '') {
    apiMessage = data.trim().slice(0, 200);
  } else {
    apiMessage = typeof e?.message === 'string' ? e.message : String(err);
  }
  const prefix = status === 0 ? `${what}: no response from GitHub` : `${what}: HTTP ${status}`;
  return new GitHubApiError(status, `${prefix}: ${apiMessage}`, apiMessage, docs);
}

/** True for http(s)://localhost, 127.x.x.x or [::1] URLs: never reached through a proxy. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  } catch {
    return false;
  }
}

/** A GitHubClient over octokit (getOctokit(token, { baseUrl: apiUrl })). */
export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  if (!opts.token) throw new Error('createGitHubClient: token is empty (pass GITHUB_TOKEN or a token with pull-requests: write)');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const baseUrl = opts.apiUrl.replace(/\/+$/, '');
  const octokit = getOctokit(opts.token, {
    baseUrl,
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    // @actions/github picks its proxy for GITHUB_API_URL once, at import; with HTTPS_PROXY set it
    // would send a loopback API (a local GHES tunnel, the test server) through the proxy too.
    ...(isLoopbackUrl(baseUrl) ? { request: { fetch: globalThis.fetch } } : {}),
    // Octokit logs deprecation notices through console; keep stdout clean.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const call = async <T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await fn(AbortSignal.timeout(timeoutMs));
    } catch (err) {
      throw toGitHubApiError(err, what);
    }
  };
  return {
    listIssueComments: (owner, repo, issue, page) =>
      call(`GET /repos/${owner}/${repo}/issues/${issue}/comments page ${page}`, async (signal) => {
        const res = await octokit.rest.issues.listComments({ owner, repo, issue_number: issue, per_page: COMMENTS_PER_PAGE, page, request: { signal } });
        const data: unknown[] = Array.isArray(res.data) ? res.data : [];
        return { comments: data.map(toComment), hasNext: linkHasNext(res.headers.link) };
      }),
    createIssueComment: (owner, repo, issue, body) =>
      call(`POST /repos/${owner}/${repo}/issues/${issue}/comments`, async (signal) => {
        const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body, request: { signal } });
        return toComment(res.data);
      }),
    updateIssueComment: (owner, repo, commentId, body) =>
      call(`PATCH /repos/${owner}/${repo}/issues/comments/${commentId}`, async (signal) => {
        const res = await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body, request: { signal } });
        return toComment(res.data);
      }),
    listPullRequestsForCommit: (owner, repo, sha) =>
      call(`GET /repos/${owner}/${repo}/commits/${sha}/pulls`, async (signal) => {
        const res = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100, request: { signal } });
        return (Array.isArray(res.data) ? (res.data as unknown[]) : []).map(toPullRequest);
      }),
    listOpenPullRequestsByHead: (owner, repo, head) =>
      call(`GET /repos/${owner}/${repo}/pulls?head=${head}`, async (signal) => {
        const res = await octokit.rest.pulls.list({ owner, repo, head, state: 'open', per_page: 100, request: { signal } });
        return (Array.isArray(res.data) ? (res.data as unknown[]) : []).map(toPullRequest);
      }),
    listIssueEvents: (owner, repo, issue, page) =>
      call(`GET /repos/${owner}/${repo}/issues/${issue}/events page ${page}`, async (signal) => {
        const res = await octokit.rest.issues.listEvents({ owner, repo, issue_number: issue, per_page: 100, page, request: { signal } });
        const data: unknown[] = Array.isArray(res.data) ? res.data : [];
        return { events: data.map(toEvent), hasNext: linkHasNext(res.headers.link) };
      }),
    getCollaboratorPermission: (owner, repo, username) =>
      call(`GET /repos/${owner}/${repo}/collaborators/${username}/permission`, async (signal) => {
        const res = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username, request: { signal } });
        const d = res.data as { permission?: unknown; role_name?: unknown };
        return { permission: typeof d.permission === 'string' ? d.permission : 'none', roleName: typeof d.role_name === 'string' ? d.role_name : null };
      }),
  };
}
