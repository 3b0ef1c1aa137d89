// The figures of the load's shape beyond requests: connections opened (and the growth per new connection when they
// were reopened), requests aborted on purpose, and a WebSocket load's messages (and the growth per message). Rows of
// the human figures table, one value per trial and a combined one when there are several.
import type { Report, TrialReport } from '../core/types.js';
import { formatBytesPerRequest, formatCount, hasTrend } from './format.js';

export type WorkloadFigureKey = 'connections' | 'perConnection' | 'aborted' | 'messages' | 'perMessage';

const NONE = '—';

export function workloadRows(report: Report): Array<{ key: WorkloadFigureKey; label: string; values: string[] }> {
  const { trials } = report;
  if (trials.length === 0) return [];
  const sum = (pick: (t: TrialReport) => number | undefined): number => trials.reduce((n, t) => n + (pick(t) ?? 0), 0);
  const row = (key: WorkloadFigureKey, label: string, cell: (t: TrialReport) => string, combined: string) => ({
    key,
    label,
    values: trials.length === 1 ? [cell(trials[0]!)] : [...trials.map(cell), combined],
  });
  const rows: ReturnType<typeof workloadRows> = [];
  const sessions = trials.every((t) => t.load.unit === 'session');
  if (trials.some((t) => t.load.connectionsOpened !== undefined)) {
    const churn = (t: TrialReport): string => (t.load.reconnectEvery ? ` (every ${formatCount(t.load.reconnectEvery)} requests)` : sessions ? ' (one per session)' : ' (kept open)');
    rows.push(row('connections', 'Connections opened', (t) => `${formatCount(t.load.connectionsOpened ?? 0)}${churn(t)}`, formatCount(sum((t) => t.load.connectionsOpened))));
  }
  // The same growth read per new connection: what it is when the app keeps state per connection, not per request.
  if (trials.some((t) => t.growthPer?.connection && hasTrend(t.analysis))) {
    const cell = (t: TrialReport): string => {
      const c = t.growthPer?.connection;
      return c && hasTrend(t.analysis) ? `${formatBytesPerRequest(c.bytes, 'connection')} if it follows connections` : NONE;
    };
    rows.push(row('perConnection', 'Growth / new connection', cell, NONE));
  }
  if (trials.some((t) => t.load.aborted !== undefined)) {
    const cell = (t: TrialReport): string => {
      const aborted = t.load.aborted ?? 0;
      return `${formatCount(aborted)} (${t.load.requests > 0 ? ((100 * aborted) / t.load.requests).toFixed(1) : '0'}% of requests)`;
    };
    rows.push(row('aborted', 'Aborted by the client', cell, formatCount(sum((t) => t.load.aborted))));
  }
  if (sessions && trials.some((t) => t.load.messages !== undefined)) {
    rows.push(row('messages', 'Messages', (t) => formatCount(t.load.messages ?? 0), formatCount(sum((t) => t.load.messages))));
    if (trials.some((t) => t.growthPer?.message && hasTrend(t.analysis))) {
      const cell = (t: TrialReport): string => {
        const m = t.growthPer?.message;
        return m && hasTrend(t.analysis) ? formatBytesPerRequest(m.bytes, 'message') : NONE;
      };
      rows.push(row('perMessage', 'Growth / message', cell, NONE));
    }
  }
  return rows;
}
