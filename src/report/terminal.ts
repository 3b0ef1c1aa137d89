// What the CLI prints: a compact summary of a report (verdict line, aligned figures, the gate's
// reasons) and the one-line progress shown while a trial runs. Colour is the caller's decision
// (TTY, NO_COLOR, --no-color), passed in; text the app or the user wrote is stripped of control
// characters so it cannot drive the terminal. renderTrialCharts adds a text plot per trial (text-chart.ts).

import { acceptedBy, driftReason } from './acceptance.js';
import { formatSlope, formatSlopeInterval, humanFigures, reportOverTime, timeModeNote, type HumanFigureKey } from './markdown.js';
import type { Report, Verdict } from '../core/types.js';
import { stripControlChars } from './escape.js';
import { renderTextChart } from './text-chart.js';
import { trialChartSeries } from './trial-series.js';
import {
  formatBytes,
  formatConfidence,
  formatCount,
  formatPClause,
  reportConfidence,
  reasonOf,
  reportHasTrend,
  reportSlopeUnit,
  VERDICT_WORDS,
  signalLabel,
  signalRows,
  stoppingNote,
} from './format.js';

export interface TerminalSummaryOptions {
  color: boolean;
}

export interface ProgressInfo {
  /** 1-based. */
  trial: number;
  trials: number;
  elapsedMs: number;
  durationMs: number;
  requests: number;
  memoryBytes: number;
  metric: string;
  /** The running estimate at the last early-stopping look. */
  estimate?: { metric: string; bytesPerRequest: number; ciLow: number; ciHigh: number };
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
};

type Paint = (text: string, ...styles: Style[]) => string;

function painter(color: boolean): Paint {
  if (!color) return (text) => text;
  return (text, ...styles) =>
    styles.reduce((acc, s) => `\u001B[${SGR[s][0]}m${acc}\u001B[${SGR[s][1]}m`, text);
}

const VERDICT_STYLE: Record<Verdict, { symbol: string; style: Style }> = {
  leak: { symbol: '✖', style: 'red' },
  'no-leak': { symbol: '✔', style: 'green' },
  inconclusive: { symbol: '⚠', style: 'yellow' },
  oom: { symbol: '✖', style: 'red' },
  interrupted: { symbol: '⚠', style: 'yellow' },
};

function verdictStyle(v: Verdict): { symbol: string; style: Style } {
  return Object.hasOwn(VERDICT_STYLE, v) ? VERDICT_STYLE[v] : VERDICT_STYLE.inconclusive;
}

/** The figures the terminal shows, in order, with their short labels. */
const TERMINAL_ROWS: ReadonlyArray<readonly [HumanFigureKey, string]> = [
  ['verdict', 'verdict'],
  ['bytesPerRequest', 'bytes/req'],
  ['interval', 'CI'],
  ['pValue', 'p-value'],
  ['warmup', 'warm-up end'],
  ['startMemory', 'start memory'],
  ['peakMemory', 'peak memory'],
  ['requests', 'requests'],
  ['throughput', 'throughput'],
  ['errors', 'errors/non-2xx'],
  ['connections', 'connections opened'],
  ['perConnection', 'growth/new conn'],
  ['aborted', 'aborted'],
  ['messages', 'messages'],
  ['perMessage', 'growth/message'],
  ['latency', 'latency p50/90/99'],
  ['growthPerMillion', 'growth/1M req'],
];

const INDENT = '  ';
const GAP = '  ';

