import type { Report, TrialAnalysis, Verdict } from '../core/types.js';
/** What a figure that could not be computed (NaN) shows as. */
export declare const NOT_AVAILABLE = "n/a";
/**
 * Bytes in binary units: "512 B", "1.5 KiB", "42.0 MiB". Whole bytes below 1 KiB, one decimal
 * above; negative values keep their sign ("-1.5 KiB").
 */
export declare function formatBytes(n: number): string;
/**
 * A slope in bytes per request: "178 B/req", "1.2 KiB/req". Slopes under 10 B/req keep one decimal
 * ("0.4 B/req") because a runtime's heap growth sits there and rounding it to 0 would hide it.
 */
export declare function formatBytesPerRequest(n: number, per?: SlopeUnit | 'connection' | 'message'): string;
/** What a slope is per: a request served, a second of load (analysed over time), or a WebSocket session. */
export type SlopeUnit = 'req' | 's' | 'session';
/** The unit of a report's slopes: 's' when its trials were analysed over time, 'session' for a WebSocket load. */
export declare function reportSlopeUnit(report: Report): SlopeUnit;
/** The word for what the load counts, by slope unit: "request", "session" (and "second" over time). */
export declare const UNIT_WORDS: Record<SlopeUnit, {
    one: string;
    many: string;
}>;
/**
 * A p-value: "< 0.0001" below that, four decimals below 0.1 ("0.0123", trailing zeros dropped:
 * "0.05"), two decimals above ("0.42").
 */
export declare function formatPValue(p: number): string;
/** A count rounded to a whole number, with comma thousands separators: "54,321". */
export declare function formatCount(n: number): string;
/**
 * A count in few characters, for chart labels: "950", "2.5k", "23.7k", "102.5k", "1.25M". Up to
 * four significant digits, so neighbouring grid points keep distinct labels.
 */
export declare function formatCompactCount(n: number): string;
/**
 * A duration: "850 ms", "4.2 s", "2 min 05 s", "1 h 02 min". Negative durations keep their sign.
 */
export declare function formatDuration(ms: number): string;
/** A fraction as a percentage with one decimal: 0.123 -> "12.3%". */
export declare function formatPercent(x: number): string;
/** Memory in MiB as a plain number with two decimals, for chart series. */
export declare function toMiB(bytes: number): number;
/** Requests per second: one decimal for slow apps ("1.5 req/s"), whole numbers above 100. */
export declare function formatThroughput(reqPerSecond: number, per?: 'req' | 'sessions'): string;
/** "p < 0.0001" or "p = 0.42". */
export declare function formatPClause(p: number): string;
/** A confidence level given as a fraction (0.95) or a percentage (95), as "95%". */
export declare function formatConfidence(confidence: number): string;
/** A slope's confidence interval: "170 B/req to 186 B/req" ("to", since either end may be negative). */
export declare function formatInterval(low: number, high: number, per?: SlopeUnit): string;
export type FigureKey = 'verdict' | 'bytesPerRequest' | 'interval' | 'pValue' | 'metric' | 'warmup' | 'startMemory' | 'peakMemory' | 'requests' | 'throughput' | 'errors' | 'growthPerMillion' | 'growthPerHour';
export interface FigureRow {
    key: FigureKey;
    label: string;
    /** One value per column, in the order of `FigureTable.columns`. */
    values: string[];
}
export interface FigureColumn {
    /** "Trial 1", ..., "Combined"; "Value" for a single trial. */
    heading: string;
    verdict: Verdict;
}
export interface FigureTable {
    columns: FigureColumn[];
    rows: FigureRow[];
}
export declare const VERDICT_WORDS: Record<Verdict, string>;
/** The confidence level the report's intervals were computed at (the trials share one config). */
export declare function reportConfidence(report: Report): number;
/**
 * Whether a trial got as far as fitting a trend. A trial that could not be measured has a
 * placeholder analysis with no points, whose zero slope must not read as "0 B/req".
 */
export declare function hasTrend(analysis: TrialAnalysis): boolean;
/** Whether the report's combined figures rest on at least one fitted trend. */
export declare function reportHasTrend(report: Report): boolean;
/**
 * Why the report's verdict, in one sentence: the trial's own reason when there is one trial (it
 * says more than a tally), the combined reason otherwise. Plain text, not escaped.
 */
export declare function reasonOf(report: Report): string;
/** Builds the figures table of a report. Values are plain text (no markup, no colour). */
export declare function reportFigures(report: Report): FigureTable;
/** A signal's name as the reports say it. */
export declare function signalLabel(metric: string): string;
/** One row per signal and trial: what each signal said, with the level Holm's correction tested it at. */
export interface SignalRow {
    trial: number;
    signal: string;
    metric: string;
    verdict: string;
    deciding: boolean;
    slope: string;
    interval: string;
    pValue: string;
    alpha: string;
}
/** Every signal of every trial that analysed more than one; empty when a single signal decided throughout. */
export declare function signalRows(report: Report): SignalRow[];
/** "stopped early: trial 1 after 12.5 s of the 30 s budget (leak settled)", or null when every load ran its budget. */
export declare function stoppingNote(report: Report): string | null;
