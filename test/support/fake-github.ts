// A local stand-in for the GitHub REST API (loopback HTTP, port 0) speaking the issue-comment shapes
// leakgate uses: list with Link pagination, create, update; the pull requests of a commit or a head branch; an issue's
// label events and a user's permission on the repository; token auth with per-token users and
// read-only tokens (403 as for fork PRs); injectable failures; every request recorded for assertions.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
  id: number;
}

export interface FakeToken {
  user: FakeUser;
  /** 'read-only' answers writes with 403 "Resource not accessible by integration" (a fork PR's GITHUB_TOKEN). */
  mode: 'write' | 'read-only';
}

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issue: number;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  authorization: string | undefined;
  status: number;
}

export interface SeedComment {
  owner?: string;
  repo?: string;
  issue: number;
  body: string;
  /** A key of `tokens` (its user writes the comment) or a login of a user made up on the spot. */
  author?: string;
}

export interface SeedPull {
  /** Base repository; default 'octo'/'app'. */
  owner?: string;
  repo?: string;
  number: number;
  /** Default 'open'. */
  state?: 'open' | 'closed';
  headSha: string;
  headRef: string;
  /** owner/name of the head repository (the fork); default the base repository. */
  headRepo?: string;
  /** Earlier commits of the pull request: GET commits/{sha}/pulls lists it for these too, as GitHub does. */
  commits?: string[];
}

export interface SeedEvent {
  owner?: string;
  repo?: string;
  issue: number;
  event: 'labeled' | 'unlabeled';
  label: string;
  /** A key of `tokens` or a login made up on the spot. */
  actor: string;
}

/** What GET collaborators/{user}/permission answers: maintain and triage come back as role_name, as GitHub does. */
export type FakePermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface FakeGitHubOptions {
  /** Label events for GET /repos/{o}/{r}/issues/{n}/events (owner/repo default 'octo'/'app'). */
  events?: SeedEvent[];
  /** login -> permission on every repository; anyone else reads as 'read' (a public repository). */
  permissions?: Record<string, FakePermission>;
  /** Pull requests for GET /repos/{o}/{r}/commits/{sha}/pulls and GET /repos/{o}/{r}/pulls?head=. */
  pulls?: SeedPull[];
  /** token -> who it is. Default: 'write-token' (github-actions[bot], write), 'read-token' (github-actions[bot], read-only). */
  tokens?: Record<string, FakeToken>;
  /** Comments present before the test; owner/repo default to 'octo'/'app'. */
  comments?: SeedComment[];
}

export interface Failure {
  status: number;
  message: string;
  /** Only requests with this method fail; default any. */
  method?: string;
  /** How many matching requests fail; default 1. */
  times?: number;
}

export interface FakeGitHub {
  /** Base URL to pass as apiUrl, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  /** The live comment store, in creation order. */
  comments: FakeComment[];
  /** Adds a comment as `author` (a token key or a made-up login), as a user would write it. */
  addComment(seed: SeedComment): FakeComment;
  /** Adds a label event. */
  addEvent(seed: SeedEvent): void;
  /** Makes the next matching request(s) answer `status` with `{message}`. */
  failNext(failure: Failure): void;
  close(): Promise<void>;
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot', id: 41898282 };
export const DOCS = 'https://docs.github.com/rest/issues/comments';

const DEFAULT_TOKENS: Record<string, FakeToken> = {
  'write-token': { user: ACTIONS_BOT, mode: 'write' },
  'read-token': { user: ACTIONS_BOT, mode: 'read-only' },
};

const MAX_BODY_BYTES = 1 << 20;

function send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(data);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the fake API on 127.0.0.1 with an OS-chosen port. */
export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const tokens = opts.tokens ?? DEFAULT_TOKENS;
  const requests: RecordedRequest[] = [];
  const comments: FakeComment[] = [];
  const failures: Failure[] = [];
  let nextId = 1000;
  let nextUserId = 9000;
  let url = '';
  // A fixed clock keeps created_at ordered and deterministic.
  let tick = Date.UTC(2024, 0, 1);
  const now = (): string => new Date((tick += 1000)).toISOString();

