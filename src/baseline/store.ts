// The baseline store interface shared by the file, git-branch and Actions-cache stores, and the pure
// logic they share: which stored entry to compare with (chooseBaseline), safe path/key names (slug),
// and validation of a stored entry. No I/O here.
import { createHash } from 'node:crypto';
import { ConfigError, errorMessage } from '../core/errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../core/types.js';

/** Which baselines: those of one config (report name) measured on one base branch. */
export interface BaselineKey {
  configName: string;
  /** Base branch name, e.g. "main" (a leading refs/heads/ is accepted and ignored). */
  branch: string;
}

/** One saved run: the report plus where and when it was measured. */
export interface StoredBaseline {
  report: Report;
  /** Commit the report measured (full hex sha; '' when unknown, e.g. a plain report file). */
  sha: string;
  branch: string;
  configName: string;
  /** ISO 8601 time the entry was saved. */
  savedAt: string;
  runUrl?: string;
}

export interface LoadQuery extends BaselineKey {
  /** Merge base of the pull request with the base branch: the entry of that commit is preferred. */
  mergeBase?: string;
  /** History entries wanted (default DEFAULT_HISTORY_LIMIT). */
  limit?: number;
  /** For display and the drift test: keep entries older than the newest accepted growth too. */
  wholeHistory?: boolean;
}

export interface LoadedBaselines {
  /** History for the statistical comparison: at most `limit` entries, chosen first, then older ones newest first. */
  entries: StoredBaseline[];
  chosen: StoredBaseline | null;
  /** One line for the report: which entry was chosen and why, or why there is none. */
  why: string;
}

export interface SaveResult {
  saved: boolean;
  /** One line for the log: where it was saved, or why it was not. */
  message: string;
  /** Push attempts (branch store) or 1. */
  attempts: number;
  /** File path, branch path or cache key of the new entry, when saved. */
  location?: string;
}

export interface BaselineStore {
  kind: 'file' | 'branch' | 'cache';
  load(q: LoadQuery): Promise<LoadedBaselines>;
  /** Saves one entry; resolves saved:false when the store is unavailable here, throws BaselineSaveError when saving failed. */
  save(entry: StoredBaseline): Promise<SaveResult>;
}

/** Saving was attempted and failed: the message says the baseline was NOT saved and why. */
export class BaselineSaveError extends Error {
  override name = 'BaselineSaveError';
}

export const DEFAULT_HISTORY_LIMIT = 10;

/** First 7 characters of a sha, for messages. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The branch name without a leading refs/heads/. */
export function branchName(branch: string): string {
  return branch.startsWith('refs/heads/') ? branch.slice('refs/heads/'.length) : branch;
}

/** Whether a stored sha is the commit `mergeBase` names (full or abbreviated to >= 7 hex digits). */
export function shaMatches(stored: string, mergeBase: string): boolean {
  const want = mergeBase.trim().toLowerCase();
  if (want.length < 7 || stored.length < 7) return false;
  const have = stored.toLowerCase();
  return have.startsWith(want) || want.startsWith(have);
}

/** Checks a history limit: undefined -> the default; anything but a positive integer is an Error naming it. */
export function historyLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_HISTORY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`baseline history limit must be a positive integer, got ${JSON.stringify(limit)}`);
  }
  return limit;
}

