// The baseline side of a run: before it, open the configured store and load the baseline of the base branch
// (the merge-base's entry when the store has it); after it, save the run when the policy says so. Failing to
// save never changes the verdict, and a run that errored is never saved (save-policy.ts).
import type { Config } from '../config/config.js';
import { errorMessage } from '../core/errors.js';
import type { EventContext } from '../github/event-context.js';
import type { Logger } from '../core/logger.js';
import type { BaselineInfo, Report } from '../core/types.js';
import { baselineCurve } from './baseline-curve.js';
import { createBranchStore } from './branch-store.js';
import { createCacheStore } from './cache-store.js';
import { createFileStore } from './file-store.js';
import { git } from './git.js';
import { decideSave, type SaveDecision } from './save-policy.js';
import type { BaselineStore, LoadedBaselines, StoredBaseline } from './store.js';

export interface BaselineSessionInput {
  config: Config;
  context: EventContext;
  /** Repository checkout: the file store's base, git commands' cwd. */
  cwd: string;
  token?: string;
  logger: Logger;
}

export interface LoadedForRun {
  reports: Report[];
  info: BaselineInfo | null;
  note: string;
  /** The base branch the baselines belong to. */
  baseBranch: string;
}

export interface BaselineSession {
  store: BaselineStore;
  load(): Promise<LoadedForRun>;
  /** Saves the report when the policy allows; returns what happened (never throws). */
  save(report: Report): Promise<SaveDecision & { saved: boolean }>;
  /** Whether save() would save this report (the policy alone). */
  willSave(report: Report): SaveDecision;
  /** The stored history of the base branch for this config, up to `limit` entries, newest first. */
  history(limit: number): Promise<StoredBaseline[]>;
  /** The commit this run measures, when known. */
  headSha: string | null;
}

/** Null when no store is configured. */
export async function openBaselineSession(input: BaselineSessionInput): Promise<BaselineSession | null> {
  const { config, context, cwd, logger } = input;
  const sc = config.baseline.store;
  if (sc.kind === 'none') return null;
  let store: BaselineStore;
  if (sc.kind === 'file') store = createFileStore({ path: sc.path, cwd, logger });
  else if (sc.kind === 'cache') store = createCacheStore({ logger, history: sc.history });
  else {
    const remote = sc.remote ?? (await defaultRemote(context, cwd));
    store = createBranchStore({ remote, branch: sc.branch, ...(input.token ? { token: input.token } : {}), logger });
  }
  const headSha = context.pr?.headSha ?? context.sha ?? (await gitOutput(['rev-parse', 'HEAD'], cwd));
  const runBranch = context.pr?.headRef ?? context.push?.branch ?? context.refName ?? (await gitOutput(['rev-parse', '--abbrev-ref', 'HEAD'], cwd));
  const baseBranch = context.pr?.baseRef ?? sc.baseBranch ?? (context.push?.branch ?? context.defaultBranch ?? 'main');

  const willSave = (report: Report): SaveDecision =>
    decideSave(
      {
        event: context.eventName || 'local',
        branch: runBranch ?? null,
        defaultBranch: context.defaultBranch,
        saveOn: sc.saveOn,
        forced: sc.save,
        onlyWhenAsked: store.kind === 'file',
      },
      report,
    );

  return {
    store,
    async load() {
      const mergeBase = context.pr ? await findMergeBase(context, cwd) : null;
      const loaded: LoadedBaselines = await store.load({
        configName: config.name,
        branch: baseBranch,
        limit: sc.history,
        ...(mergeBase ? { mergeBase } : {}),
      });
      const chosen = loaded.chosen;
      if (!chosen) {
        return { reports: [], info: null, note: `${loaded.why}: this run will become it once it runs on ${baseBranch}`, baseBranch };
      }
      const info: BaselineInfo = {
        store: store.kind,
        sha: chosen.sha || null,
        branch: chosen.branch,
        savedAt: chosen.savedAt,
        why: loaded.why,
        ...(chosen.runUrl ? { runUrl: chosen.runUrl } : {}),
        curve: baselineCurve(chosen.report, config.analysis.metric),
      };
      const n = loaded.entries.length;
      return { reports: loaded.entries.map((e) => e.report), info, note: `baseline from the ${store.kind} store: ${loaded.why} (${n} entr${n === 1 ? 'y' : 'ies'} of history)`, baseBranch };
    },
    headSha: headSha ?? null,
    willSave,
    async history(limit) {
      const loaded = await store.load({ configName: config.name, branch: sc.baseBranch ?? runBranch ?? baseBranch, limit, wholeHistory: true });
      return loaded.entries;
    },
    async save(report) {
      const decision = willSave(report);
      if (!decision.save) return { ...decision, saved: false };
      if (!headSha && store.kind !== 'file') {
        return { save: true, saved: false, reason: `the baseline was NOT saved: the commit being measured is unknown (no GITHUB_SHA and no git checkout), and the ${store.kind} store keys baselines by commit` };
      }
      try {
        const result = await store.save({
          report,
          sha: headSha ?? '',
          // With baseline.base-branch set (e.g. 'releases'), runs are saved under that name, so a release gate
          // compares release candidates with earlier releases, apart from main's history.
          branch: sc.baseBranch ?? runBranch ?? baseBranch,
          configName: config.name,
          savedAt: report.createdAt,
          ...(context.runUrl ? { runUrl: context.runUrl } : {}),
        });
        return { save: true, saved: result.saved, reason: result.saved ? `${decision.reason}: ${result.message}` : result.message };
      } catch (e) {
        return { save: true, saved: false, reason: errorMessage(e) };
      }
    },
  };
}

async function defaultRemote(context: EventContext, cwd: string): Promise<string> {
  if (context.repo) return `${context.serverUrl}/${context.repo.owner}/${context.repo.name}.git`;
  const origin = await gitOutput(['remote', 'get-url', 'origin'], cwd);
  if (origin) return origin;
  throw new Error("baseline.store 'branch' needs a repository: set baseline.remote, or run in a git checkout with an 'origin' remote");
}

/** The PR's merge-base with its base branch, when the checkout has both commits (fetch-depth: 0). */
async function findMergeBase(context: EventContext, cwd: string): Promise<string | null> {
  const pr = context.pr;
  if (!pr?.baseSha || !pr.headSha) return null;
  return gitOutput(['merge-base', pr.baseSha, pr.headSha], cwd);
}

async function gitOutput(args: string[], cwd: string): Promise<string | null> {
  try {
    const r = await git(args, { cwd, timeoutMs: 10_000 });
    const out = r.stdout.trim();
    return r.code === 0 && out !== '' && out !== 'HEAD' ? out : null;
  } catch {
    return null;
  }
}
