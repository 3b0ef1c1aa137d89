import type { MetricName, Report, TrialAnalysis, TrialReport } from '../core/types.js';
/** The signals a trial analysed: every one of a multi-signal analysis, else its one metric. */
export declare function signalsOf(a: TrialAnalysis): MetricName[];
/** One signal's analysis of a trial, as a trial analysis (null when the trial did not analyse it). */
export declare function signalAnalysis(a: TrialAnalysis, metric: MetricName): TrialAnalysis | null;
/** The trials as one signal sees them (trials that lack it are left out). */
export declare function throughSignal(trials: readonly TrialReport[], metric: MetricName): TrialReport[];
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
export declare function chooseComparedSignal(head: readonly TrialReport[], baselines: readonly Report[], primary: MetricName): ComparedSignal;
