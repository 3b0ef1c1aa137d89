// Stopping the load early without paying for it in false positives: a group-sequential design over the trial.
//
// The load is re-analysed at checkpoints (looks) after a minimum load time. Looking repeatedly at a growing data
// set and stopping at the first significant look inflates the false-positive rate far above alpha, unless each
// look is tested at a stricter nominal level. We use alpha spending (Lan & DeMets 1983, "Discrete sequential
// boundaries for clinical trials") with the Hwang-Shih-DeCani family (1990)
//     alpha(t) = alpha * (1 - exp(-gamma * t)) / (1 - exp(-gamma)),   t = information fraction (share of the budget),
// at gamma = -2. O'Brien-Fleming-type spending (gamma near -4) was measured first and could not stop a leak at the
// first look: it spends 8e-6 of alpha 0.01 at 10 s of 30 s, and the after-GC heap, read once a second, has 7 to 9
// readings after the warm-up by then, whose trend test (Mann-Kendall) cannot go below about 4e-4 however steep the
// rise. At gamma = -2 the first look gets 1.5e-3 (7.4e-4 for the first of two signals under Holm), within reach of
// 8 rising readings, and the last look keeps a third of alpha. Pocock-type spending (gamma = 1) would stop sooner
// still but leave the full-budget run a tenth of alpha, where the close cases are decided. A sequential probability
// ratio test was the alternative: it needs a likelihood for the alternative (a leak size) and independent
// observations, neither of which a robust trend over an autocorrelated memory series offers.
//
// Each look is tested at the alpha spent since the look before: nominal_k = alpha(t_k) - alpha(t_{k-1}). By the
// union bound the chance of any false stop is at most the sum, alpha, whatever the correlation between the looks.
// The exact group-sequential boundaries (which assume the looks' statistics are a Brownian motion in information
// time, nested data) would give the last look a level near alpha; but our looks are not nested that way: each one
// re-estimates the warm-up end and the robust series' windows. Measured on AR(1) null series analysed at 10, 15,
// 20, 25 and 30 s: exact boundaries gave 8.7% false positives at a nominal 5% (26 of 300) where the union bound's
// levels stay below alpha. A look stops for a leak when the cleanest signal is conclusive and leaks at its nominal
// level (with the floors as always) at this look and the one before (confirmLook), and its newest readings still grow
// at HOLD_RATIO of its slope (newestSlope: a cache that has just filled does not); it stops for no leak (futility)
// when the cleanest signal's interval lies below its floor and no other signal's estimate reaches its own. Stopping
// for futility can only lower the false-positive rate; what it costs in detection the benchmark measures.
//
// What no rule here can do: tell a leak from a cache still filling at the look. Both grow linearly per request, and
// the synthetic corpus's caches fill until 13.5 s of 30. Looks from 7.5 s every 2.5 s would give leaks of 256 B/req
// a median verdict at 10 s, and flag 9.2% of the clean series (from 10 s every 5 s: 15 s and 0.95%).

import type { Sample, SampledMetric } from '../core/types.js';
import { robustSeries } from './robust-series.js';
import { mannKendall, normalCdf, normalQuantile, theilSen } from './stats.js';

/** The information fraction of each look, ascending, the last being 1 (the full budget). */
export function lookFractions(durationMs: number, minLoadMs: number, everyMs: number): number[] {
  const looks: number[] = [];
  if (durationMs <= 0) return [1];
  for (let t = Math.max(minLoadMs, everyMs); t < durationMs - everyMs / 2; t += everyMs) looks.push(t / durationMs);
  looks.push(1);
  return looks;
}

/** Lan-DeMets O'Brien-Fleming-type spending: the share of one-sided alpha spent by information fraction t. */
export function obrienFlemingSpent(alpha: number, t: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  return 2 - 2 * normalCdf(normalQuantile(1 - alpha / 2) / Math.sqrt(t));
}

/** Spending's gamma (Hwang-Shih-DeCani): see the head of this file for why -2. */
export const SPENDING_GAMMA = -2;

