// Early stopping during one trial's load: at each look of the group-sequential plan (analyze/sequential.ts) the
// samples so far are analysed, every signal at the look's nominal level, and the load is stopped as soon as the
// verdict is settled. Owns only the timer and the record; the statistics are analyze/'s.
import { confirmLook, decideLook, HOLD_RATIO, lookFractions, newestSlope, sequentialBoundaries, type LookDecision, type LookSignal, type SequentialBoundary } from '../analyze/sequential.js';
import type { Config } from '../config/config.js';
import type { MetricName, Sample, StoppingLook, StoppingRecord, TrialAnalysis } from '../core/types.js';
import type { TrialEvidence } from '../probes/evidence.js';
import { analyzeTrialSignals, trialSignals } from './trial-analysis.js';

export interface EarlyStopDeps {
  /** Milliseconds of load so far. */
  elapsedMs: () => number;
  samples: () => readonly Sample[];
  /** The probes' evidence so far (heap readings). */
  peek: () => TrialEvidence;
  overTime: boolean;
  /** The highest slope that is no regression against the baseline (its slope plus the tolerance); Infinity without one. */
  cap: number;
  /** Ends the load. */
  stopLoad: () => void;
  /** Each look's primary figures, for the progress line. */
  onLook?: (look: StoppingLook) => void;
}

export interface EarlyStopper {
  /** Stops the timer; the record of the looks, and the nominal level the final analysis must use. */
  finish(): StoppingRecord;
}

/**
 * The data the look that stopped the load analysed: the samples and heap readings up to it. The load ends a moment
 * after the look, and the probes read once more at the finish; analysed with those, a leak the look settled at its
 * nominal level could miss that level by a hair (seen live: p = 0.0012 at the look, 0.0013 with the last readings,
 * against 0.0012), and the report would pass a load that was stopped because it leaked. The verdict is the look's.
 */
export function dataAtStop(samples: Sample[], evidence: TrialEvidence, stoppedAtMs: number): { samples: Sample[]; evidence: TrialEvidence } {
  const runtime = evidence.runtime;
  const heapSeries = runtime?.heapSeries?.filter((h) => h.t <= stoppedAtMs);
  return {
    samples: samples.filter((s) => s.t <= stoppedAtMs),
    evidence: runtime && heapSeries ? { ...evidence, runtime: { ...runtime, heapSeries } } : evidence,
  };
}

/** The plan's boundaries for this config, or null when early stopping does not apply. */
export function stoppingPlan(config: Config, budgetMs: number): SequentialBoundary[] | null {
  const s = config.analysis.stopEarly;
  if (!s.enabled || budgetMs <= s.minLoadMs) return null;
  return sequentialBoundaries(config.analysis.alpha, lookFractions(budgetMs, s.minLoadMs, s.checkpointMs));
}

/** A floor per signal, as the analysis holds it (per second over time). */
export function floorOf(config: Config, metric: MetricName, overTime: boolean): number {
  if (overTime) return config.analysis.minBytesPerSecond;
  return metric === 'heap' ? config.analysis.minHeapBytesPerRequest : config.analysis.minBytesPerRequest;
}

/** The after-GC heap first: the signal whose leak at a look settles the verdict. */
export function cleanestFirst<T extends { metric: MetricName }>(signals: readonly T[]): T[] {
  return [...signals].sort((a, b) => Number(b.metric === 'heap') - Number(a.metric === 'heap'));
}

/**
 * A look's signals, cleanest first, each with its floor and the slope of its newest readings: what decideLook weighs.
 * `samples` and `evidence` are the data the look analysed.
 */
export function lookSignals(config: Config, analysis: TrialAnalysis, overTime: boolean, samples: Sample[], evidence: TrialEvidence): LookSignal[] {
  const inputs = trialSignals(config, samples, evidence, overTime);
  return cleanestFirst<TrialAnalysis & { coveredBy?: MetricName }>(analysis.signals ?? [analysis]).map((s) => {
    const input = inputs.find((i) => i.metric === s.metric);
    return {
      metric: s.metric,
      verdict: s.verdict,
      estimate: s.bytesPerRequest,
      ciHigh: s.ciHigh,
      floor: floorOf(config, s.metric, overTime),
      ...(s.coveredBy !== undefined ? { aside: true } : {}),
      newest: input ? newestSlope(input.samples, input.field ?? 'anon', s.warmupEndMs, { ...(input.minWindow !== undefined ? { minWindow: input.minWindow } : {}), per: overTime ? 'second' : 'request' }) : null,
    };
  });
}

export function startEarlyStopper(config: Config, budgetMs: number, plan: SequentialBoundary[], deps: EarlyStopDeps): EarlyStopper {
  const looks: StoppingLook[] = [];
  let stoppedAtMs: number | undefined;
  let why: 'leak' | 'no-leak' | undefined;
  let finalNominal = plan.at(-1)!.nominal;
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let previous: LookDecision | undefined;

  const look = (): void => {
    const b = plan[next]!;
    const ms = deps.elapsedMs();
    const samples = [...deps.samples()];
    const last = samples.at(-1);
    const throughput = last && ms > 0 ? last.requests / (ms / 1000) : 0;
    const evidence = deps.peek();
    const analysis: TrialAnalysis = analyzeTrialSignals({ ...config, analysis: { ...config.analysis, alpha: b.nominal } }, samples, evidence, throughput, deps.overTime);
    const signals = lookSignals(config, analysis, deps.overTime, samples, evidence);
    const seen = decideLook(signals, deps.cap);
    const decision = confirmLook(previous, seen);
    previous = seen;
    const record: StoppingLook = {
      ms: Math.round(ms),
      requests: last?.requests ?? 0,
      t: b.t,
      spent: b.spent,
      nominal: b.nominal,
      metric: analysis.metric,
      bytesPerRequest: analysis.bytesPerRequest,
      ciLow: analysis.ciLow,
      ciHigh: analysis.ciHigh,
      pValue: analysis.pValue,
      newestBytesPerRequest: signals[0]?.newest ?? null,
      ...(signals[0]?.verdict === 'leak' && !(signals[0].newest !== null && signals[0].newest >= HOLD_RATIO * signals[0].estimate) ? { held: true as const } : {}),
      decision: decision.stop ? decision.why : 'continue',
    };
    looks.push(record);
    deps.onLook?.(record);
    next++;
    if (decision.stop) {
      stoppedAtMs = record.ms;
      why = decision.why;
      finalNominal = b.nominal;
      deps.stopLoad();
      return;
    }
    schedule();
  };

  const schedule = (): void => {
    // The last boundary is the full budget: the final analysis, not a look.
    if (next >= plan.length - 1) return;
    const due = plan[next]!.t * budgetMs;
    timer = setTimeout(look, Math.max(0, due - deps.elapsedMs()));
    timer.unref();
  };
  schedule();

  return {
    finish() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      return {
        method: 'group-sequential, Hwang-Shih-DeCani alpha spending (gamma -2)',
        budgetMs,
        minLoadMs: config.analysis.stopEarly.minLoadMs,
        checkpointMs: config.analysis.stopEarly.checkpointMs,
        looks,
        ...(stoppedAtMs !== undefined ? { stoppedAtMs, why } : {}),
        finalNominal,
      };
    },
  };
}
