import type { MetricName, Sample, SignalAnalysis, TrialAnalysis, Verdict } from '../core/types.js';
import { type GcMethod } from './force-gc.js';
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
/** Resolved options: every default filled in. */
export declare function resolveOptions(o?: MeasureLeakOptions): Required<Omit<MeasureLeakOptions, 'iterations'>> & {
    iterations: number | null;
};
/** Runs `fn` (sync or async) and tells whether it leaks. */
export declare function measureLeak(fn: LeakFn, options?: MeasureLeakOptions): Promise<LeakResult>;
