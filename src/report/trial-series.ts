// What a chart of one trial shows, taken from the report alone: memory against requests served (the analysed metric,
// or the runtime heap series when the heap decided), where the warm-up ended, and the fitted trend line (the analysis's
// Theil-Sen line over the robust series: startBytes at the warm-up end, slope bytesPerRequest). The terminal chart and
// the HTML report both draw from here, so they show the same thing.
import type { MetricName, TrialReport } from '../core/types.js';
import { METRIC_NAMES, sampledMetric } from '../core/types.js';
import { hasTrend } from './format.js';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface TrialChartSeries {
  /** Which figure the points are: the analysed metric, or 'heap' for the runtime's heap after GC. */
  metric: MetricName;
  points: ChartPoint[];
  /** Requests served when the warm-up ended (the trend is fitted after it). */
  warmupEndX: number;
  /** The fitted line's ends; absent when no trend was fitted. */
  trend?: { x0: number; y0: number; x1: number; y1: number };
}

/** Samples under load of one figure, sorted by requests served. */
export function samplePoints(trial: TrialReport, metric: MetricName): ChartPoint[] {
  if (metric === 'heap') {
    return (trial.evidence?.runtime?.heapSeries ?? [])
      .filter((s) => s.t >= 0 && Number.isFinite(s.requests) && Number.isFinite(s.usedBytes))
      .map((s) => ({ x: s.requests, y: s.usedBytes }))
      .sort((a, b) => a.x - b.x);
  }
  const m = (METRIC_NAMES as readonly string[]).includes(metric) ? metric : sampledMetric(metric);
  return (trial.samples ?? [])
    .filter((s) => s.t >= 0 && Number.isFinite(s.requests) && Number.isFinite(s.total?.[m]))
    .map((s) => ({ x: s.requests, y: s.total[m] }))
    .sort((a, b) => a.x - b.x);
}

/** The chart of a trial for the analysed metric (heap when the heap series exists, else its sampled stand-in). */
export function trialChartSeries(trial: TrialReport, analysed: MetricName): TrialChartSeries {
  let metric: MetricName = analysed;
  let points = samplePoints(trial, analysed);
  if (analysed === 'heap' && points.length < 2) {
    metric = sampledMetric(analysed);
    points = samplePoints(trial, metric);
  }
  const a = trial.analysis;
  const out: TrialChartSeries = { metric, points, warmupEndX: Number.isFinite(a?.warmupEndRequests) ? a.warmupEndRequests : 0 };
  // The line is the analysis's own fit: only drawn over the figure it was fitted on.
  if (a && hasTrend(a) && metric === a.metric && Number.isFinite(a.startBytes) && Number.isFinite(a.bytesPerRequest)) {
    const x0 = a.warmupEndRequests;
    const x1 = x0 + (Number.isFinite(a.requestsAnalysed) ? a.requestsAnalysed : 0);
    if (x1 > x0) out.trend = { x0, y0: a.startBytes, x1, y1: a.startBytes + a.bytesPerRequest * (x1 - x0) };
  }
  return out;
}
