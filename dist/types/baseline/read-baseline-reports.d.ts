import { type Report } from '../core/types.js';
export interface BaselineReports {
    reports: Report[];
    /** One line for the report and the summary. */
    note: string | null;
}
export declare function readBaselineReports(paths: readonly string[], cwd: string): BaselineReports;
/** Validates the shape this version needs; pure, so it is tested on strings. */
export declare function parseBaselineReport(text: string, label: string, kind?: string): Report;
