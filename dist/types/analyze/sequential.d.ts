/** The information fraction of each look, ascending, the last being 1 (the full budget). */
export declare function lookFractions(durationMs: number, minLoadMs: number, everyMs: number): number[];
/** Lan-DeMets O'Brien-Fleming-type spending: the share of one-sided alpha spent by information fraction t. */
export declare function obrienFlemingSpent(alpha: number, t: number): number;
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
    ciHigh: number;
    floor: number;
}
/**
 * The decision at a look whose signals were analysed at the look's nominal level, `signals` cleanest first (the
 * after-GC heap before anonymous memory). Stop for a leak when the cleanest conclusive signal leaks: anonymous
 * memory of a fresh runtime climbs for tens of seconds as the heap expands, and a look in that climb must not cut
 * the load short while the heap after GC says no leak (the final analysis still weighs every signal). Stop for no
 * leak when every signal is conclusive and clear below its floor (and below `cap`, the highest slope that would not
 * be a regression against the baseline, when there is one). Else go on.
 */
export declare function decideLook(signals: readonly LookSignal[], cap?: number): LookDecision;
