// The history of one config on one branch as a job summary: Mermaid charts (bytes/request per commit with its
// interval bounds as extra lines; peak memory per commit), then a table whose rows link each commit and run and mark
// accepted growths, regressions and drift alarms. Pure. Strings from stored reports are escaped.
import { escapeMarkdown } from '../report/escape.js';
import { formatBytes, formatBytesPerRequest } from '../core/units.js';
import type { HistoryPoint } from './collect.js';

export interface HistoryPageInfo {
  configName: string;
  branch: string;
  /** owner/name, for commit links; null when unknown (no links). */
  repo: string | null;
  /** e.g. https://github.com */
  serverUrl?: string;
}

/** Points a Mermaid xychart can show legibly (every x label is drawn). */
export const MAX_HISTORY_CHART_POINTS = 40;

export function commitUrl(info: HistoryPageInfo, sha: string): string | null {
  if (!info.repo || !/^[0-9a-f]{7,64}$/i.test(sha)) return null;
  return `${(info.serverUrl ?? 'https://github.com').replace(/\/+$/, '')}/${info.repo}/commit/${sha}`;
}

export function safeUrl(url: string | null): string | null {
  return url && /^https?:\/\/[^\s"'<>`]+$/.test(url) ? url : null;
}

/** One word per mark: accepted, regression, drift, failed. */
export function marksOf(p: HistoryPoint): string[] {
  const marks: string[] = [];
  if (p.acceptance?.covered) marks.push('accepted');
  if (p.regression) marks.push('regression');
  if (p.drift) marks.push('drift');
  if (p.failed && !p.regression) marks.push('failed');
  return marks;
}

const MARK_EMOJI: Record<string, string> = { accepted: '✅ accepted', regression: '❌ regression', drift: '⚠️ drift', failed: '❌ failed' };

function num(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}

export function renderHistoryMarkdown(points: readonly HistoryPoint[], info: HistoryPageInfo): string {
  const title = `## leakgate history · ${escapeMarkdown(info.configName)} on ${escapeMarkdown(info.branch)}`;
  if (points.length === 0) return `${title}\n\nNo stored runs yet.\n`;
  const shown = points.slice(-MAX_HISTORY_CHART_POINTS);
  const labels = shown.map((p, i) => `"${p.sha ? p.sha.slice(0, 7) : `#${i + 1}`}"`).join(', ');
  const unit = points.some((p) => p.overTime) ? 'B/s' : 'B/req';
  const parts = [
    title,
    `${points.length} stored run(s), ${points[0]!.savedAt.slice(0, 10)} to ${points.at(-1)!.savedAt.slice(0, 10)}${shown.length < points.length ? `; the charts show the last ${shown.length}` : ''}.`,
    [
      '```mermaid',
      'xychart-beta',
      `  title "Bytes per request per commit (line: estimate; lines above and below: interval)"`,
      `  x-axis [${labels}]`,
      `  y-axis "${unit}"`,
      `  line [${shown.map((p) => num(p.bytesPerRequest)).join(', ')}]`,
      `  line [${shown.map((p) => num(p.ciLow)).join(', ')}]`,
      `  line [${shown.map((p) => num(p.ciHigh)).join(', ')}]`,
      '```',
    ].join('\n'),
    [
      '```mermaid',
      'xychart-beta',
      '  title "Peak memory per commit (MiB)"',
      `  x-axis [${labels}]`,
      '  y-axis "MiB"',
      `  bar [${shown.map((p) => num(p.peakBytes / (1024 * 1024))).join(', ')}]`,
      '```',
    ].join('\n'),
  ];
  const rows = [...points].reverse().map((p) => {
    const url = safeUrl(commitUrl(info, p.sha));
    const sha = p.sha ? `\`${p.sha.slice(0, 7)}\`` : '—';
    const commit = url ? `[${sha}](${url})` : sha;
    const run = safeUrl(p.runUrl);
    const marks = marksOf(p).map((m) => MARK_EMOJI[m]).join(' ');
    const accepted = p.acceptance?.covered ? `: ${escapeMarkdown(p.acceptance.reason)}` : '';
    return `| ${commit} | ${p.savedAt.slice(0, 16).replace('T', ' ')} | ${formatBytesPerRequest(p.bytesPerRequest)} (${formatBytesPerRequest(p.ciLow)} to ${formatBytesPerRequest(p.ciHigh)}) | ${formatBytes(p.peakBytes)} | ${escapeMarkdown(p.verdict)} | ${marks}${accepted} | ${run ? `[run](${run})` : ''} |`;
  });
  parts.push(['| Commit | Saved (UTC) | Bytes / request (interval) | Peak | Verdict | Marks | Run |', '| --- | --- | ---: | ---: | --- | --- | --- |', ...rows].join('\n'));
  return `${parts.join('\n\n')}\n`;
}
