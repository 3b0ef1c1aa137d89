// `leakgate history` (CLI) and the Action's `history` mode: read a store's history for a branch and one or more
// configs, render the job summary (Mermaid charts and a linked table) and the static pages (one per config plus an
// index), and optionally publish the pages on the branch store. Shared by both entry points.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createBranchStore } from '../baseline/branch-store.js';
import { createCacheStore } from '../baseline/cache-store.js';
import { createFileStore } from '../baseline/file-store.js';
import { git } from '../baseline/git.js';
import type { BaselineStore } from '../baseline/store.js';
import { STORE_KINDS, DEFAULT_STORE_BRANCH, DEFAULT_STORE_FILE } from '../config/sections.js';
import { CONFIG_NAME_PATTERN } from '../config/config.js';
import { collectHistory, type HistoryPoint } from '../history/collect.js';
import { renderHistoryMarkdown } from '../history/render-markdown.js';
import { renderHistoryIndex, renderHistoryHtml } from '../history/render-html.js';
import { historyFiles, historyPagePath } from './publish-history.js';

export interface HistoryRequest {
  /** Config names (report names). */
  names: string[];
  /** Base branch whose history is read, e.g. main. */
  branch: string;
  store: 'branch' | 'file' | 'cache';
  /** Branch store: repository URL or path (default: the Actions repository, else the checkout's origin). */
  remote?: string;
  /** Branch store: the baselines branch. */
  storeBranch?: string;
  /** File store: the JSON file. */
  path?: string;
  limit: number;
  /** owner/name for commit links. */
  repo: string | null;
  serverUrl: string;
  /** Directory the HTML pages are written to; none when undefined. */
  outDir?: string;
  /** Branch store: also commit the pages onto the baselines branch. */
  publish: boolean;
  cwd: string;
  token?: string;
  logger: Logger;
  now: Date;
}

export interface HistoryResult {
  markdown: string;
  /** Pages written to outDir. */
  files: string[];
  points: Record<string, HistoryPoint[]>;
  published: string | null;
}

async function remoteOf(req: HistoryRequest): Promise<string> {
  if (req.remote) return req.remote;
  if (req.repo) return `${req.serverUrl.replace(/\/+$/, '')}/${req.repo}.git`;
  const r = await git(['remote', 'get-url', 'origin'], { cwd: req.cwd, timeoutMs: 10_000 }).catch(() => null);
  if (r && r.code === 0 && r.stdout.trim()) return r.stdout.trim();
  throw new ConfigError("history: the branch store needs a repository: pass --remote, or --repo owner/name, or run in a checkout with an 'origin' remote");
}

export async function runHistory(req: HistoryRequest): Promise<HistoryResult> {
  if (req.names.length === 0) throw new ConfigError('history: name at least one config (--name, the report name; repeat it for several)');
  for (const n of req.names) {
    if (!CONFIG_NAME_PATTERN.test(n)) throw new ConfigError(`history: config name '${n}' is not a config name (1-64 letters, digits, dots, dashes or underscores)`);
  }
  if (!(STORE_KINDS as readonly string[]).includes(req.store) || (req.store as string) === 'none') {
    throw new ConfigError(`history: the store must be branch, file or cache, got '${req.store}'`);
  }
  let store: BaselineStore;
  if (req.store === 'file') store = createFileStore({ path: req.path ?? DEFAULT_STORE_FILE, cwd: req.cwd, logger: req.logger });
  else if (req.store === 'cache') store = createCacheStore({ logger: req.logger, history: Math.min(100, req.limit) });
  else store = createBranchStore({ remote: await remoteOf(req), branch: req.storeBranch ?? DEFAULT_STORE_BRANCH, ...(req.token ? { token: req.token } : {}), logger: req.logger });

  const generatedAt = req.now.toISOString();
  const points: Record<string, HistoryPoint[]> = {};
  const markdown: string[] = [];
  const files: string[] = [];
  const pages: Array<{ configName: string; file: string; points: HistoryPoint[] }> = [];
  for (const name of req.names) {
    const loaded = await store.load({ configName: name, branch: req.branch, limit: req.limit, wholeHistory: true });
    const p = collectHistory(loaded.entries);
    points[name] = p;
    const info = { configName: name, branch: req.branch, repo: req.repo, serverUrl: req.serverUrl };
    markdown.push(renderHistoryMarkdown(p, info));
    pages.push({ configName: name, file: historyPagePath(name).slice('history/'.length), points: p });
    if (req.outDir) {
      const dir = resolve(req.cwd, req.outDir);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, historyPagePath(name).slice('history/'.length));
      writeFileSync(file, renderHistoryHtml(p, info, generatedAt));
      files.push(file);
    }
    if (req.publish) {
      if (store.kind !== 'branch') throw new ConfigError(`history: --publish needs the branch store (this store: ${store.kind})`);
      const result = await (store as ReturnType<typeof createBranchStore>).publish(
        historyFiles(loaded.entries, name, req.branch, req.repo, req.serverUrl, generatedAt),
        `leakgate: history of '${name}'`,
      );
      req.logger.info(result.message);
    }
  }
  if (req.outDir) {
    const index = join(resolve(req.cwd, req.outDir), 'index.html');
    writeFileSync(index, renderHistoryIndex(pages.map((pg) => ({ configName: pg.configName, branch: req.branch, file: pg.file, runs: pg.points.length, latest: pg.points.at(-1) ?? null })), generatedAt));
    files.push(index);
  }
  return { markdown: markdown.join('\n'), files, points, published: req.publish ? 'history/' : null };
}
