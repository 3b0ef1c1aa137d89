import type { MetricName, Sample, SignalAnalysis, TrialAnalysis } from '../core/types.js';
import { type AnalysisOptions } from './analyze-trial.js';
/** One signal's series, as samples whose `total[opts.metric]` holds the figure, and its practical floor. */
export interface SignalInput {
    metric: MetricName;
    samples: Sample[];
    /** The bytes-per-request floor of this signal (analysis.min-bytes-per-request for anon). */
    minBytesPerRequest: number;
    /** The figure in `total` to read ('anon' for series built from a runtime's readings). */
    field?: 'anon' | 'rss' | 'pss' | 'uss';
    /** Fewest points for a conclusive verdict, when this signal needs fewer than analysis.min-points. */
    minPoints?: number;
    /** Fewest samples per robust window (AnalysisOptions.minWindow): 1 for readings after a forced GC. */
    minWindow?: number;
    /**
     * The signal that covers this one: while that one is conclusive, this one is analysed and shown but does not
     * decide (Holm's family is the signals that decide). Anonymous memory under a runtime whose live heap after GC is
     * read: anon then adds only the runtime's heap sizing and native memory to what the heap signal sees.
     */
    coveredBy?: MetricName;
    /** Analyse over time instead of requests (a load without a request count). */
    analyse?: (samples: Sample[], opts: AnalysisOptions, throughput: number) => TrialAnalysis;
}
export type { SignalAnalysis };
export interface MultiSignalResult {
    /** Every signal, in the order given. */
    signals: SignalAnalysis[];
    /** The signal whose analysis stands for the trial: the deciding one for a leak, else the cleanest conclusive one. */
    primary: SignalAnalysis;
    /** The signals that leak after the correction, in the order given. */
    leaking: MetricName[];
}
/**
 * Analyses every signal and decides with Holm's correction. `preference` orders the signals by how clean they
 * are (first = cleanest, e.g. the after-GC heap before anon): it chooses the primary signal among those that leak,
 * or among the conclusive ones when none leaks.
 */
export declare function analyzeSignals(inputs: readonly SignalInput[], opts: AnalysisOptions, throughput: number, preference?: readonly MetricName[]): MultiSignalResult;
