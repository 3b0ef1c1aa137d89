// How a report's figures read in every human-readable output (job summary, PR comment, terminal), so a figure reads
// the same everywhere; the units themselves (bytes, slopes, counts, p-values) are core/units.ts's. Deterministic on
// purpose: no locale, no Intl, no clock.

import type { Report, TrialAnalysis, TrialReport, Verdict } from '../core/types.js';
import { analysedOverTime } from '../core/types.js';
import { formatBytes, formatBytesPerRequest, formatCount, formatDuration, formatPValue, type SlopeUnit } from '../core/units.js';

export { formatBytes, formatBytesPerRequest, formatCompactCount, formatCount, formatDuration, formatPercent, formatPValue, NOT_AVAILABLE, type SlopeUnit } from '../core/units.js';

/** The unit of a report's slopes: 's' when its trials were analysed over time, 'session' for a WebSocket load. */
export function reportSlopeUnit(report: Report): SlopeUnit {
  if (analysedOverTime(report.trials)) return 's';
  return report.trials.length > 0 && report.trials.every((t) => t.load?.unit === 'session') ? 'session' : 'req';
}

/** The word for what the load counts, by slope unit: "request", "session" (and "second" over time). */
export const UNIT_WORDS: Record<SlopeUnit, { one: string; many: string }> = {
  req: { one: 'request', many: 'requests' },
  s: { one: 'second of load', many: 'requests' },
  session: { one: 'session', many: 'sessions' },
};

/** Memory in MiB as a plain number with two decimals, for chart series. */
export function toMiB(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 100) / 100;
}

/** Requests per second: one decimal for slow apps ("1.5 req/s"), whole numbers above 100. */
export function formatThroughput(reqPerSecond: number, per: 'req' | 'sessions' = 'req'): string {
  if (Number.isFinite(reqPerSecond) && Math.abs(reqPerSecond) < 99.95) {
    return `${reqPerSecond.toFixed(1)} ${per}/s`;
  }
  return `${formatCount(reqPerSecond)} ${per}/s`;
}

/** "p < 0.0001" or "p = 0.42". */
export function formatPClause(p: number): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/** A confidence level given as a fraction (0.95) or a percentage (95), as "95%". */
export function formatConfidence(confidence: number): string {
  const pct = confidence <= 1 ? confidence * 100 : confidence;
  return `${Number.isInteger(Math.round(pct * 10) / 10) ? Math.round(pct) : pct.toFixed(1)}%`;
}

/** A slope's confidence interval: "170 B/req to 186 B/req" ("to", since either end may be negative). */
export function formatInterval(low: number, high: number, per: SlopeUnit = 'req'): string {
  return `${formatBytesPerRequest(low, per)} to ${formatBytesPerRequest(high, per)}`;
}

// ---------------------------------------------------------------------------------------------
// The figures of a report, formatted once so the job summary and the terminal show the same
// numbers under the same labels. One column per trial, plus a combined column (the report's
// summary) when there are several trials.

export type FigureKey =
  | 'verdict'
  | 'bytesPerRequest'
  | 'interval'
  | 'pValue'
  | 'metric'
  | 'warmup'
  | 'startMemory'
  | 'peakMemory'
  | 'requests'
  | 'throughput'
  | 'errors'
  | 'growthPerMillion'
  | 'growthPerHour';

export interface FigureRow {
  key: FigureKey;
  label: string;
  /** One value per column, in the order of `FigureTable.columns`. */
  values: string[];
}

export interface FigureColumn {
  /** "Trial 1", ..., "Combined"; "Value" for a single trial. */
  heading: string;
  verdict: Verdict;
}

export interface FigureTable {
  columns: FigureColumn[];
  rows: FigureRow[];
}

export const VERDICT_WORDS: Record<Verdict, string> = {
  leak: 'leak',
  'no-leak': 'no leak',
  inconclusive: 'inconclusive',
  oom: 'out of memory',
  interrupted: 'interrupted',
};

const NONE = '—';

/** Figures that only exist once a trend was fitted. */
const TREND_KEYS: readonly FigureKey[] = [
  'bytesPerRequest',
  'interval',
  'pValue',
  'warmup',
  'growthPerMillion',
  'growthPerHour',
];

/** The confidence level the report's intervals were computed at (the trials share one config). */
export function reportConfidence(report: Report): number {
  return report.trials[0]?.analysis.confidence ?? 0.95;
}

