// Which memory signals decide a trial, and the trial's analysis from them: anonymous memory of the process tree
// (or the metric analysis.metric pins), and the runtime's live memory after a forced GC where the runtime offers it
// (Node: V8 heap used + external; JVM: heap used after a full GC). Pure: samples and evidence in, analysis out.
// An app that died of out-of-memory gets the verdict 'oom', with the trend of its samples up to the death.
import { analyzeTrial, analyzeTrialOverTime } from '../analyze/analyze-trial.js';
import { analyzeSignals, type SignalInput } from '../analyze/multi-signal.js';
import { theilSen } from '../analyze/stats.js';
import type { Config } from '../config/config.js';
import type { MetricName, OomDeath, Sample, SampledMetric, TrialAnalysis } from '../core/types.js';
import type { TrialEvidence } from '../probes/evidence.js';

/** Fewest heap readings after the warm-up for a conclusive heap verdict. */
const HEAP_MIN_POINTS = 8;

/** Cleanest first: live bytes after a forced GC carry none of the GC sawtooth that anonymous memory does. */
export const SIGNAL_PREFERENCE: readonly MetricName[] = ['heap', 'anon', 'uss', 'pss', 'rss'];

/** Readings over which Node's external memory is taken at its lowest (externalEnvelope). */
export const EXTERNAL_ENVELOPE = 3;

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
export function heapSamples(evidence: TrialEvidence): Sample[] {
  const series = evidence.runtime?.heapSeries ?? [];
  const external = externalEnvelope(series);
  return series.map((h, i) => {
    const bytes = external ? h.v8HeapBytes! + external[i]! : h.usedBytes;
    return { t: h.t, requests: h.requests, total: { anon: bytes, rss: bytes, pss: bytes, uss: bytes, swap: 0 }, processes: [] };
  });
}

/**
 * External memory at each reading as the lowest of it and the EXTERNAL_ENVELOPE - 1 readings before it, each of
 * those first brought forward to this reading's request count along the series' Theil-Sen slope. A plain rolling
 * minimum lags a rising series by two readings, and by more requests as a growing heap's GC pauses space the
 * readings out: it read Buffer leaks 5-11% low. Brought forward, a steady rise keeps its slope exactly and a
 * spike still drops out. Null when a reading lacks the split (a JVM's, a Go heap's).
 */
export function externalEnvelope(series: ReadonlyArray<{ requests: number; externalBytes?: number; v8HeapBytes?: number }>): number[] | null {
  if (series.length === 0 || series.some((h) => h.externalBytes === undefined || h.v8HeapBytes === undefined)) return null;
  const x = series.map((h) => h.requests);
  const y = series.map((h) => h.externalBytes!);
  const slope = series.length >= 2 ? theilSen(x, y, 0.95).slope : 0;
  const trend = Number.isFinite(slope) ? slope : 0;
  return series.map((h, i) => {
    let low = Number.POSITIVE_INFINITY;
    for (let j = Math.max(0, i - EXTERNAL_ENVELOPE + 1); j <= i; j++) low = Math.min(low, y[j]! + trend * (x[i]! - x[j]!));
    return low;
  });
}

