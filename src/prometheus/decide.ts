// The summary and the gate of `leakgate analyze`, as pure functions of the series results: the summary's figures
// come from the worst series (the steepest leak, else the steepest slope); the gate fails on what fail-on names.
import type { Comparison } from '../compare/compare-baseline.js';
import type { FailOn } from '../config/config.js';
import type { GateDecision, Summary } from '../core/types.js';
import { formatBytes, formatBytesPerRequest, formatDuration, formatPValue } from '../core/units.js';
import type { CanaryResult, PrometheusSection, SeriesResult } from './types.js';

/** The series whose figures stand for the run: the steepest leaking one, else the steepest of all. */
export function worstSeries(series: readonly SeriesResult[]): SeriesResult | undefined {
  const leaking = series.filter((s) => s.verdict === 'leak');
  const pool = leaking.length > 0 ? leaking : series;
  return pool.reduce<SeriesResult | undefined>((w, s) => (w === undefined || s.bytesPerSecond > w.bytesPerSecond ? s : w), undefined);
}

export function summarize(section: Pick<PrometheusSection, 'series' | 'verdict' | 'leaking' | 'axis'>, reason: string): Summary {
  const judged = section.series.filter((s) => s.group !== 'baseline');
  const worst = worstSeries(judged);
  const a = worst?.segments[worst.decidingSegment]?.analysis;
  const segments = judged.flatMap((s) => s.segments);
  const soonest = judged.map((s) => s.secondsToLimit).filter((x): x is number => x !== null).sort((x, y) => x - y)[0] ?? null;
  return {
    verdict: section.verdict,
    reason,
    bytesPerRequest: a?.bytesPerRequest ?? 0,
    ciLow: a?.ciLow ?? 0,
    ciHigh: a?.ciHigh ?? 0,
    pValue: a?.pValue ?? 1,
    trialsLeaking: segments.filter((s) => s.analysis.verdict === 'leak').length,
    trialsConclusive: segments.filter((s) => s.analysis.verdict !== 'inconclusive').length,
    metric: 'rss',
    requests: 0,
    throughput: worst?.throughput ?? 0,
    startBytes: a?.startBytes ?? 0,
    peakBytes: judged.reduce((m, s) => Math.max(m, s.peakBytes), 0),
    growthPerMillionRequests: a?.growthPerMillionRequests ?? 0,
    memoryLimitBytes: worst?.limitBytes ?? null,
    secondsToLimit: soonest,
  };
}

/** One sentence for the overall verdict. */
export function overallReason(section: Pick<PrometheusSection, 'series' | 'verdict' | 'leaking' | 'axis'>): string {
  const judged = section.series.filter((s) => s.group !== 'baseline');
  if (section.verdict === 'leak') {
    const worst = worstSeries(judged)!;
    const more = section.leaking.length > 1 ? ` (and ${section.leaking.length - 1} more series)` : '';
    return `${worst.name} leaks ${slopeText(worst)}${more}: ${worst.reason}`;
  }
  if (section.verdict === 'inconclusive') {
    const first = judged.find((s) => s.verdict === 'inconclusive');
    return first ? `${first.name}: ${first.reason}` : 'no series to judge';
  }
  return `no leak in ${judged.length} series`;
}

export function slopeText(s: SeriesResult): string {
  const perHour = `${formatBytes(s.bytesPerSecond * 3600)}/h`;
  return s.bytesPerRequest !== null ? `${formatBytesPerRequest(s.bytesPerRequest)} (${perHour})` : `${formatBytesPerRequest(s.bytesPerSecond, 's')} (${perHour})`;
}

export function decideAnalyzeGate(
  failOn: readonly FailOn[],
  section: Pick<PrometheusSection, 'series' | 'verdict' | 'leaking' | 'axis'> & { canary: CanaryResult | null },
  comparison: Comparison | null,
  error: string | null,
): GateDecision {
  if (error !== null) return { failed: true, reasons: [`Prometheus could not be read: ${error.split('\n')[0]}`] };
  const reasons: string[] = [];
  const judged = section.series.filter((s) => s.group !== 'baseline');
  if (failOn.includes('leak')) {
    for (const s of judged.filter((x) => x.verdict === 'leak')) {
      const a = s.segments[s.decidingSegment]!.analysis;
      const limit = s.secondsToLimit !== null ? `; reaches its ${formatBytes(s.limitBytes ?? 0)} limit in ${formatDuration(s.secondsToLimit * 1000)}` : '';
      reasons.push(`leak: ${s.name} grows ${slopeText(s)}, p ${pText(a.pValue)}${limit}`);
    }
  }
  if (failOn.includes('inconclusive') && section.verdict === 'inconclusive') {
    const s = judged.find((x) => x.verdict === 'inconclusive');
    reasons.push(`inconclusive: ${s ? `${s.name}: ${s.reason}` : 'no series'}; widen prometheus.range or set fail-on without 'inconclusive'`);
  }
  if (comparison && section.canary) {
    const unit = section.axis === 'requests' ? 'req' : 's';
    const f = (n: number): string => formatBytesPerRequest(n, unit);
    if (failOn.includes('regression') && section.canary.verdict === 'regression') {
      const c = comparison.slope;
      const cusum = comparison.differential.diverged ? '; the canary curve diverged upward from the stable one (CUSUM)' : '';
      reasons.push(`regression: the canary grows ${f(c.head)} against the stable version's ${f(c.base)} (+${f(c.effect)}, tolerance ${f(c.tolerance)})${cusum}`);
    }
    if (failOn.includes('peak-regression') && comparison.peak.verdict === 'regression') {
      reasons.push(`peak-regression: canary peak ${formatBytes(comparison.peak.head)} against stable ${formatBytes(comparison.peak.base)}`);
    }
  }
  return { failed: reasons.length > 0, reasons };
}

function pText(p: number): string {
  const t = formatPValue(p);
  return t.startsWith('<') ? t : `= ${t}`;
}
