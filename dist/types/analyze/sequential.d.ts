import type { Sample, SampledMetric } from '../core/types.js';
/** The information fraction of each look, ascending, the last being 1 (the full budget). */
export declare function lookFractions(durationMs: number, minLoadMs: number, everyMs: number): number[];
/** Lan-DeMets O'Brien-Fleming-type spending: the share of one-sided alpha spent by information fraction t. */
export declare function obrienFlemingSpent(alpha: number, t: number): number;
/** Spending's gamma (Hwang-Shih-DeCani): see the head of this file for why -2. */
export declare const SPENDING_GAMMA = -2;
/** Hwang-Shih-DeCani spending: the share of one-sided alpha spent by information fraction t. */
export declare function hwangShihDeCaniSpent(alpha: number, t: number, gamma?: number): number;
export interface SequentialBoundary {
    /** Information fraction of the look. */
    t: number;
    /** Cumulative alpha spent by this look. */
    spent: number;
    /** The standardised trend statistic's critical value at this look. */
    z: number;
    /** The same as a one-sided p-value: the look's nominal significance level. */
    nominal: number;
}
/**
 * The nominal levels of the looks at information fractions `looks` (ascending, the last 1) for one-sided `alpha`:
 * the alpha spent since the look before. One look is a fixed-length test: its level is alpha.
 */
export declare function sequentialBoundaries(alpha: number, looks: readonly number[]): SequentialBoundary[];
/** What one look decided. */
export type LookDecision = {
    stop: false;
} | {
    stop: true;
    why: 'leak' | 'no-leak';
};
/** One signal's figures at a look, and its practical floor. */
export interface LookSignal {
    metric: string;
    verdict: string;
    /** The slope's point estimate. */
    estimate: number;
    ciHigh: number;
    floor: number;
    /**
     * The slope over the newest readings of the window after the warm-up (newestSlope), in the estimate's units; null
     * when too few readings fall there to fit one. A leak stop needs it to hold up (HOLD_RATIO of the estimate).
     */
    newest: number | null;
    /**
     * Stands aside for the cleanest signal, which covers it and is conclusive (anonymous memory under a read heap):
     * the final verdict does not weigh it, so neither does futility.
     */
    aside?: boolean;
}
/** The newest share of the window after the warm-up whose slope must hold up for a look to stop for a leak. */
export declare const HOLD_SHARE = 0.25;
/** Fewest samples the newest share is widened to: sparse readings (the heap after GC, once a second) need it. */
export declare const HOLD_MIN_SAMPLES = 5;
/**
 * How much of the whole window's slope the newest share must keep. 0.6 flagged 1.00% of the synthetic corpus's clean
 * series and one of 20 node-plateau runs (its cache filled at ~15 s: at the look at 15 s the newest quarter still grew
 * at 70% of the window's slope); 0.75 flags 0.95% and none, and settles Express leaks of 64-189 B/req 0-10 s later.
 */
export declare const HOLD_RATIO = 0.75;
/**
 * The slope of `field` over the newest HOLD_SHARE of the samples after `fromMs` (the warm-up's end), widened to the
 * last HOLD_MIN_SAMPLES samples: Theil-Sen over the robust floor series (windows of 3 samples where 24 or more fall
 * there, else each sample a point; `minWindow` when given), per request, or per second of load with
 * `per: 'second'`. Null when fewer than 4 points fall there.
 *
 * Why: a bounded cache still filling grows exactly like a leak, and at a look 10-15 s into the load some are still
 * filling (the synthetic corpus draws caches filling over 10-45% of a 30 s run; node-plateau's 50,000 entries filled
 * at 4 to 13 s on this machine, with its throughput). Once it is full its growth stops, and the newest readings say
 * so before the whole window's trend does: at the look after a cache filled at 13.5 s, the window from the warm-up
 * still rises significantly while its newest quarter is flat. A leak keeps its slope in every part of the window.
 */
export declare function newestSlope(samples: readonly Sample[], field: SampledMetric, fromMs: number, opts?: {
    minWindow?: number;
    per?: 'request' | 'second';
    share?: number;
    minSamples?: number;
}): number | null;
/**
 * The decision at a look whose signals were analysed at the look's nominal level, `signals` cleanest first (the
 * after-GC heap before anonymous memory). Only the cleanest signal can stop the load: while it is inconclusive
 * (too few after-GC readings yet) the look goes on, for anonymous memory of a fresh runtime climbs for tens of
 * seconds as the heap expands, and a look in that climb must not cut the load short (the final analysis still
 * weighs every signal, so a leak only anon shows is caught at the end). Stop for a leak when the cleanest signal
 * leaks and its newest readings keep growing at HOLD_RATIO of its slope or more (a filled cache's do not). Stop for no leak when its interval lies below its floor and every other signal's estimate below its own
 * (all below `cap`, the highest slope that would not be a regression against the baseline, when there is one);
 * a leak some signal already shows, even short of significance, keeps the load going. Else go on.
 */
export declare function decideLook(signals: readonly LookSignal[], cap?: number): LookDecision;
/**
 * A leak stops the load only when the look before also found one (no-leak stops at once): the looks' growth must
 * hold across a checkpoint. A bounded cache still filling or a warm-up still climbing at the first look is what an
 * early stop gets wrong; on the synthetic corpus (caches filling over up to 45% of a 30 s run) single-look stops
 * flagged 16% of 2,100 clean series, confirmed ones 4.6%, and confirmed ones whose newest readings hold their slope
 * (decideLook) 0.95% (fixed duration: 0.71%), at 5 s more load for a leak. Two crossings in a row are a subset of
 * "some look crossed", so the false-positive bound is unchanged.
 */
export declare function confirmLook(previous: LookDecision | undefined, now: LookDecision): LookDecision;