  const madeUp = new Map<string, FakeUser>();
  const userFor = (author: string | undefined): FakeUser => {
    if (author === undefined) return ACTIONS_BOT;
    const token = tokens[author];
    if (token) return token.user;
    let user = madeUp.get(author);
    if (!user) madeUp.set(author, (user = { login: author, type: author.endsWith('[bot]') ? 'Bot' : 'User', id: nextUserId++ }));
    return user;
  };
  const addComment = (seed: SeedComment): FakeComment => {
    const at = now();
    const c: FakeComment = {
      id: nextId++,
      owner: seed.owner ?? 'octo',
      repo: seed.repo ?? 'app',
      issue: seed.issue,
      body: seed.body,
      user: userFor(seed.author),
      created_at: at,
      updated_at: at,
    };
    comments.push(c);
    return c;
  };
  for (const seed of opts.comments ?? []) addComment(seed);
  const events: Array<{ id: number; owner: string; repo: string; issue: number; event: string; label: string; actor: FakeUser; created_at: string }> = [];
  const addEvent = (seed: SeedEvent): void => {
    events.push({ id: nextId++, owner: seed.owner ?? 'octo', repo: seed.repo ?? 'app', issue: seed.issue, event: seed.event, label: seed.label, actor: userFor(seed.actor), created_at: now() });
  };
  for (const seed of opts.events ?? []) addEvent(seed);
  const permissions = opts.permissions ?? {};