/** A compact, aligned summary of a report for the terminal. */
export function renderTerminalSummary(report: Report, opts: TerminalSummaryOptions): string {
  const paint = painter(opts.color);
  const { summary, trials } = report;
  const v = verdictStyle(summary.verdict);
  const clean = (text: string): string => stripControlChars(String(text)).replace(/\s*[\r\n]+\s*/g, ' ');

  const out: string[] = [];
  const error = report.error ?? null;
  if (error !== null) {
    const [first = '', ...rest] = stripControlChars(String(error)).split(/\r\n|\r|\n/);
    out.push(`${paint(`${VERDICT_STYLE.inconclusive.symbol} no verdict`, 'yellow', 'bold')}  ${clean(report.name)}: the app could not be measured`);
    out.push(`${INDENT}${first}`, ...rest.slice(0, 20).map((l) => paint(`${INDENT}${l}`, 'dim')), '');
  } else {
    const head = `${paint(`${v.symbol} ${VERDICT_WORDS[summary.verdict] ?? 'inconclusive'}`, v.style, 'bold')}  ${clean(report.name)}: `;
    out.push(
      reportHasTrend(report)
        ? `${head}${formatSlope(report, summary.bytesPerRequest)} ` +
            `(${formatConfidence(reportConfidence(report))} CI ${formatSlopeInterval(report, summary.ciLow, summary.ciHigh)}), ` +
            `${formatPClause(summary.pValue)}`
        : `${head}no trend fitted`,
    );
    out.push(paint(`${INDENT}signal ${clean(signalLabel(summary.metric))} · ${clean(reasonOf(report))}`, 'dim'), '');
    const timeNote = timeModeNote(report);
    if (timeNote) out.push(paint(`${INDENT}${timeNote}`, 'yellow'), '');
    const stopNote = stoppingNote(report);
    if (stopNote) out.push(paint(`${INDENT}${stopNote}`, 'dim'), '');
  }

  if (trials.length === 0) return finish(out, report, paint, clean);
  const table = humanFigures(report);
  const several = table.columns.length > 1;
  const unit = reportSlopeUnit(report);
  const rows = TERMINAL_ROWS.filter(([key]) => (several || key !== 'verdict') && table.rows.some((r) => r.key === key)).map(([key, label]) => {
    const row = table.rows.find((r) => r.key === key)!;
    return { key, label: key === 'interval' ? row.label : key === 'bytesPerRequest' && unit !== 'req' ? `bytes/${unit}` : unit === 'session' && key === 'requests' ? 'sessions' : unit === 'session' && key === 'growthPerMillion' ? 'growth/1M sessions' : label, values: row.values };
  });
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  const widths = table.columns.map((c, i) =>
    Math.max(several ? c.heading.length : 0, ...rows.map((r) => r.values[i]!.length)),
  );
  // Pad before painting: escape codes have no width on screen but do have length.
  // The last column is not padded, so no line ends in spaces.
  const pad = (text: string, i: number): string => (i < widths.length - 1 ? text.padEnd(widths[i]!) : text);
  const line = (label: string, cells: string[]): string => `${INDENT}${label}${GAP}${cells.join(GAP)}`;
  if (several) {
    out.push(line(' '.repeat(labelWidth), table.columns.map((c, i) => paint(pad(c.heading, i), 'bold'))));
  }
  for (const row of rows) {
    const cells = row.values.map((value, i) => {
      const padded = pad(value, i);
      if (row.key === 'verdict') return paint(padded, verdictStyle(table.columns[i]!.verdict).style);
      if (row.key === 'bytesPerRequest') return paint(padded, 'bold');
      return padded;
    });
    out.push(line(paint(row.label.padEnd(labelWidth), 'dim'), cells));
  }
  // A load tool's note (k6's failed thresholds, an early exit) is a sentence: under the table, not in a column.
  const notes = table.rows.find((r) => r.key === 'loadNote');
  notes?.values.forEach((note, i) => {
    if (note !== '—') out.push(paint(`${INDENT}load note${several ? ` (${table.columns[i]!.heading})` : ''}: ${clean(note)}`, 'yellow'));
  });

  const signals = signalRows(report);
  if (signals.length > 0) {
    out.push('', paint(`${INDENT}signals (Holm-corrected; ▸ the one the verdict stands on):`, 'dim'));
    const several = report.trials.length > 1;
    const w = Math.max(...signals.map((r) => r.signal.length));
    for (const r of signals) {
      const mark = r.deciding ? '▸' : ' ';
      out.push(`${INDENT}${mark} ${several ? `trial ${r.trial} ` : ''}${r.signal.padEnd(w)}${GAP}${r.verdict.padEnd(13)}${GAP}${r.slope} (CI ${r.interval}), p ${r.pValue}, alpha ${r.alpha}`);
    }
  }
  out.push('');
  return finish(out, report, paint, clean);
}

