// The gates people write by hand, to score leakgate against: (a) memory at the end is more than
// 10% above memory at the start; (b) the run's peak is more than 10% above a baseline run's peak.

import type { SampledMetric, Sample } from '../src/core/types.js';

export const NAIVE_THRESHOLD = 0.1;

function loaded(samples: readonly Sample[]): Sample[] {
  return samples.filter((s) => s.t >= 0);
}

/** (a) Leak when the last sample exceeds the first by more than 10%. */
export function endAboveStart(samples: readonly Sample[], metric: SampledMetric = 'anon'): boolean {
  const run = loaded(samples);
  if (run.length < 2) return false;
  return run[run.length - 1]!.total[metric] > run[0]!.total[metric] * (1 + NAIVE_THRESHOLD);
}

export function peak(samples: readonly Sample[], metric: SampledMetric = 'anon'): number {
  let max = 0;
  for (const s of loaded(samples)) max = Math.max(max, s.total[metric]);
  return max;
}

/** (b) Leak when this run's peak exceeds the baseline run's peak by more than 10%. */
export function peakAboveBaseline(samples: readonly Sample[], baseline: readonly Sample[], metric: SampledMetric = 'anon'): boolean {
  return peak(samples, metric) > peak(baseline, metric) * (1 + NAIVE_THRESHOLD);
}
