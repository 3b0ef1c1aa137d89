import type { Point } from './query-range.js';
export interface SegmentOptions {
    /** The query's step, milliseconds. */
    stepMs: number;
    /** A fall by more than this share of the previous value, to below the segment's lowest value so far, is a restart. */
    restartDrop: number;
    /** A gap longer than this many steps is reported. */
    gapSteps: number;
}
export declare const DEFAULT_SEGMENT: Omit<SegmentOptions, 'stepMs'>;
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
export declare function segmentSeries(points: readonly Point[], opts: SegmentOptions): Segmented;
