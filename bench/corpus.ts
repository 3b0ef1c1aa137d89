// Figures 1 and 2: runs leakgate's analysis and the two naive gates over the synthetic corpus and
// scores them against the known leak rates. Pure computation, no processes.

import { performance } from 'node:perf_hooks';
import { analyzeTrial, DEFAULT_ANALYSIS } from '../src/analyze/index.js';
import { confirmLook, decideLook, lookFractions, newestSlope, sequentialBoundaries, type LookDecision } from '../src/analyze/sequential.js';
import type { Sample } from '../src/core/types.js';
import type { TrialAnalysis, Verdict } from '../src/core/types.js';
import { rate, summarizeErrors, type ErrorSummary, type Rate } from './figures.js';
import { endAboveStart, peakAboveBaseline } from './naive-gates.js';
import {
  DEFAULT_SERIES,
  describeApp,
  drawApp,
  generateRun,
  hashSeed,
  LEAK_RATES,
  measuredThroughput,
  MODELS,
  type ModelName,
} from './synthetic.js';

export interface CorpusOptions {
  seed: number;
  /** Apps drawn per model; each is run once clean and once per leak rate. */
  appsPerModel: number;
}

export const GATES = ['leakgate', 'naiveEnd', 'naivePeak'] as const;
export type GateName = (typeof GATES)[number];

export type GateRates = Record<GateName, Rate> & { inconclusive: Rate };

export interface FailureExample {
  model: ModelName;
  leakBytes: number;
  appSeed: number;
  app: string;
  verdict: Verdict;
  bytesPerRequest: number;
  ciLow: number;
  pValue: number;
  relativeGrowth: number;
  warmup: string;
  reason: string;
}

export interface CorpusResult {
  seed: number;
  appsPerModel: number;
  durationS: number;
  intervalMs: number;
  series: number;
  ms: number;
  /** Non-leaking series flagged as leaks, per model and overall. */
  falsePositives: { overall: GateRates; perModel: Record<string, GateRates> };
  /** Leaking series flagged, per leak rate, overall and per model. */
  detection: Record<string, { overall: GateRates; perModel: Record<string, GateRates> }>;
  /** Relative error of leakgate's bytes/request per leak rate, for detected series and for all. */
  error: Record<string, { detected: ErrorSummary; all: ErrorSummary }>;
  examples: { falsePositives: FailureExample[]; missedAt256: FailureExample[]; worstErrorAt1024Up: FailureExample[] };
  /**
   * The same series with early stopping (analysis.stop-early's looks every 5 s after 10 s of the 30 s, each at its
   * nominal level, anonymous memory the one signal): leaks flagged per leak rate (0 = false positives), and the
   * load time to the verdict, median and 90th percentile, seconds.
   */
  sequential: Record<string, { flagged: Rate; medianS: number; p90S: number }>;
}

/** The looks replayed on one series: the verdict and the load time at which it would have settled. */
export function sequentialVerdict(samples: readonly Sample[], durationS: number): { leak: boolean; s: number } {
  const budget = durationS * 1000;
  const plan = sequentialBoundaries(DEFAULT_ANALYSIS.alpha, lookFractions(budget, 10_000, 5000));
  let previous: LookDecision | undefined;
  for (const b of plan.slice(0, -1)) {
    const until = b.t * budget;
    const upTo = samples.filter((x) => x.t <= until);
    const last = upTo.at(-1);
    const a = analyzeTrial(upTo, { ...DEFAULT_ANALYSIS, alpha: b.nominal }, last && until > 0 ? last.requests / (until / 1000) : 0);
    const newest = newestSlope(upTo, 'anon', a.warmupEndMs);
    const seen = decideLook([{ metric: 'anon', verdict: a.verdict, estimate: a.bytesPerRequest, ciHigh: a.ciHigh, floor: DEFAULT_ANALYSIS.minBytesPerRequest, newest }]);
    const d = confirmLook(previous, seen);
    previous = seen;
    if (d.stop) return { leak: d.why === 'leak', s: until / 1000 };
  }
  const a = analyzeTrial([...samples], { ...DEFAULT_ANALYSIS, alpha: plan.at(-1)!.nominal }, measuredThroughput(samples));
  return { leak: a.verdict === 'leak', s: durationS };
}

interface Tally {
  leakgate: number;
  naiveEnd: number;
  naivePeak: number;
  inconclusive: number;
  n: number;
}

const emptyTally = (): Tally => ({ leakgate: 0, naiveEnd: 0, naivePeak: 0, inconclusive: 0, n: 0 });

function toRates(t: Tally): GateRates {
  return {
    leakgate: rate(t.leakgate, t.n),
    naiveEnd: rate(t.naiveEnd, t.n),
    naivePeak: rate(t.naivePeak, t.n),
    inconclusive: rate(t.inconclusive, t.n),
  };
}

