// The GitHub job summary of a run, rendered from the report alone: verdict first, then the figures,
// a Mermaid chart of memory against requests served, the gate's reasons, and details (processes,
// app output, environment). Everything the app or the user wrote goes through escape.ts, and so
// does every string read from the report, since `leakgate report` may render a JSON file that came
// from an untrusted fork; numbers go through format.ts, whose output is safe whatever it is given.

import { median } from '../analyze/stats.js';
import { renderComparisonMarkdown } from './comparison.js';
import { renderEvidenceMarkdown } from './evidence.js';
import { renderAcceptanceMarkdown, renderDriftMarkdown } from './acceptance.js';
import { renderPrometheusMarkdown } from './prometheus.js';
import type { MetricName, Report, TrialReport, Verdict } from '../core/types.js';
import { ANALYSIS_METRICS, sampledMetric } from '../core/types.js';
import { codeBlock, escapeMarkdown } from './escape.js';
import { workloadRows, type WorkloadFigureKey } from './workload-figures.js';
import {
  formatBytes,
  formatBytesPerRequest,
  formatCompactCount,
  formatConfidence,
  formatCount,
  formatInterval,
  formatPClause,
  reasonOf,
  reportConfidence,
  reportFigures,
  reportHasTrend,
  reportSlopeUnit,
  UNIT_WORDS,
  toMiB,
  type FigureKey,
  type FigureTable,
  signalRows,
  stoppingNote,
} from './format.js';

export interface MarkdownSummaryOptions {
  /** Shown in the verdict line; defaults to "leakgate · <report name>". Escaped. */
  title?: string;
}

const VERDICT_EMOJI: Record<Verdict, string> = { leak: '❌', 'no-leak': '✅', inconclusive: '⚠️', oom: '💥', interrupted: '⏹️' };
const VERDICT_TITLE: Record<Verdict, string> = { leak: 'Leak', 'no-leak': 'No leak', inconclusive: 'Inconclusive', oom: 'Out of memory', interrupted: 'Interrupted' };

/** Points per chart line. Mermaid draws every x label, so more than ~30 overlap at chart width. */
export const MAX_CHART_POINTS = 30;
/**
 * Trials whose request counts are within this ratio of the longest share one chart on a common x
 * grid (cut at the shortest); otherwise each gets its own chart so no trial is truncated much.
 */
const SHARED_CHART_MIN_SPAN_RATIO = 0.8;
/** Line colours, and the emoji that names each in the legend (xychart draws no legend). */
const PALETTE: ReadonlyArray<readonly [string, string]> = [
  ['#0969da', '🔵'],
  ['#cf222e', '🔴'],
  ['#1a7f37', '🟢'],
  ['#bc4c00', '🟠'],
  ['#8250df', '🟣'],
  ['#9a6700', '🟡'],
];
/** The shade of the warm-up bars behind the lines (named ⬜ in the caption). */
const WARMUP_COLOR = '#eaeef2';
/** Keeps a PR comment (65,536 characters at most) within bounds whatever the app printed. */
const OUTPUT_LINES_TOTAL = 60;
const OUTPUT_LINES_MIN_PER_TRIAL = 10;
const OUTPUT_LINE_MAX_CHARS = 300;
const PROCESS_ROWS_MAX = 25;

