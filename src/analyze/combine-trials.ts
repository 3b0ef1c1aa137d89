// Combines the per-trial analyses of one run into the run's verdict. Deliberately simple for now:
// a majority vote of the conclusive trials, and medians of their figures.

import type { CombinedAnalysis, TrialAnalysis, Verdict } from '../core/types.js';
import { median } from './stats.js';

export type { CombinedAnalysis };

/**
 * Inconclusive when no trial is; a leak when more than half of the conclusive trials leak;
 * otherwise no leak. Figures are medians over the conclusive trials (over all trials when none is
 * conclusive), which one odd trial cannot drag.
 */
export function combineTrials(analyses: TrialAnalysis[]): CombinedAnalysis {
  const conclusive = analyses.filter((a) => a.verdict === 'leak' || a.verdict === 'no-leak');
  const leaking = conclusive.filter((a) => a.verdict === 'leak').length;
  const pool = conclusive.length > 0 ? conclusive : analyses;
  const figures = {
    bytesPerRequest: median(pool.map((a) => a.bytesPerRequest)),
    ciLow: median(pool.map((a) => a.ciLow)),
    ciHigh: median(pool.map((a) => a.ciHigh)),
    pValue: pool.length > 0 ? median(pool.map((a) => a.pValue)) : 1,
    trialsLeaking: leaking,
    trialsConclusive: conclusive.length,
  };
  // Out of memory in any trial settles the run: the app died of the memory it kept.
  const died = analyses.filter((a) => a.verdict === 'oom');
  if (died.length > 0) {
    return { verdict: 'oom', ...figures, reason: `${died.length} of ${analyses.length} trial${analyses.length === 1 ? '' : 's'} died of out-of-memory (${died[0]!.reason})` };
  }
  if (conclusive.length === 0) {
    const why = analyses.length === 0 ? 'no trial was analysed' : `no trial was conclusive (${analyses[0]!.reason})`;
    return { verdict: 'inconclusive', ...figures, reason: why };
  }
  const of = `${leaking} of ${conclusive.length} conclusive trial${conclusive.length === 1 ? '' : 's'}`;
  if (leaking * 2 > conclusive.length) {
    return { verdict: 'leak', ...figures, reason: `${of} leak (median ${Math.round(figures.bytesPerRequest)} B/req)` };
  }
  return { verdict: 'no-leak', ...figures, reason: `${of} leak, not more than half` };
}
