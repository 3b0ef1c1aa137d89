// measureLeak: leak-test a function inside the test suite. It runs the function after a warm-up, forces a full GC at
// each sample point, reads the live heap and the anonymous memory of the process, and hands both series to the same
// analysis as a gate trial (warm-up trimming, robust floor series, Theil-Sen slope with its interval, Mann-Kendall,
// practical floors, Holm's correction over the signals). The x axis is iterations done, so every slope is bytes per
// iteration.
import { analyzeSignals, type SignalInput } from '../analyze/multi-signal.js';
import { analyzeTrial, DEFAULT_ANALYSIS, type AnalysisOptions } from '../analyze/analyze-trial.js';
import type { MetricName, Sample, SignalAnalysis, TrialAnalysis, Verdict } from '../core/types.js';
import { formatBytes } from '../core/units.js';
import { openForceGc, type GcMethod } from './force-gc.js';
import { readSelfMemory } from './read-self-memory.js';

export interface MeasureLeakOptions {
  /** Iterations to measure after the warm-up; when unset the run lasts `durationMs`. */
  iterations?: number;
  /** How long to run the function when `iterations` is unset, ms (GC time not included). Default 1500. */
  durationMs?: number;
  /** Warm-up before the first sample point, ms: JIT, inline caches and lazy module state settle. Default 300. */
  warmupMs?: number;
  /** Sample points (a forced GC and a reading each). Default 30. */
  samples?: number;
  /** Practical floor of the live heap: a leak must grow it by more than this, bytes per iteration. Default 8. */
  maxBytesPerIteration?: number;
  /** Practical floor of anonymous memory, bytes per iteration. Default 64, or 8 x maxBytesPerIteration. */
  maxAnonBytesPerIteration?: number;
  /** Significance level of the family of tests (Holm-corrected over the signals). Default 0.01. */
  alpha?: number;
  /** Fewest warm-up iterations (JIT tiers and lazy state of slow calls settle over thousands), within 4 x warmupMs. Default 1000. */
  minWarmupIterations?: number;
  /** Practical floor of total growth of the live heap over the analysed window, bytes: below it a slow function's
   * few iterations cannot tell a leak from the runtime's own lazy growth. Default 256 KiB (1 MiB for anon). */
  minGrowthBytes?: number;
  /** Fewest iterations measured for a conclusive verdict. Default 100. */
  minIterations?: number;
  /** The signals that decide. Default both where /proc exists: ['heap', 'anon']. */
  signals?: ReadonlyArray<'heap' | 'anon'>;
}

export interface LeakSeries {
  /** Live heap after GC (heapUsed + external), its figure in `total.anon`. */
  heap: Sample[];
  /** Anonymous memory of the process after GC; empty where there is no /proc. */
  anon: Sample[];
}

export interface LeakResult {
  verdict: Verdict;
  /** Why, in words (the deciding signal's reason; slopes in the reason read per request: per iteration here). */
  reason: string;
  /** The deciding signal ('heap' or 'anon'). */
  metric: MetricName;
  bytesPerIteration: number;
  ciLow: number;
  ciHigh: number;
  confidence: number;
  pValue: number;
  /** The floor the deciding signal was held to, bytes per iteration. */
  floorBytesPerIteration: number;
  /** Every signal's analysis (bytesPerRequest there is per iteration). */
  signals: SignalAnalysis[];
  leakingSignals: MetricName[];
  /** The deciding signal's analysis, the same shape as a gate trial's. */
  analysis: TrialAnalysis;
  series: LeakSeries;
  gc: GcMethod;
  iterations: number;
  warmupIterations: number;
  elapsedMs: number;
}

export type LeakFn = () => unknown;

const DEFAULTS = { durationMs: 1500, warmupMs: 300, samples: 30, maxBytesPerIteration: 8, alpha: 0.01, minIterations: 100, minWarmupIterations: 1000, minGrowthBytes: 256 * 1024 };

/** Resolved options: every default filled in. */
export function resolveOptions(o: MeasureLeakOptions = {}): Required<Omit<MeasureLeakOptions, 'iterations'>> & { iterations: number | null } {
  const maxBytesPerIteration = o.maxBytesPerIteration ?? DEFAULTS.maxBytesPerIteration;
  const r = {
    iterations: o.iterations ?? null,
    durationMs: o.durationMs ?? DEFAULTS.durationMs,
    warmupMs: o.warmupMs ?? DEFAULTS.warmupMs,
    samples: o.samples ?? DEFAULTS.samples,
    maxBytesPerIteration,
    maxAnonBytesPerIteration: o.maxAnonBytesPerIteration ?? Math.max(64, 8 * maxBytesPerIteration),
    alpha: o.alpha ?? DEFAULTS.alpha,
    minIterations: o.minIterations ?? DEFAULTS.minIterations,
    minWarmupIterations: o.minWarmupIterations ?? DEFAULTS.minWarmupIterations,
    minGrowthBytes: o.minGrowthBytes ?? DEFAULTS.minGrowthBytes,
    signals: o.signals ?? ['heap', 'anon'],
  };
  const positive = (key: string, v: number | null, min: number): void => {
    if (v !== null && !(Number.isFinite(v) && v >= min)) throw new RangeError(`measureLeak: option '${key}' must be a number >= ${min}, got ${String(v)}`);
  };
  positive('iterations', r.iterations, 1);
  positive('durationMs', r.durationMs, 1);
  positive('warmupMs', r.warmupMs, 0);
  positive('samples', r.samples, 12);
  positive('maxBytesPerIteration', r.maxBytesPerIteration, 0);
  positive('maxAnonBytesPerIteration', r.maxAnonBytesPerIteration, 0);
  positive('minIterations', r.minIterations, 0);
  positive('minWarmupIterations', r.minWarmupIterations, 0);
  positive('minGrowthBytes', r.minGrowthBytes, 0);
  if (!(r.alpha > 0 && r.alpha < 1)) throw new RangeError(`measureLeak: option 'alpha' must be between 0 and 1, got ${String(r.alpha)}`);
  if (r.signals.length === 0 || r.signals.some((s) => s !== 'heap' && s !== 'anon')) {
    throw new RangeError(`measureLeak: option 'signals' must list 'heap' and/or 'anon', got ${JSON.stringify(r.signals)}`);
  }
  return r;
}

