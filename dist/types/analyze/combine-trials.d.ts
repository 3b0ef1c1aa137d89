import type { CombinedAnalysis, TrialAnalysis } from '../core/types.js';
export type { CombinedAnalysis };
/**
 * Inconclusive when no trial is; a leak when more than half of the conclusive trials leak;
 * otherwise no leak. Figures are medians over the conclusive trials (over all trials when none is
 * conclusive), which one odd trial cannot drag.
 */
export declare function combineTrials(analyses: TrialAnalysis[]): CombinedAnalysis;
