// A compact text plot of memory against requests served, for the terminal: samples as marks (each column spans the
// range of the samples that fall in it, so a GC sawtooth shows as a band), the fitted trend as dots, and the end of
// the warm-up as a dashed column with its request count under the axis. Pure: series in, lines out. Unicode box
// and dot characters by default; plain ASCII when the caller asks (not a TTY, NO_COLOR, an old console).
import type { ChartPoint } from './trial-series.js';
import { formatBytes, formatCompactCount } from './format.js';

export interface TextChartInput {
  points: readonly ChartPoint[];
  /** x where the warm-up ended; drawn as a column marker when inside the plotted range. */
  warmupEndX?: number;
  /** The fitted line, from (x0, y0) to (x1, y1). */
  trend?: { x0: number; y0: number; x1: number; y1: number } | undefined;
  /** Plot area in characters (axes and labels come on top). */
  width?: number;
  height?: number;
  ascii?: boolean;
  /** Label of the x unit under the axis ("req", or "ms" for a run analysed over time). */
  xUnit?: string;
  /** Line above the plot. */
  title?: string;
}

export const TEXT_CHART_WIDTH = 60;
export const TEXT_CHART_HEIGHT = 12;

const GLYPHS = {
  unicode: { mark: '●', trend: '·', warmup: '┆', yTick: '┤', yAxis: '│', corner: '└', xAxis: '─', xTick: '┴' },
  ascii: { mark: '*', trend: '.', warmup: ':', yTick: '+', yAxis: '|', corner: '+', xAxis: '-', xTick: '+' },
} as const;

/** Column of x in a plot `width` wide spanning [x0, x1]. */
export function columnOf(x: number, x0: number, x1: number, width: number): number {
  if (!(x1 > x0)) return 0;
  return Math.min(width - 1, Math.max(0, Math.round(((x - x0) / (x1 - x0)) * (width - 1))));
}

/** Row of y (0 = top) in a plot `height` high spanning [y0, y1]. */
function rowOf(y: number, y0: number, y1: number, height: number): number {
  if (!(y1 > y0)) return height - 1;
  return height - 1 - Math.min(height - 1, Math.max(0, Math.round(((y - y0) / (y1 - y0)) * (height - 1))));
}

/** The plot as lines of text; an empty array when there are fewer than two points to draw. */
export function renderTextChart(input: TextChartInput): string[] {
  const width = Math.max(10, Math.floor(input.width ?? TEXT_CHART_WIDTH));
  const height = Math.max(3, Math.floor(input.height ?? TEXT_CHART_HEIGHT));
  const g = input.ascii ? GLYPHS.ascii : GLYPHS.unicode;
  const points = input.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (points.length < 2) return [];
  const x0 = Math.min(...points.map((p) => p.x));
  const x1 = Math.max(...points.map((p) => p.x));
  if (!(x1 > x0)) return [];
  const trend = input.trend && [input.trend.x0, input.trend.y0, input.trend.x1, input.trend.y1].every(Number.isFinite) ? input.trend : undefined;
  const ys = [...points.map((p) => p.y), ...(trend ? [trend.y0, trend.y1] : [])];
  let yLow = Math.min(...ys);
  let yHigh = Math.max(...ys);
  // A minimum span (5% of the top) keeps a flat series with a little GC noise looking flat, not like a storm.
  const minSpan = Math.max(64 * 1024, Math.abs(yHigh) * 0.05);
  if (yHigh - yLow < minSpan) {
    const mid = (yHigh + yLow) / 2;
    yLow = mid - minSpan / 2;
    yHigh = mid + minSpan / 2;
  }

  const grid: string[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const warmupCol = input.warmupEndX !== undefined && input.warmupEndX > x0 && input.warmupEndX < x1 ? columnOf(input.warmupEndX, x0, x1, width) : undefined;
  if (warmupCol !== undefined) for (const row of grid) row[warmupCol] = g.warmup;
  // Each column spans its samples' range: a sawtooth is a band, a steady rise a staircase.
  const spans = new Map<number, { lo: number; hi: number }>();
  for (const p of points) {
    const c = columnOf(p.x, x0, x1, width);
    const s = spans.get(c);
    spans.set(c, s ? { lo: Math.min(s.lo, p.y), hi: Math.max(s.hi, p.y) } : { lo: p.y, hi: p.y });
  }
  for (const [c, s] of spans) {
    for (let r = rowOf(s.hi, yLow, yHigh, height); r <= rowOf(s.lo, yLow, yHigh, height); r++) grid[r]![c] = g.mark;
  }

  // The trend goes over the samples, so the fitted line shows through the data.
  if (trend) {
    for (let c = 0; c < width; c++) {
      const x = x0 + ((x1 - x0) * c) / (width - 1);
      if (x < trend.x0 || x > trend.x1) continue;
      const y = trend.y0 + ((trend.y1 - trend.y0) * (x - trend.x0)) / (trend.x1 - trend.x0 || 1);
      grid[rowOf(y, yLow, yHigh, height)]![c] = g.trend;
    }
  }

  const labels = new Map<number, string>([
    [0, formatBytes(yHigh)],
    [Math.floor((height - 1) / 2), formatBytes((yHigh + yLow) / 2)],
    [height - 1, formatBytes(yLow)],
  ]);
  const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
  const out: string[] = [];
  if (input.title) out.push(input.title);
  grid.forEach((row, r) => {
    const label = labels.get(r);
    out.push(`${(label ?? '').padStart(labelWidth)} ${label !== undefined ? g.yTick : g.yAxis}${row.join('').trimEnd()}`);
  });
  const axis: string[] = Array.from({ length: width }, () => g.xAxis);
  if (warmupCol !== undefined) axis[warmupCol] = g.xTick;
  out.push(`${' '.repeat(labelWidth)} ${g.corner}${axis.join('')}`);
  out.push(xLabels(x0, x1, width, warmupCol, input.warmupEndX, labelWidth + 2, input.xUnit ?? 'req'));
  return out;
}

/** "0", the warm-up end under its column, and the last x with its unit at the right. */
function xLabels(x0: number, x1: number, width: number, warmupCol: number | undefined, warmupEndX: number | undefined, indent: number, unit: string): string {
  const line = Array.from({ length: width + 12 }, () => ' ');
  const put = (col: number, text: string): boolean => {
    const start = Math.max(0, Math.min(col, line.length - text.length));
    if (line.slice(Math.max(0, start - 1), start + text.length + 1).some((ch) => ch !== ' ')) return false;
    text.split('').forEach((ch, i) => (line[start + i] = ch));
    return true;
  };
  put(0, axisCount(x0));
  const last = `${axisCount(x1)} ${unit}`;
  put(Math.max(0, width - last.length), last);
  if (warmupCol !== undefined && warmupEndX !== undefined) {
    const text = `warm-up ${axisCount(warmupEndX)}`;
    put(warmupCol, text) || put(Math.max(0, warmupCol - text.length + 1), text) || put(warmupCol, axisCount(warmupEndX));
  }
  return `${' '.repeat(indent)}${line.join('').trimEnd()}`;
}

/** A count to three significant digits, compact: 1952 is "1.95k". */
function axisCount(n: number): string {
  return formatCompactCount(Number.isFinite(n) && n !== 0 ? Number(n.toPrecision(3)) : n);
}
