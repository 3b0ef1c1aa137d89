// Analyses Prometheus series with leakgate's own statistics: every segment of every series (a process's life
// within the window) becomes a trial's samples and goes through analyzeTrial (memory against requests served, when
// a request counter is given) or analyzeTrialOverTime (memory against time), so the warm-up, the floor series, the
// trend test and the practical floors are exactly those of a CI run. Pure: series in, results and trials out.
import { analyzeTrial, analyzeTrialOverTime, type AnalysisOptions } from '../analyze/analyze-trial.js';
import { projectTimeToLimit } from '../compare/projection.js';
import type { Sample, TrialAnalysis, TrialReport, Verdict } from '../core/types.js';
import { seriesName, type Point, type RangeSeries } from './query-range.js';
import { segmentSeries, type SegmentOptions } from './segment.js';
import type { SegmentResult, SeriesGroup, SeriesResult } from './types.js';

export const CURVE_POINTS = 120;
const MIB = 1024 * 1024;

export interface SeriesAnalysisOptions {
  analysis: AnalysisOptions;
  segment: SegmentOptions;
  /** Unix ms of the window's start: sample times count from here, so every series shares one time axis. */
  windowStartMs: number;
  /** Request counters (requests-query), matched to memory series by their shared labels. */
  requests?: RangeSeries[];
  /** Limit series (limit-query), matched the same way; else `limit`. */
  limits?: RangeSeries[];
  limit?: number;
}

export interface GroupAnalysis {
  series: SeriesResult[];
  trials: TrialReport[];
  warnings: string[];
}

/** Analyses every series of one query; `firstTrial` numbers the trials after those of earlier groups. */
export function analyzeGroup(group: SeriesGroup, series: readonly RangeSeries[], opts: SeriesAnalysisOptions, firstTrial: number): GroupAnalysis {
  const out: GroupAnalysis = { series: [], trials: [], warnings: [] };
  for (const s of series) {
    const name = seriesName(s.labels);
    const counter = opts.requests ? matchSeries(s.labels, opts.requests) : undefined;
    if (opts.requests && !counter) out.warnings.push(`no request counter matches ${name} (by shared labels): analysed over time`);
    const limitSeries = opts.limits ? matchSeries(s.labels, opts.limits) : undefined;
    const queriedLimit = limitSeries ? lastValue(limitSeries.points) : undefined;
    // cAdvisor reports 0 for a container without a limit.
    const limitBytes = queriedLimit !== undefined && queriedLimit > 0 ? queriedLimit : (opts.limit ?? null);
    const limitSource = queriedLimit !== undefined && queriedLimit > 0 ? 'limit-query' : opts.limit !== undefined ? 'limit' : null;

    const split = segmentSeries(s.points, opts.segment);
    const segments: SegmentResult[] = [];
    let throughputs: number[] = [];
    for (const points of split.segments) {
      const built = counter ? samplesAgainstRequests(points, counter.points, opts.windowStartMs) : samplesOverTime(points, opts.windowStartMs);
      const analysis: TrialAnalysis = counter
        ? analyzeTrial(built.samples, opts.analysis, built.throughput)
        : analyzeTrialOverTime(built.samples, opts.analysis, 0);
      throughputs.push(built.throughput);
      const index = firstTrial + out.trials.length;
      out.trials.push(trialOf(index, built.samples, analysis, points, built, !counter));
      segments.push({ startMs: points[0]!.t, endMs: points[points.length - 1]!.t, points: points.length, trial: index, analysis });
    }
    const deciding = decidingSegment(segments);
    const a = segments[deciding]?.analysis;
    const bytesPerSecond = a?.bytesPerSecond ?? 0;
    const lastBytes = lastValue(s.points) ?? 0;
    const secondsToLimit = limitBytes !== null ? projectTimeToLimit(bytesPerSecond, 1, lastBytes, limitBytes).requestsToLimit : null;
    out.series.push({
      group,
      name,
      labels: s.labels,
      points: s.points.length,
      nonFinite: s.nonFinite,
      gaps: split.gaps,
      restarts: split.restarts,
      segments,
      verdict: seriesVerdict(segments),
      reason: a?.reason ?? 'inconclusive: no points',
      decidingSegment: deciding,
      bytesPerSecond,
      mibPerHour: (bytesPerSecond * 3600) / MIB,
      bytesPerRequest: counter && a ? a.bytesPerRequest : null,
      throughput: counter ? (throughputs[deciding] ?? 0) : null,
      lastBytes,
      peakBytes: s.points.reduce((m, p) => Math.max(m, p.v), 0),
      limitBytes,
      limitSource,
      secondsToLimit,
      curve: thin(s.points, CURVE_POINTS).map((p) => ({ t: p.t, bytes: p.v })),
    });
    throughputs = [];
  }
  return out;
}

