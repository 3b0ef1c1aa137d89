// A run stopped by SIGINT or SIGTERM: the entry point aborts the run's AbortSignal with an Interrupted
// reason; the pipeline stops the load, tears the app down, and finishes the report with what it measured,
// its verdict 'interrupted' and a failed gate. Pure: the signal handlers live in the entry points.
import type { Report } from '../core/types.js';

export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`leakgate was interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

/** The signal that interrupted the run, or null while it runs on. */
export function interruptedBy(signal: AbortSignal | undefined): NodeJS.Signals | null {
  if (!signal?.aborted) return null;
  return signal.reason instanceof Interrupted ? signal.reason.signal : 'SIGTERM';
}

/**
 * The report of an interrupted run: the trials so far with their samples, the verdict 'interrupted' (no verdict
 * on part of a run), and a gate that fails, since nothing was decided. An error already recorded stays.
 */
export function markInterrupted(report: Report, signal: NodeJS.Signals): Report {
  const trials = report.trials.length;
  const samples = report.trials.reduce((n, t) => n + t.samples.length, 0);
  const requests = report.trials.reduce((n, t) => n + t.load.requests, 0);
  const reason =
    trials === 0
      ? `leakgate was stopped by ${signal} before the first trial started; nothing was measured`
      : `leakgate was stopped by ${signal} during trial ${trials}, after ${samples} samples and ${requests} requests; the report keeps what was measured, with no verdict`;
  return {
    ...report,
    summary: { ...report.summary, verdict: 'interrupted', reason },
    gate: { failed: true, reasons: [`interrupted: ${reason}`] },
    interrupted: { signal, reason },
  };
}
