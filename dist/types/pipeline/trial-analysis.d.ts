import { type SignalInput } from '../analyze/multi-signal.js';
import type { Config } from '../config/config.js';
import type { MetricName, OomDeath, Sample, TrialAnalysis } from '../core/types.js';
import type { TrialEvidence } from '../probes/evidence.js';
/** Cleanest first: live bytes after a forced GC carry none of the GC sawtooth that anonymous memory does. */
export declare const SIGNAL_PREFERENCE: readonly MetricName[];
/** Readings over which Node's external memory is taken at its lowest (externalEnvelope). */
export declare const EXTERNAL_ENVELOPE = 3;
/**
 * The heap readings as samples (their figure in `total.anon`), for the same analysis as the sampled figures.
 *
 * Node's figure is the V8 heap plus external memory (Buffers' and ArrayBuffers' backing stores). After a forced GC
 * the V8 heap is tight, but external memory still holds the socket and response buffers of the requests in flight
 * at that moment: on the clean Express example it read 2.2-2.7 MiB, a floor with upward spikes of up to 500 KiB,
 * while the V8 heap moved by 100 KiB. Those spikes set the heap slope's interval: ±20 B/req after 30 s, where the
 * floor is 8. So external memory enters at its lowest over the last EXTERNAL_ENVELOPE readings: what the app
 * retains, without what was in flight. A rolling minimum keeps a steady rise's slope (it lags by a constant), and
 * the trend test's autocorrelation correction (Hamed-Rao) accounts for neighbours sharing a reading. Replayed on
 * 25 clean Express runs, the interval's upper end at 30 s fell from a median of 20.0 to 7.8 B/req, and 32 B/req
 * leaks were found in 4 of 5 runs against 3 (docs/benchmark.md).
 */
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
