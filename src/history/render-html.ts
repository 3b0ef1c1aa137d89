// The history as a self-contained static page: inline SVG charts (bytes/request with its interval band; peak
// memory), one linked point per commit, marks for accepted growths, regressions and drift alarms, and a table.
// No scripts, styles or fonts from the network, so it works from a file, GitHub Pages or an artifact. Pure.
import { formatBytes, formatBytesPerRequest } from '../core/units.js';
import type { HistoryPoint } from './collect.js';
import { commitUrl, marksOf, safeUrl, type HistoryPageInfo } from './render-markdown.js';

export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const W = 900;
const H = 280;
const PAD = { left: 70, right: 20, top: 20, bottom: 40 };
const MARK_COLOUR: Record<string, string> = { accepted: '#1a7f37', regression: '#cf222e', drift: '#bc4c00', failed: '#cf222e' };

interface Series {
  title: string;
  value: (p: HistoryPoint) => number;
  low?: (p: HistoryPoint) => number;
  high?: (p: HistoryPoint) => number;
  format: (n: number) => string;
  id: string;
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function chart(points: readonly HistoryPoint[], info: HistoryPageInfo, s: Series): string {
  const values = points.flatMap((p) => [s.value(p), s.low?.(p) ?? s.value(p), s.high?.(p) ?? s.value(p)].map(finite));
  let min = Math.min(0, ...values);
  let max = Math.max(...values);
  if (max - min < 1e-9) max = min + 1;
  const span = max - min;
  min -= span * 0.05;
  max += span * 0.05;
  const n = points.length;
  const x = (i: number): number => PAD.left + (n === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number): number => PAD.top + ((max - finite(v)) * (H - PAD.top - PAD.bottom)) / (max - min);
  const out: string[] = [`<svg id="${s.id}" class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(s.title)}">`];
  out.push(`<title>${escapeHtml(s.title)}</title>`);
  for (let k = 0; k <= 4; k++) {
    const v = min + ((max - min) * k) / 4;
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#57606a">${escapeHtml(s.format(v))}</text>`);
  }
  if (s.low && s.high) {
    const upper = points.map((p, i) => `${x(i).toFixed(1)},${y(s.high!(p)).toFixed(1)}`);
    const lower = points.map((p, i) => `${x(i).toFixed(1)},${y(s.low!(p)).toFixed(1)}`).reverse();
    out.push(`<polygon class="interval" points="${[...upper, ...lower].join(' ')}" fill="#0969da" fill-opacity="0.15" stroke="none"/>`);
  }
  out.push(`<polyline class="line" points="${points.map((p, i) => `${x(i).toFixed(1)},${y(s.value(p)).toFixed(1)}`).join(' ')}" fill="none" stroke="#0969da" stroke-width="2"/>`);
  points.forEach((p, i) => {
    const marks = marksOf(p);
    const colour = marks.length ? MARK_COLOUR[marks[0]!]! : '#0969da';
    const label = `${p.sha.slice(0, 7) || `#${i + 1}`} · ${s.format(s.value(p))}${s.low && s.high ? ` (${s.format(s.low(p))} to ${s.format(s.high(p))})` : ''}${marks.length ? ` · ${marks.join(', ')}` : ''}${p.acceptance?.covered ? ` · ${p.acceptance.reason}` : ''}`;
    const dot = `<circle class="point${marks.map((m) => ` ${m}`).join('')}" data-sha="${escapeHtml(p.sha)}" cx="${x(i).toFixed(1)}" cy="${y(s.value(p)).toFixed(1)}" r="${marks.length ? 6 : 4}" fill="${colour}"><title>${escapeHtml(label)}</title></circle>`;
    const url = safeUrl(commitUrl(info, p.sha));
    out.push(url ? `<a href="${escapeHtml(url)}" target="_top">${dot}</a>` : dot);
  });
  const every = Math.max(1, Math.ceil(n / 15));
  points.forEach((p, i) => {
    if (i % every === 0 || i === n - 1) out.push(`<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="10" fill="#57606a">${escapeHtml(p.sha.slice(0, 7))}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

const STYLE = `body{font:14px -apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1f2328}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left}td.n{text-align:right}.accepted{color:#1a7f37}.regression,.failed{color:#cf222e}.drift{color:#bc4c00}a{color:#0969da}`;

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

/** The page of one config. */
export function renderHistoryHtml(points: readonly HistoryPoint[], info: HistoryPageInfo, generatedAt: string): string {
  const title = `leakgate history · ${info.configName} on ${info.branch}`;
  if (points.length === 0) return page(title, `<h1>${escapeHtml(title)}</h1><p>No stored runs yet.</p>`);
  const unit = points.some((p) => p.overTime) ? 's' : 'req';
  const body: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${points.length} stored run(s), ${escapeHtml(points[0]!.savedAt.slice(0, 10))} to ${escapeHtml(points.at(-1)!.savedAt.slice(0, 10))}. Each point links to its commit. <span class="accepted">● accepted growth</span> <span class="regression">● regression</span> <span class="drift">● drift alarm</span>. Generated ${escapeHtml(generatedAt)}.</p>`,
    `<h2>Bytes per ${unit === 's' ? 'second' : 'request'}, with its interval</h2>`,
    chart(points, info, { id: 'slope', title: 'Bytes per request per commit', value: (p) => p.bytesPerRequest, low: (p) => p.ciLow, high: (p) => p.ciHigh, format: (v) => formatBytesPerRequest(v, unit) }),
    '<h2>Peak memory</h2>',
    chart(points, info, { id: 'peak', title: 'Peak memory per commit', value: (p) => p.peakBytes, format: formatBytes }),
    '<h2>Runs</h2>',
    '<table><thead><tr><th>Commit</th><th>Saved (UTC)</th><th>Bytes / request</th><th>Interval</th><th>Peak</th><th>Verdict</th><th>Marks</th><th>Run</th></tr></thead><tbody>',
  ];
  for (const p of [...points].reverse()) {
    const url = safeUrl(commitUrl(info, p.sha));
    const run = safeUrl(p.runUrl);
    const marks = marksOf(p);
    const sha = escapeHtml(p.sha.slice(0, 7) || '—');
    body.push(
      `<tr><td>${url ? `<a class="commit" href="${escapeHtml(url)}">${sha}</a>` : sha}</td><td>${escapeHtml(p.savedAt.slice(0, 16).replace('T', ' '))}</td>` +
        `<td class="n">${escapeHtml(formatBytesPerRequest(p.bytesPerRequest, unit))}</td><td class="n">${escapeHtml(formatBytesPerRequest(p.ciLow, unit))} to ${escapeHtml(formatBytesPerRequest(p.ciHigh, unit))}</td>` +
        `<td class="n">${escapeHtml(formatBytes(p.peakBytes))}</td><td>${escapeHtml(p.verdict)}</td>` +
        `<td>${marks.map((m) => `<span class="${m}">${m}</span>`).join(' ')}${p.acceptance?.covered ? `: ${escapeHtml(p.acceptance.reason)} (by ${escapeHtml(p.acceptance.by)})` : ''}</td>` +
        `<td>${run ? `<a class="run" href="${escapeHtml(run)}">run</a>` : ''}</td></tr>`,
    );
  }
  body.push('</tbody></table>');
  return page(title, body.join('\n'));
}

/** The index of every config's page. */
export function renderHistoryIndex(configs: ReadonlyArray<{ configName: string; branch: string; file: string; runs: number | null; latest: HistoryPoint | null }>, generatedAt: string): string {
  const rows = configs.map(
    (c) =>
      `<tr><td><a href="${escapeHtml(encodeURI(c.file))}">${escapeHtml(c.configName)}</a></td><td>${escapeHtml(c.branch)}</td><td class="n">${c.runs ?? ""}</td>` +
      `<td class="n">${c.latest ? escapeHtml(formatBytesPerRequest(c.latest.bytesPerRequest)) : ''}</td><td class="n">${c.latest ? escapeHtml(formatBytes(c.latest.peakBytes)) : ''}</td></tr>`,
  );
  return page(
    'leakgate history',
    `<h1>leakgate history</h1><p>Generated ${escapeHtml(generatedAt)}.</p><table><thead><tr><th>Config</th><th>Branch</th><th>Runs</th><th>Latest bytes / request</th><th>Latest peak</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
}
