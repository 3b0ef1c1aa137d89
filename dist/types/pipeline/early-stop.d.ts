import { type LookSignal, type SequentialBoundary } from '../analyze/sequential.js';
import type { Config } from '../config/config.js';
import type { MetricName, Sample, StoppingLook, StoppingRecord, TrialAnalysis } from '../core/types.js';
import type { TrialEvidence } from '../probes/evidence.js';
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
export declare function dataAtStop(samples: Sample[], evidence: TrialEvidence, stoppedAtMs: number): {
    samples: Sample[];
    evidence: TrialEvidence;
};
/** The plan's boundaries for this config, or null when early stopping does not apply. */
export declare function stoppingPlan(config: Config, budgetMs: number): SequentialBoundary[] | null;
/** A floor per signal, as the analysis holds it (per second over time). */
export declare function floorOf(config: Config, metric: MetricName, overTime: boolean): number;
/** The after-GC heap first: the signal whose leak at a look settles the verdict. */
export declare function cleanestFirst<T extends {
    metric: MetricName;
}>(signals: readonly T[]): T[];
/**
 * A look's signals, cleanest first, each with its floor and the slope of its newest readings: what decideLook weighs.
 * `samples` and `evidence` are the data the look analysed.
 */
export declare function lookSignals(config: Config, analysis: TrialAnalysis, overTime: boolean, samples: Sample[], evidence: TrialEvidence): LookSignal[];
export declare function startEarlyStopper(config: Config, budgetMs: number, plan: SequentialBoundary[], deps: EarlyStopDeps): EarlyStopper;
