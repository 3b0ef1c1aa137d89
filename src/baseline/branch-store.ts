// The `branch` baseline store: entries as files on a dedicated git branch of the repository, one file
// per entry (append-only), written from a private temporary repository with plain `git push` (never
// --force) and retried when another run pushed first. The user's checkout is never touched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { git, gitFailure, gitOk, redact, type GitOptions } from './git.js';
import {
  BaselineSaveError,
  branchName,
  checkEntryToSave,
  chooseBaseline,
  compactTime,
  entryMatches,
  historyLimit,
  parseStoredBaseline,
  slug,
  type BaselineKey,
  type BaselineStore,
  type LoadedBaselines,
  type LoadQuery,
  type SaveResult,
  type StoredBaseline,
} from './store.js';
import { DEFAULT_STORE_BRANCH } from '../config/sections.js';

/**
 * The default branch name. Prefixed with the tool's name so it says what writes it and what it holds,
 * and cannot clash with a user's branch or with GitHub's special ones (gh-pages); a plain name with no
 * '/' so it matches no usual branch-protection pattern (release/*, main) that would refuse the push.
 */
export const DEFAULT_BASELINE_BRANCH = DEFAULT_STORE_BRANCH;
export const DEFAULT_PUSH_RETRIES = 5;
export const DEFAULT_AUTHOR = { name: 'leakgate', email: 'leakgate@users.noreply.github.com' };

export interface BranchStoreOptions {
  /** The repository: a URL or a path. In Actions: `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}.git`. */
  remote: string;
  /** The branch holding baselines; default leakgate-baselines. */
  branch?: string;
  /** Token for an https remote (GITHUB_TOKEN with contents: write to save). */
  token?: string;
  /** Where the private temporary repository is made (default the OS temp directory). */
  workDir?: string;
  /** Push attempts after the first one when another run pushed first; default 5. */
  retries?: number;
  /** Base of the jittered backoff between attempts, ms; default 300 (doubles per attempt, capped at 5 s). */
  backoffMs?: number;
  author?: { name: string; email: string };
  logger?: Logger;
  /** Environment for git (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Time limit of each git command, ms; default 60 s. */
  timeoutMs?: number;
  /** Test hook: runs after the commit is made and before it is pushed, with the attempt number (1-based). */
  beforePush?: (attempt: number) => Promise<void>;
}

export const README = `# leakgate baselines

This branch is written by leakgate, the memory-leak gate for CI. It holds the reports
of runs on your base branches, so pull requests can be compared with them. It shares no history with
your code and is never merged.

Layout, one file per saved run, never edited or deleted by leakgate:

    baselines/<base-branch>/<config-name>/<savedAt>-<sha12>.json

- \`<base-branch>\` and \`<config-name>\` are the names made safe for paths: characters other than
  letters, digits, '.', '_' and '-' are written as %XX ('/' is kept in branch names).
- \`<savedAt>\` is the UTC save time as 20250102T030405678Z, so file names sort by time;
  \`<sha12>\` is the first 12 hex digits of the measured commit.
- Each file is {"report", "sha", "branch", "configName", "savedAt", "runUrl"?}.

Because every run adds its own file, two runs saving at once never edit the same file, and a run that
lost the push race just re-applies its commit on the new tip. leakgate never force-pushes. To drop old
history, delete files in a normal commit; to start over, delete the branch.
`;

/** Directory of the entries of one branch + config on the baselines branch. */
export function entryDir(key: BaselineKey): string {
  return `baselines/${slug(key.branch, 'branch')}/${slug(key.configName, 'config')}`;
}

const ENTRY_FILE = /^(\d{8}T\d{9}Z)-([0-9a-f]{12})\.json$/;

/** Path of one entry's file on the baselines branch. */
export function entryPath(entry: StoredBaseline): string {
  return `${entryDir(entry)}/${compactTime(entry.savedAt)}-${entry.sha.slice(0, 12).toLowerCase()}.json`;
}

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

