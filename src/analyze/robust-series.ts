// Turns raw memory samples into the series the trend tests run on. A garbage-collected heap saws up
// and down; what a leak moves is the floor the heap returns to after each collection. So the
// samples are split into consecutive windows and each window contributes its minimum.

import type { SampledMetric, Sample } from '../core/types.js';

export interface RobustSeriesOptions {
  metric: SampledMetric;
  /** Windows to aim for; more points give the tests more power (default 30). */
  targetWindows?: number;
  /** Fewest samples per window, so each floor is a minimum over something (default 3). */
  minWindow?: number;
}

export interface RobustSeries {
  /** Requests served at the sample holding each window's floor. */
  x: number[];
  /** The floor (minimum) of the metric in each window, bytes. */
  y: number[];
  /** Index, within the samples passed in, of the sample each point came from. */
  index: number[];
  /** Samples per window (windows differ by at most one sample). */
  windowSize: number;
}

export const DEFAULT_TARGET_WINDOWS = 30;
export const DEFAULT_MIN_WINDOW = 3;

/**
 * Samples per window: n/targetWindows, but never below minWindow. With the default 250 ms
 * sampling and a 30 s run that is 3 samples (0.75 s) per window and ~30 points after warm-up;
 * longer runs get longer windows, which also span longer GC cycles.
 */
export function robustWindowSize(sampleCount: number, options: Omit<RobustSeriesOptions, 'metric'> = {}): number {
  const target = Math.max(1, options.targetWindows ?? DEFAULT_TARGET_WINDOWS);
  const minWindow = Math.max(1, options.minWindow ?? DEFAULT_MIN_WINDOW);
  return Math.max(minWindow, Math.floor(sampleCount / target));
}

/**
 * Per-window floor series. x is the request count at the very sample that holds the minimum
 * (first one on ties), not the window's median: the point is then a real observation of
 * memory-versus-requests, so a floor that sits at a window's edge (a collection just before the
 * window ends) is not shifted by half a window, which would blur the slope.
 */
export function robustSeries(samples: readonly Sample[], options: RobustSeriesOptions): RobustSeries {
  const n = samples.length;
  const windowSize = robustWindowSize(n, options);
  const windows = Math.floor(n / windowSize);
  const series: RobustSeries = { x: [], y: [], index: [], windowSize };
  for (let w = 0; w < windows; w++) {
    // Even split: window boundaries at round(w·n/windows), so no sample is dropped.
    const start = Math.round((w * n) / windows);
    const end = Math.round(((w + 1) * n) / windows);
    const at = floorIndex(samples, start, end, options.metric);
    series.x.push(samples[at]!.requests);
    series.y.push(samples[at]!.total[options.metric]);
    series.index.push(at);
  }
  return series;
}

function floorIndex(samples: readonly Sample[], start: number, end: number, metric: SampledMetric): number {
  let best = start;
  for (let i = start + 1; i < end; i++) {
    if (samples[i]!.total[metric] < samples[best]!.total[metric]) best = i;
  }
  return best;
}
