// The self-contained HTML report (`leakgate run --html FILE`, the Action's html-report input): the verdict and the
// gate's reasons, a chart per trial of memory against requests served (warm-up shaded, fitted
// trend, the baseline's curve), the figures table, every signal the report carries (anon, RSS, PSS, USS, the cgroup, the runtime heap,
// and the per-signal analyses when the report has them), the comparison, the evidence, the processes, the app's
// output and the environment. Pure: report in, one HTML string out. Inline CSS and SVG only, a Content-Security-Policy
// that forbids every fetch and script, and every string from the report through escapeHtml: the report may come
// from an untrusted fork.
import type { MetricName, Report, TrialReport, Verdict } from '../core/types.js';
import { METRIC_NAMES } from '../core/types.js';
import { comparedWith, comparisonRows, projectionText, baselineUsed } from './comparison.js';
import { escapeHtml } from './escape.js';
import { renderEvidenceText } from './evidence.js';
import { formatBytes, formatBytesPerRequest, formatCompactCount, formatCount, formatPValue, reasonOf, reportHasTrend, VERDICT_WORDS } from './format.js';
import { formatSlope, formatSlopeInterval, humanFigures, reportOverTime, timeModeNote } from './markdown.js';
import { renderSvgChart, type SvgSeries } from './svg-chart.js';
import { samplePoints, trialChartSeries, type ChartPoint } from './trial-series.js';

const VERDICT_CLASS: Record<Verdict, string> = { leak: 'bad', 'no-leak': 'good', inconclusive: 'warn', oom: 'bad', interrupted: 'warn' };
const VERDICT_SYMBOL: Record<Verdict, string> = { leak: '✖', 'no-leak': '✔', inconclusive: '⚠', oom: '✖', interrupted: '⚠' };
const RUN_COLOR = '#0969da';
const TREND_COLOR = '#cf222e';
const BASELINE_COLOR = '#6e7781';
const SIGNAL_COLORS: Record<string, string> = { anon: '#0969da', rss: '#8250df', pss: '#1a7f37', uss: '#bc4c00', heap: '#cf222e', cgroup: '#9a6700' };
const OUTPUT_LINES = 40;
const PROCESS_ROWS = 25;

const STYLE = `
body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0 auto;max-width:980px;padding:24px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}h3{font-size:15px;margin:20px 0 6px}
.verdict{padding:14px 18px;border-radius:8px;border:1px solid}.verdict.good{background:#dafbe1;border-color:#4ac26b}.verdict.bad{background:#ffebe9;border-color:#ff8182}.verdict.warn{background:#fff8c5;border-color:#d4a72c}
.verdict .line{font-size:16px}.reason{color:#424a53}.gate{font-weight:600}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f8fa}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:10px;overflow-x:auto;font-size:12px}
figure{margin:8px 0}.legend{font-size:12px;color:#424a53}.key{margin-right:14px;white-space:nowrap}
.swatch{display:inline-block;width:22px;height:0;border-top:3px solid;vertical-align:middle;margin-right:5px}.swatch.dashed{border-top-style:dashed}.swatch.warmup{height:10px;border:0;background:#eaeef2}
svg.chart{max-width:100%;height:auto;background:#fff}.grid{stroke:#eaeef2}.axis{stroke:#8c959f}.tick{font-size:11px;fill:#57606a}.axis-label{font-size:12px;fill:#424a53}
.warmup{fill:#eaeef2}.warmup-label{font-size:11px;fill:#6e7781}.series{stroke-width:1.6;stroke-linejoin:round}.series.dashed{stroke-dasharray:6 4;stroke-width:2}.series.faint{stroke-width:1.4;opacity:.8}
.signals{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px}.signals h4{margin:4px 0;font-size:13px}
.note{color:#57606a}footer{margin-top:40px;color:#57606a;font-size:12px}
`;