/** Hwang-Shih-DeCani spending: the share of one-sided alpha spent by information fraction t. */
export function hwangShihDeCaniSpent(alpha: number, t: number, gamma: number = SPENDING_GAMMA): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  if (gamma === 0) return alpha * t;
  return (alpha * (1 - Math.exp(-gamma * t))) / (1 - Math.exp(-gamma));
}

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
export function sequentialBoundaries(alpha: number, looks: readonly number[]): SequentialBoundary[] {
  let before = 0;
  return looks.map((t, k) => {
    const spent = k === looks.length - 1 ? alpha : hwangShihDeCaniSpent(alpha, t);
    const nominal = Math.max(spent - before, Number.MIN_VALUE);
    before = spent;
    return { t, spent, z: normalQuantile(1 - nominal), nominal };
  });
}

/** What one look decided. */
export type LookDecision = { stop: false } | { stop: true; why: 'leak' | 'no-leak' };

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
export const HOLD_SHARE = 0.25;
/** Fewest samples the newest share is widened to: sparse readings (the heap after GC, once a second) need it. */
export const HOLD_MIN_SAMPLES = 5;
/**
 * How much of the whole window's slope the newest share must keep. 0.6 flagged 1.00% of the synthetic corpus's clean
 * series and one of 20 node-plateau runs (its cache filled at ~15 s: at the look at 15 s the newest quarter still grew
 * at 70% of the window's slope); 0.75 flags 0.95% and none, and settles Express leaks of 64-189 B/req 0-10 s later.
 */
export const HOLD_RATIO = 0.75;

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
export function newestSlope(
  samples: readonly Sample[],
  field: SampledMetric,
  fromMs: number,
  opts: { minWindow?: number; per?: 'request' | 'second'; share?: number; minSamples?: number } = {},
): number | null {
  const running = samples.filter((s) => s.t >= fromMs);
  const last = running.at(-1);
  if (!last) return null;
  const share = opts.share ?? HOLD_SHARE;
  const minSamples = opts.minSamples ?? HOLD_MIN_SAMPLES;
  // The newest share of the window, widened to its last minSamples samples where the share holds fewer.
  const start = Math.min(fromMs + (1 - share) * (last.t - fromMs), running[Math.max(0, running.length - minSamples)]!.t);
  const newest = running.filter((s) => s.t >= start).map((s) => (opts.per === 'second' ? { ...s, requests: s.t / 1000 } : s));
  const series = robustSeries(newest, { metric: field, minWindow: opts.minWindow ?? (newest.length >= 24 ? 3 : 1) });
  if (series.y.length < 4) return null;
  const ts = theilSen(series.x, series.y, 0.95, mannKendall(series.y).varS);
  return Number.isFinite(ts.slope) ? ts.slope : null;
}

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
export function decideLook(signals: readonly LookSignal[], cap: number = Number.POSITIVE_INFINITY): LookDecision {
  const [cleanest, ...others] = signals;
  if (!cleanest) return { stop: false };
  if (cleanest.verdict === 'leak') return cleanest.newest !== null && cleanest.newest >= HOLD_RATIO * cleanest.estimate ? { stop: true, why: 'leak' } : { stop: false };
  if (cleanest.verdict !== 'no-leak' || !(cleanest.ciHigh < Math.min(cleanest.floor, cap))) return { stop: false };
  if (others.every((s) => s.aside === true || (s.verdict !== 'leak' && s.estimate < Math.min(s.floor, cap)))) return { stop: true, why: 'no-leak' };
  return { stop: false };
}

/**
 * A leak stops the load only when the look before also found one (no-leak stops at once): the looks' growth must
 * hold across a checkpoint. A bounded cache still filling or a warm-up still climbing at the first look is what an
 * early stop gets wrong; on the synthetic corpus (caches filling over up to 45% of a 30 s run) single-look stops
 * flagged 16% of 2,100 clean series, confirmed ones 4.6%, and confirmed ones whose newest readings hold their slope
 * (decideLook) 0.95% (fixed duration: 0.71%), at 5 s more load for a leak. Two crossings in a row are a subset of
 * "some look crossed", so the false-positive bound is unchanged.
 */
export function confirmLook(previous: LookDecision | undefined, now: LookDecision): LookDecision {
  if (now.stop && now.why === 'leak' && !(previous?.stop && previous.why === 'leak')) return { stop: false };
  return now;
}
