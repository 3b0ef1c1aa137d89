import type { Report } from '../core/types.js';
import type { SeriesResult } from '../prometheus/types.js';
/** Slope of a series in its own unit, and per hour. */
export declare function seriesSlope(s: SeriesResult): string;
export declare function renderPrometheusText(report: Report): string;
export declare function renderPrometheusMarkdown(report: Report): string;
/** The sticky PR comment: the verdict, the series table and canary line, the charts folded away. */
export declare function renderPrometheusComment(report: Report, marker: string, footer: string): string;
