// The `cache` baseline store over the GitHub Actions cache (@actions/cache): every saved run gets a
// unique key, and a load restores the newest key with the branch + config prefix (the merge-base
// commit's first). Key building is pure; the I/O is a thin layer. Only the newest entry, no history.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { writeFileAtomic } from './file-store.js';
import {
  BaselineSaveError,
  branchName,
  checkEntryToSave,
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
}

export const NOT_AVAILABLE =
  'the Actions cache is not available here (ACTIONS_CACHE_URL / ACTIONS_RESULTS_URL unset): it exists only inside a GitHub Actions job, for actions (uses:), not for run: steps';

const NO_HISTORY = 'the cache store keeps only the newest entry, no history';

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
      const label = `baseline in Actions cache key '${hit}'`;
      const entry = parseStoredBaseline(readFileSync(file, 'utf8'), label, '; the cache entry was left as it is');
      if (!entryMatches(entry, q)) {
        throw new ConfigError(`${label} is for '${entry.configName}' on ${entry.branch}, not '${q.configName}' on ${branchName(q.branch)}`);
      }
      logger.debug(`restored baseline from Actions cache key ${hit}`);
      const loaded = chooseBaseline([entry], q);
      return { ...loaded, why: `${loaded.why} (Actions cache key ${hit}; ${NO_HISTORY})` };
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
      writeFileAtomic(file, `${JSON.stringify(entry)}\n`);
      const id = await cache.saveCache([file], key);
      if (id === -1) {
        throw new BaselineSaveError(`baseline NOT saved: the Actions cache did not accept key ${key} (its warning above says why: cache full, read-only token, or a service error)`);
      }
      return { saved: true, attempts: 1, location: key, message: `saved the baseline of '${entry.configName}' on ${entry.branch} to the Actions cache as ${key} (${NO_HISTORY})` };
    },
  };
}
