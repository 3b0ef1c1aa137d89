// The `cache` baseline store over the GitHub Actions cache (@actions/cache): every saved run gets a
// unique key, and a load restores the newest key with the branch + config prefix (the merge-base
// commit's first). Key building is pure; the I/O is a thin layer. Cache entries cannot be listed or
// appended to, so each saved entry carries the history before it (`history`, older entries newest first,
// up to the history limit): one restore gives the chosen entry and the entries at or before it. Saves that
// race (two pushes at once) each carry the history they restored, so one may miss the other's entry.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { writeFileAtomic } from './file-store.js';
import {
  BaselineSaveError,
  branchName,
  checkEntryToSave,
  checkStoredBaseline,
  chooseBaseline,
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

/** The part of @actions/cache this store uses. */
export interface CacheApi {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

export interface CacheStoreOptions {
  /** GITHUB_RUN_ID and GITHUB_RUN_ATTEMPT (default from the environment): make each saved key unique. */
  runId?: string;
  runAttempt?: string;
  /**
   * The file cached. Its path is part of the cache version, so it must be the same when saving and
   * restoring: default <RUNNER_TEMP or OS temp>/leakgate-baseline-cache/baseline.json.
   */
  file?: string;
  logger?: Logger;
  /** The cache implementation; default @actions/cache. */
  api?: CacheApi;
  /** Entries (the new one included) a saved entry carries; default DEFAULT_HISTORY_LIMIT (baseline.history). */
  history?: number;
}

/** What one cache entry holds: the saved run, and the runs of the same key saved before it. */
type CachedBaseline = StoredBaseline & { history?: StoredBaseline[] };

export const NOT_AVAILABLE =
  'the Actions cache is not available here (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL unset): it exists only inside a GitHub Actions job, for actions (uses:), not for run: steps';

/**
 * `leakgate-<config-slug>-<branch-slug>-<hash8>-`: the prefix of every key of one config on one branch.
 * The hash of the exact names keeps prefixes apart that would otherwise nest ('api' on 'main' vs 'api'
 * on 'main-2' both start with leakgate-api-main-), since a restore matches keys by prefix.
 */
export function cacheKeyPrefix(key: BaselineKey): string {
  const hash = createHash('sha256').update(`${key.configName}\0${branchName(key.branch)}`).digest('hex').slice(0, 8);
  return `leakgate-${slug(key.configName, 'config')}-${slug(key.branch, 'branch')}-${hash}-`;
}

/** The key an entry is saved under: prefix + `<sha>-<runId>-<attempt>`, unique per run attempt. */
export function cacheSaveKey(entry: StoredBaseline, runId: string, runAttempt: string): string {
  for (const [name, v] of [['run id', runId], ['run attempt', runAttempt]] as const) {
    if (!/^[A-Za-z0-9._]+$/.test(v)) throw new Error(`cache ${name} ${JSON.stringify(v.slice(0, 40))} must be letters, digits, '.' or '_' (GITHUB_RUN_ID / GITHUB_RUN_ATTEMPT)`);
  }
  return `${cacheKeyPrefix(entry)}${entry.sha.toLowerCase()}-${runId}-${runAttempt}`;
}

/**
 * Keys for a restore: with a merge base, the prefix of that commit's entries first, then any entry of
 * the branch + config; the service returns the newest entry matching the first key that matches.
 */
export function cacheRestoreKeys(q: LoadQuery): { primaryKey: string; restoreKeys: string[] } {
  const prefix = cacheKeyPrefix(q);
  const mb = q.mergeBase?.trim().toLowerCase();
  if (mb && /^[0-9a-f]{7,64}$/.test(mb)) {
    const exact = `${prefix}${mb}`;
    // The exact prefix is repeated as a restore key: restore keys are always prefix-matched.
    return { primaryKey: exact, restoreKeys: [exact, prefix] };
  }
  return { primaryKey: prefix, restoreKeys: [prefix] };
}

/** The default cached file: the same path on every run of a runner image, as the cache version requires. */
export function defaultCacheFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.RUNNER_TEMP || tmpdir(), 'leakgate-baseline-cache', 'baseline.json');
}

