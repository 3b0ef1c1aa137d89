// After a saved run with history.publish: the branch store writes history/<config>.html and history/index.html
// next to its baselines, so GitHub Pages (serving the baselines branch) shows the history. Failing to publish is a
// warning: the baseline is saved already.
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { errorMessage } from '../core/errors.js';
import type { BaselineSession } from '../baseline/baseline-session.js';
import type { BranchStore } from '../baseline/branch-store.js';
import { slug, type StoredBaseline } from '../baseline/store.js';
import type { EventContext } from '../github/event-context.js';
import { collectHistory } from '../history/collect.js';
import { renderHistoryHtml, renderHistoryIndex } from '../history/render-html.js';

/** The path of a config's page on the baselines branch. */
export function historyPagePath(configName: string): string {
  return `history/${slug(configName, 'config')}.html`;
}

/** The files to publish for one config's history: its page, and the index over every page on the branch. */
export function historyFiles(entries: readonly StoredBaseline[], configName: string, branch: string, repo: string | null, serverUrl: string, generatedAt: string) {
  const points = collectHistory(entries);
  const page = historyPagePath(configName);
  return [
    { path: page, content: renderHistoryHtml(points, { configName, branch, repo, serverUrl }, generatedAt) },
    {
      path: 'history/index.html',
      content: (existing: readonly string[]) => {
        const pages = [...new Set([...existing.filter((p) => /^history\/[^/]+\.html$/.test(p) && p !== 'history/index.html'), page])].sort();
        return renderHistoryIndex(
          pages.map((p) => {
            const file = p.slice('history/'.length);
            const name = decodeURIComponent(file.replace(/\.html$/, ''));
            return { configName: name, branch, file, runs: name === configName ? points.length : null, latest: name === configName ? (points.at(-1) ?? null) : null };
          }),
          generatedAt,
        );
      },
    },
  ];
}

export async function publishHistoryPages(session: BaselineSession, config: Pick<Config, 'name' | 'history'>, context: EventContext, logger: Logger): Promise<void> {
  const store = session.store as Partial<BranchStore>;
  if (session.store.kind !== 'branch' || !store.publish) {
    logger.warn(`history.publish is set, but only the branch store publishes history pages (this store: ${session.store.kind})`);
    return;
  }
  try {
    const entries = await session.history(config.history.limit);
    const repo = context.repo ? `${context.repo.owner}/${context.repo.name}` : null;
    const branch = entries[0]?.branch ?? 'main';
    const result = await store.publish(historyFiles(entries, config.name, branch, repo, context.serverUrl, new Date().toISOString()), `leakgate: history of '${config.name}'`);
    logger.info(result.message);
  } catch (e) {
    logger.warn(`the history pages were not published: ${errorMessage(e)}`);
  }
}