/**
 * Whether a trial got as far as fitting a trend. A trial that could not be measured has a
 * placeholder analysis with no points, whose zero slope must not read as "0 B/req".
 */
export function hasTrend(analysis: TrialAnalysis): boolean {
  return analysis.points > 0;
}

/** Whether the report's combined figures rest on at least one fitted trend. */
export function reportHasTrend(report: Report): boolean {
  return report.trials.some((t) => hasTrend(t.analysis));
}

/**
 * Why the report's verdict, in one sentence: the trial's own reason when there is one trial (it
 * says more than a tally), the combined reason otherwise. Plain text, not escaped.
 */
export function reasonOf(report: Report): string {
  const { trials, summary } = report;
  if (trials.length === 1) return String(trials[0]!.analysis.reason);
  // Reports written before Summary.reason existed.
  if (typeof summary.reason === 'string' && summary.reason !== '') return summary.reason;
  return `${formatCount(summary.trialsLeaking)} of ${trials.length} trials leak (${formatCount(summary.trialsConclusive)} conclusive)`;
}

/** Builds the figures table of a report. Values are plain text (no markup, no colour). */
export function reportFigures(report: Report): FigureTable {
  const { trials, summary } = report;
  // Over time (a load command without a counter) slopes are B/s, the warm-up a time, and growth per hour the slope
  // itself; growth per 1M requests is known only when the command reported its throughput.
  const per = reportSlopeUnit(report);
  const overTime = per === 's';
  const perMillion = (n: number): string => (overTime && n === 0 ? NONE : formatBytes(n));
  const labels: Record<FigureKey, string> = {
    verdict: 'Verdict',
    bytesPerRequest: overTime ? 'Bytes / second' : `Bytes / ${UNIT_WORDS[per].one}`,
    interval: `${formatConfidence(reportConfidence(report))} CI`,
    pValue: 'p-value',
    metric: 'Metric',
    warmup: 'Warm-up end',
    startMemory: 'Start memory',
    peakMemory: 'Peak memory',
    requests: per === 'session' ? 'Sessions' : 'Requests',
    throughput: 'Throughput',
    errors: 'Errors / non-2xx',
    growthPerMillion: `Growth / 1M ${UNIT_WORDS[per].many}`,
    growthPerHour: 'Growth / hour',
  };
  const errorsCell = (errors: number, timeouts: number, non2xx: number): string =>
    `${formatCount(errors)}${timeouts > 0 ? ` (${formatCount(timeouts)} timeouts)` : ''} / ${formatCount(non2xx)}`;

  const noTrend = (column: Record<FigureKey, string>): Record<FigureKey, string> => {
    for (const key of TREND_KEYS) column[key] = NONE;
    return column;
  };

  const trialColumn = (trial: TrialReport): Record<FigureKey, string> => {
    const a = trial.analysis;
    const column: Record<FigureKey, string> = {
      verdict: VERDICT_WORDS[a.verdict],
      bytesPerRequest: formatBytesPerRequest(a.bytesPerRequest, per),
      interval: formatInterval(a.ciLow, a.ciHigh, per),
      pValue: formatPValue(a.pValue),
      metric: a.metric,
      warmup: overTime
        ? `${formatDuration(a.warmupEndMs)} of load (${a.warmupMethod})`
        : `${formatCount(a.warmupEndRequests)} ${per === 'session' ? 'sessions' : 'req'}, ${formatDuration(a.warmupEndMs)} (${a.warmupMethod})`,
      startMemory: formatBytes(a.startBytes),
      peakMemory: formatBytes(a.peakBytes),
      requests: formatCount(trial.load.requests),
      throughput: formatThroughput(trial.load.throughput, per === 'session' ? 'sessions' : 'req'),
      errors: errorsCell(trial.load.errors, trial.load.timeouts, trial.load.non2xx),
      growthPerMillion: perMillion(a.growthPerMillionRequests),
      growthPerHour: formatBytes(a.bytesPerSecond * 3600),
    };
    return hasTrend(a) ? column : noTrend(column);
  };

  const sum = (pick: (t: TrialReport) => number): number => trials.reduce((acc, t) => acc + pick(t), 0);
  const trialsWord = `${formatCount(summary.trialsLeaking)}/${trials.length} leak`;
  const combined: Record<FigureKey, string> = {
    verdict: trials.length > 1 ? `${VERDICT_WORDS[summary.verdict]} (${trialsWord})` : VERDICT_WORDS[summary.verdict],
    bytesPerRequest: formatBytesPerRequest(summary.bytesPerRequest, per),
    interval: formatInterval(summary.ciLow, summary.ciHigh, per),
    pValue: formatPValue(summary.pValue),
    metric: summary.metric,
    warmup: NONE,
    startMemory: formatBytes(summary.startBytes),
    peakMemory: formatBytes(summary.peakBytes),
    requests: formatCount(summary.requests),
    throughput: formatThroughput(summary.throughput, per === 'session' ? 'sessions' : 'req'),
    errors: trials.length > 0
      ? errorsCell(sum((t) => t.load.errors), sum((t) => t.load.timeouts), sum((t) => t.load.non2xx))
      : NONE,
    growthPerMillion: perMillion(summary.growthPerMillionRequests),
    growthPerHour: formatBytes(summary.bytesPerRequest * (overTime ? 1 : summary.throughput) * 3600),
  };

  if (!reportHasTrend(report)) noTrend(combined);

  const cells: Array<Record<FigureKey, string>> = [];
  const columns: FigureColumn[] = [];
  if (trials.length === 1) {
    cells.push(trialColumn(trials[0]!));
    columns.push({ heading: 'Value', verdict: trials[0]!.analysis.verdict });
  } else {
    trials.forEach((trial, i) => {
      cells.push(trialColumn(trial));
      columns.push({ heading: `Trial ${i + 1}`, verdict: trial.analysis.verdict });
    });
    cells.push(combined);
    columns.push({ heading: trials.length === 0 ? 'Value' : 'Combined', verdict: summary.verdict });
  }

  const keys = Object.keys(labels) as FigureKey[];
  return {
    columns,
    rows: keys.map((key) => ({ key, label: labels[key], values: cells.map((c) => c[key]) })),
  };
}

