// Canary against stable: the canary's series (one per pod) are the head's trials, the stable version's series the
// baseline's, over the same window, through the baseline comparison's own tests (compareWithBaseline: Welch, a
// prediction interval or the head's slope interval by the number of pods; the CUSUM of the two curves). A thin
// adapter: it wraps the stable series in the minimal report that function takes. Pure.
import { compareWithBaseline, type CompareOptions, type Comparison, type ComparisonVerdict } from '../compare/compare-baseline.js';
import { REPORT_SCHEMA_VERSION, type Environment, type Report, type TrialReport } from '../core/types.js';
import { VERSION } from '../core/version.js';
import type { CanaryResult, SeriesResult } from './types.js';

export interface CanaryOptions {
  alpha: number;
  relativeTolerance: number;
  /** Practical floor of a slope difference, in the slope's unit (B/s over time, B/req against requests). */
  slopeTolerance: number;
  peakToleranceBytes: number;
}

/**
 * Compares the deciding segment of each canary series with that of each baseline series. The stable pods run now,
 * beside the canary: they are not a stored history, so one pod is enough (min-history 1) and nothing is advisory.
 */
export function compareCanary(
  canary: readonly SeriesResult[],
  baseline: readonly SeriesResult[],
  trials: readonly TrialReport[],
  opts: CanaryOptions,
  environment: Environment,
  createdAt: string,
): { result: CanaryResult; comparison: Comparison } {
  const pick = (series: readonly SeriesResult[]): TrialReport[] =>
    series.flatMap((s) => {
      const segment = s.segments[s.decidingSegment];
      return segment ? [trials[segment.trial]!] : [];
    });
  const head = pick(canary);
  const base = pick(baseline);
  const compare: CompareOptions = {
    alpha: opts.alpha,
    relativeTolerance: opts.relativeTolerance,
    absoluteToleranceBytesPerRequest: opts.slopeTolerance,
    absoluteTolerancePeakBytes: opts.peakToleranceBytes,
    minHistory: 1,
  };
  const comparison = compareWithBaseline(head, [stableReport(base, environment, createdAt)], compare);
  return { result: { verdict: canaryVerdict(comparison), canarySeries: head.length, baselineSeries: base.length, diverged: comparison.differential.diverged }, comparison };
}

/**
 * regression when the slope comparison says so, or when the canary's curve diverged upward from the stable one's
 * (CUSUM) and its slope is above the stable one's by more than the tolerance; improved when the slope improved and
 * the curves did not diverge; else unchanged. The peak is compared too, but gates only through fail-on peak-regression.
 */
export function canaryVerdict(c: Comparison): ComparisonVerdict {
  if (c.slope.verdict === 'regression') return 'regression';
  if (c.differential.diverged && c.slope.effect > c.slope.tolerance) return 'regression';
  if (c.slope.verdict === 'improved' && !c.differential.diverged) return 'improved';
  return 'unchanged';
}

/** The stable series as the report compareWithBaseline reads: its trials, a name and a date. */
function stableReport(trials: TrialReport[], environment: Environment, createdAt: string): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: VERSION },
    name: 'stable',
    createdAt,
    environment,
    config: null,
    trials,
    summary: {
      verdict: 'inconclusive', reason: '', bytesPerRequest: 0, ciLow: 0, ciHigh: 0, pValue: 1, trialsLeaking: 0, trialsConclusive: 0,
      metric: 'rss', requests: 0, throughput: 0, startBytes: 0, peakBytes: 0, growthPerMillionRequests: 0, memoryLimitBytes: null, secondsToLimit: null,
    },
    gate: { failed: false, reasons: [] },
    comparison: null,
    baselineNote: null,
    error: trials.length > 0 ? null : 'no stable series',
  };
}
