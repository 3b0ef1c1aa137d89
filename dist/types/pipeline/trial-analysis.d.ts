import { type SignalInput } from '../analyze/multi-signal.js';
import type { Config } from '../config/config.js';
import type { MetricName, OomDeath, Sample, TrialAnalysis } from '../core/types.js';
import type { TrialEvidence } from '../probes/evidence.js';
/** Cleanest first: live bytes after a forced GC carry none of the GC sawtooth that anonymous memory does. */
export declare const SIGNAL_PREFERENCE: readonly MetricName[];
/** The heap readings as samples (their figure in `total.anon`), for the same analysis as the sampled figures. */
export declare function heapSamples(evidence: TrialEvidence): Sample[];
/** The signals that decide this trial. */
export declare function trialSignals(config: Config, samples: Sample[], evidence: TrialEvidence, overTime: boolean): SignalInput[];
/**
 * The trial's analysis: one signal's when only one decides (as before multi-signal verdicts), else the primary
 * signal's figures with every signal's analysis in `signals` and the leaking ones in `leakingSignals`.
 */
export declare function analyzeTrialSignals(config: Config, samples: Sample[], evidence: TrialEvidence, throughput: number, overTime?: boolean): TrialAnalysis;
/** The verdict 'oom': the trend up to the death stays in the figures, the reason says how the app died. */
export declare function oomAnalysis(analysis: TrialAnalysis, death: OomDeath): TrialAnalysis;
export declare function failedAnalysis(config: Pick<Config, 'analysis'>, reason: string): TrialAnalysis;
