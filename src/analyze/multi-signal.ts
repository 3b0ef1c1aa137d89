// One verdict from several memory signals of one trial (anonymous memory of the process tree, the runtime's live
// heap after a forced GC, ...). Each signal goes through the same warm-up, trend and floor logic (analyzeTrial) with
// its own practical floor; the trial leaks when any signal shows a significant leak that clears its floor.
//
// Testing k signals at alpha each would let the false-positive rate grow towards k * alpha. The significance tests
// are corrected with Holm's step-down procedure (Holm 1979, "A simple sequentially rejective multiple test
// procedure"): order the conclusive signals by p-value; the i-th smallest (0-based) is tested at alpha / (k - i);
// stop at the first that is not significant. It holds the family-wise error at alpha under any dependence between
// the tests (the signals are strongly correlated: anon memory contains the heap), as Bonferroni does, and is never
// less powerful: for "does any signal leak" both reject exactly when the smallest p < alpha / k, but Holm tests the
// next signal at alpha / (k - 1), so a second signal can confirm and be named.
import type { MetricName, Sample, SignalAnalysis, TrialAnalysis } from '../core/types.js';
import { analyzeTrial, type AnalysisOptions } from './analyze-trial.js';

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
export function analyzeSignals(inputs: readonly SignalInput[], opts: AnalysisOptions, throughput: number, preference: readonly MetricName[] = []): MultiSignalResult {
  if (inputs.length === 0) throw new Error('analyzeSignals needs at least one signal');
  const run = (s: SignalInput, alpha: number): TrialAnalysis => {
    const o: AnalysisOptions = { ...opts, alpha, metric: s.field ?? 'anon', minBytesPerRequest: s.minBytesPerRequest, ...(s.minPoints !== undefined ? { minPoints: Math.min(opts.minPoints, s.minPoints) } : {}), ...(s.minWindow !== undefined ? { minWindow: s.minWindow } : {}) };
    const a = (s.analyse ?? analyzeTrial)(s.samples, o, throughput);
    return { ...a, metric: s.metric };
  };
  // A first pass at the nominal alpha gives each signal's p-value (it does not depend on alpha) and whether it is
  // conclusive; Holm's levels then follow from the ranks of the conclusive ones' p-values.
  const first = inputs.map((s) => run(s, opts.alpha));
  // A covered signal whose cover is conclusive stands aside: which signals decide depends on how many points and
  // requests each had, never on a p-value, so the family-wise rate of the ones that do stays at alpha.
  const coverOf = (s: SignalInput): TrialAnalysis | undefined => (s.coveredBy ? first[inputs.findIndex((x) => x.metric === s.coveredBy)] : undefined);
  const asideIdx = new Set(inputs.flatMap((s, i) => {
    const cover = coverOf(s);
    return cover && cover.verdict !== 'inconclusive' ? [i] : [];
  }));
  const deciding = (a: TrialAnalysis, i: number): boolean => a.verdict !== 'inconclusive' && !asideIdx.has(i);
  const k = first.filter(deciding).length;
  const order = first
    .map((a, i) => ({ a, i }))
    .filter(({ a, i }) => deciding(a, i))
    .sort((x, y) => x.a.pValue - y.a.pValue);
  const signals: SignalAnalysis[] = first.map((a, i) => (asideIdx.has(i) ? aside(a, inputs[i]!.coveredBy!) : notTested(a, opts.alpha)));
  let stopped = false;
  order.forEach(({ i }, rank) => {
    const level = opts.alpha / (k - rank);
    if (stopped) {
      signals[i] = notTested(first[i]!, opts.alpha);
      return;
    }
    const a = level === opts.alpha ? first[i]! : run(inputs[i]!, level);
    signals[i] = { ...stripExtras(a), alphaTested: level };
    // Holm stops at the first hypothesis it cannot reject, whatever the floors say of the ones it did.
    if (!(a.pValue < level)) stopped = true;
  });
  const leaking = signals.filter((a) => a.verdict === 'leak').map((a) => a.metric);
  const rank = (m: MetricName): number => {
    const i = preference.indexOf(m);
    return i === -1 ? preference.length : i;
  };
  const byPreference = [...signals].sort((x, y) => rank(x.metric) - rank(y.metric));
  const primary =
    byPreference.find((a) => a.verdict === 'leak') ?? byPreference.find((a) => a.verdict === 'no-leak') ?? byPreference[0]!;
  return { signals, primary, leaking };
}

function stripExtras(a: TrialAnalysis): Omit<SignalAnalysis, 'alphaTested'> {
  const { signals: _s, leakingSignals: _l, oom: _o, ...figures } = a;
  return figures;
}

/**
 * A signal that stood aside for the conclusive signal covering it: its figures are kept, it is never a leak, and
 * `coveredBy` says which signal decided in its place (its own test's outcome stays in the reason).
 */
function aside(a: TrialAnalysis, cover: MetricName): SignalAnalysis {
  const figures = stripExtras(a);
  if (a.verdict !== 'leak') return { ...figures, alphaTested: null, coveredBy: cover };
  return {
    ...figures,
    verdict: 'no-leak',
    reason: `not deciding: grows significantly on its own (${a.reason}), but the ${cover} signal covers it and decides; the difference is the runtime's heap sizing or native memory`,
    alphaTested: null,
    coveredBy: cover,
    grewAside: true,
  };
}

/** A signal Holm's procedure did not reach: never a leak, whatever its own test said. */
function notTested(a: SignalAnalysis | TrialAnalysis, alpha: number): SignalAnalysis {
  const figures = stripExtras(a as TrialAnalysis);
  if (a.verdict !== 'leak') return { ...figures, alphaTested: null };
  return {
    ...figures,
    verdict: 'no-leak',
    reason: `no leak: significant at alpha ${alpha} alone, but not tested after Holm's correction over the signals stopped at a smaller p-value that was not significant`,
    alphaTested: null,
  };
}
