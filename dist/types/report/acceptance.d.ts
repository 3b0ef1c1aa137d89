import type { Acceptance, DriftInfo, Report } from '../core/types.js';
/** Who accepted, in words: "@alice (label leakgate-accept on #12)" or "the config's accept entry". */
export declare function acceptedBy(a: Acceptance): string;
export declare function renderAcceptanceMarkdown(report: Report): string;
/** The gate reason of a drift (fail-on: drift). */
export declare function driftReason(d: DriftInfo): string;
export declare function renderDriftMarkdown(report: Report): string;
