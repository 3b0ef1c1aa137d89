// The `file` baseline store: one JSON file in the repository holding every saved entry (a history per
// branch and config, capped), or a single plain report, which reads as a one-entry store. Written only
// by save(), atomically (temp file + rename); a corrupt file or unknown version is an error and is left untouched.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { ConfigError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import {
  BaselineSaveError,
  checkEntryToSave,
  checkReport,
  checkStoredBaseline,
  chooseBaseline,
  entryMatches,
  type BaselineStore,
  type LoadedBaselines,
  type LoadQuery,
  type SaveResult,
  type StoredBaseline,
} from './store.js';

export const FILE_STORE_SCHEMA = 'leakgate-baselines';
export const FILE_STORE_VERSION = 1;
export const DEFAULT_FILE_STORE_CAP = 50;

/** The file's content. */
export interface BaselineFile {
  schema: typeof FILE_STORE_SCHEMA;
  version: typeof FILE_STORE_VERSION;
  entries: StoredBaseline[];
}

export interface FileStoreOptions {
  /** The JSON file, relative to cwd. */
  path: string;
  cwd?: string;
  /** Entries kept per branch + config (older ones are dropped on save); default 50. */
  cap?: number;
  logger?: Logger;
}

const UNTOUCHED = '; it was left untouched';

/**
 * Parses the store file's text (pure). A plain leakgate report reads as one entry whose sha is unknown
 * (''), stored under its own name and createdAt, and `plain` is true. Anything else is a ConfigError
 * naming `label`.
 */
export function parseBaselineFile(text: string, label: string): { file: BaselineFile; plain: boolean } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`baseline store '${label}' is not valid JSON (${errorMessage(e)})${UNTOUCHED}`);
  }
  const d = data as Record<string, unknown> | null;
  if (typeof d === 'object' && d !== null && !Array.isArray(d) && 'schema' in d) {
    if (d.schema !== FILE_STORE_SCHEMA) {
      throw new ConfigError(`baseline store '${label}' has schema ${JSON.stringify(d.schema)?.slice(0, 60)}, expected '${FILE_STORE_SCHEMA}'${UNTOUCHED}`);
    }
    if (d.version !== FILE_STORE_VERSION) {
      throw new ConfigError(
        `baseline store '${label}' has version ${JSON.stringify(d.version)?.slice(0, 20)}, this leakgate reads version ${FILE_STORE_VERSION}; use the leakgate that wrote it or point baseline.path elsewhere${UNTOUCHED}`,
      );
    }
    if (!Array.isArray(d.entries)) {
      throw new ConfigError(`baseline store '${label}' has no 'entries' array${UNTOUCHED}`);
    }
    const entries = d.entries.map((e, i) => checkStoredBaseline(e, `baseline store '${label}' entry ${i}`, UNTOUCHED));
    return { file: { schema: FILE_STORE_SCHEMA, version: FILE_STORE_VERSION, entries }, plain: false };
  }
  const report = checkReport(data, `baseline store '${label}' (neither a '${FILE_STORE_SCHEMA}' file nor a report)`, UNTOUCHED);
  const entry: StoredBaseline = { report, sha: '', branch: '', configName: report.name, savedAt: report.createdAt };
  return { file: { schema: FILE_STORE_SCHEMA, version: FILE_STORE_VERSION, entries: [entry] }, plain: true };
}

/**
 * Adds an entry and keeps the newest `cap` entries of its branch + config; entries of other keys are
 * kept as they are (pure).
 */
export function appendEntry(file: BaselineFile, entry: StoredBaseline, cap: number): BaselineFile {
  const time = (e: StoredBaseline): number => Date.parse(e.savedAt);
  const same = [...file.entries.filter((e) => entryMatches(e, entry)), entry].sort((a, b) => time(a) - time(b));
  const kept = new Set(same.slice(Math.max(0, same.length - cap)));
  const entries = [...file.entries, entry].filter((e) => !entryMatches(e, entry) || kept.has(e));
  return { schema: FILE_STORE_SCHEMA, version: FILE_STORE_VERSION, entries };
}

/** Writes text to path atomically: a temp file in the same directory, then rename over the target. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A file store. load() never writes; save() rewrites the file atomically with the entry appended. */
export function createFileStore(opts: FileStoreOptions): BaselineStore {
  const cap = opts.cap ?? DEFAULT_FILE_STORE_CAP;
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`file store cap must be a positive integer, got ${JSON.stringify(cap)}`);
  const full = resolve(opts.cwd ?? process.cwd(), opts.path);
  const logger = opts.logger ?? silentLogger;

  const read = (): { file: BaselineFile; plain: boolean } | null =>
    existsSync(full) ? parseBaselineFile(readFileSync(full, 'utf8'), opts.path) : null;

  return {
    kind: 'file',
    async load(q: LoadQuery): Promise<LoadedBaselines> {
      const found = read();
      if (!found) {
        const none = chooseBaseline([], q);
        return { ...none, why: `${none.why} (${opts.path} does not exist)` };
      }
      // A plain report is what the user pointed at: it is the baseline whatever its branch.
      const entries = found.plain ? found.file.entries : found.file.entries.filter((e) => entryMatches(e, q));
      const loaded = chooseBaseline(entries, q);
      return { ...loaded, why: `${loaded.why} (file ${opts.path}${found.plain ? ', a single report' : ''})` };
    },
    async save(entry: StoredBaseline): Promise<SaveResult> {
      try {
        checkEntryToSave(entry, false);
      } catch (e) {
        throw new BaselineSaveError(`baseline NOT saved: ${errorMessage(e)}`);
      }
      const found = read();
      if (found?.plain) {
        logger.info(`baseline store ${opts.path} held a single report; it becomes the first entry of a '${FILE_STORE_SCHEMA}' file`);
        const first = found.file.entries[0]!;
        found.file.entries[0] = { ...first, branch: entry.branch, configName: entry.configName };
      }
      const next = appendEntry(found?.file ?? { schema: FILE_STORE_SCHEMA, version: FILE_STORE_VERSION, entries: [] }, entry, cap);
      try {
        writeFileAtomic(full, `${JSON.stringify(next, null, 2)}\n`);
      } catch (e) {
        throw new BaselineSaveError(`baseline NOT saved to ${opts.path}: ${errorMessage(e)}`);
      }
      const count = next.entries.filter((e) => entryMatches(e, entry)).length;
      return {
        saved: true,
        attempts: 1,
        location: full,
        message: `saved the baseline of '${entry.configName}' on ${entry.branch} to ${opts.path} (${count} entr${count === 1 ? 'y' : 'ies'} of history)`,
      };
    },
  };
}