/** The signals that decide this trial. */
export function trialSignals(config: Config, samples: Sample[], evidence: TrialEvidence, overTime: boolean): SignalInput[] {
  const analysis = config.analysis;
  const analyse = overTime ? analyzeTrialOverTime : analyzeTrial;
  const signals: SignalInput[] = [];
  const heap = heapSamples(evidence);
  const metric = analysis.metric;
  if (metric !== 'heap') {
    // pss and uss are read every few ticks (cost-aware sampling): only the samples that read them count.
    const analysed = metric === 'pss' || metric === 'uss' ? samples.filter((s) => s.full !== false) : samples;
    signals.push({ metric, samples: analysed, field: metric as SampledMetric, minBytesPerRequest: analysis.minBytesPerRequest, analyse });
  }
  // Pinned to one metric, only that one decides; except that heap snapshots put steps into the RSS series, so when
  // they are taken the heap after GC (their own clean signal) decides too, as it always has.
  const heapDecides = !analysis.pinned || metric === 'heap' || (config.runtime.kind === 'node' && config.runtime.snapshots);
  if (heapDecides && (heap.length > 0 || metric === 'heap')) {
    // Where the runtime's live heap after GC is read, it covers anonymous memory: measured on 25 clean runs of the
    // Express example, anon grew 235 and 312 B/req (+15-21% in 30 s) in two while the heap after GC stayed within
    // -1.9..1.4 B/req (V8 sizing its heap), so anon decides only while the heap signal is inconclusive.
    for (const s of signals) if (!analysis.pinned) s.coveredBy = 'heap';
    // Readings after a full GC carry no sawtooth: each is a point of its own (no floor windows), and 8 of them after
    // the warm-up are enough for the trend test (at n = 8 a steady rise gives a one-sided Mann-Kendall p of about 4e-4, well below alpha / 2), where
    // a large heap's GC pauses, under the pause budget, allow only a few readings in a short run.
    // Each reading its own point (minWindow 1): the floor windows that see through a sawtooth halved a short run's
    // readings (17 after an 8 s run's warm-up gave 8 points) for nothing.
    signals.push({ metric: 'heap', samples: heap, field: 'anon', minBytesPerRequest: analysis.minHeapBytesPerRequest, minPoints: HEAP_MIN_POINTS, minWindow: 1, analyse });
  }
  return signals;
}

/**
 * The trial's analysis: one signal's when only one decides (as before multi-signal verdicts), else the primary
 * signal's figures with every signal's analysis in `signals` and the leaking ones in `leakingSignals`.
 */
export function analyzeTrialSignals(config: Config, samples: Sample[], evidence: TrialEvidence, throughput: number, overTime = false): TrialAnalysis {
  const inputs = trialSignals(config, samples, evidence, overTime);
  if (inputs.length === 1 && inputs[0]!.metric === 'heap' && inputs[0]!.samples.length === 0) {
    return { ...failedAnalysis(config, `no heap readings: ${evidence.runtime?.note ?? 'the Node inspector was not reached'}`), metric: 'heap' };
  }
  const opts = { ...config.analysis, metric: 'anon' as const };
  // Over time, analyzeTrialOverTime takes the reported throughput to turn min-requests into seconds of load.
  const result = analyzeSignals(inputs, opts, throughput, SIGNAL_PREFERENCE);
  const { alphaTested: _a, ...primary } = result.primary;
  if (inputs.length === 1) return primary;
  return { ...primary, signals: result.signals, leakingSignals: result.leaking };
}

/** The verdict 'oom': the trend up to the death stays in the figures, the reason says how the app died. */
export function oomAnalysis(analysis: TrialAnalysis, death: OomDeath): TrialAnalysis {
  return { ...analysis, verdict: 'oom', reason: `out of memory: ${death.evidence}`, oom: death };
}

export function failedAnalysis(config: Pick<Config, 'analysis'>, reason: string): TrialAnalysis {
  return {
    metric: config.analysis.metric,
    verdict: 'inconclusive',
    reason: reason.split('\n')[0] ?? reason,
    warmupEndIndex: 0,
    warmupEndRequests: 0,
    warmupEndMs: 0,
    warmupMethod: 'fixed',
    points: 0,
    requestsAnalysed: 0,
    bytesPerRequest: 0,
    ciLow: 0,
    ciHigh: 0,
    confidence: config.analysis.confidence,
    pValue: 1,
    mkS: 0,
    tau: 0,
    startBytes: 0,
    endBytes: 0,
    peakBytes: 0,
    relativeGrowth: 0,
    bytesPerSecond: 0,
    growthPerMillionRequests: 0,
  };
}