/** The report as one HTML document. */
export function renderHtmlReport(report: Report): string {
  const title = `leakgate · ${String(report.name)}`;
  const body = [
    renderHeader(report),
    renderCharts(report),
    renderFigures(report),
    renderSignals(report),
    renderComparison(report),
    renderEvidence(report),
    renderProcesses(report),
    renderOutput(report),
    renderEnvironment(report),
    `<footer>Written by leakgate ${escapeHtml(report.tool?.version ?? '')} from the report of ${escapeHtml(report.createdAt ?? '')}.</footer>`,
  ].filter((s) => s !== '');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // Nothing may be fetched or run: the report opens the same offline, and a hostile report cannot reach out.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}

function knownVerdict(v: unknown): Verdict {
  return typeof v === 'string' && Object.hasOwn(VERDICT_CLASS, v) ? (v as Verdict) : 'inconclusive';
}

function renderHeader(report: Report): string {
  const { summary, gate } = report;
  const verdict = knownVerdict(summary?.verdict);
  const parts: string[] = [`<h1>${escapeHtml(`leakgate · ${report.name}`)}</h1>`];
  let line: string;
  let reason: string;
  if (report.error) {
    line = `${VERDICT_SYMBOL.inconclusive} No verdict: the app could not be measured`;
    reason = String(report.error);
  } else {
    line = `${VERDICT_SYMBOL[verdict]} ${VERDICT_WORDS[verdict]}`;
    if (reportHasTrend(report)) {
      line += ` — ${formatSlope(report, summary.bytesPerRequest)} retained per ${reportOverTime(report) ? 'second of load' : 'request'} (CI ${formatSlopeInterval(report, summary.ciLow, summary.ciHigh)}), p ${formatPValue(summary.pValue)}`;
    } else {
      line += ' — no trend fitted';
    }
    reason = reasonOf(report);
  }
  const reasons = gate.failed
    ? `<p class="gate">The gate failed:</p><ul>${(gate.reasons.length > 0 ? gate.reasons : ['(no reason recorded)']).map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
    : '<p class="gate">The gate passed.</p>';
  const note = timeModeNote(report);
  parts.push(
    `<section class="verdict ${report.error ? 'warn' : VERDICT_CLASS[verdict]}" id="verdict"><div class="line"><strong>${escapeHtml(line)}</strong></div>` +
      `<p class="reason">${escapeHtml(reason)}</p>${note ? `<p class="reason">${escapeHtml(note)}</p>` : ''}${reasons}</section>`,
  );
  return parts.join('\n');
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: (col: number) => boolean = () => false): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric(i) ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function renderFigures(report: Report): string {
  if (report.trials.length === 0) return '';
  const t = humanFigures(report);
  return `<h2>Figures</h2>\n${table(['Figure', ...t.columns.map((c) => c.heading)], t.rows.map((r) => [r.label, ...r.values]), (i) => i > 0)}`;
}

function xUnit(report: Report): { label: string; format: (x: number) => string } {
  return reportOverTime(report)
    ? { label: 'milliseconds of load', format: formatCompactCount }
    : { label: 'requests served', format: formatCompactCount };
}

/** The stored baseline's curve (median of its trials), when the report was compared with one. */
function baselineCurve(report: Report): ChartPoint[] {
  return (report.baseline?.curve ?? [])
    .filter((c) => Number.isFinite(c?.requests) && Number.isFinite(c?.bytes))
    .map((c) => ({ x: c.requests, y: c.bytes }));
}

function renderCharts(report: Report): string {
  if (report.trials.length === 0) return '';
  const metric = report.summary.metric;
  const unit = xUnit(report);
  const baseline = baselineCurve(report);
  const sha = report.baseline?.sha ? ` ${String(report.baseline.sha).slice(0, 7)}` : '';
  const charts = report.trials.map((trial, i) => {
    const s = trialChartSeries(trial, metric);
    const end = s.points.length > 0 ? s.points[s.points.length - 1]!.x : 0;
    const series: SvgSeries[] = [{ label: `${s.metric} (trial ${i + 1})`, points: s.points, color: RUN_COLOR, kind: 'run' }];
    if (s.trend) series.push({ label: `fitted trend: ${formatBytesPerRequest(trial.analysis.bytesPerRequest, reportOverTime(report) ? 's' : 'req')}`, points: [{ x: s.trend.x0, y: s.trend.y0 }, { x: s.trend.x1, y: s.trend.y1 }], color: TREND_COLOR, dashed: true, kind: 'trend' });
    if (baseline.length >= 2 && s.metric !== 'heap') series.push({ label: `baseline${sha}`, points: baseline.filter((p) => p.x <= end), color: BASELINE_COLOR, dashed: true, faint: true, kind: 'baseline' });
    const heading = report.trials.length > 1 ? `<h3>Trial ${i + 1}: ${escapeHtml(VERDICT_WORDS[knownVerdict(trial.analysis?.verdict)])}</h3>` : '';
    const warm = `<p class="note">Warm-up until ${escapeHtml(formatCount(s.warmupEndX))} ${unit.label === 'requests served' ? 'requests' : 'ms'} (${escapeHtml(String(trial.analysis?.warmupMethod ?? ''))}); the trend is fitted after it.</p>`;
    return `${heading}${renderSvgChart({ series, warmupEndX: s.warmupEndX, xLabel: unit.label, yLabel: `${s.metric} memory`, formatX: unit.format, formatY: formatBytes, yBytes: true, title: `${s.metric} memory against ${unit.label}, trial ${i + 1}` })}${warm}`;
  });
  return `<h2>Memory against ${escapeHtml(unit.label)}</h2>\n${charts.join('\n')}`;
}

/** Every figure a trial carries, as (x, y) series: the sampled ones, the cgroup's anon, the runtime heap. */
function signalSeries(trial: TrialReport): Array<{ name: string; points: ChartPoint[] }> {
  const out: Array<{ name: string; points: ChartPoint[] }> = METRIC_NAMES.map((m) => ({ name: m as string, points: samplePoints(trial, m) }));
  const cgroup = (trial.samples ?? [])
    .filter((s) => s.t >= 0 && s.cgroup && Number.isFinite(s.cgroup.anon))
    .map((s) => ({ x: s.requests, y: s.cgroup!.anon }));
  if (cgroup.length >= 2) out.push({ name: 'cgroup anon', points: cgroup });
  out.push({ name: 'heap', points: samplePoints(trial, 'heap' as MetricName) });
  return out.filter((s) => s.points.length >= 2);
}

/** The per-signal analyses, when the report has them (reports from before multi-signal verdicts do not). */
function signalAnalyses(trial: TrialReport): Array<Record<string, unknown>> {
  const signals = (trial.analysis as { signals?: unknown } | undefined)?.signals;
  return Array.isArray(signals) ? signals.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null) : [];
}

function num(v: unknown, fmt: (n: number) => string): string {
  return typeof v === 'number' && Number.isFinite(v) ? fmt(v) : '—';
}

function renderSignals(report: Report): string {
  if (report.trials.length === 0) return '';
  const unit = xUnit(report);
  const per = reportOverTime(report) ? 's' : 'req';
  const blocks = report.trials.map((trial, i) => {
    const analyses = signalAnalyses(trial);
    const rows = analyses.map((a) => [
      String(a.metric ?? a.name ?? '?'),
      String(a.verdict ?? '—'),
      num(a.bytesPerRequest, (n) => formatBytesPerRequest(n, per)),
      typeof a.ciLow === 'number' && typeof a.ciHigh === 'number' ? `${formatBytesPerRequest(a.ciLow, per)} to ${formatBytesPerRequest(a.ciHigh, per)}` : '—',
      num(a.pValue, formatPValue),
      typeof a.reason === 'string' ? a.reason : '',
    ]);
    const why = rows.some((r) => r[5] !== '');
    const analysisTable = rows.length > 0 ? table(['Signal', 'Verdict', 'Slope', 'CI', 'p-value', ...(why ? ['Why'] : [])], rows.map((r) => (why ? r : r.slice(0, 5))), (c) => c >= 2 && c <= 4) : '';
    const charts = signalSeries(trial).map(
      (s) =>
        `<div><h4>${escapeHtml(s.name)}</h4>${renderSvgChart({ series: [{ label: s.name, points: s.points, color: SIGNAL_COLORS[s.name.split(' ')[0]!] ?? RUN_COLOR, kind: 'signal' }], warmupEndX: trial.analysis?.warmupEndRequests, width: 460, height: 200, xLabel: unit.label, yLabel: s.name, formatX: unit.format, formatY: formatBytes, yBytes: true, title: `${s.name}, trial ${i + 1}` })}</div>`,
    );
    const heading = report.trials.length > 1 ? `<h3>Trial ${i + 1}</h3>` : '';
    return `${heading}${analysisTable}<div class="signals">${charts.join('')}</div>`;
  });
  return `<h2>Every signal</h2>\n<p class="note">Each figure the run sampled, against ${escapeHtml(unit.label)}; the analysed one is ${escapeHtml(String(report.summary.metric))}.</p>\n${blocks.join('\n')}`;
}

function renderComparison(report: Report): string {
  const out: string[] = [];
  const projection = projectionText(report);
  if (projection) out.push(`<p><strong>Projection:</strong> ${escapeHtml(projection)}.</p>`);
  if (report.baselineNote && !report.comparison) out.push(`<p><strong>Baseline:</strong> ${escapeHtml(report.baselineNote)}.</p>`);
  const used = baselineUsed(report);
  const c = report.comparison;
  if (used && c) out.push(`<p><strong>Baseline:</strong> ${escapeHtml(used)}.</p>`);
  if (c) {
    const name = comparedWith(report);
    out.push(`<h3>Compared with the baseline${name ? ` (${escapeHtml(name)})` : ''}</h3>`);
    out.push(table(['Figure', 'This run', 'Baseline', 'Change', 'Test', 'Verdict'], comparisonRows(report).map((r) => [r.figure, r.head, r.base, r.effect, r.test, r.verdict])));
    const d = c.differential;
    out.push(`<p>Differential check (CUSUM of this run's curve against the baseline's): ${d?.diverged ? `<strong>diverged</strong> at ${escapeHtml(formatCount(Math.round(d.atRequests ?? 0)))} requests` : 'no divergence'} — ${escapeHtml(d?.reason ?? '')}</p>`);
    if (c.advisory) out.push(`<p class="note">⚠ ${escapeHtml(c.reason)}.</p>`);
    for (const w of c.environmentWarnings ?? []) out.push(`<p class="note">⚠ ${escapeHtml(w)}</p>`);
  }
  return out.length > 0 ? `<h2>Projection and baseline</h2>\n${out.join('\n')}` : '';
}

function renderEvidence(report: Report): string {
  const text = renderEvidenceText(report);
  return text ? `<h2>Evidence</h2>\n<pre>${escapeHtml(text)}</pre>` : '';
}

function renderProcesses(report: Report): string {
  const blocks = report.trials.flatMap((trial, i) => {
    const last = trial.samples?.[trial.samples.length - 1];
    if (!last) return [];
    const rows = (last.processes ?? []).slice(0, PROCESS_ROWS).map((p) => [String(p.pid), String(p.comm), formatBytes(p.anon), formatBytes(p.rss), formatBytes(p.pss), formatBytes(p.uss)]);
    rows.push(['', 'total', formatBytes(last.total.anon), formatBytes(last.total.rss), formatBytes(last.total.pss), formatBytes(last.total.uss)]);
    return [`${report.trials.length > 1 ? `<h3>Trial ${i + 1}</h3>` : ''}${table(['PID', 'Command', 'anon', 'RSS', 'PSS', 'USS'], rows, (c) => c !== 1)}`];
  });
  return blocks.length > 0 ? `<h2>Processes at the last sample</h2>\n${blocks.join('\n')}` : '';
}

function renderOutput(report: Report): string {
  const blocks = report.trials.map((trial, i) => {
    const { code, signal, early } = trial.exit ?? { code: null, signal: null, early: false };
    const how = signal !== null ? `signal ${signal}` : code !== null ? `code ${code}` : 'no status';
    const tail = (trial.outputTail ?? []).slice(-OUTPUT_LINES);
    return `${report.trials.length > 1 ? `<h3>Trial ${i + 1}</h3>` : ''}<p>The app ${escapeHtml(early ? `exited on its own (${how})` : `was stopped by leakgate (${how})`)}.</p>${tail.length > 0 ? `<pre>${escapeHtml(tail.join('\n'))}</pre>` : '<p class="note">No output.</p>'}`;
  });
  return blocks.length > 0 ? `<h2>App output</h2>\n${blocks.join('\n')}` : '';
}

function renderEnvironment(report: Report): string {
  const e = report.environment;
  if (!e) return '';
  const rows: string[][] = [
    ['leakgate', String(report.tool?.version ?? '')],
    ['OS', `${e.distro ? `${e.distro}, ` : ''}${e.os} (kernel ${e.kernel}, ${e.arch})`],
    ['CPU', `${e.cpus} × ${e.cpuModel}`],
    ['Memory', formatBytes(e.memoryBytes)],
    ['Node.js', String(e.node)],
    ...(e.appRuntime ? [['App runtime', String(e.appRuntime)]] : []),
    ['Runner', `${e.runner ?? 'not a GitHub runner'}${e.runnerImage ? ` (image ${e.runnerImage})` : ''}`],
    ['Report created', String(report.createdAt)],
  ];
  return `<h2>Environment</h2>\n${table(['', ''], rows)}`;
}
