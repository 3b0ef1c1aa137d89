import type { CgroupFigures, Report, TrialReport } from '../core/types.js';
export declare function renderEvidenceMarkdown(report: Report, opts?: {
    compact?: boolean;
}): string;
/** A few lines for the terminal. */
export declare function renderEvidenceText(report: Report): string;
/** The memory cgroup's figures at the first and last sample that read them, in the trial that has any. */
export declare function cgroupSpan(report: Report): {
    start: CgroupFigures;
    end: CgroupFigures;
    trial: TrialReport;
} | null;
