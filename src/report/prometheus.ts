// What `leakgate analyze` shows: the verdict, one row per Prometheus series (slope in B/s and MiB/h, projection to
// the limit, restarts and gaps), the canary comparison, a Mermaid chart of every series, and the gate's reasons:
// for the terminal, the job summary and the sticky PR comment. Rendered from the report's prometheus section alone;
// labels and queries come from the user's Prometheus, so every string is escaped.
import type { Report, Verdict } from '../core/types.js';
import type { PrometheusSection, SeriesResult } from '../prometheus/types.js';
import { escapeMarkdown, stripControlChars } from './escape.js';
import { formatBytes, formatBytesPerRequest, formatDuration, formatPValue, toMiB } from './format.js';

const VERDICT: Record<Verdict, { emoji: string; word: string; symbol: string }> = {
  leak: { emoji: '❌', word: 'Leak', symbol: '✗' },
  'no-leak': { emoji: '✅', word: 'No leak', symbol: '✓' },
  inconclusive: { emoji: '⚠️', word: 'Inconclusive', symbol: '?' },
  // A run's verdict only (the app died of an OOM kill); series from Prometheus are never given it.
  oom: { emoji: '💥', word: 'Out of memory', symbol: '✗' },
  interrupted: { emoji: '⚠️', word: 'Interrupted', symbol: '?' },
};
function verdictOf(v: unknown): { emoji: string; word: string; symbol: string } {
  return (typeof v === 'string' && Object.hasOwn(VERDICT, v) ? VERDICT[v as Verdict] : undefined) ?? VERDICT.inconclusive;
}
const CANARY_WORDS = { regression: 'regression', unchanged: 'unchanged', improved: 'improved' } as const;
/** Charts in one summary: beyond this the rest are listed, not drawn (a summary holds 1 MiB). */
const MAX_CHARTS = 20;
const CHART_POINTS = 30;

