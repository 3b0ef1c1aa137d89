import type { Report, TrialAnalysis, Verdict } from '../core/types.js';
import { type SlopeUnit } from '../core/units.js';
export { formatBytes, formatBytesPerRequest, formatCompactCount, formatCount, formatDuration, formatPercent, formatPValue, NOT_AVAILABLE, type SlopeUnit } from '../core/units.js';
/** The unit of a report's slopes: 's' when its trials were analysed over time, 'session' for a WebSocket load. */
export declare function reportSlopeUnit(report: Report): SlopeUnit;
/** The word for what the load counts, by slope unit: "request", "session" (and "second" over time). */
export declare const UNIT_WORDS: Record<SlopeUnit, {
    one: string;
    many: string;
}>;
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