function example(model: ModelName, leakBytes: number, appSeed: number, app: string, a: TrialAnalysis): FailureExample {
  return {
    model,
    leakBytes,
    appSeed,
    app,
    verdict: a.verdict,
    bytesPerRequest: Math.round(a.bytesPerRequest * 10) / 10,
    ciLow: Math.round(a.ciLow * 10) / 10,
    pValue: Number(a.pValue.toPrecision(2)),
    relativeGrowth: Math.round(a.relativeGrowth * 1000) / 1000,
    warmup: `${a.warmupMethod} at ${Math.round(a.warmupEndMs)} ms`,
    reason: a.reason,
  };
}

export function runCorpus(opts: CorpusOptions): CorpusResult {
  const started = performance.now();
  const rates = [0, ...LEAK_RATES];
  const tallies = new Map<string, Tally>(); // key: `${leak}/${model}` and `${leak}/all`
  const tally = (leak: number, model: string): Tally => {
    const key = `${leak}/${model}`;
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = emptyTally()));
    return t;
  };
  const errorsAll = new Map<number, number[]>(LEAK_RATES.map((l) => [l, []]));
  const errorsDetected = new Map<number, number[]>(LEAK_RATES.map((l) => [l, []]));
  const falsePositives: FailureExample[] = [];
  const missedAt256: FailureExample[] = [];
  const errorCandidates: { err: number; ex: FailureExample }[] = [];
  let series = 0;
  const seqFlags = new Map<number, number>(rates.map((l) => [l, 0]));
  const seqTimes = new Map<number, number[]>(rates.map((l) => [l, []]));

  MODELS.forEach((model, m) => {
    for (let i = 0; i < opts.appsPerModel; i++) {
      const appSeed = hashSeed(opts.seed, m, i);
      const app = drawApp(model, appSeed);
      const baseline = generateRun(app, 0, hashSeed(appSeed, 0xba5e));
      for (const leak of rates) {
        const samples = generateRun(app, leak, hashSeed(appSeed, leak + 1));
        series++;
        const a = analyzeTrial(samples, DEFAULT_ANALYSIS, measuredThroughput(samples));
        const seq = sequentialVerdict(samples, DEFAULT_SERIES.durationS);
        if (seq.leak) seqFlags.set(leak, seqFlags.get(leak)! + 1);
        seqTimes.get(leak)!.push(seq.s);
        const flags = {
          leakgate: a.verdict === 'leak',
          naiveEnd: endAboveStart(samples),
          naivePeak: peakAboveBaseline(samples, baseline),
        };
        for (const t of [tally(leak, model), tally(leak, 'all')]) {
          t.n++;
          if (flags.leakgate) t.leakgate++;
          if (flags.naiveEnd) t.naiveEnd++;
          if (flags.naivePeak) t.naivePeak++;
          if (a.verdict === 'inconclusive') t.inconclusive++;
        }
        if (leak === 0) {
          if (flags.leakgate) falsePositives.push(example(model, leak, appSeed, describeApp(app), a));
          continue;
        }
        const err = (a.bytesPerRequest - leak) / leak;
        errorsAll.get(leak)!.push(err);
        if (flags.leakgate) errorsDetected.get(leak)!.push(err);
        if (leak === 256 && !flags.leakgate) missedAt256.push(example(model, leak, appSeed, describeApp(app), a));
        if (leak >= 1024 && flags.leakgate) errorCandidates.push({ err, ex: example(model, leak, appSeed, describeApp(app), a) });
      }
    }
  });

  const byModel = (leak: number): Record<string, GateRates> =>
    Object.fromEntries(MODELS.map((model) => [model, toRates(tally(leak, model))]));
  errorCandidates.sort((x, y) => Math.abs(y.err) - Math.abs(x.err));
  return {
    seed: opts.seed,
    appsPerModel: opts.appsPerModel,
    durationS: DEFAULT_SERIES.durationS,
    intervalMs: DEFAULT_SERIES.intervalMs,
    series,
    ms: performance.now() - started,
    falsePositives: { overall: toRates(tally(0, 'all')), perModel: byModel(0) },
    detection: Object.fromEntries(LEAK_RATES.map((l) => [String(l), { overall: toRates(tally(l, 'all')), perModel: byModel(l) }])),
    error: Object.fromEntries(
      LEAK_RATES.map((l) => [String(l), { detected: summarizeErrors(errorsDetected.get(l)!), all: summarizeErrors(errorsAll.get(l)!) }]),
    ),
    sequential: Object.fromEntries(
      rates.map((l) => {
        const times = [...seqTimes.get(l)!].sort((x, y) => x - y);
        return [String(l), { flagged: rate(seqFlags.get(l)!, times.length), medianS: times[Math.floor(times.length / 2)] ?? NaN, p90S: times[Math.min(times.length - 1, Math.floor(0.9 * times.length))] ?? NaN }];
      }),
    ),
    examples: {
      falsePositives,
      missedAt256,
      worstErrorAt1024Up: errorCandidates.slice(0, 10).map(({ ex }) => ex),
    },
  };
}