function savedTime(e: StoredBaseline): number {
  const t = Date.parse(e.savedAt);
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * Picks the baseline among the entries stored for the query's key: the entry of the merge-base commit
 * when there is one (the newest such if the commit was measured twice), else the newest by savedAt.
 * `entries` is the history for the comparison: chosen first, then the entries saved at or before it, newest
 * first, `limit` in all (never one saved after the chosen entry), and none older than the newest accepted growth.
 */
export function chooseBaseline(entries: readonly StoredBaseline[], query: LoadQuery): LoadedBaselines {
  const limit = historyLimit(query.limit);
  const branch = branchName(query.branch);
  if (entries.length === 0) {
    return { entries: [], chosen: null, why: `no baseline yet for '${query.configName}' on ${branch}` };
  }
  const newestFirst = [...entries].sort((a, b) => savedTime(b) - savedTime(a));
  const byMergeBase = query.mergeBase ? newestFirst.find((e) => shaMatches(e.sha, query.mergeBase!)) : undefined;
  const chosen = byMergeBase ?? newestFirst[0]!;
  // Never an entry saved after the chosen one: a merge-base comparison pooled with newer commits of the base
  // branch would measure the PR against code it does not contain, and the named baseline would not be the one
  // the figures came from.
  const older = [chosen, ...newestFirst.filter((e) => e !== chosen && savedTime(e) <= savedTime(chosen))].slice(0, limit);
  // An accepted growth starts a new level: entries before it would pull the comparison back to the old one.
  const accepted = older.findIndex((e) => e.report.acceptance?.covered === true);
  const history = accepted >= 0 && !query.wholeHistory ? older.slice(0, accepted + 1) : older;
  let why: string;
  if (byMergeBase) {
    why = `merge-base ${shortSha(query.mergeBase!)} of ${branch}`;
  } else {
    const which = chosen.sha ? `newest of ${branch} (${shortSha(chosen.sha)}, saved ${chosen.savedAt})` : `newest of ${branch} (saved ${chosen.savedAt})`;
    why = query.mergeBase ? `${which}; merge-base ${shortSha(query.mergeBase)} is not in the store` : which;
  }
  return { entries: history, chosen, why };
}

// ---------------------------------------------------------------------------------------------
// Names in paths and cache keys
// ---------------------------------------------------------------------------------------------

const SLUG_MAX = 120;

/**
 * A branch or config name made safe for a path in a git tree and an Actions cache key, still readable:
 * `refs/heads/feature/x` -> `feature/x`. Letters, digits, '.', '_' and '-' are kept; every other
 * character (control characters, spaces, ',', '%', ':', non-ASCII...) becomes %XX of its UTF-8 bytes,
 * so two different names never share a slug. A branch keeps '/' as directory separators (empty
 * segments dropped, no leading '/'); a config name has '/' encoded too, so it is one path segment.
 * A segment that starts with '.' has that dot encoded (no '..', '.' or '.git' segments). A slug longer
 * than 120 characters is cut and ends with a hash of the whole name. An empty name is an Error.
 */
export function slug(name: string, kind: 'branch' | 'config'): string {
  const raw = kind === 'branch' ? branchName(name) : name;
  const segments = kind === 'branch' ? raw.split('/').filter((s) => s !== '') : [raw];
  const out = segments
    .map((segment) => {
      let s = '';
      for (const byte of Buffer.from(segment, 'utf8')) {
        const c = String.fromCharCode(byte);
        s += /[A-Za-z0-9._-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      }
      return s.startsWith('.') ? `%2E${s.slice(1)}` : s;
    })
    .join('/');
  if (out === '') {
    throw new Error(`${kind} name ${JSON.stringify(name)} is empty; a baseline needs a non-empty ${kind} name`);
  }
  if (out.length <= SLUG_MAX) return out;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${out.slice(0, SLUG_MAX - 13).replace(/%[0-9A-F]?$/, '').replace(/\/+$/, '')}~${hash}`;
}

/** `2025-01-02T03:04:05.678Z` -> `20250102T030405678Z`: sorts like the time, safe in a file name. */
export function compactTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`savedAt ${JSON.stringify(iso.slice(0, 40))} is not an ISO 8601 time (e.g. 2025-01-02T03:04:05.678Z)`);
  return new Date(t).toISOString().replace(/[-:.]/g, '');
}

/** Checks the fields of an entry about to be saved; `needSha` for stores that put the sha in a path or key. */
export function checkEntryToSave(entry: StoredBaseline, needSha: boolean): void {
  if (needSha && !/^[0-9a-f]{7,64}$/i.test(entry.sha)) {
    throw new Error(`baseline sha ${JSON.stringify(entry.sha.slice(0, 80))} is not a commit sha (7 to 64 hex digits)`);
  }
  if (!entry.configName) throw new Error('baseline configName is empty; it must name the config (the report name)');
  if (!entry.branch) throw new Error('baseline branch is empty; it must name the base branch, e.g. "main"');
  compactTime(entry.savedAt);
  checkReport(entry.report, 'the report to save', '');
}

// ---------------------------------------------------------------------------------------------
// Validation of stored entries
// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The checks of parseBaselineReport on an already parsed value: a leakgate report of this schema,
 * with trials that carry analyses and samples. `label` names it; `untouched` ends each message.
 */
export function checkReport(data: unknown, label: string, untouched: string): Report {
  const r = data as Partial<Report> | null;
  if (!isObject(r) || r.tool?.name !== 'leakgate') {
    throw new ConfigError(`${label} is not a leakgate report (no tool.name 'leakgate')${untouched}`);
  }
  if (r.schemaVersion !== REPORT_SCHEMA_VERSION) {
    throw new ConfigError(
      `${label} has report schema version ${JSON.stringify(r.schemaVersion)}, this leakgate (schema ${REPORT_SCHEMA_VERSION}) cannot compare with it; re-run the baseline with this version${untouched}`,
    );
  }
  if (!Array.isArray(r.trials) || r.trials.some((t) => typeof t?.analysis?.bytesPerRequest !== 'number' || !Array.isArray(t.samples))) {
    throw new ConfigError(`${label} is truncated or corrupt: its trials lack analyses or samples${untouched}`);
  }
  return r as Report;
}

/** Validates a parsed stored entry (shape of StoredBaseline with a valid report). */
export function checkStoredBaseline(data: unknown, label: string, untouched: string): StoredBaseline {
  if (!isObject(data)) {
    throw new ConfigError(`${label} is not a stored baseline (expected an object with report, sha, branch, configName, savedAt)${untouched}`);
  }
  for (const field of ['sha', 'branch', 'configName', 'savedAt'] as const) {
    if (typeof data[field] !== 'string') {
      throw new ConfigError(`${label} is not a stored baseline: field '${field}' is ${data[field] === undefined ? 'missing' : `not a string (${JSON.stringify(data[field])?.slice(0, 40)})`}${untouched}`);
    }
  }
  if (Number.isNaN(Date.parse(data.savedAt as string))) {
    throw new ConfigError(`${label}: savedAt ${JSON.stringify((data.savedAt as string).slice(0, 40))} is not an ISO 8601 time${untouched}`);
  }
  if (data.runUrl !== undefined && typeof data.runUrl !== 'string') {
    throw new ConfigError(`${label}: runUrl is not a string${untouched}`);
  }
  checkReport(data.report, `${label} (its report)`, untouched);
  return data as unknown as StoredBaseline;
}

/** Parses and validates the text of one stored entry; a ConfigError names `label` and the problem. */
export function parseStoredBaseline(text: string, label: string, untouched = '; it was left untouched'): StoredBaseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${label} is not valid JSON (${errorMessage(e)})${untouched}`);
  }
  return checkStoredBaseline(data, label, untouched);
}

/** Whether an entry belongs to the key (branch compared without refs/heads/). */
export function entryMatches(entry: StoredBaseline, key: BaselineKey): boolean {
  return entry.configName === key.configName && branchName(entry.branch) === branchName(key.branch);
}
