import type { Report } from '../core/types.js';
export type WorkloadFigureKey = 'connections' | 'perConnection' | 'aborted' | 'messages' | 'perMessage';
export declare function workloadRows(report: Report): Array<{
    key: WorkloadFigureKey;
    label: string;
    values: string[];
}>;
