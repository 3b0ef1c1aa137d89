// What the GitHub Actions run is about: repository, URLs, commit, and the pull request, push or
// triggering workflow run, read from the runner's GITHUB_* variables and the event payload
// (readEventContext is pure; loadEventContext reads the payload file named by GITHUB_EVENT_PATH).
import { readFileSync } from 'node:fs';
import { errorMessage } from '../core/errors.js';

export type Env = Record<string, string | undefined>;

/** The pull request of a pull_request / pull_request_target (or review) event. */
export interface PullRequestContext {
  number: number;
  baseRef: string | null;
  baseSha: string | null;
  headRef: string | null;
  headSha: string | null;
  /** `owner/name` of the head repository; null when the fork was deleted or the payload omits it. */
  headRepo: string | null;
  /**
   * True when the head lives in another repository (head.repo.full_name differs from base's) or the
   * head repository was deleted (head.repo null). Then `pull_request` runs get a read-only token and
   * cannot comment. False when the payload does not say (head.repo absent).
   */
  isFork: boolean;
}

/** The run that triggered a `workflow_run` event (the two-workflow pattern for fork PRs). */
export interface WorkflowRunContext {
  id: number | null;
  /** The event that started the triggering run, e.g. 'pull_request'. */
  event: string | null;
  headSha: string | null;
  headBranch: string | null;
  /** `owner/name` of the repository the head commit came from. */
  headRepo: string | null;
  conclusion: string | null;
  /** The triggering run's page (workflow_run.html_url): the link a comment made for it points to. */
  htmlUrl: string | null;
  /**
   * Numbers of the pull requests of the triggering run. GitHub leaves this EMPTY when the PR comes
   * from a fork (actions/runner#3444): pass the number on in an artifact, or look it up by headSha.
   */
  prNumbers: number[];
}

/** A push event. */
export interface PushContext {
  /** Branch pushed to (refs/heads/X -> X); null for tag pushes. */
  branch: string | null;
  /** True when branch is the repository's default branch (false when either is unknown). */
  isDefaultBranch: boolean;
}

export interface EventContext {
  /** GITHUB_EVENT_NAME, '' outside Actions. */
  eventName: string;
  /** From GITHUB_REPOSITORY, else the payload's repository; null when neither says. */
  repo: { owner: string; name: string } | null;
  serverUrl: string;
  apiUrl: string;
  /** Link to this run's page (with /attempts/N for a re-run); null without repository and run id. */
  runUrl: string | null;
  /** GITHUB_SHA: for pull_request events this is the test MERGE commit, not the PR head (see pr.headSha). */
  sha: string | null;
  ref: string | null;
  refName: string | null;
  defaultBranch: string | null;
  /** False when there was no event payload (no GITHUB_EVENT_PATH, or the file is missing). */
  hasPayload: boolean;
  pr: PullRequestContext | null;
  workflowRun: WorkflowRunContext | null;
  push: PushContext | null;
}

export const DEFAULT_SERVER_URL = 'https://github.com';
export const DEFAULT_API_URL = 'https://api.github.com';

/** Events whose payload carries `pull_request` in the same shape. */
export const PULL_REQUEST_EVENTS: readonly string[] = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

function envStr(env: Env, key: string): string | null {
  const value = env[key]?.trim();
  return value ? value : null;
}

