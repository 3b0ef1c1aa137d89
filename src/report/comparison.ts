// Renders the comparison with the baseline and the time-to-limit projection, for the job summary
// (markdown) and the terminal, from the same rows.
import type { FigureComparison } from '../compare/index.js';
import type { Report } from '../core/types.js';
import { escapeMarkdown } from './escape.js';
import { formatBytes, formatBytesPerRequest, formatDuration, formatPValue } from './format.js';

export interface Row {
  figure: string;
  head: string;
  base: string;
  effect: string;
  test: string;
  verdict: string;
}

const VERDICT_MARK: Record<string, string> = { regression: '❌ regression', unchanged: '➖ unchanged', improved: '✅ improved' };

function figureRow(name: string, f: FigureComparison, fmt: (n: number) => string): Row {
  return {
    figure: name,
    head: fmt(f.head),
    base: fmt(f.base),
    effect: `${f.effect >= 0 ? '+' : ''}${fmt(f.effect)} (CI ${fmt(f.effectCiLow)} to ${fmt(f.effectCiHigh)}; tolerance ${fmt(f.tolerance)})`,
    test: `${f.test}${f.pValue === null ? '' : `, p ${formatPValue(f.pValue)}`} (${f.headTrials} vs ${f.baseTrials} trials)`,
    verdict: VERDICT_MARK[f.verdict] ?? f.verdict,
  };
}

/** The comparison's rows (bytes/request, peak memory) as formatted text, for the HTML report's table. */
export function comparisonRows(report: Report): Row[] {
  return rows(report);
}

function rows(report: Report): Row[] {
  const c = report.comparison;
  if (!c) return [];
  return [figureRow('bytes/request', c.slope, formatBytesPerRequest), figureRow('peak memory', c.peak, formatBytes)];
}

/** "reached in 3 h 12 min at 4,000 req/s" or null when there is no limit or no growth. */
export function projectionText(report: Report): string | null {
  const s = report.summary;
  if (s.memoryLimitBytes === null) return null;
  if (s.secondsToLimit === null) return `the ${formatBytes(s.memoryLimitBytes)} limit is not approached at this slope`;
  return `the ${formatBytes(s.memoryLimitBytes)} limit is reached in about ${formatDuration(s.secondsToLimit * 1000)} of this load`;
}

export function renderComparisonMarkdown(report: Report): string {
  const out: string[] = [];
  const projection = projectionText(report);
  if (projection) out.push(`**Projection:** ${escapeMarkdown(projection)}.`);
  if (report.baselineNote && !report.comparison) out.push(`**Baseline:** ${escapeMarkdown(report.baselineNote)}.`);
  const used = baselineUsed(report);
  if (used && report.comparison) out.push(`**Baseline:** ${escapeMarkdown(used)}.`);
  const c = report.comparison;
  if (c) {
    const name = comparedWith(report);
    out.push(`#### Compared with the baseline${name ? ` (${escapeMarkdown(name)})` : ''}`);
    out.push('| Figure | This run | Baseline | Change | Test | Verdict |\n| --- | ---: | ---: | --- | --- | --- |');
    out.push(rows(report).map((r) => `| ${[r.figure, r.head, r.base, r.effect, r.test, r.verdict].map(escapeMarkdown).join(' | ')} |`).join('\n'));
    const d = c.differential;
    out.push(`Differential check (CUSUM of this run's memory curve against the baseline's): ${d.diverged ? `**diverged** at ${Math.round(d.atRequests ?? 0)} requests` : 'no divergence'} — ${escapeMarkdown(d.reason)}`);
    if (c.advisory) out.push(`> ⚠️ **${escapeMarkdown(c.reason)}.**`);
    for (const w of c.environmentWarnings) out.push(`> ⚠️ ${escapeMarkdown(w)}`);
  }
  return out.join('\n\n');
}

/** "main @ 1a2b3c4, saved 2026-11-25T06:00:00Z": the stored entry chosen; null without a store. */
function storedBaselineName(report: Report): string | null {
  const b = report.baseline;
  if (!b) return null;
  const at = [b.branch, b.sha ? String(b.sha).slice(0, 7) : null].filter(Boolean).join(' @ ');
  return `${at || 'stored baseline'}${b.savedAt ? `, saved ${b.savedAt}` : ''}`;
}

/**
 * What the comparison heading names: the stored entry chosen when there is a store (the same commit the
 * "Baseline:" line names; the history pooled with it is never newer), else the newest baseline report.
 */
export function comparedWith(report: Report): string | null {
  const stored = storedBaselineName(report);
  if (stored) return stored;
  const b = report.comparison?.baseline;
  return b ? `${b.name}, ${b.createdAt}` : null;
}

/** "main @ 1a2b3c4, saved 2026-11-25T06:00:00Z from the branch store: merge-base of this pull request". */
export function baselineUsed(report: Report): string | null {
  const name = storedBaselineName(report);
  return name === null ? null : `${name} from the ${report.baseline!.store} store: ${report.baseline!.why}`;
}

export function renderComparisonText(report: Report): string {
  const out: string[] = [];
  const projection = projectionText(report);
  if (projection) out.push(`  projection      ${projection}`);
  if (report.baselineNote && !report.comparison) out.push(`  baseline        ${report.baselineNote}`);
  const used = baselineUsed(report);
  if (used && report.comparison) out.push(`  baseline        ${used}`);
  for (const r of rows(report)) out.push(`  vs baseline     ${r.figure}: ${r.head} vs ${r.base}, ${r.effect}; ${r.test}: ${r.verdict.replace(/^\S+ /, '')}`);
  const c = report.comparison;
  if (c) {
    out.push(`  differential    ${c.differential.diverged ? `diverged at ${Math.round(c.differential.atRequests ?? 0)} requests` : 'no divergence'}`);
    if (c.advisory) out.push(`  advisory        ${c.reason}`);
    for (const w of c.environmentWarnings) out.push(`  warning         ${w}`);
  }
  return out.join('\n');
}