/** The gate's decision and reasons, then the whole text. */
function finish(out: string[], report: Report, paint: Paint, clean: (text: string) => string): string {
  const { gate } = report;
  if (gate.failed) {
    out.push(paint('gate failed:', 'red', 'bold'));
    const reasons = gate.reasons.length > 0 ? gate.reasons : ['(no reason recorded)'];
    for (const reason of reasons) out.push(`${INDENT}- ${clean(reason)}`);
  } else {
    out.push(paint('gate passed', 'green'));
  }
  const a = report.acceptance;
  if (a) {
    out.push(`${a.covered ? 'growth accepted' : 'accepted growth exceeded'} by ${clean(acceptedBy(a))}: ${clean(a.reason)}`);
    for (const reason of a.acceptedReasons) out.push(`${INDENT}- accepted: ${clean(reason)}`);
  }
  if (report.drift?.drift) out.push(paint(`warning: ${clean(driftReason(report.drift))}`, 'red'));
  return `${out.join('\n')}\n`;
}

function seconds(ms: number, decimals: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(decimals)}s`;
}

/** One progress line while a trial runs: `trial 1/3  12.0s/30s  54,321 req  anon 48.2 MiB`. */
export function renderProgressLine(p: ProgressInfo): string {
  const total = Number.isInteger(p.durationMs / 1000) ? seconds(p.durationMs, 0) : seconds(p.durationMs, 1);
  return [
    `trial ${p.trial}/${p.trials}`,
    `${seconds(p.elapsedMs, 1)}/${total}`,
    `${formatCount(p.requests)} req`,
    `${stripControlChars(p.metric)} ${formatBytes(p.memoryBytes)}`,
    ...(p.estimate ? [`${stripControlChars(p.estimate.metric)} ${Math.round(p.estimate.bytesPerRequest)} B/req [${Math.round(p.estimate.ciLow)}, ${Math.round(p.estimate.ciHigh)}]`] : []),
  ].join('  ');
}

export interface TrialChartOptions {
  /** Plain ASCII instead of box and dot characters (not a TTY, NO_COLOR). */
  ascii: boolean;
  width?: number;
  height?: number;
}

/**
 * A text plot per trial of memory against requests served, with the warm-up end and the fitted trend marked; empty
 * when no trial has samples enough to draw.
 */
export function renderTrialCharts(report: Report, opts: TrialChartOptions): string {
  const metric = report.summary.metric;
  const unit = reportOverTime(report) ? 'ms of load' : 'req';
  const g = opts.ascii ? { mark: '*', trend: '.', warmup: ':' } : { mark: '●', trend: '·', warmup: '┆' };
  const blocks = report.trials.flatMap((trial, i) => {
    const series = trialChartSeries(trial, metric);
    const title =
      `${report.trials.length > 1 ? `trial ${i + 1}: ` : ''}${stripControlChars(String(series.metric))} memory vs ${unit === 'req' ? 'requests served' : 'milliseconds of load'}` +
      `  (${g.mark} samples, ${series.trend ? `${g.trend} trend, ` : ''}${g.warmup} warm-up end)`;
    const lines = renderTextChart({ points: series.points, warmupEndX: series.warmupEndX, trend: series.trend, ascii: opts.ascii, xUnit: unit, title, ...(opts.width ? { width: opts.width } : {}), ...(opts.height ? { height: opts.height } : {}) });
    return lines.length > 0 ? [lines.map((l) => `${INDENT}${l}`).join('\n')] : [];
  });
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}