/** leak when any segment leaks; else no-leak when any is conclusive; else inconclusive. */
export function seriesVerdict(segments: readonly SegmentResult[]): Verdict {
  if (segments.some((s) => s.analysis.verdict === 'leak')) return 'leak';
  if (segments.some((s) => s.analysis.verdict === 'no-leak')) return 'no-leak';
  return 'inconclusive';
}

/** The steepest leaking segment, else the longest conclusive one, else the longest. */
export function decidingSegment(segments: readonly SegmentResult[]): number {
  const pick = (ok: (s: SegmentResult) => boolean, better: (a: SegmentResult, b: SegmentResult) => boolean): number =>
    segments.reduce((best, s, i) => (ok(s) && (best < 0 || better(s, segments[best]!)) ? i : best), -1);
  const leaking = pick((s) => s.analysis.verdict === 'leak', (a, b) => a.analysis.bytesPerSecond > b.analysis.bytesPerSecond);
  if (leaking >= 0) return leaking;
  const conclusive = pick((s) => s.analysis.verdict !== 'inconclusive', (a, b) => a.points > b.points);
  if (conclusive >= 0) return conclusive;
  return Math.max(0, pick(() => true, (a, b) => a.points > b.points));
}

/** Overall: leak when any series leaks, inconclusive when any series is, else no-leak. */
export function overallVerdict(series: readonly SeriesResult[]): Verdict {
  if (series.some((s) => s.verdict === 'leak')) return 'leak';
  if (series.length === 0 || series.some((s) => s.verdict === 'inconclusive')) return 'inconclusive';
  return 'no-leak';
}

/**
 * The series of `candidates` that belongs with a memory series: the only one, or the one agreeing on every label
 * both carry (as PromQL's one-to-one matching on shared labels), preferring the one sharing the most labels.
 */
export function matchSeries(labels: Record<string, string>, candidates: readonly RangeSeries[]): RangeSeries | undefined {
  if (candidates.length === 1) return candidates[0];
  let best: RangeSeries | undefined;
  let bestShared = 0;
  for (const c of candidates) {
    const shared = Object.keys(c.labels).filter((k) => k !== '__name__' && k in labels);
    if (shared.length === 0 || !shared.every((k) => c.labels[k] === labels[k])) continue;
    if (shared.length > bestShared) {
      best = c;
      bestShared = shared.length;
    }
  }
  return best;
}

interface Built {
  samples: Sample[];
  /** Requests per second over the segment (0 over time). */
  throughput: number;
  requests: number;
}

function sampleOf(t: number, requests: number, v: number): Sample {
  return { t, requests, total: { rss: v, anon: v, pss: v, uss: v, swap: 0 }, processes: [] };
}

/** Over time: `requests` holds seconds since the window's start, so every series shares the x axis. */
function samplesOverTime(points: readonly Point[], windowStartMs: number): Built {
  return { samples: points.map((p) => sampleOf(p.t - windowStartMs, (p.t - windowStartMs) / 1000, p.v)), throughput: 0, requests: 0 };
}

/**
 * Against requests: the counter's increase since the segment's first point, taken at the memory point's time (a
 * point without a counter value at that time is left out). A counter that falls was reset (a restart), and counts
 * on from where it was, as PromQL's increase() does.
 */
function samplesAgainstRequests(points: readonly Point[], counter: readonly Point[], windowStartMs: number): Built {
  const at = new Map<number, number>();
  let offset = 0;
  let prev: number | undefined;
  for (const c of counter) {
    if (prev !== undefined && c.v < prev) offset += prev;
    at.set(c.t, c.v + offset);
    prev = c.v;
  }
  const samples: Sample[] = [];
  let first: number | undefined;
  for (const p of points) {
    const r = at.get(p.t);
    if (r === undefined) continue;
    first ??= r;
    samples.push(sampleOf(p.t - windowStartMs, r - first, p.v));
  }
  const last = samples[samples.length - 1];
  const seconds = last && samples.length > 1 ? (last.t - samples[0]!.t) / 1000 : 0;
  const requests = last?.requests ?? 0;
  return { samples, throughput: seconds > 0 ? requests / seconds : 0, requests };
}

function trialOf(index: number, samples: Sample[], analysis: TrialAnalysis, points: readonly Point[], built: Built, overTime: boolean): TrialReport {
  const durationMs = points.length > 1 ? points[points.length - 1]!.t - points[0]!.t : 0;
  return {
    index,
    startedAt: new Date(points[0]?.t ?? 0).toISOString(),
    samples,
    load: {
      tool: 'prometheus',
      requests: built.requests,
      ok: built.requests,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      durationMs,
      throughput: built.throughput,
      latency: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
    },
    exit: { code: null, signal: null, early: false },
    analysis,
    outputTail: [],
    countsRequests: !overTime,
  };
}

function lastValue(points: readonly Point[]): number | undefined {
  return points[points.length - 1]?.v;
}

/** At most `max` points, evenly spread, first and last kept. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}
