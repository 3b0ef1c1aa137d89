// Splits one series into the stretches a single process lived through. A memory series that falls steeply to below
// everything its current stretch had shown is a restarted process (a pod or container restart: Prometheus keeps the
// labels, the value starts again low), so a new segment starts there and the drop is never read as memory freed.
// Gaps (missed scrapes, a target down: Prometheus's staleness markers leave no points) longer than a few steps are
// reported; a gap alone does not split a segment. Pure.
import type { Point } from './query-range.js';

export interface SegmentOptions {
  /** The query's step, milliseconds. */
  stepMs: number;
  /** A fall by more than this share of the previous value, to below the segment's lowest value so far, is a restart. */
  restartDrop: number;
  /** A gap longer than this many steps is reported. */
  gapSteps: number;
}

export const DEFAULT_SEGMENT: Omit<SegmentOptions, 'stepMs'> = { restartDrop: 0.2, gapSteps: 3 };

export interface Gap {
  /** Unix milliseconds of the last point before and the first point after the gap. */
  fromMs: number;
  toMs: number;
  /** Steps with no point. */
  missingSteps: number;
}

export interface Restart {
  atMs: number;
  /** The value before and after the fall. */
  fromValue: number;
  toValue: number;
}

export interface Segmented {
  segments: Point[][];
  gaps: Gap[];
  restarts: Restart[];
}

export function segmentSeries(points: readonly Point[], opts: SegmentOptions): Segmented {
  const segments: Point[][] = [];
  const gaps: Gap[] = [];
  const restarts: Restart[] = [];
  let current: Point[] = [];
  let lowest = Infinity;
  for (const p of points) {
    const prev = current[current.length - 1];
    if (prev) {
      const dt = p.t - prev.t;
      if (dt > opts.gapSteps * opts.stepMs) gaps.push({ fromMs: prev.t, toMs: p.t, missingSteps: Math.round(dt / opts.stepMs) - 1 });
      if (p.v < (1 - opts.restartDrop) * prev.v && p.v < lowest) {
        restarts.push({ atMs: p.t, fromValue: prev.v, toValue: p.v });
        segments.push(current);
        current = [];
        lowest = Infinity;
      }
    }
    current.push(p);
    lowest = Math.min(lowest, p.v);
  }
  if (current.length > 0) segments.push(current);
  return { segments, gaps, restarts };
}
