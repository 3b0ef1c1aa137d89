import type { Report } from '../core/types.js';
export interface TerminalSummaryOptions {
    color: boolean;
}
export interface ProgressInfo {
    /** 1-based. */
    trial: number;
    trials: number;
    elapsedMs: number;
    durationMs: number;
    requests: number;
    memoryBytes: number;
    metric: string;
    /** The running estimate at the last early-stopping look. */
    estimate?: {
        metric: string;
        bytesPerRequest: number;
        ciLow: number;
        ciHigh: number;
    };
}
/** A compact, aligned summary of a report for the terminal. */
export declare function renderTerminalSummary(report: Report, opts: TerminalSummaryOptions): string;
/** One progress line while a trial runs: `trial 1/3  12.0s/30s  54,321 req  anon 48.2 MiB`. */
export declare function renderProgressLine(p: ProgressInfo): string;
export interface TrialChartOptions {
    /** Plain ASCII instead of box and dot characters (not a TTY, NO_COLOR). */
    ascii: boolean;
    width?: number;
    height?: number;
}
/**
 * A text plot per trial of memory against requests served, with the warm-up end and the fitted trend marked; empty
 * when no trial has samples enough to draw.
 */
export declare function renderTrialCharts(report: Report, opts: TrialChartOptions): string;
