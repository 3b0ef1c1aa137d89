// Line charts as inline SVG for the HTML report: series of (x, y) points, an optional shaded warm-up band, dashed
// lines (trend, baseline), axes with round ticks. Pure: data in, SVG markup out; every label goes through escapeHtml.
// No script, no external reference, so the file renders the same offline.
import { escapeHtml } from './escape.js';
import type { ChartPoint } from './trial-series.js';

export interface SvgSeries {
  label: string;
  points: readonly ChartPoint[];
  color: string;
  dashed?: boolean;
  /** Drawn thinner and under the others (a baseline, a stand-in). */
  faint?: boolean;
  /** A class name for the path, so tests and styles can find it. */
  kind?: string;
}

export interface SvgChartInput {
  series: readonly SvgSeries[];
  /** Shaded from the left edge to this x. */
  warmupEndX?: number;
  width?: number;
  height?: number;
  xLabel: string;
  yLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** y is in bytes: ticks fall on round KiB / MiB / GiB rather than round decimal numbers. */
  yBytes?: boolean;
  /** Accessible name of the chart. */
  title: string;
}

/** At most this many points per path: more add bytes, not detail, at chart width. */
const MAX_PATH_POINTS = 1500;

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((s) => s * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Every n-th point, keeping the last, so a long series stays within MAX_PATH_POINTS. */
function thin(points: readonly ChartPoint[]): readonly ChartPoint[] {
  if (points.length <= MAX_PATH_POINTS) return points;
  const every = Math.ceil(points.length / MAX_PATH_POINTS);
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

const fixed = (n: number): string => (Math.round(n * 10) / 10).toString();

/** The chart as an <svg> element; a short note instead when there is nothing to draw. */
export function renderSvgChart(input: SvgChartInput): string {
  const width = input.width ?? 760;
  const height = input.height ?? 300;
  const m = { left: 78, right: 16, top: 14, bottom: 44 };
  const series = input.series.map((s) => ({ ...s, points: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)) })).filter((s) => s.points.length >= 2);
  const all = series.flatMap((s) => s.points);
  if (all.length < 2) return `<p class="note">Too few samples to chart.</p>`;
  const x0 = Math.min(...all.map((p) => p.x));
  const x1 = Math.max(...all.map((p) => p.x));
  let y0 = Math.min(...all.map((p) => p.y));
  let y1 = Math.max(...all.map((p) => p.y));
  const pad = Math.max((y1 - y0) * 0.06, Math.abs(y1) * 0.01, 1);
  y0 -= pad;
  y1 += pad;
  if (!(x1 > x0)) return `<p class="note">Too few requests served to chart.</p>`;
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.top + ph - ((y - y0) / (y1 - y0)) * ph;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(input.title)}">`);
  parts.push(`<title>${escapeHtml(input.title)}</title>`);
  if (input.warmupEndX !== undefined && input.warmupEndX > x0) {
    const wx = sx(Math.min(input.warmupEndX, x1));
    parts.push(`<rect class="warmup" x="${fixed(m.left)}" y="${fixed(m.top)}" width="${fixed(wx - m.left)}" height="${fixed(ph)}"/>`);
    parts.push(`<text class="warmup-label" x="${fixed(m.left + 6)}" y="${fixed(m.top + 14)}">warm-up</text>`);
  }
  const unit = input.yBytes ? 1024 ** Math.max(0, Math.floor(Math.log(Math.max(1, y1 - y0)) / Math.log(1024))) : 1;
  for (const t of niceTicks(y0 / unit, y1 / unit).map((v) => v * unit)) {
    if (t < y0 || t > y1) continue;
    parts.push(`<line class="grid" x1="${m.left}" x2="${width - m.right}" y1="${fixed(sy(t))}" y2="${fixed(sy(t))}"/>`);
    parts.push(`<text class="tick" x="${m.left - 6}" y="${fixed(sy(t) + 4)}" text-anchor="end">${escapeHtml(input.formatY(t))}</text>`);
  }
  for (const t of niceTicks(x0, x1, 6)) {
    if (t < x0 || t > x1) continue;
    parts.push(`<line class="axis" x1="${fixed(sx(t))}" x2="${fixed(sx(t))}" y1="${m.top + ph}" y2="${m.top + ph + 4}"/>`);
    parts.push(`<text class="tick" x="${fixed(sx(t))}" y="${m.top + ph + 17}" text-anchor="middle">${escapeHtml(input.formatX(t))}</text>`);
  }
  parts.push(`<line class="axis" x1="${m.left}" x2="${width - m.right}" y1="${m.top + ph}" y2="${m.top + ph}"/>`);
  parts.push(`<line class="axis" x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}"/>`);
  parts.push(`<text class="axis-label" x="${fixed(m.left + pw / 2)}" y="${height - 6}" text-anchor="middle">${escapeHtml(input.xLabel)}</text>`);
  parts.push(`<text class="axis-label" transform="translate(14 ${fixed(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(input.yLabel)}</text>`);
  // Faint series first, so the run's own lines are drawn over them.
  const ordered = [...series.filter((s) => s.faint), ...series.filter((s) => !s.faint)];
  for (const s of ordered) {
    const d = thin(s.points).map((p, i) => `${i === 0 ? 'M' : 'L'}${fixed(sx(p.x))} ${fixed(sy(p.y))}`).join(' ');
    const cls = ['series', s.kind ?? '', s.dashed ? 'dashed' : '', s.faint ? 'faint' : ''].filter(Boolean).join(' ');
    parts.push(`<path class="${escapeHtml(cls)}" d="${d}" stroke="${escapeHtml(s.color)}" fill="none"><title>${escapeHtml(s.label)}</title></path>`);
  }
  parts.push('</svg>');
  const legend = series.map((s) => `<span class="key"><span class="swatch${s.dashed ? ' dashed' : ''}" style="border-color:${escapeHtml(s.color)}"></span>${escapeHtml(s.label)}</span>`);
  if (input.warmupEndX !== undefined && input.warmupEndX > x0) legend.push(`<span class="key"><span class="swatch warmup"></span>warm-up (not fitted)</span>`);
  return `<figure>${parts.join('')}<figcaption class="legend">${legend.join(' ')}</figcaption></figure>`;
}