/** Renders the job summary. */
export function renderMarkdownSummary(report: Report, opts: MarkdownSummaryOptions = {}): string {
  if (report.prometheus) return renderPrometheusMarkdown(report);
  const sections = [
    renderVerdict(report, opts.title),
    timeModeNote(report) ? `> ⚠️ ${escapeMarkdown(timeModeNote(report)!)}` : '',
    stoppingNote(report) ? `> ⏱️ ${escapeMarkdown(stoppingNote(report)!)}` : '',
    renderFigureTable(report),
    renderSignalsMarkdown(report),
    renderComparisonMarkdown(report),
    renderMemoryChart(report),
    renderEvidenceMarkdown(report),
    renderGateReasons(report),
    renderAcceptanceMarkdown(report),
    renderDriftMarkdown(report),
    renderProcessDetails(report),
    renderOutputDetails(report),
    renderEnvironmentDetails(report),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

/** Every signal's slope and interval, the deciding one marked: the verdict is Holm-corrected over them. */
export function renderSignalsMarkdown(report: Report): string {
  const rows = signalRows(report);
  if (rows.length === 0) return '';
  const several = report.trials.length > 1;
  const head = `| ${several ? 'Trial | ' : ''}Signal | Verdict | Slope | Interval | p-value | Tested at alpha |\n| ${several ? '---: | ' : ''}--- | --- | ---: | --- | ---: | ---: |`;
  const body = rows.map((r) => `| ${several ? `${r.trial} | ` : ''}${r.deciding ? '**' : ''}${escapeMarkdown(r.signal)}${r.deciding ? '** (decides)' : ''} | ${escapeMarkdown(r.verdict)} | ${r.slope} | ${r.interval} | ${r.pValue} | ${r.alpha} |`);
  return ['**Signals** (the verdict is a leak when any signal leaks, with the false-positive rate held at alpha over them by Holm\'s correction)', '', head, ...body].join('\n');
}

/** Said plainly when the load could not count requests and the analysis ran over time instead. */
export function timeModeNote(report: Report): string | null {
  if (!report.trials.some((t) => t.countsRequests === false)) return null;
  return 'Analysed over time, not requests: the load command gives no request count (set load.counter). The slope is bytes per second of load (B/s, tested against analysis.min-bytes-per-second), and the chart\'s "requests" are milliseconds of load.';
}

/** Whether the slopes of the report are per second of load (see analyzeTrialOverTime), not per request. */
export function reportOverTime(report: Report): boolean {
  return reportSlopeUnit(report) === 's';
}

/** A slope in the report's unit: "178 B/req", or "2,048 B/s" over time. */
export function formatSlope(report: Report, n: number): string {
  return formatBytesPerRequest(n, reportSlopeUnit(report));
}

export function formatSlopeInterval(report: Report, low: number, high: number): string {
  return formatInterval(low, high, reportSlopeUnit(report));
}

/** Rows of the human figures table: format.ts's, plus the load's latency and how the load tool ended. */
export type HumanFigureKey = FigureKey | WorkloadFigureKey | 'latency' | 'loadNote';
export interface HumanFigureTable {
  columns: FigureTable['columns'];
  rows: Array<{ key: HumanFigureKey; label: string; values: string[] }>;
}

/**
 * The figures table as the job summary and the terminal show it: format.ts's figures, then latency p50/p90/p99
 * and, when a load tool left one (k6's failed thresholds, an early exit), its note.
 */
export function humanFigures(report: Report): HumanFigureTable {
  const table = reportFigures(report);
  const { trials } = report;
  const per = (cell: (t: TrialReport) => string, combined: string): string[] =>
    trials.length === 1 ? [cell(trials[0]!)] : [...trials.map(cell), combined];
  const rows: HumanFigureTable['rows'] = [...table.rows];
  if (trials.length === 0) return { columns: table.columns, rows };
  const latencyOf = (t: TrialReport) => t.load.latency ?? { p50: 0, p90: 0, p99: 0 };
  const combined = { p50: median(trials.map((t) => latencyOf(t).p50)), p90: median(trials.map((t) => latencyOf(t).p90)), p99: median(trials.map((t) => latencyOf(t).p99)) };
  rows.push(...workloadRows(report));
  rows.push({ key: 'latency', label: 'Latency p50 / p90 / p99', values: per((t) => formatLatency(latencyOf(t)), trials.length > 1 ? `${formatLatency(combined)} (median)` : '') });
  const noteOf = (t: TrialReport): string => {
    const note = (t.load as { note?: unknown }).note;
    return typeof note === 'string' && note !== '' ? note : '';
  };
  if (trials.some((t) => noteOf(t) !== '')) rows.push({ key: 'loadNote', label: 'Load note', values: per((t) => noteOf(t) || '—', '—') });
  return { columns: table.columns, rows };
}

/** "1.2 / 3.4 / 12 ms"; a dash when the load tool reported no latency (a command other than wrk). */
function formatLatency(l: { p50: number; p90: number; p99: number }): string {
  const values = [l.p50, l.p90, l.p99].map((v) => (Number.isFinite(v) ? v : 0));
  if (values.every((v) => v === 0)) return '—';
  return `${values.map((v) => (v < 10 ? v.toFixed(1) : String(Math.round(v)))).join(' / ')} ms`;
}

/** Keeps a long error (a stack, a child's stderr) from flooding the summary. */
const ERROR_MAX_CHARS = 2000;

/**
 * The verdict heading and a line of context under it. The heading holds the verdict, the slope with
 * its interval and the p-value; when the app could not be measured, or no trial fitted a trend,
 * it says so instead of showing a slope of zero.
 */
export function renderVerdict(report: Report, title?: string): string {
  const { summary, trials, gate } = report;
  const heading = escapeMarkdown(title ?? `leakgate · ${report.name}`);
  const gateText = gate.failed ? 'Gate **failed**.' : 'Gate passed.';
  const error = report.error ?? null;
  if (error !== null) {
    const text = String(error);
    const clipped = text.length > ERROR_MAX_CHARS ? `${text.slice(0, ERROR_MAX_CHARS)}…` : text;
    return (
      `### ${VERDICT_EMOJI.inconclusive} ${heading}: No verdict — the app could not be measured\n\n` +
      `${escapeMarkdown(clipped)}\n\n${gateText}`
    );
  }
  const verdict = knownVerdict(summary.verdict);
  const why = escapeMarkdown(reasonOf(report));
  if (!reportHasTrend(report)) {
    return `### ${VERDICT_EMOJI[verdict]} ${heading}: ${VERDICT_TITLE[verdict]} — no trend fitted\n\n${why} ${gateText}`;
  }
  const line =
    `### ${VERDICT_EMOJI[verdict]} ${heading}: ${VERDICT_TITLE[verdict]} — ` +
    // Formatted numbers are safe by construction (digits, units, "n/a"), whatever the JSON held.
    `${formatSlope(report, summary.bytesPerRequest)} retained per ${UNIT_WORDS[reportSlopeUnit(report)].one} ` +
    `(${formatConfidence(reportConfidence(report))} CI ${formatSlopeInterval(report, summary.ciLow, summary.ciHigh)}), ` +
    `${formatPClause(summary.pValue)}`;
  return `${line}\n\n${why} ${gateText}`;
}

/** The figures, one column per trial plus a combined one when there are several. */
export function renderFigureTable(report: Report): string {
  const table = humanFigures(report);
  const header = `| Figure | ${table.columns.map((c) => c.heading).join(' | ')} |`;
  const align = `| --- | ${table.columns.map(() => '---:').join(' | ')} |`;
  const rows = table.rows.map((row) => {
    const cells = row.values.map((value, i) => {
      const text = escapeMarkdown(value);
      if (row.key === 'verdict') return `${VERDICT_EMOJI[knownVerdict(table.columns[i]!.verdict)]} ${text}`;
      if (row.key === 'bytesPerRequest') return `**${text}**`;
      return text;
    });
    return `| ${row.label} | ${cells.join(' | ')} |`;
  });
  return [header, align, ...rows].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Chart

interface Point {
  x: number;
  y: number;
}

interface ChartSeries {
  label: string;
  /** The trial drawn; absent for the baseline's curve. */
  trial?: TrialReport;
  points: Point[];
}

/** The samples of a trial under load, as (requests served, memory) sorted by requests. */
function loadPoints(trial: TrialReport, analysed: MetricName): Point[] {
  const metric = sampledMetric(analysed);
  return trial.samples
    .filter((s) => s.t >= 0 && Number.isFinite(s.requests) && Number.isFinite(s.total?.[metric]))
    .map((s) => ({ x: s.requests, y: s.total[metric] }))
    .sort((a, b) => a.x - b.x);
}

/** Linear interpolation between the samples around x; the nearest end outside their range. */
function interpolate(points: readonly Point[], x: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (x <= first.x) return first.y;
  if (x >= last.x) return last.y;
  const hi = points.findIndex((p) => p.x >= x);
  const b = points[hi]!;
  const a = points[hi - 1]!;
  if (b.x === a.x) return (a.y + b.y) / 2;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/**
 * Resamples a series onto grid points: the mean of the samples in each grid point's bin (so a GC
 * sawtooth averages out instead of aliasing), or the interpolated value where a bin is empty.
 */
export function resampleOnGrid(points: readonly Point[], grid: readonly number[]): number[] {
  if (points.length === 0) return grid.map(() => Number.NaN);
  const step = grid.length > 1 ? (grid[grid.length - 1]! - grid[0]!) / (grid.length - 1) : 0;
  return grid.map((g, i) => {
    const lo = i === 0 ? -Infinity : g - step / 2;
    const hi = i === grid.length - 1 ? Infinity : g + step / 2;
    const inBin = points.filter((p) => p.x >= lo && p.x < hi && p.x >= grid[0]! && p.x <= grid[grid.length - 1]!);
    if (inBin.length === 0) return interpolate(points, g);
    return inBin.reduce((acc, p) => acc + p.y, 0) / inBin.length;
  });
}

/** Multiples of these (times a power of ten) make x labels that read at a glance: 1.5k, 3k, 4.5k. */
const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * Evenly spaced request counts at a "nice" step (so labels read 0, 3k, 6k, ...), at most
 * `maxPoints` of them, covering `from` to `to`. The last point may fall short of `to` by less than
 * one step: an uneven last step would misdraw, since xychart spaces categories evenly.
 */
export function requestGrid(from: number, to: number, maxPoints: number): number[] {
  const n = Math.max(2, Math.floor(maxPoints));
  const raw = Math.max(1, (to - from) / (n - 1));
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, (NICE_STEPS.find((s) => s * magnitude >= raw - 1e-9) ?? 10) * magnitude);
  const start = Math.ceil(from / step) * step;
  const grid: number[] = [];
  for (let x = start; x <= to + 1e-9 && grid.length < n; x += step) grid.push(Math.round(x));
  // A span shorter than one nice step after a non-zero start: fall back to the plain ends.
  return grid.length >= 2 ? grid : [Math.ceil(from), Math.floor(to)].filter((x, i, a) => a.indexOf(x) === i);
}

/** x-axis labels: compact ("12k") when those are distinct, exact counts otherwise. */
function gridLabels(grid: readonly number[]): string[] {
  const compact = grid.map(formatCompactCount);
  return new Set(compact).size === compact.length ? compact : grid.map(formatCount);
}

/** One xychart-beta block for series that share a grid. */
function mermaidChart(series: readonly ChartSeries[], metric: string, maxPoints: number): string | undefined {
  const from = Math.min(...series.map((s) => s.points[0]!.x));
  const to = Math.min(...series.map((s) => s.points[s.points.length - 1]!.x));
  if (!(to > from)) return undefined;
  const samplesAvailable = Math.min(...series.map((s) => s.points.length));
  const grid = requestGrid(from, to, Math.min(maxPoints, Math.max(2, samplesAvailable)));
  if (grid.length < 2) return undefined;
  const lines = series.map((s) => resampleOnGrid(s.points, grid).map(toMiB));
  const all = lines.flat();
  const min = Math.min(...all);
  const max = Math.max(...all);
  const pad = Math.max((max - min) * 0.05, 0.5);
  const yLow = Math.max(0, Math.floor(min - pad));
  const yHigh = Math.ceil(max + pad);
  // The warm-up as grey bars up to the top of the axis, declared first so they sit behind the lines; after the
  // warm-up the bars stand at the axis floor (no height). The latest warm-up end of the group's trials is shaded.
  const warmupEnd = Math.max(...series.map((s) => s.trial?.analysis.warmupEndRequests ?? -Infinity));
  const warmupBars = Number.isFinite(warmupEnd) && warmupEnd > grid[0]! ? grid.map((g) => (g <= warmupEnd ? yHigh : yLow)) : null;
  const palette = [...(warmupBars ? [WARMUP_COLOR] : []), ...series.map((_, i) => PALETTE[i % PALETTE.length]![0])].join(', ');
  const init = { xyChart: { width: 900, height: 400 }, themeVariables: { xyChart: { plotColorPalette: palette } } };
  return [
    '```mermaid',
    `%%{init: ${JSON.stringify(init)}}%%`,
    'xychart-beta',
    `    title "${metric} memory (MiB) vs requests served"`,
    `    x-axis "requests served" [${gridLabels(grid).map((l) => `"${l}"`).join(', ')}]`,
    `    y-axis "${metric} (MiB)" ${yLow} --> ${yHigh}`,
    ...(warmupBars ? [`    bar [${warmupBars.join(', ')}]`] : []),
    ...lines.map((values) => `    line [${values.join(', ')}]`),
    '```',
  ].join('\n');
}

function warmupNote(s: ChartSeries): string {
  return s.trial ? `${s.label} from ${formatCount(s.trial.analysis.warmupEndRequests)} requests` : '';
}

/** The stored baseline's curve as a chart series, when the report carries one. */
function baselineSeries(report: Report): ChartSeries[] {
  const curve = report.baseline?.curve ?? [];
  const points = curve.filter((c) => Number.isFinite(c.requests) && Number.isFinite(c.bytes)).map((c) => ({ x: c.requests, y: c.bytes }));
  if (points.length < 2 || !(points[points.length - 1]!.x > points[0]!.x)) return [];
  const sha = report.baseline?.sha ? ` ${String(report.baseline.sha).slice(0, 7)}` : '';
  return [{ label: `baseline${sha}`, points }];
}

/** The points up to x = end, interpolating the last one when the series goes beyond it. */
function clipTo(points: Point[], end: number): Point[] {
  const inside = points.filter((p) => p.x <= end);
  if (inside.length < points.length && inside.length > 0 && inside[inside.length - 1]!.x < end) inside.push({ x: end, y: interpolate(points, end) });
  return inside;
}

/**
 * Mermaid chart(s) of memory against requests served, at most `maxPoints` per line. Trials with
 * similar request counts share one chart on a common grid; otherwise each trial gets its own.
 */
export function renderMemoryChart(report: Report, maxPoints = MAX_CHART_POINTS): string {
  const metric = knownMetric(report.summary.metric);
  const series: ChartSeries[] = report.trials
    .map((trial, i) => ({ label: `trial ${i + 1}`, trial, points: loadPoints(trial, metric) }))
    .filter((s) => s.points.length >= 2 && s.points[s.points.length - 1]!.x > s.points[0]!.x);
  if (series.length === 0) return '_No samples under load to chart._';

  const longest = Math.max(...series.map((s) => s.points[s.points.length - 1]!.x));
  const shared = series.every((s) => s.points[s.points.length - 1]!.x >= SHARED_CHART_MIN_SPAN_RATIO * longest);
  const groups = shared ? [series] : series.map((s) => [s]);
  // The baseline joins every chart: its curve is cut to the run's range, so it never truncates the run.
  const baseline = baselineSeries(report).map((b) => ({ ...b, points: clipTo(b.points, longest) }));
  if (baseline.length > 0 && baseline[0]!.points.length >= 2) for (const g of groups) g.push(baseline[0]!);
  const blocks: string[] = [];
  for (const group of groups) {
    const chart = mermaidChart(group, metric, maxPoints);
    if (chart === undefined) continue;
    const caption =
      group.length > 1
        ? `${group.map((s, i) => `${PALETTE[i % PALETTE.length]![1]} ${escapeMarkdown(s.label)}`).join(' · ')}. ` +
          `Trend fitted after warm-up: ${group.map(warmupNote).filter(Boolean).join(', ')}.`
        : `${report.trials.length > 1 ? `**${capitalise(group[0]!.label)}.** ` : ''}` +
          `Trend fitted after warm-up: from ${formatCount(group[0]!.trial?.analysis.warmupEndRequests ?? 0)} requests.`;
    const shaded = chart.includes('\n    bar [') ? ' ⬜ Grey bars: the warm-up, not fitted.' : '';
    blocks.push(`${chart}\n\n${caption}${shaded}`);
  }
  return blocks.length > 0 ? blocks.join('\n\n') : '_Too few requests served to chart._';
}

// ---------------------------------------------------------------------------------------------
// Gate, details

/** The gate's reasons as a list, when it failed. */
export function renderGateReasons(report: Report): string {
  if (!report.gate.failed) return '';
  const reasons = report.gate.reasons.length > 0 ? report.gate.reasons : ['(no reason recorded)'];
  return ['**The gate failed:**', '', ...reasons.map((r) => `- ${escapeMarkdown(r)}`)].join('\n');
}

function details(summary: string, body: string): string {
  // The blank lines let GitHub render the markdown inside the HTML block.
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function trialHeading(report: Report, i: number): string[] {
  return report.trials.length > 1 ? [`**Trial ${i + 1}**`, ''] : [];
}

/** Per-process figures of each trial's last sample, as `ps` would list them. */
export function renderProcessDetails(report: Report): string {
  const parts: string[] = [];
  report.trials.forEach((trial, i) => {
    const last = trial.samples[trial.samples.length - 1];
    if (last === undefined) return;
    const rows = last.processes.slice(0, PROCESS_ROWS_MAX).map((p) =>
      [
        String(p.pid),
        String(p.comm),
        formatBytes(p.anon),
        formatBytes(p.rss),
        formatBytes(p.pss),
        formatBytes(p.uss),
      ].map((c) => escapeMarkdown(c)),
    );
    const t = last.total;
    const lines = [
      ...trialHeading(report, i),
      '| PID | Command | anon | RSS | PSS | USS |',
      '| ---: | --- | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
      `| | **total** | ${[t.anon, t.rss, t.pss, t.uss].map((b) => `**${escapeMarkdown(formatBytes(b))}**`).join(' | ')} |`,
    ];
    const hidden = last.processes.length - rows.length;
    if (hidden > 0) lines.push('', `…and ${formatCount(hidden)} more processes.`);
    parts.push(lines.join('\n'));
  });
  return parts.length > 0 ? details('Processes at the last sample', parts.join('\n\n')) : '';
}

function exitText(trial: TrialReport): string {
  const { code, signal, early } = trial.exit;
  const how = signal !== null ? `signal ${signal}` : code !== null ? `code ${code}` : 'no status';
  return early ? `exited on its own (${how})` : `was stopped by leakgate (${how})`;
}

/** The last lines the app printed in each trial, fenced. */
export function renderOutputDetails(report: Report): string {
  const { trials } = report;
  if (trials.length === 0) return '';
  const perTrial = Math.max(OUTPUT_LINES_MIN_PER_TRIAL, Math.floor(OUTPUT_LINES_TOTAL / trials.length));
  let shown = 0;
  const parts = trials.map((trial, i) => {
    const tail = trial.outputTail.slice(-perTrial).map((line) =>
      line.length > OUTPUT_LINE_MAX_CHARS ? `${line.slice(0, OUTPUT_LINE_MAX_CHARS)}…` : line,
    );
    shown = Math.max(shown, tail.length);
    const note = `The app ${escapeMarkdown(exitText(trial))}.`;
    const body = tail.length > 0 ? codeBlock(tail, 'text') : '_No output._';
    return [...trialHeading(report, i), note, '', body].join('\n');
  });
  const what = shown > 0 ? `last ${shown} lines${trials.length > 1 ? ' per trial' : ''}` : 'none';
  return details(`App output (${what})`, parts.join('\n\n'));
}

/** Where the run happened. */
export function renderEnvironmentDetails(report: Report): string {
  const e = report.environment;
  const rows: Array<[string, string]> = [
    ['leakgate', report.tool.version],
    ['OS', `${e.distro ? `${e.distro}, ` : ''}${e.os} (kernel ${e.kernel}, ${e.arch})`],
    ['CPU', `${e.cpus} × ${e.cpuModel}`],
    ['Memory', formatBytes(e.memoryBytes)],
    ['Node.js', e.node],
    ...(e.appRuntime ? ([['App runtime', e.appRuntime]] as Array<[string, string]>) : []),
    ['Runner', `${e.runner ?? 'not a GitHub runner'}${e.runnerImage ? ` (image ${e.runnerImage})` : ''}`],
    ['Report created', report.createdAt],
  ];
  const sys = report.system;
  if (sys?.start && sys.end) {
    rows.splice(4, 0, ['Memory available (free)', `${formatBytes(sys.start.available)} at start, ${formatBytes(sys.end.available)} at end`]);
  }
  const table = ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${escapeMarkdown(String(v))} |`)];
  return details('Environment', table.join('\n'));
}

// ---------------------------------------------------------------------------------------------

function knownVerdict(v: Verdict): Verdict {
  return Object.hasOwn(VERDICT_EMOJI, v) ? v : 'inconclusive';
}

function knownMetric(m: MetricName): MetricName {
  return (ANALYSIS_METRICS as readonly string[]).includes(m) ? m : 'anon';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