/** Parses `git ls-tree -z` output; a malformed record is an Error naming the byte offset. */
export function parseLsTree(text: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  let offset = 0;
  for (const record of text.split('\0')) {
    if (record !== '') {
      const m = /^(\d{6}) (\w+) ([0-9a-f]{40,64})\t(.+)$/s.exec(record);
      if (!m) throw new Error(`git ls-tree output is malformed at offset ${offset}: ${JSON.stringify(record.slice(0, 80))} (expected '<mode> <type> <oid>\\t<path>')`);
      out.push({ mode: m[1]!, type: m[2]!, oid: m[3]!, path: m[4]! });
    }
    offset += record.length + 1;
  }
  return out;
}

/**
 * Whether a failed push lost a race (retry on the new tip) rather than being refused (give up): the
 * remote moved (fetch first, non-fast-forward, stale info), the branch was created meanwhile (already
 * exists), or the remote's ref update lost to a concurrent one (cannot lock ref, failed to update ref).
 */
export function isLostRace(pushOutput: string): boolean {
  return /\[rejected\]|non-fast-forward|fetch first|stale info|already exists|cannot lock ref|failed to update ref|incorrect old value|but expected/i.test(pushOutput);
}

/** The newest entry files of a key to read: `limit` newest by name plus any whose sha12 matches mergeBase. */
export function pickEntryFiles(files: readonly TreeEntry[], dir: string, limit: number, mergeBase?: string): TreeEntry[] {
  const entries = files
    .filter((f) => f.type === 'blob' && f.path.startsWith(`${dir}/`) && ENTRY_FILE.test(f.path.slice(dir.length + 1)))
    .sort((a, b) => (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  const mb = mergeBase?.trim().toLowerCase() ?? '';
  const matches = (f: TreeEntry): boolean => {
    if (mb.length < 7) return false;
    const sha12 = ENTRY_FILE.exec(f.path.slice(dir.length + 1))![2]!;
    return sha12.startsWith(mb.slice(0, 12));
  };
  return entries.filter((f, i) => i < limit || matches(f));
}

/**
 * `git cat-file --batch` output (`<oid> blob <bytes>\n<content>\n` per object) as texts in the order of `oids`; null
 * when it does not parse as expected (the caller then reads blob by blob).
 */
export function parseCatFileBatch(output: string, oids: readonly string[]): string[] | null {
  const buf = Buffer.from(output, 'utf8');
  const texts: string[] = [];
  let at = 0;
  for (const oid of oids) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) return null;
    const m = /^([0-9a-f]{40,64}) blob (\d+)$/.exec(buf.subarray(at, nl).toString('utf8'));
    if (!m || m[1] !== oid) return null;
    const end = nl + 1 + Number(m[2]);
    if (end >= buf.length + 1 || buf[end] !== 0x0a) return null;
    texts.push(buf.subarray(nl + 1, end).toString('utf8'));
    at = end + 1;
  }
  return texts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A store on a git branch; see README above for the layout. */
/** A file the branch store publishes beside the baselines: its content, or a function of the history/ files already there. */
export interface PublishedFile {
  path: string;
  content: string | ((existing: readonly string[]) => string);
}

export interface BranchStore extends BaselineStore {
  /** Commits these files (e.g. history pages) onto the baselines branch, with the same push-race handling as save. */
  publish(files: PublishedFile[], message: string): Promise<SaveResult>;
}

export function createBranchStore(opts: BranchStoreOptions): BranchStore {
  const branch = branchName(opts.branch ?? DEFAULT_BASELINE_BRANCH);
  const retries = opts.retries ?? DEFAULT_PUSH_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > 50) {
    throw new Error(`branch store retries must be an integer from 0 to 50, got ${JSON.stringify(retries)}`);
  }
  const logger = opts.logger ?? silentLogger;
  const author = opts.author ?? DEFAULT_AUTHOR;
  const backoffMs = opts.backoffMs ?? 300;
  const remoteLabel = redact(opts.remote, opts.token);
  const where = `branch ${branch} of ${remoteLabel}`;
  const tipRef = 'refs/leakgate/tip';

  /** A fresh private repository; removed by the caller. */
  const makeRepo = async (): Promise<{ dir: string; g: (args: string[], extra?: Partial<GitOptions>) => Promise<string>; o: GitOptions }> => {
    const dir = mkdtempSync(join(opts.workDir ?? tmpdir(), 'leakgate-baselines-'));
    const o: GitOptions = { cwd: dir, env: opts.env, token: opts.token, tokenUrl: opts.remote, timeoutMs: opts.timeoutMs };
    const g = (args: string[], extra: Partial<GitOptions> = {}): Promise<string> => gitOk(args, { ...o, ...extra });
    await g(['init', '-q']);
    return { dir, g, o };
  };

  /** Fetches the branch tip (depth 1) and returns its commit, or null when the branch does not exist. */
  const fetchTip = async (o: GitOptions): Promise<string | null> => {
    const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth=1', opts.remote, `+refs/heads/${branch}:${tipRef}`];
    // A fetch that finds no branch, then a probe that finds one, means another writer created it in between:
    // fetch again (bounded) rather than fail.
    for (let attempt = 1; ; attempt++) {
      const r = await git(args, o);
      if (r.code === 0) break;
      const probe = await git(['ls-remote', '--exit-code', opts.remote, `refs/heads/${branch}`], o);
      if (probe.code === 2) return null;
      if (probe.code !== 0 || attempt >= 3 || !/couldn't find remote ref/i.test(r.stderr)) throw gitFailure(args, r, opts.token);
    }
    return (await gitOk(['rev-parse', '--verify', `${tipRef}^{commit}`], o)).trim();
  };

  interface Step {
    g: (args: string[], extra?: Partial<GitOptions>) => Promise<string>;
    tip: string | null;
    /** Stages a blob at a path of the new commit. */
    add: (path: string, blob: string) => Promise<void>;
  }
  /**
   * One commit on the branch tip with what `build` stages, pushed without --force and rebuilt on the new tip when
   * another run pushed first. `build` returns `done` when there is nothing to write (already there).
   */
  const commitFiles = async (message: string, build: (step: Step) => Promise<{ done?: string; saved?: string; location: string }>): Promise<SaveResult> => {
    const { dir, g, o } = await makeRepo();
    const index = { env: { ...(opts.env ?? process.env), GIT_INDEX_FILE: join(dir, 'leakgate-index') } };
    const commitEnv = {
      env: {
        ...(opts.env ?? process.env),
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
      },
    };
    try {
      const readme = (await g(['hash-object', '-w', '--stdin'], { input: README })).trim();
      let last = '';
      for (let attempt = 1; attempt <= retries + 1; attempt++) {
        const tip = await fetchTip(o);
        if (tip) {
          await g(['read-tree', tip], index);
        } else {
          await g(['read-tree', '--empty'], index);
          await g(['update-index', '--add', '--cacheinfo', `100644,${readme},README.md`], index);
        }
        const add = async (path: string, blob: string): Promise<void> => {
          await g(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], index);
        };
        const built = await build({ g, tip, add });
        if (built.done) return { saved: true, attempts: attempt, location: built.location, message: built.done };
        const tree = (await g(['write-tree'], index)).trim();
        const commit = (await g(['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-'], { ...commitEnv, input: message })).trim();
        if (opts.beforePush) await opts.beforePush(attempt);
        // No --force, ever: a push that is not a fast-forward is refused and retried on the new tip.
        const pushArgs = ['push', '--porcelain', opts.remote, `${commit}:refs/heads/${branch}`];
        const r = await git(pushArgs, o);
        if (r.code === 0) {
          const how = tip ? '' : ` (created the branch)`;
          return { saved: true, attempts: attempt, location: built.location, message: `${built.saved}${how}${attempt > 1 ? ` after ${attempt} attempts` : ''}` };
        }
        const output = `${r.stdout}\n${r.stderr}`;
        if (!isLostRace(output)) {
          throw new BaselineSaveError(`baseline NOT saved: the push to ${where} was refused: ${gitFailure(pushArgs, r, opts.token).message}`);
        }
        last = (r.stdout.split('\n').find((l) => l.startsWith('!')) ?? r.stderr.trim().split('\n').pop() ?? '').trim();
        if (attempt <= retries) {
          const wait = Math.min(5000, backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random());
          logger.info(`another run updated ${where} first (attempt ${attempt}: ${last}); retrying on the new tip in ${Math.round(wait)} ms`);
          await sleep(wait);
        }
      }
      throw new BaselineSaveError(
        `baseline NOT saved: the push to ${where} lost to other runs ${retries + 1} times in a row (last: ${last}); leakgate never force-pushes, raise baseline retries or save less often`,
      );
    } catch (e) {
      if (e instanceof BaselineSaveError) throw e;
      throw new BaselineSaveError(`baseline NOT saved to ${where}: ${errorMessage(e)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  return {
    kind: 'branch',

    async load(q: LoadQuery): Promise<LoadedBaselines> {
      const limit = historyLimit(q.limit);
      const { dir, g, o } = await makeRepo();
      try {
        const tip = await fetchTip(o);
        if (!tip) {
          const none = chooseBaseline([], q);
          return { ...none, why: `${none.why} (${where} does not exist yet)` };
        }
        const keyDir = entryDir(q);
        const files = pickEntryFiles(parseLsTree(await g(['ls-tree', '-z', tip, '--', `${keyDir}/`])), keyDir, limit, q.mergeBase);
        const entries: StoredBaseline[] = [];
        // One git process for all the blobs: a history of 50 entries read one by one costs seconds on a busy runner.
        const texts = parseCatFileBatch(await g(['cat-file', '--batch'], { input: files.map((f) => `${f.oid}\n`).join('') }), files.map((f) => f.oid));
        for (const [i, f] of files.entries()) {
          const label = `baseline entry '${f.path}' on ${where}`;
          const entry = parseStoredBaseline(texts?.[i] ?? (await g(['cat-file', 'blob', f.oid])), label, '; the branch was left untouched');
          if (!entryMatches(entry, q)) {
            throw new ConfigError(`${label} is for '${entry.configName}' on ${entry.branch}, not '${q.configName}' on ${branchName(q.branch)}; the branch was left untouched`);
          }
          entries.push(entry);
        }
        const loaded = chooseBaseline(entries, q);
        return { ...loaded, why: `${loaded.why} (${where}, commit ${tip.slice(0, 7)})` };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },

    async save(entry: StoredBaseline): Promise<SaveResult> {
      let path: string;
      try {
        checkEntryToSave(entry, true);
        path = entryPath(entry);
      } catch (e) {
        throw new BaselineSaveError(`baseline NOT saved: ${errorMessage(e)}`);
      }
      const message = `leakgate: baseline of '${entry.configName}' on ${entry.branch} at ${entry.sha.slice(0, 12)}${entry.runUrl ? `\n\nRun: ${entry.runUrl}` : ''}\n`;
      return commitFiles(message, async ({ g, tip, add }) => {
        const blob = (await g(['hash-object', '-w', '--stdin'], { input: `${JSON.stringify(entry, null, 2)}\n` })).trim();
        if (tip) {
          const existing = parseLsTree(await g(['ls-tree', '-z', tip, '--', path]));
          if (existing.some((e) => e.oid === blob)) return { done: `the baseline was already saved as ${path} on ${where}`, location: `${branch}:${path}` };
          if (existing.length > 0) throw new BaselineSaveError(`baseline NOT saved: ${path} already exists on ${where} with other content; entries are never overwritten`);
        }
        await add(path, blob);
        return { location: `${branch}:${path}`, saved: `saved the baseline of '${entry.configName}' on ${entry.branch} as ${path} on ${where}` };
      });
    },

    async publish(files: PublishedFile[], message: string): Promise<SaveResult> {
      return commitFiles(`${message}\n`, async ({ g, tip, add }) => {
        const existing = tip ? parseLsTree(await g(['ls-tree', '-r', '-z', tip, '--', 'history/'])).map((e) => e.path) : [];
        const written = new Set<string>();
        for (const f of files) {
          const content = typeof f.content === 'string' ? f.content : f.content(existing);
          await add(f.path, (await g(['hash-object', '-w', '--stdin'], { input: content })).trim());
          written.add(f.path);
        }
        return { location: `${branch}:${[...written].join(',')}`, saved: `published ${[...written].join(', ')} on ${where}` };
      });
    },
  };
}
