// The CLI's exit status, as a pure function of the outcome: 0 pass, 1 gate failed,
// 2 usage or config error, or the app could not be measured.
import type { Report } from '../core/types.js';

export const EXIT_PASS = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_ERROR = 2;

/** 128 + the signal's number, as a shell reports a process a signal ended. */
export const EXIT_INTERRUPTED: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export function getExitCode(report: Report | undefined): number {
  if (report?.interrupted) return EXIT_INTERRUPTED[report.interrupted.signal] ?? 143;
  if (!report || report.error !== null) return EXIT_ERROR;
  return report.gate.failed ? EXIT_GATE_FAILED : EXIT_PASS;
}
