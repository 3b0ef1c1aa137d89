// The memory curve of a baseline report, condensed for the chart: memory against requests served, the median over
// the report's trials at up to `points` request counts. Pure.
import { median } from '../analyze/index.js';
import { sampledMetric, type BaselineInfo, type MetricName, type Report } from '../core/types.js';

export function baselineCurve(report: Report, analysed: MetricName, points = 30): BaselineInfo['curve'] {
  const metric = sampledMetric(analysed);
  const series = report.trials
    .filter((t) => t.analysis.points > 0)
    .map((t) => t.samples.filter((s) => s.t >= 0 && Number.isFinite(s.total?.[metric])).map((s) => ({ x: s.requests, y: s.total[metric] })))
    .filter((s) => s.length >= 2);
  if (series.length === 0) return [];
  const end = Math.min(...series.map((s) => s[s.length - 1]!.x));
  if (!(end > 0)) return [];
  const out: BaselineInfo['curve'] = [];
  for (let i = 0; i < points; i++) {
    const x = (end * i) / (points - 1);
    const ys = series.map((s) => valueAt(s, x));
    out.push({ requests: Math.round(x), bytes: Math.round(median(ys)) });
  }
  return out;
}

/** Linear interpolation in a series sorted by x; the nearest end outside it. */
function valueAt(s: ReadonlyArray<{ x: number; y: number }>, x: number): number {
  if (x <= s[0]!.x) return s[0]!.y;
  for (let i = 1; i < s.length; i++) {
    const b = s[i]!;
    if (b.x >= x) {
      const a = s[i - 1]!;
      return b.x === a.x ? (a.y + b.y) / 2 : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
    }
  }
  return s[s.length - 1]!.y;
}
