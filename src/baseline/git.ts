// A thin runner for the git CLI: argument arrays (never a shell), a time limit that kills git and its
// helpers, token authentication the way actions/checkout does it (an http.extraheader), and errors
// that carry the arguments and stderr with the token redacted.
import { runBounded, type BoundedResult } from '../process/run-bounded.js';

export interface GitOptions {
  cwd: string;
  /** The whole environment for git (default process.env); LC_ALL=C and no-prompt settings are added. */
  env?: NodeJS.ProcessEnv;
  /** Kill git (and its helpers) after this long; default 60 s. */
  timeoutMs?: number;
  /** A GitHub token: sent as `AUTHORIZATION: basic base64("x-access-token:<token>")`, never logged. */
  token?: string;
  /** Send the token only to this remote's origin (http.<origin>/.extraheader); default: any remote. */
  tokenUrl?: string;
  /** Text written to git's stdin. */
  input?: string;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

const REDACTED = '***';
const DEFAULT_TIMEOUT_MS = 60_000;
const STDERR_IN_MESSAGE = 2000;

/** git failed, timed out or could not be started. Arguments and stderr are already redacted. */
export class GitError extends Error {
  override name = 'GitError';
  constructor(
    message: string,
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

/** The header value actions/checkout configures: basic auth with user x-access-token. */
export function authHeader(token: string): string {
  return `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')}`;
}

/** Replaces the token (and its base64 forms) and any user:password@ in a URL in text with ***. */
export function redact(text: string, token: string | undefined): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, `$1${REDACTED}@`);
  if (!token) return out;
  for (const secret of [authHeader(token).slice('AUTHORIZATION: basic '.length), Buffer.from(token).toString('base64'), token]) {
    if (secret) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The config key for the auth header: scoped to the remote's origin when it is an http(s) URL. */
export function extraHeaderKey(tokenUrl: string | undefined): string {
  if (tokenUrl && /^https?:\/\//i.test(tokenUrl)) {
    return `http.${new URL(tokenUrl).origin}/.extraheader`;
  }
  return 'http.extraheader';
}

/**
 * The environment for one git run. The auth header goes in GIT_CONFIG_COUNT/KEY/VALUE (git >= 2.31),
 * the environment form of `-c http.extraheader=...`: unlike a `-c` argument it is not visible to
 * other users in `ps` or /proc/PID/cmdline.
 */
export function gitEnv(opts: Pick<GitOptions, 'env' | 'token' | 'tokenUrl'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env), LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
  if (opts.token) {
    const n = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
    env[`GIT_CONFIG_KEY_${n}`] = extraHeaderKey(opts.tokenUrl);
    env[`GIT_CONFIG_VALUE_${n}`] = authHeader(opts.token);
    env.GIT_CONFIG_COUNT = String(n + 1);
  }
  return env;
}

function describe(args: readonly string[], token: string | undefined): string {
  return redact(`git ${args.join(' ')}`, token);
}

/**
 * Runs git with an argument array. Resolves with the exit code whatever it is; rejects with a GitError
 * only when git cannot be started or exceeds the time limit (its process group is then killed).
 */
export async function git(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const safeArgs = args.map((a) => redact(a, opts.token));
  let r: BoundedResult;
  try {
    // Its own process group, so a timeout also ends git-remote-https, ssh or upload-pack.
    r = await runBounded('git', args, { cwd: opts.cwd, env: gitEnv(opts), timeoutMs, group: true, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  } catch (e) {
    throw new GitError(`${describe(args, opts.token)} could not start: ${(e as Error).message} (is git installed and on PATH? If not: sudo apt-get install -y git on Debian/Ubuntu)`, safeArgs, '', null);
  }
  const err = redact(r.stderr, opts.token);
  if (r.timedOut) throw new GitError(`${describe(args, opts.token)} did not finish within ${timeoutMs} ms and was killed`, safeArgs, err, null);
  if (r.code === null) throw new GitError(`${describe(args, opts.token)} was killed by ${r.signal}`, safeArgs, err, null);
  return { stdout: redact(r.stdout, opts.token), stderr: err, code: r.code };
}

/** Like git(), but a non-zero exit is a GitError whose message holds the command and the end of stderr. */
export async function gitOk(args: readonly string[], opts: GitOptions): Promise<string> {
  const r = await git(args, opts);
  if (r.code !== 0) throw gitFailure(args, r, opts.token);
  return r.stdout;
}

/** The GitError for a finished run that failed. */
export function gitFailure(args: readonly string[], r: GitResult, token: string | undefined): GitError {
  const tail = r.stderr.trim().slice(-STDERR_IN_MESSAGE);
  return new GitError(
    `${describe(args, token)} exited with code ${r.code}${tail ? `: ${tail}` : ''}`,
    args.map((a) => redact(a, token)),
    r.stderr,
    r.code,
  );
}
