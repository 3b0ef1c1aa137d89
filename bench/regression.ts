// Regression figures on the synthetic corpus: the same app measured as "baseline" (3 trials) and as
// "head" (3 new trials), compared with compareWithBaseline. Same code on both sides gives the false
// regression rate; head = baseline + 256 B/req gives the detection rate. The naive peak gate
// ("head peak above baseline peak by more than 10%") is scored on the same pairs.
import { analyzeTrial, DEFAULT_ANALYSIS } from '../src/analyze/index.js';
import { compareWithBaseline, DEFAULT_COMPARE } from '../src/compare/index.js';
import type { Report, Sample, TrialReport } from '../src/core/types.js';
import { rate, type Rate } from './figures.js';
import { drawApp, generateRun, hashSeed, measuredThroughput, MODELS } from './synthetic.js';

export interface RegressionResult {
  pairs: number;
  trialsPerSide: number;
  falseRegression: { leakgate: Rate; naivePeak: Rate };
  detection256: { leakgate: Rate; naivePeak: Rate };
  ms: number;
}

const TRIALS = 3;

function trial(samples: Sample[], index: number): TrialReport {
  const throughput = measuredThroughput(samples);
  const analysis = analyzeTrial(samples, DEFAULT_ANALYSIS, throughput);
  const requests = samples[samples.length - 1]?.requests ?? 0;
  return {
    index,
    startedAt: '',
    samples,
    load: { tool: 'synthetic', requests, ok: requests, non2xx: 0, errors: 0, timeouts: 0, durationMs: 30_000, throughput, latency: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 } },
    exit: { code: 0, signal: null, early: false },
    analysis,
    outputTail: [],
  };
}

function trials(app: ReturnType<typeof drawApp>, leak: number, seed: number): TrialReport[] {
  return Array.from({ length: TRIALS }, (_, i) => trial(generateRun(app, leak, hashSeed(seed, i)), i));
}

function asReport(ts: TrialReport[]): Report {
  return { schemaVersion: 1, tool: { name: 'leakgate', version: 'bench' }, name: 'bench', createdAt: '', trials: ts, error: null } as unknown as Report;
}

function peak(ts: TrialReport[]): number {
  return Math.max(...ts.map((t) => t.analysis.peakBytes));
}

export function runRegression(seed: number, appsPerModel: number): RegressionResult {
  const started = performance.now();
  let pairs = 0;
  const hits = { fr: 0, frNaive: 0, det: 0, detNaive: 0 };
  MODELS.forEach((model, m) => {
    for (let i = 0; i < appsPerModel; i++) {
      const appSeed = hashSeed(seed, m, i, 0x7e9);
      const app = drawApp(model, appSeed);
      // A baseline that leaks a little already (0 or 64 B/req), as real baselines do.
      const baseLeak = i % 2 === 0 ? 0 : 64;
      const base = trials(app, baseLeak, hashSeed(appSeed, 1));
      const same = trials(app, baseLeak, hashSeed(appSeed, 2));
      const worse = trials(app, baseLeak + 256, hashSeed(appSeed, 3));
      const baseline = [asReport(base)];
      pairs++;
      if (compareWithBaseline(same, baseline, DEFAULT_COMPARE).slope.verdict === 'regression') hits.fr++;
      if (compareWithBaseline(worse, baseline, DEFAULT_COMPARE).slope.verdict === 'regression') hits.det++;
      if (peak(same) > 1.1 * peak(base)) hits.frNaive++;
      if (peak(worse) > 1.1 * peak(base)) hits.detNaive++;
    }
  });
  return {
    pairs,
    trialsPerSide: TRIALS,
    falseRegression: { leakgate: rate(hits.fr, pairs), naivePeak: rate(hits.frNaive, pairs) },
    detection256: { leakgate: rate(hits.det, pairs), naivePeak: rate(hits.detNaive, pairs) },
    ms: performance.now() - started,
  };
}