function clean(text: string): string {
  return stripControlChars(String(text)).replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Slope of a series in its own unit, and per hour. */
export function seriesSlope(s: SeriesResult): string {
  const perHour = `${s.bytesPerSecond < 0 ? '-' : '+'}${formatBytes(Math.abs(s.bytesPerSecond) * 3600)}/h`;
  return s.bytesPerRequest !== null ? `${formatBytesPerRequest(s.bytesPerRequest)} · ${perHour}` : `${formatBytesPerRequest(s.bytesPerSecond, 's')} · ${perHour}`;
}

function toLimit(s: SeriesResult): string {
  if (s.limitBytes === null) return 'no limit';
  if (s.secondsToLimit === null) return `limit ${formatBytes(s.limitBytes)}: not growing`;
  return `limit ${formatBytes(s.limitBytes)} in ${formatDuration(s.secondsToLimit * 1000)}`;
}

/** A number from the report, which may come from an untrusted fork: anything else reads as NaN, never as markup. */
function n(x: unknown): number {
  return typeof x === 'number' ? x : NaN;
}

function count(x: unknown): number {
  return Array.isArray(x) ? x.length : 0;
}

function shape(s: SeriesResult): string {
  const parts = [`${n(s.points)} points`];
  const restarts = count(s.restarts);
  const gaps = count(s.gaps);
  if (restarts > 0) parts.push(`${restarts} restart${restarts === 1 ? '' : 's'}`);
  if (gaps > 0) parts.push(`${gaps} gap${gaps === 1 ? '' : 's'} (${s.gaps.reduce((sum, g) => sum + n(g.missingSteps), 0)} steps missing)`);
  if (n(s.nonFinite) > 0) parts.push(`${n(s.nonFinite)} NaN/Inf dropped`);
  return parts.join(', ');
}

function headline(report: Report): string {
  const p = report.prometheus!;
  if (report.error !== null) return 'no verdict';
  const v = verdictOf(p.verdict);
  const canary = p.canary ? ` · canary ${CANARY_WORDS[p.canary.verdict]}` : '';
  return `${v.word}${canary}`;
}

function windowText(p: PrometheusSection): string {
  return `${String(p.window.start)} → ${String(p.window.end)} (${formatDuration(n(p.window.rangeSeconds) * 1000)}, step ${n(p.window.stepSeconds)}s), ${p.axis === 'requests' ? 'against requests served' : 'over time'}`;
}

// ---------------------------------------------------------------------------------------------
// Terminal

export function renderPrometheusText(report: Report): string {
  const p = report.prometheus;
  if (!p) return '';
  const out: string[] = [];
  const symbol = report.error !== null ? '?' : verdictOf(p.verdict).symbol;
  out.push(`${symbol} ${headline(report)}  ${clean(report.name)} · Prometheus ${clean(p.server)}`);
  if (report.error !== null) out.push(`  ${clean(report.error)}`);
  out.push(`  window ${windowText(p)}`);
  for (const s of p.series) {
    out.push(`  ${verdictOf(s.verdict).symbol} [${clean(s.group)}] ${clean(s.name)}`);
    out.push(`      ${seriesSlope(s)} · ${toLimit(s)} · last ${formatBytes(s.lastBytes)} · ${shape(s)}`);
    out.push(`      ${clean(s.reason)}`);
  }
  if (p.canary && report.comparison) out.push(`  canary: ${canaryText(report, false)}`);
  for (const w of p.warnings) out.push(`  warning: ${clean(w)}`);
  out.push('');
  if (report.gate.failed) {
    out.push('gate failed:');
    for (const r of report.gate.reasons) out.push(`  - ${clean(r)}`);
  } else out.push('gate passed');
  return `${out.join('\n')}\n`;
}

function canaryText(report: Report, markdown: boolean): string {
  const p = report.prometheus!;
  const c = report.comparison!;
  const unit = p.axis === 'requests' ? 'req' : 's';
  const f = (n: number): string => formatBytesPerRequest(n, unit);
  const sign = c.slope.effect >= 0 ? '+' : '−';
  const b = (t: string): string => (markdown ? `**${t}**` : t);
  const test = c.slope.test === 'welch-t' ? 'Welch t-test' : c.slope.test === 'prediction-interval' ? 'prediction interval' : c.slope.test === 'ci-vs-value' ? "the canary's slope interval" : 'no test';
  const p1 = c.slope.pValue !== null ? `, p ${formatPValue(c.slope.pValue)}` : '';
  const cusum =
    c.differential.points > 0
      ? `; the CUSUM of the curves ${c.differential.diverged === true ? 'diverged' : 'did not diverge'} (peak ${Math.round(n(c.differential.maxStatistic) * 10) / 10}σ of ${n(c.differential.threshold)}σ over ${n(c.differential.points)} bins)`
      : '; the curves overlap on too few points after warm-up for the CUSUM (a longer range gives it)';
  return `${b(CANARY_WORDS[p.canary!.verdict] ?? 'unknown')}: canary ${f(c.slope.head)} (${n(p.canary!.canarySeries)} series) vs stable ${f(c.slope.base)} (${n(p.canary!.baselineSeries)} series), ${sign}${f(Math.abs(c.slope.effect))}, tolerance ${f(c.slope.tolerance)}, by ${test}${p1}${cusum}; peak ${formatBytes(c.peak.head)} vs ${formatBytes(c.peak.base)}`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function renderPrometheusMarkdown(report: Report): string {
  const p = report.prometheus;
  if (!p) return '';
  const sections = [verdictLine(report), `<sub>Prometheus ${escapeMarkdown(p.server)} · ${escapeMarkdown(windowText(p))}</sub>`];
  sections.push(queriesBlock(p));
  if (p.series.length > 0) sections.push(seriesTable(p));
  if (p.canary && report.comparison) sections.push(`**Canary against stable:** ${escapeMarkdown(canaryText(report, false))}`);
  if (p.warnings.length > 0) sections.push(p.warnings.map((w) => `> ⚠️ ${escapeMarkdown(w)}`).join('\n'));
  sections.push(...charts(p));
  sections.push(gateReasons(report));
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function verdictLine(report: Report): string {
  const p = report.prometheus!;
  const emoji = report.error !== null ? '⚠️' : verdictOf(p.verdict).emoji;
  const title = `leakgate · ${escapeMarkdown(report.name)}`;
  return `### ${emoji} ${escapeMarkdown(headline(report))} — ${title}\n\n${escapeMarkdown(clean(report.summary.reason))}`;
}

function queriesBlock(p: PrometheusSection): string {
  const rows = Object.entries(p.queries ?? {}).map(([k, q]) => `| ${escapeMarkdown(k)} | \`${escapeMarkdown(String(q)).replace(/`/g, "'")}\` |`);
  return ['| query | PromQL |', '| --- | --- |', ...rows].join('\n');
}

function seriesTable(p: PrometheusSection): string {
  const head = ['| | series | slope | last | projection | points | reason |', '| --- | --- | ---: | ---: | --- | --- | --- |'];
  const rows = p.series.map(
    (s) =>
      `| ${verdictOf(s.verdict).emoji} | ${s.group === 'query' ? '' : `${escapeMarkdown(String(s.group))}: `}${escapeMarkdown(String(s.name))} | **${seriesSlope(s)}** | ${formatBytes(s.lastBytes)} | ${toLimit(s)} | ${shape(s)} | ${escapeMarkdown(clean(s.reason))} |`,
  );
  return [...head, ...rows].join('\n');
}

/** One xychart per series: memory (MiB) against time since the window's start. */
function charts(p: PrometheusSection): string[] {
  const start = Date.parse(p.window.start);
  const blocks: string[] = [];
  for (const s of p.series.slice(0, MAX_CHARTS)) {
    const pts = thinned(Array.isArray(s.curve) ? s.curve : [], CHART_POINTS).filter((x) => Number.isFinite(n(x.t)) && Number.isFinite(n(x.bytes)));
    if (pts.length < 2) continue;
    const ys = pts.map((x) => Math.round(toMiB(x.bytes) * 10) / 10);
    const min = Math.min(...ys);
    const max = Math.max(...ys);
    const pad = Math.max((max - min) * 0.05, 0.5);
    const axis = timeAxis((pts[pts.length - 1]!.t - start) / 1000);
    const labels = pts.map((x) => `"${axis.label((x.t - start) / 1000)}"`);
    const title = chartTitle(s);
    blocks.push(
      [
        '```mermaid',
        'xychart-beta',
        `    title "${title}"`,
        `    x-axis "${axis.unit} into the window" [${labels.join(', ')}]`,
        `    y-axis "MiB" ${Math.max(0, Math.floor(min - pad))} --> ${Math.ceil(max + pad)}`,
        `    line [${ys.join(', ')}]`,
        '```',
      ].join('\n'),
    );
  }
  if (p.series.length > MAX_CHARTS) blocks.push(`_${p.series.length - MAX_CHARTS} more series not charted._`);
  return blocks;
}

/** A chart title Mermaid can hold: no quotes, no line breaks, bounded. */
function chartTitle(s: SeriesResult): string {
  const text = `${verdictOf(s.verdict).word}: ${s.group === 'query' ? '' : `${s.group} `}${s.name}`.replace(/["\\`\r\n<>]/g, "'");
  return clean(text.length > 90 ? `${text.slice(0, 87)}...` : text);
}

/** Labels of the x axis in the unit that keeps neighbouring points apart: seconds, minutes or hours. */
function timeAxis(spanSeconds: number): { unit: string; label: (seconds: number) => string } {
  const round = (x: number): string => (x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10));
  if (spanSeconds <= 300) return { unit: 'seconds', label: (x) => String(Math.round(x)) };
  if (spanSeconds <= 5 * 3600) return { unit: 'minutes', label: (x) => round(x / 60) };
  return { unit: 'hours', label: (x) => round(x / 3600) };
}

function thinned<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  return Array.from({ length: max }, (_, i) => points[Math.round((i * (points.length - 1)) / (max - 1))]!);
}

function gateReasons(report: Report): string {
  if (!report.gate.failed) return '';
  return ['**The gate failed:**', '', ...report.gate.reasons.map((r) => `- ${escapeMarkdown(r)}`)].join('\n');
}

/** The sticky PR comment: the verdict, the series table and canary line, the charts folded away. */
export function renderPrometheusComment(report: Report, marker: string, footer: string): string {
  const p = report.prometheus!;
  const parts = [marker, verdictLine(report)];
  if (p.series.length > 0) parts.push(seriesTable(p));
  if (p.canary && report.comparison) parts.push(`**Canary against stable:** ${escapeMarkdown(canaryText(report, false))}`);
  const reasons = gateReasons(report);
  if (reasons) parts.push(reasons);
  const c = charts(p);
  if (c.length > 0) parts.push(`<details><summary>Memory of every series</summary>\n\n${c.join('\n\n')}\n\n</details>`);
  parts.push(footer);
  return `${parts.join('\n\n')}\n`;
}
