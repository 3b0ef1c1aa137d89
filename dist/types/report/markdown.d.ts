import type { Report } from '../core/types.js';
import { type WorkloadFigureKey } from './workload-figures.js';
import { type FigureKey, type FigureTable } from './format.js';
export interface MarkdownSummaryOptions {
    /** Shown in the verdict line; defaults to "leakgate · <report name>". Escaped. */
    title?: string;
}
/** Points per chart line. Mermaid draws every x label, so more than ~30 overlap at chart width. */
export declare const MAX_CHART_POINTS = 30;
/** Renders the job summary. */
export declare function renderMarkdownSummary(report: Report, opts?: MarkdownSummaryOptions): string;
/** Every signal's slope and interval, the deciding one marked: the verdict is Holm-corrected over them. */
export declare function renderSignalsMarkdown(report: Report): string;
/** Said plainly when the load could not count requests and the analysis ran over time instead. */
export declare function timeModeNote(report: Report): string | null;
/** Whether the slopes of the report are per second of load (see analyzeTrialOverTime), not per request. */
export declare function reportOverTime(report: Report): boolean;
/** A slope in the report's unit: "178 B/req", or "2,048 B/s" over time. */
export declare function formatSlope(report: Report, n: number): string;
export declare function formatSlopeInterval(report: Report, low: number, high: number): string;
/** Rows of the human figures table: format.ts's, plus the load's latency and how the load tool ended. */
export type HumanFigureKey = FigureKey | WorkloadFigureKey | 'latency' | 'loadNote';
export interface HumanFigureTable {
    columns: FigureTable['columns'];
    rows: Array<{
        key: HumanFigureKey;
        label: string;
        values: string[];
    }>;
}
/**
 * The figures table as the job summary and the terminal show it: format.ts's figures, then latency p50/p90/p99
 * and, when a load tool left one (k6's failed thresholds, an early exit), its note.
 */
export declare function humanFigures(report: Report): HumanFigureTable;
/**
 * The verdict heading and a line of context under it. The heading holds the verdict, the slope with
 * its interval and the p-value; when the app could not be measured, or no trial fitted a trend,
 * it says so instead of showing a slope of zero.
 */
export declare function renderVerdict(report: Report, title?: string): string;
/** The figures, one column per trial plus a combined one when there are several. */
export declare function renderFigureTable(report: Report): string;
interface Point {
    x: number;
    y: number;
}
/**
 * Resamples a series onto grid points: the mean of the samples in each grid point's bin (so a GC
 * sawtooth averages out instead of aliasing), or the interpolated value where a bin is empty.
 */
export declare function resampleOnGrid(points: readonly Point[], grid: readonly number[]): number[];
/**
 * Evenly spaced request counts at a "nice" step (so labels read 0, 3k, 6k, ...), at most
 * `maxPoints` of them, covering `from` to `to`. The last point may fall short of `to` by less than
 * one step: an uneven last step would misdraw, since xychart spaces categories evenly.
 */
export declare function requestGrid(from: number, to: number, maxPoints: number): number[];
/**
 * Mermaid chart(s) of memory against requests served, at most `maxPoints` per line. Trials with
 * similar request counts share one chart on a common grid; otherwise each trial gets its own.
 */
export declare function renderMemoryChart(report: Report, maxPoints?: number): string;
/** The gate's reasons as a list, when it failed. */
export declare function renderGateReasons(report: Report): string;
/** Per-process figures of each trial's last sample, as `ps` would list them. */
export declare function renderProcessDetails(report: Report): string;
/** The last lines the app printed in each trial, fenced. */
export declare function renderOutputDetails(report: Report): string;
/** Where the run happened. */
export declare function renderEnvironmentDetails(report: Report): string;
export {};