  const view = (c: FakeComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${url}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${url}/repos/${c.owner}/${c.repo}/issues/${c.issue}`,
    body: c.body,
    user: { login: c.user.login, id: c.user.id, type: c.user.type },
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: 'NONE',
  });

  const pulls = (opts.pulls ?? []).map((p) => ({ owner: 'octo', repo: 'app', state: 'open' as const, commits: [], ...p }));
  const viewPull = (p: (typeof pulls)[number]) => ({
    number: p.number,
    state: p.state,
    html_url: `https://github.com/${p.owner}/${p.repo}/pull/${p.number}`,
    head: { sha: p.headSha, ref: p.headRef, repo: { full_name: p.headRepo ?? `${p.owner}/${p.repo}` } },
    base: { ref: 'main', repo: { full_name: `${p.owner}/${p.repo}` } },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> => {
    const parsed = new URL(req.url ?? '/', url);
    record.path = parsed.pathname;
    record.query = Object.fromEntries(parsed.searchParams);
    const text = await readBody(req);
    if (text !== '') {
      try {
        record.body = JSON.parse(text);
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON', documentation_url: DOCS });
      }
    }

    const failure = failures.find((f) => f.method === undefined || f.method === req.method);
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      return send(res, failure.status, { message: failure.message, documentation_url: DOCS });
    }

    const auth = /^(?:token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '');
    const token = auth ? tokens[auth[1]!] : undefined;
    if (!token) return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(parsed.pathname);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(parsed.pathname);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if ((list || one) && write && token.mode === 'read-only') {
      return send(res, 403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}#create-an-issue-comment`, status: '403' });
    }

    const ofCommit = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-fA-F]+)\/pulls$/.exec(parsed.pathname);
    if (ofCommit && req.method === 'GET') {
      const [, owner, repo, sha] = ofCommit;
      const found = pulls.filter((p) => p.owner === owner && p.repo === repo && (p.headSha === sha || p.commits.includes(sha!)));
      return send(res, 200, found.map(viewPull));
    }
    const pullList = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(parsed.pathname);
    if (pullList && req.method === 'GET') {
      const [, owner, repo] = pullList;
      const head = parsed.searchParams.get('head');
      const state = parsed.searchParams.get('state') ?? 'open';
      const found = pulls.filter(
        (p) =>
          p.owner === owner &&
          p.repo === repo &&
          (state === 'all' || p.state === state) &&
          (head === null || head === `${(p.headRepo ?? `${p.owner}/${p.repo}`).split('/')[0]}:${p.headRef}`),
      );
      return send(res, 200, found.map(viewPull));
    }

    const eventList = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/events$/.exec(parsed.pathname);
    if (eventList && req.method === 'GET') {
      const [, owner, repo, issue] = eventList;
      const perPage = Math.min(100, Math.max(1, Number(parsed.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(parsed.searchParams.get('page') ?? 1) || 1);
      const all = events.filter((e) => e.owner === owner && e.repo === repo && e.issue === Number(issue));
      const slice = all.slice((page - 1) * perPage, page * perPage).map((e) => ({
        id: e.id,
        node_id: `LE_${e.id}`,
        url: `${url}/repos/${owner}/${repo}/issues/events/${e.id}`,
        actor: { login: e.actor.login, id: e.actor.id, type: e.actor.type },
        event: e.event,
        commit_id: null,
        created_at: e.created_at,
        label: { name: e.label, color: 'ededed' },
      }));
      const next: Record<string, string> = page * perPage < all.length ? { link: `<${url}/repositories/1/issues/${issue}/events?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      return send(res, 200, slice, next);
    }
    const permission = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(parsed.pathname);
    if (permission && req.method === 'GET') {
      const login = decodeURIComponent(permission[3]!);
      const role = permissions[login] ?? 'read';
      // GitHub's permission field knows only admin, write, read and none; maintain and triage show in role_name.
      const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      return send(res, 200, { permission: legacy, role_name: role, user: { login, type: 'User' } });
    }

    if (list && req.method === 'GET') {
      const [, owner, repo, issue] = list;
      const perPage = Math.min(100, Math.max(1, Number(parsed.searchParams.get('per_page') ?? 30) || 30));
      const page = Math.max(1, Number(parsed.searchParams.get('page') ?? 1) || 1);
      const all = comments.filter((c) => c.owner === owner && c.repo === repo && c.issue === Number(issue));
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const pageUrl = (n: number) => `<${url}/repositories/1/issues/${issue}/comments?per_page=${perPage}&page=${n}>`;
      const links: string[] = [];
      if (page > 1) links.push(`${pageUrl(page - 1)}; rel="prev"`);
      if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
      if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
      const slice = all.slice((page - 1) * perPage, page * perPage).map(view);
      return send(res, 200, slice, links.length ? { link: links.join(', ') } : {});
    }

    if (list && req.method === 'POST') {
      const [, owner, repo, issue] = list;
      const body = (record.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string' || body === '') {
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], documentation_url: DOCS });
      }
      const at = now();
      const c: FakeComment = { id: nextId++, owner: owner!, repo: repo!, issue: Number(issue), body, user: token.user, created_at: at, updated_at: at };
      comments.push(c);
      return send(res, 201, view(c));
    }

    if (one && req.method === 'PATCH') {
      const [, owner, repo, id] = one;
      const c = comments.find((x) => x.owner === owner && x.repo === repo && x.id === Number(id));
      if (!c) return send(res, 404, { message: 'Not Found', documentation_url: `${DOCS}#update-an-issue-comment` });
      const body = (record.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string' || body === '') {
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], documentation_url: DOCS });
      }
      c.body = body;
      c.updated_at = now();
      return send(res, 200, view(c));
    }

    return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  const server = createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? '', path: '', query: {}, body: undefined, authorization: req.headers.authorization, status: 0 };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    handle(req, res, record).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { message: `fake-github: ${String(err)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    comments,
    addComment,
    addEvent,
    failNext(failure) {
      failures.push({ ...failure });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Octokit's fetch keeps connections alive; drop them so close() returns at once.
        server.closeAllConnections();
      });
    },
  };
}
