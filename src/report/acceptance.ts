// Words for an accepted growth and for the slow creep (drift): the summary and PR comment sections, and the gate
// reason a drift gives. Everything read from the report is escaped: a fork's report is untrusted.
import type { Acceptance, DriftInfo, Report } from '../core/types.js';
import { escapeMarkdown } from './escape.js';
import { formatBytes, formatBytesPerRequest } from './format.js';

const UNBOUNDED = Number.MAX_VALUE / 2;

function bpr(n: number): string {
  return n >= UNBOUNDED ? 'any' : formatBytesPerRequest(n);
}

function bytes(n: number): string {
  return n >= UNBOUNDED ? 'any' : formatBytes(n);
}

function short(sha: string | null): string {
  return sha ? sha.slice(0, 7) : '?';
}

/** Who accepted, in words: "@alice (label leakgate-accept on #12)" or "the config's accept entry". */
export function acceptedBy(a: Acceptance): string {
  if (a.source === 'config') return `the config's accept entry${a.expires ? ` (until ${a.expires})` : ''}`;
  return `@${a.by} (${a.source === 'label' ? 'label' : '/leakgate accept comment'}${a.pr !== undefined ? ` on #${a.pr}` : ''}, ${a.at.slice(0, 16).replace('T', ' ')} UTC)`;
}

export function renderAcceptanceMarkdown(report: Report): string {
  const a = report.acceptance;
  if (!a) return '';
  const head = a.covered ? '✅ **Growth accepted**' : '❌ **Accepted growth exceeded**';
  const lines = [
    `${head} by ${escapeMarkdown(acceptedBy(a))}: ${escapeMarkdown(a.reason)}`,
    '',
    '| | Accepted | Covers up to | This run |',
    '| --- | ---: | ---: | ---: |',
    `| Bytes / request | ${bpr(a.bytesPerRequest)} | ${bpr(a.maxBytesPerRequest)} | ${formatBytesPerRequest(report.summary.bytesPerRequest)} |`,
    `| Peak memory | ${bytes(a.peakBytes)} | ${bytes(a.maxPeakBytes)} | ${formatBytes(report.summary.peakBytes)} |`,
  ];
  if (a.acceptedReasons.length > 0) lines.push('', 'Accepted instead of failing:', '', ...a.acceptedReasons.map((r) => `- ${escapeMarkdown(r)}`));
  if (!a.covered) lines.push('', 'This run is above the figures accepted, so the gate decides as without the acceptance.');
  return lines.join('\n');
}

/** The gate reason of a drift (fail-on: drift). */
export function driftReason(d: DriftInfo): string {
  return (
    `drift: bytes/request crept up by ${formatBytesPerRequest(d.shift)} (from ${formatBytesPerRequest(d.before)} to ${formatBytesPerRequest(d.after)}) ` +
    `over the last commits, beginning between ${short(d.lastBeforeSha)} and ${short(d.startSha)} (candidates ${short(d.rangeFrom)}..${short(d.rangeTo)}); ` +
    `shift ${d.statistic.toFixed(1)} sd > ${d.threshold}, in ${d.points} commits since the last accepted growth`
  );
}

export function renderDriftMarkdown(report: Report): string {
  const d = report.drift;
  if (!d?.drift) return '';
  return `> ⚠️ **Slow creep on the base branch.** ${escapeMarkdown(driftReason(d).replace(/^drift: /, ''))}. No single comparison flagged it; accept it (label, comment or config) if it is intended.`;
}