/** A signal's name as the reports say it. */
export function signalLabel(metric: string): string {
  if (metric === 'heap') return 'live heap after GC';
  if (metric === 'anon') return 'anonymous memory';
  return `${metric.toUpperCase()} memory`;
}

/** One row per signal and trial: what each signal said, with the level Holm's correction tested it at. */
export interface SignalRow {
  trial: number;
  signal: string;
  metric: string;
  verdict: string;
  deciding: boolean;
  slope: string;
  interval: string;
  pValue: string;
  alpha: string;
}

/** Every signal of every trial that analysed more than one; empty when a single signal decided throughout. */
export function signalRows(report: Report): SignalRow[] {
  const unit = reportSlopeUnit(report);
  const rows: SignalRow[] = [];
  for (const t of report.trials) {
    for (const s of t.analysis.signals ?? []) {
      rows.push({
        trial: t.index + 1,
        signal: signalLabel(s.metric),
        metric: s.metric,
        // A signal that stood aside for the one covering it: "grows, not gating" when it grew on its own.
        verdict: s.coveredBy ? (s.grewAside ? `grows, not gating (${signalLabel(s.coveredBy)} decides)` : `not gating (${signalLabel(s.coveredBy)} decides)`) : (VERDICT_WORDS[s.verdict] ?? s.verdict),
        deciding: s.metric === t.analysis.metric,
        slope: formatBytesPerRequest(s.bytesPerRequest, unit),
        interval: formatInterval(s.ciLow, s.ciHigh, unit),
        pValue: formatPValue(s.pValue),
        alpha: s.alphaTested === null ? 'not tested' : String(Number(s.alphaTested.toPrecision(2))),
      });
    }
  }
  return rows;
}

/** "stopped early: trial 1 after 12.5 s of the 30 s budget (leak settled)", or null when every load ran its budget. */
export function stoppingNote(report: Report): string | null {
  const stops = report.trials.filter((t) => t.stopping?.stoppedAtMs !== undefined);
  if (stops.length === 0) return null;
  const parts = stops.map((t) => {
    const s = t.stopping!;
    const what = s.why === 'leak' ? 'the leak was settled' : 'no leak was settled: every interval below its floor';
    return `${report.trials.length > 1 ? `trial ${t.index + 1} ` : ''}after ${formatDuration(s.stoppedAtMs!)} of the ${formatDuration(s.budgetMs)} budget (${what}, look ${s.looks.length}, nominal level ${formatPValue(s.finalNominal)})`;
  });
  return `load stopped early (group-sequential looks, Hwang-Shih-DeCani alpha spending, gamma -2): ${parts.join('; ')}`;
}
