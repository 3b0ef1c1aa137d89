import type { Report } from '../core/types.js';
export declare class Interrupted extends Error {
    readonly signal: NodeJS.Signals;
    constructor(signal: NodeJS.Signals);
}
/** The signal that interrupted the run, or null while it runs on. */
export declare function interruptedBy(signal: AbortSignal | undefined): NodeJS.Signals | null;
/**
 * The report of an interrupted run: the trials so far with their samples, the verdict 'interrupted' (no verdict
 * on part of a run), and a gate that fails, since nothing was decided. An error already recorded stays.
 */
export declare function markInterrupted(report: Report, signal: NodeJS.Signals): Report;
