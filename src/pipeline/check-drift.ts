// The drift step of a run that will be saved on the base branch: load the stored history, add this run, run the
// change-point test (src/history/), record the result in the report, warn, and fail the gate under fail-on: drift.
// A history that cannot be read is a warning, never a failed run.
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { Report } from '../core/types.js';
import { errorMessage } from '../core/errors.js';
import type { BaselineSession } from '../baseline/baseline-session.js';
import { collectHistory, driftOfHistory, pointOf } from '../history/collect.js';
import { driftReason } from '../report/acceptance.js';

export async function checkDrift(report: Report, config: Pick<Config, 'history' | 'failOn'>, session: BaselineSession, logger: Logger): Promise<void> {
  if (report.error !== null || !session.willSave(report).save) return;
  let entries;
  try {
    entries = await session.history(config.history.limit);
  } catch (e) {
    logger.warn(`the drift test was skipped: the stored history could not be read: ${errorMessage(e)}`);
    return;
  }
  const sha = session.headSha ?? report.source?.sha ?? '';
  const points = [...collectHistory(entries), pointOf(report, sha, report.createdAt, report.source?.runUrl ?? null)];
  report.drift = driftOfHistory(points, config.history.driftThreshold);
  if (!report.drift.drift) {
    logger.debug(`drift test: ${report.drift.note ?? `no sustained shift (${report.drift.statistic.toFixed(1)} sd over ${report.drift.points} commits)`}`);
    return;
  }
  const reason = driftReason(report.drift);
  logger.warn(reason);
  if (config.failOn.includes('drift')) report.gate = { failed: true, reasons: [...report.gate.reasons, reason] };
}
