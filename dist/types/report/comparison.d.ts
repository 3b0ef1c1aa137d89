import type { Report } from '../core/types.js';
/** "reached in 3 h 12 min at 4,000 req/s" or null when there is no limit or no growth. */
export declare function projectionText(report: Report): string | null;
export declare function renderComparisonMarkdown(report: Report): string;
/** "main @ 1a2b3c4, saved 2026-11-25T06:00:00Z from the branch store: merge-base of this pull request". */
export declare function baselineUsed(report: Report): string | null;
export declare function renderComparisonText(report: Report): string;