function shorten(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `owner/name` -> parts; anything else is refused with the variable named. */
function parseRepository(value: string, source: string): { owner: string; name: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(value);
  if (!m) throw new Error(`${source}: '${shorten(value)}' is not a repository of the form 'owner/name'`);
  return { owner: m[1]!, name: m[2]! };
}

function fullName(repo: unknown): string | null {
  return isObject(repo) ? str(repo.full_name) : null;
}

function branchOf(ref: string | null): string | null {
  return ref?.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}

function readPullRequest(payload: Json): PullRequestContext {
  const pr = payload.pull_request;
  if (!isObject(pr)) throw new Error("event payload: field 'pull_request' is missing or not an object");
  const number = num(pr.number);
  if (number === null || number <= 0) {
    throw new Error(`event payload: field 'pull_request.number' is not a positive integer: ${shorten(JSON.stringify(pr.number) ?? 'undefined')}`);
  }
  const head = isObject(pr.head) ? pr.head : {};
  const base = isObject(pr.base) ? pr.base : {};
  const headRepo = fullName(head.repo);
  const baseRepo = fullName(base.repo);
  const isFork = head.repo === null || (headRepo !== null && baseRepo !== null && headRepo !== baseRepo);
  return {
    number,
    baseRef: str(base.ref),
    baseSha: str(base.sha),
    headRef: str(head.ref),
    headSha: str(head.sha),
    headRepo,
    isFork,
  };
}

function readWorkflowRun(payload: Json): WorkflowRunContext {
  const run = payload.workflow_run;
  if (!isObject(run)) throw new Error("event payload: field 'workflow_run' is missing or not an object");
  const prs = Array.isArray(run.pull_requests) ? run.pull_requests : [];
  const prNumbers = prs.map((p) => (isObject(p) ? num(p.number) : null)).filter((n): n is number => n !== null && n > 0);
  return {
    id: num(run.id),
    event: str(run.event),
    headSha: str(run.head_sha),
    headBranch: str(run.head_branch),
    headRepo: fullName(run.head_repository),
    conclusion: str(run.conclusion),
    htmlUrl: str(run.html_url),
    prNumbers,
  };
}

/** `${server}/${owner}/${repo}/actions/runs/${id}`, plus `/attempts/N` when the run was re-run. */
export function runUrlOf(serverUrl: string, repository: string, runId: string, attempt: string | null): string {
  const base = `${serverUrl}/${repository}/actions/runs/${runId}`;
  const n = attempt === null ? 1 : Number(attempt);
  return Number.isSafeInteger(n) && n > 1 ? `${base}/attempts/${n}` : base;
}

/**
 * The run's context from the runner's variables and the event payload (undefined when there is
 * none). Tolerates sparse payloads (missing fields read as null); refuses a malformed
 * GITHUB_REPOSITORY, a payload that is not an object, and a pull request event without a number.
 */
export function readEventContext(env: Env, eventPayload: unknown): EventContext {
  if (eventPayload !== undefined && eventPayload !== null && !isObject(eventPayload)) {
    throw new Error(`event payload: expected a JSON object, got ${Array.isArray(eventPayload) ? 'an array' : typeof eventPayload}`);
  }
  const payload: Json | null = isObject(eventPayload) ? eventPayload : null;
  const eventName = envStr(env, 'GITHUB_EVENT_NAME') ?? '';
  const serverUrl = (envStr(env, 'GITHUB_SERVER_URL') ?? DEFAULT_SERVER_URL).replace(/\/+$/, '');
  const apiUrl = (envStr(env, 'GITHUB_API_URL') ?? DEFAULT_API_URL).replace(/\/+$/, '');

  const repository = envStr(env, 'GITHUB_REPOSITORY');
  const payloadRepo = payload && isObject(payload.repository) ? payload.repository : null;
  let repo: EventContext['repo'] = null;
  if (repository !== null) repo = parseRepository(repository, 'GITHUB_REPOSITORY');
  else if (payloadRepo && str(payloadRepo.full_name)) repo = parseRepository(str(payloadRepo.full_name)!, 'event payload repository.full_name');

  const runId = envStr(env, 'GITHUB_RUN_ID');
  const runUrl = repo && runId ? runUrlOf(serverUrl, `${repo.owner}/${repo.name}`, runId, envStr(env, 'GITHUB_RUN_ATTEMPT')) : null;

  const ref = envStr(env, 'GITHUB_REF') ?? (payload ? str(payload.ref) : null);
  const refName = envStr(env, 'GITHUB_REF_NAME') ?? (ref ? ref.replace(/^refs\/(heads|tags)\//, '') : null);
  const defaultBranch = payloadRepo ? str(payloadRepo.default_branch) : null;

  let pr: PullRequestContext | null = null;
  let workflowRun: WorkflowRunContext | null = null;
  let push: PushContext | null = null;
  if (payload) {
    if (PULL_REQUEST_EVENTS.includes(eventName)) pr = readPullRequest(payload);
    else if (eventName === 'workflow_run') workflowRun = readWorkflowRun(payload);
  }
  if (eventName === 'push') {
    const branch = branchOf(ref);
    push = { branch, isDefaultBranch: branch !== null && defaultBranch !== null && branch === defaultBranch };
  }

  return {
    eventName,
    repo,
    serverUrl,
    apiUrl,
    runUrl,
    sha: envStr(env, 'GITHUB_SHA'),
    ref,
    refName,
    defaultBranch,
    hasPayload: payload !== null,
    pr,
    workflowRun,
    push,
  };
}

/**
 * readEventContext on the payload file named by GITHUB_EVENT_PATH. No variable or no file means a
 * context without payload (a local CLI run); unreadable or invalid JSON is an Error naming the path.
 */
export function loadEventContext(env: Env = process.env): EventContext {
  const path = envStr(env, 'GITHUB_EVENT_PATH');
  let payload: unknown = undefined;
  if (path !== null) {
    let text: string | null = null;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new Error(`GITHUB_EVENT_PATH ${path}: cannot read the event payload: ${errorMessage(err)}`);
    }
    if (text !== null) {
      try {
        payload = JSON.parse(text);
      } catch (err) {
        throw new Error(`GITHUB_EVENT_PATH ${path}: the event payload is not valid JSON: ${errorMessage(err)}`);
      }
    }
  }
  try {
    return readEventContext(env, payload);
  } catch (err) {
    if (path !== null && errorMessage(err).startsWith('event payload')) {
      throw new Error(`GITHUB_EVENT_PATH ${path}: ${errorMessage(err)}`);
    }
    throw err;
  }
}
