import type { Report } from '../core/types.js';
export interface Row {
    figure: string;
    head: string;
    base: string;
    effect: string;
    test: string;
    verdict: string;
}
/** The comparison's rows (bytes/request, peak memory) as formatted text, for the HTML report's table. */
export declare function comparisonRows(report: Report): Row[];
/** "reached in 3 h 12 min at 4,000 req/s" or null when there is no limit or no growth. */
export declare function projectionText(report: Report): string | null;
export declare function renderComparisonMarkdown(report: Report): string;
/**
 * What the comparison heading names: the stored entry chosen when there is a store (the same commit the
 * "Baseline:" line names; the history pooled with it is never newer), else the newest baseline report.
 */
export declare function comparedWith(report: Report): string | null;
/** "main @ 1a2b3c4, saved 2026-11-25T06:00:00Z from the branch store: merge-base of this pull request". */
export declare function baselineUsed(report: Report): string | null;
export declare function renderComparisonText(report: Report): string;
