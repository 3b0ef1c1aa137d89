// Figures 1 and 2: runs leakgate's analysis and the two naive gates over the synthetic corpus and
// scores them against the known leak rates. Pure computation, no processes.

import { performance } from 'node:perf_hooks';
import { analyzeTrial, DEFAULT_ANALYSIS } from '../src/analyze/index.js';
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

  MODELS.forEach((model, m) => {
    for (let i = 0; i < opts.appsPerModel; i++) {
      const appSeed = hashSeed(opts.seed, m, i);
      const app = drawApp(model, appSeed);
      const baseline = generateRun(app, 0, hashSeed(appSeed, 0xba5e));
      for (const leak of rates) {
        const samples = generateRun(app, leak, hashSeed(appSeed, leak + 1));
        series++;
        const a = analyzeTrial(samples, DEFAULT_ANALYSIS, measuredThroughput(samples));
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
    examples: {
      falsePositives,
      missedAt256,
      worstErrorAt1024Up: errorCandidates.slice(0, 10).map(({ ex }) => ex),
    },
  };
}
