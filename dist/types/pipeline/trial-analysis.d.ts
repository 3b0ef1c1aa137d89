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
 * floor is 8. So external memory enters at its lowest over the last EXTERNAL_ENVELOPE readings (externalEnvelope),
 * each brought forward along external memory's own trend: what the app retains, without what was in flight.
 */
export declare function heapSamples(evidence: TrialEvidence): Sample[];
/**
 * External memory at each reading as the lowest of it and the EXTERNAL_ENVELOPE - 1 readings before it, each of
 * those first brought forward to this reading's request count along the series' Theil-Sen slope. A plain rolling
 * minimum lags a rising series by two readings, and by more requests as a growing heap's GC pauses space the
 * readings out: it read Buffer leaks 5-11% low. Brought forward, a steady rise keeps its slope exactly and a
 * spike still drops out. Null when a reading lacks the split (a JVM's, a Go heap's).
 */
export declare function externalEnvelope(series: ReadonlyArray<{
    requests: number;
    externalBytes?: number;
    v8HeapBytes?: number;
}>): number[] | null;
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