/** A store over the Actions cache; when the cache service is not reachable it loads nothing and saves nothing. */
export function createCacheStore(opts: CacheStoreOptions = {}): BaselineStore {
  const logger = opts.logger ?? silentLogger;
  const file = opts.file ?? defaultCacheFile();
  const api = async (): Promise<CacheApi> => opts.api ?? (await import('@actions/cache'));

  return {
    kind: 'cache',

    async load(q: LoadQuery): Promise<LoadedBaselines> {
      historyLimit(q.limit);
      const cache = await api();
      if (!cache.isFeatureAvailable()) {
        return { entries: [], chosen: null, why: `no baseline loaded: ${NOT_AVAILABLE}` };
      }
      const { primaryKey, restoreKeys } = cacheRestoreKeys(q);
      rmSync(file, { force: true });
      mkdirSync(join(file, '..'), { recursive: true });
      const hit = await cache.restoreCache([file], primaryKey, restoreKeys);
      if (!hit || !existsSync(file)) {
        const none = chooseBaseline([], q);
        return { ...none, why: `${none.why} (no Actions cache key starts with ${cacheKeyPrefix(q)})` };
      }
      const entries = readCachedEntries(readFileSync(file, 'utf8'), hit, q);
      logger.debug(`restored baseline from Actions cache key ${hit} (${entries.length} entries with its history)`);
      const loaded = chooseBaseline(entries, q);
      return { ...loaded, why: `${loaded.why} (Actions cache key ${hit})` };
    },

    async save(entry: StoredBaseline): Promise<SaveResult> {
      try {
        checkEntryToSave(entry, true);
      } catch (e) {
        throw new BaselineSaveError(`baseline NOT saved: ${errorMessage(e)}`);
      }
      const cache = await api();
      if (!cache.isFeatureAvailable()) {
        return { saved: false, attempts: 1, message: `baseline NOT saved: ${NOT_AVAILABLE}` };
      }
      const runId = opts.runId ?? process.env.GITHUB_RUN_ID ?? String(Date.now());
      const runAttempt = opts.runAttempt ?? process.env.GITHUB_RUN_ATTEMPT ?? '1';
      const key = cacheSaveKey(entry, runId, runAttempt);
      const history = await previousEntries(cache, entry);
      const kept = history.filter((e) => Date.parse(e.savedAt) <= Date.parse(entry.savedAt)).slice(0, historyLimit(opts.history) - 1);
      const cached: CachedBaseline = { ...entry, history: kept };
      writeFileAtomic(file, `${JSON.stringify(cached)}\n`);
      const id = await cache.saveCache([file], key);
      if (id === -1) {
        throw new BaselineSaveError(`baseline NOT saved: the Actions cache did not accept key ${key} (its warning above says why: cache full, read-only token, or a service error)`);
      }
      const n = kept.length + 1;
      return { saved: true, attempts: 1, location: key, message: `saved the baseline of '${entry.configName}' on ${entry.branch} to the Actions cache as ${key} (${n} entr${n === 1 ? 'y' : 'ies'} of history)` };
    },
  };

  /** The newest entry of the key and the history it carries, newest first; none when there is none or it is unreadable. */
  async function previousEntries(cache: CacheApi, entry: StoredBaseline): Promise<StoredBaseline[]> {
    const { primaryKey, restoreKeys } = cacheRestoreKeys(entry);
    rmSync(file, { force: true });
    mkdirSync(join(file, '..'), { recursive: true });
    const hit = await cache.restoreCache([file], primaryKey, restoreKeys);
    if (!hit || !existsSync(file)) return [];
    try {
      return readCachedEntries(readFileSync(file, 'utf8'), hit, entry);
    } catch (e) {
      // A bad old entry must not block saving a good new one; the new entry starts the history afresh.
      logger.warn(`the newest Actions cache entry ${hit} is unreadable, so the new baseline starts its history afresh: ${errorMessage(e)}`);
      return [];
    }
  }
}

/** The entry of a restored cache file and the history it carries, checked against the key, newest first. */
export function readCachedEntries(text: string, hit: string, key: BaselineKey): StoredBaseline[] {
  const label = `baseline in Actions cache key '${hit}'`;
  const untouched = '; the cache entry was left as it is';
  const entry = parseStoredBaseline(text, label, untouched) as CachedBaseline;
  const history = entry.history === undefined ? [] : entry.history;
  if (!Array.isArray(history)) throw new ConfigError(`${label}: 'history' is not a list of stored baselines${untouched}`);
  const entries = [entry, ...history.map((h, i) => checkStoredBaseline(h, `${label} history[${i}]`, untouched))].map(({ history: _, ...e }: CachedBaseline) => e);
  for (const e of entries) {
    if (!entryMatches(e, key)) {
      throw new ConfigError(`${label} holds an entry for '${e.configName}' on ${e.branch}, not '${key.configName}' on ${branchName(key.branch)}`);
    }
  }
  return entries;
}