/** Runs `fn` (sync or async) and tells whether it leaks. */
export async function measureLeak(fn: LeakFn, options: MeasureLeakOptions = {}): Promise<LeakResult> {
  if (typeof fn !== 'function') throw new TypeError(`measureLeak: expected a function, got ${typeof fn}`);
  const o = resolveOptions(options);
  const gc = openForceGc();
  const started = performance.now();
  try {
    const call = async (): Promise<void> => {
      const r = fn();
      if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') await r;
    };
    // Warm-up: run for warmupMs (at least once), which also times one iteration for the batch size.
    let warmupIterations = 0;
    const w0 = performance.now();
    do {
      await call();
      warmupIterations++;
    } while (performance.now() - w0 < o.warmupMs || (warmupIterations < o.minWarmupIterations && performance.now() - w0 < 4 * o.warmupMs));
    await gc.collect();
    const heap: Sample[] = [];
    const anon: Sample[] = [];
    let done = 0;
    let runMs = 0;
    const record = (): void => {
      const m = readSelfMemory();
      const t = runMs;
      heap.push(sample(t, done, m.heapBytes));
      if (m.anonBytes !== null) anon.push(sample(t, done, m.anonBytes));
    };
    record();
    for (let point = 1; point <= o.samples; point++) {
      const b0 = performance.now();
      if (o.iterations !== null) {
        const target = Math.round((o.iterations * point) / o.samples);
        while (done < target) {
          await call();
          done++;
        }
      } else {
        // Time-boxed batches: each point runs until its share of the duration is used.
        const until = (o.durationMs * point) / o.samples;
        do {
          await call();
          done++;
        } while (runMs + (performance.now() - b0) < until);
      }
      runMs += performance.now() - b0;
      await gc.collect();
      record();
    }
    const inputs: SignalInput[] = [];
    const heapInput: SignalInput = { metric: 'heap', samples: heap, field: 'anon', minBytesPerRequest: o.maxBytesPerIteration, analyse: growthFloor(o.minGrowthBytes) };
    if (o.signals.includes('heap')) inputs.push(heapInput);
    if (o.signals.includes('anon') && anon.length > 0) {
      inputs.push({ metric: 'anon', samples: anon, field: 'anon', minBytesPerRequest: o.maxAnonBytesPerIteration, analyse: growthFloor(4 * o.minGrowthBytes) });
    }
    if (inputs.length === 0) inputs.push(heapInput);
    const opts: AnalysisOptions = {
      ...DEFAULT_ANALYSIS,
      alpha: o.alpha,
      minRequests: o.minIterations,
      // Set per signal from minGrowthBytes (growthFloor): a share of the runner's heap would depend on the runner.
      minRelativeGrowth: 0,
    };
    const throughput = runMs > 0 ? (done * 1000) / runMs : 0;
    const result = analyzeSignals(inputs, opts, throughput, ['heap', 'anon']);
    const { alphaTested: _a, ...primary } = result.primary;
    const analysis: TrialAnalysis = { ...primary, signals: result.signals, leakingSignals: result.leaking };
    const floor = inputs.find((i) => i.metric === primary.metric)?.minBytesPerRequest ?? o.maxBytesPerIteration;
    return {
      verdict: primary.verdict,
      reason: perIteration(primary.reason, primary.metric === 'heap' ? o.minGrowthBytes : 4 * o.minGrowthBytes),
      metric: primary.metric,
      bytesPerIteration: primary.bytesPerRequest,
      ciLow: primary.ciLow,
      ciHigh: primary.ciHigh,
      confidence: primary.confidence,
      pValue: primary.pValue,
      floorBytesPerIteration: floor,
      signals: result.signals,
      leakingSignals: result.leaking,
      analysis,
      series: { heap, anon },
      gc: gc.method,
      iterations: done,
      warmupIterations,
      elapsedMs: performance.now() - started,
    };
  } finally {
    gc.close();
  }
}

/**
 * The trial's reason in this API's terms: iterations for requests, and the growth floor in bytes (minGrowthBytes) for
 * the share of the starting size it was turned into.
 */
function perIteration(reason: string, growthFloor: number): string {
  return reason
    .replaceAll('B/req', 'B/iteration')
    .replaceAll(' requests', ' iterations')
    .replace(/below the [\d.]+% floor/, `below the ${formatBytes(growthFloor)} floor (minGrowthBytes)`);
}

/**
 * The trial analysis with its relative-growth floor set to `bytes` over the signal's own starting size: the floor on
 * total growth, whatever the size of the test runner's heap.
 */
function growthFloor(bytes: number): NonNullable<SignalInput['analyse']> {
  return (samples, opts, throughput) => {
    const start = samples[0]?.total.anon ?? 0;
    return analyzeTrial(samples, { ...opts, minRelativeGrowth: start > 0 ? bytes / start : 0 }, throughput);
  };
}

function sample(t: number, requests: number, bytes: number): Sample {
  return { t, requests, total: { anon: bytes, rss: bytes, pss: bytes, uss: bytes, swap: 0 }, processes: [] };
}
