// A branch's history as points: one per stored run, oldest first, with what the charts and the drift test need
// (slope and interval, peak, verdict, regression, acceptance, links). Pure: stored entries in, points out.
import type { StoredBaseline } from '../baseline/store.js';
import type { Acceptance, DriftInfo, Report } from '../core/types.js';
import { detectDrift } from './change-point.js';

export interface HistoryPoint {
  sha: string;
  savedAt: string;
  runUrl: string | null;
  bytesPerRequest: number;
  ciLow: number;
  ciHigh: number;
  peakBytes: number;
  verdict: string;
  /** The run's gate failed. */
  failed: boolean;
  /** The run's comparison found a regression (slope or peak). */
  regression: boolean;
  acceptance: Acceptance | null;
  /** The drift test alarmed when this run was saved. */
  drift: boolean;
  /** Slopes per second of load (no request count) rather than per request. */
  overTime: boolean;
}

export function pointOf(report: Report, sha: string, savedAt: string, runUrl: string | null): HistoryPoint {
  const s = report.summary;
  const c = report.comparison;
  return {
    sha,
    savedAt,
    runUrl,
    bytesPerRequest: s.bytesPerRequest,
    ciLow: s.ciLow,
    ciHigh: s.ciHigh,
    peakBytes: s.peakBytes,
    verdict: report.error ? 'error' : s.verdict,
    failed: report.gate.failed,
    regression: c?.slope.verdict === 'regression' || c?.peak.verdict === 'regression',
    acceptance: report.acceptance ?? null,
    drift: report.drift?.drift === true,
    overTime: report.trials.some((t) => t.countsRequests === false),
  };
}

/** Stored entries (any order) -> points, oldest first. */
export function collectHistory(entries: readonly StoredBaseline[]): HistoryPoint[] {
  return entries
    .map((e) => pointOf(e.report, e.sha, e.savedAt, e.runUrl ?? e.report.source?.runUrl ?? null))
    .sort((a, b) => Date.parse(a.savedAt) - Date.parse(b.savedAt));
}

/** The points from the newest accepted growth on (it included): the level the drift test measures against. */
export function sinceAcceptance(points: readonly HistoryPoint[]): HistoryPoint[] {
  for (let i = points.length - 1; i >= 0; i--) if (points[i]!.acceptance?.covered) return points.slice(i);
  return [...points];
}

/** The drift test on a history (oldest first, the run being saved last), as the report keeps it. */
export function driftOfHistory(points: readonly HistoryPoint[], threshold: number): DriftInfo {
  const tested = sinceAcceptance(points).filter((p) => p.verdict !== 'error' && p.verdict !== 'inconclusive');
  const r = detectDrift(tested.map((p) => ({ value: p.bytesPerRequest, ciLow: p.ciLow, ciHigh: p.ciHigh })), { threshold });
  const sha = (i: number): string | null => (i >= 0 && i < tested.length ? tested[i]!.sha || null : null);
  return {
    drift: r.drift,
    points: r.points,
    statistic: r.statistic,
    threshold: r.threshold,
    before: r.before,
    after: r.after,
    shift: r.shift,
    rangeFrom: sha(r.rangeStart),
    rangeTo: sha(r.rangeEnd),
    startSha: sha(r.startIndex),
    lastBeforeSha: sha(r.startIndex - 1),
    ...(r.note ? { note: r.note } : {}),
  };
}
