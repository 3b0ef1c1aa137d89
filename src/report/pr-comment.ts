// The sticky PR comment: what a reviewer needs in ten seconds (verdict, bytes per request against the base branch,
// the change), then the chart and the reasons folded away, and a link to the run. Rendered from the report alone;
// every string from the report is escaped, since the app's output and a fork's report are untrusted.
import type { Report } from '../core/types.js';
import { renderComparisonMarkdown } from './comparison.js';
import { escapeMarkdown } from './escape.js';
import { renderEvidenceMarkdown } from './evidence.js';
import { renderAcceptanceMarkdown, renderDriftMarkdown } from './acceptance.js';
import { renderAcceptRecord } from '../accept/accept-command.js';
import { grantKey } from '../accept/apply-acceptance.js';
import { formatBytes, formatThroughput, formatCount, reportSlopeUnit, UNIT_WORDS } from './format.js';
import { renderPrometheusComment } from './prometheus.js';
import { formatSlope, renderGateReasons, renderMemoryChart, renderSignalsMarkdown, renderVerdict, reportOverTime } from './markdown.js';

export interface PrCommentOptions {
  /** The hidden marker that finds this comment again (from the GitHub layer). */
  marker: string;
  /** Link to the workflow run, for the full job summary. */
  runUrl?: string;
  /** Shown when the comment comes from a saved report (fork PR via workflow_run). */
  note?: string;
}

/** GitHub rejects comments over 65,536 characters. */
export const MAX_COMMENT_CHARS = 65_000;

export function renderPrComment(report: Report, opts: PrCommentOptions): string {
  if (report.prometheus) return bounded(renderPrometheusComment(report, opts.marker, footerOf(report, opts)), report, opts);
  const parts: string[] = [opts.marker, renderVerdict(report)];
  if (report.error === null) parts.push(keyFigures(report));
  const signals = renderSignalsMarkdown(report);
  if (signals) parts.push(signals);
  const comparison = renderComparisonMarkdown(report);
  if (comparison) parts.push(comparison);
  const evidence = renderEvidenceMarkdown(report, { compact: true });
  if (evidence) parts.push(evidence);
  const reasons = renderGateReasons(report);
  if (reasons) parts.push(reasons);
  const accepted = renderAcceptanceMarkdown(report);
  if (accepted) parts.push(accepted);
  const drift = renderDriftMarkdown(report);
  if (drift) parts.push(drift);
  if (report.error === null) parts.push(`<details><summary>Memory against requests served</summary>\n\n${renderMemoryChart(report)}\n\n</details>`);
  parts.push(footerOf(report, opts));
  // The bounds of a maintainer's acceptance, so the next run of this pull request is held to them (src/accept/).
  const a = report.acceptance;
  if (a && a.source !== 'config' && Number.isFinite(a.maxBytesPerRequest)) {
    parts.push(renderAcceptRecord({ key: grantKey(a), bounds: { bytesPerRequest: a.bytesPerRequest, peakBytes: a.peakBytes, maxBytesPerRequest: a.maxBytesPerRequest, maxPeakBytes: a.maxPeakBytes } }));
  }
  return bounded(parts.join('\n\n') + '\n', report, opts);
}

function footerOf(report: Report, opts: PrCommentOptions): string {
  const footer: string[] = [];
  if (opts.runUrl && /^https?:\/\//.test(opts.runUrl)) footer.push(`[Full report in the job summary](${encodeURI(opts.runUrl)})`);
  if (opts.note) footer.push(escapeMarkdown(opts.note));
  footer.push(`leakgate ${escapeMarkdown(String(report.tool?.version ?? ''))}`);
  return `<sub>${footer.join(' · ')}</sub>`;
}

function bounded(body: string, report: Report, opts: PrCommentOptions): string {
  if (body.length <= MAX_COMMENT_CHARS) return body;
  // Only a pathological report gets here (the chart and reasons are bounded); keep the marker and the verdict.
  return `${opts.marker}\n\n${renderVerdict(report)}\n\n_The full comment was too long; see the job summary._\n`;
}

/** This run against the baseline in one small table; just this run's figures when there is no baseline. */
function keyFigures(report: Report): string {
  const s = report.summary;
  const c = report.comparison;
  // Over time (a load command without a counter) the slope is per second of load, as in the job summary.
  const slope = (n: number): string => formatSlope(report, n);
  const slopeLabel = reportOverTime(report) ? 'Bytes / second' : `Bytes / ${UNIT_WORDS[reportSlopeUnit(report)].one}`;
  if (!c) {
    return [
      `| ${slopeLabel} | Peak memory | Requests | Throughput |`,
      '| ---: | ---: | ---: | ---: |',
      `| **${slope(s.bytesPerRequest)}** | ${formatBytes(s.peakBytes)} | ${formatCount(s.requests)} | ${formatThroughput(s.throughput)} |`,
    ].join('\n');
  }
  const delta = (n: number, fmt: (x: number) => string): string => `${n >= 0 ? '+' : '−'}${fmt(Math.abs(n))}`;
  return [
    '| | This run | Baseline | Change |',
    '| --- | ---: | ---: | ---: |',
    `| ${slopeLabel} | **${slope(c.slope.head)}** | ${slope(c.slope.base)} | ${delta(c.slope.effect, slope)} |`,
    `| Peak memory | ${formatBytes(c.peak.head)} | ${formatBytes(c.peak.base)} | ${delta(c.peak.effect, formatBytes)} |`,
    `| Requests | ${formatCount(s.requests)} | | |`,
  ].join('\n');
}
