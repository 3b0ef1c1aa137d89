// Which signal the baseline comparison runs on, and the trials seen through it. The comparison is one test on one
// signal (so its false-positive rate stays the baseline test's own): the signal this run's verdict stands on when
// the baseline has it too, else the cleanest one both have, said so in the comparison. Pure.
import type { MetricName, Report, TrialAnalysis, TrialReport } from '../core/types.js';
import { SIGNAL_PREFERENCE } from './trial-analysis.js';


/** The signals a trial analysed: every one of a multi-signal analysis, else its one metric. */
export function signalsOf(a: TrialAnalysis): MetricName[] {
  return a.signals ? a.signals.map((s) => s.metric) : [a.metric];
}

/** One signal's analysis of a trial, as a trial analysis (null when the trial did not analyse it). */
export function signalAnalysis(a: TrialAnalysis, metric: MetricName): TrialAnalysis | null {
  if (a.metric === metric) return a;
  const s = a.signals?.find((x) => x.metric === metric);
  if (!s) return null;
  const { alphaTested: _alpha, ...figures } = s;
  return figures;
}

/** The trials as one signal sees them (trials that lack it are left out). */
export function throughSignal(trials: readonly TrialReport[], metric: MetricName): TrialReport[] {
  return trials.flatMap((t) => {
    const a = signalAnalysis(t.analysis, metric);
    return a ? [{ ...t, analysis: a }] : [];
  });
}

export interface ComparedSignal {
  metric: MetricName;
  /** Whether this run and the baseline both have the signal. */
  common: boolean;
  /** Why another signal than this run's deciding one was compared; absent when it is the same. */
  note?: string;
}

/**
 * The signal to compare on: `primary` (this run's deciding signal) when every head trial and some baseline trial
 * have it, else the first of the preference that both have, else `primary` (the comparison then says the metrics
 * differ, as it always has).
 */
export function chooseComparedSignal(head: readonly TrialReport[], baselines: readonly Report[], primary: MetricName): ComparedSignal {
  const baseTrials = baselines.flatMap((r) => r.trials);
  const headHas = (m: MetricName) => head.length > 0 && head.every((t) => signalsOf(t.analysis).includes(m));
  const baseHas = (m: MetricName) => baseTrials.some((t) => signalsOf(t.analysis).includes(m));
  if (headHas(primary) && baseHas(primary)) return { metric: primary, common: true };
  const both = [primary, ...SIGNAL_PREFERENCE].find((m) => headHas(m) && baseHas(m));
  if (!both) return { metric: primary, common: false };
  return { metric: both, common: true, note: `compared on ${both}: the baseline has no ${primary} signal (saved before leakgate read it, or with analysis.metric pinned), so the comparison uses the signal both have` };
}
