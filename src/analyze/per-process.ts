// Which process of the app's tree the memory grows in: a Theil-Sen slope of each pid's memory
// against requests after warm-up (on the same per-window floors as the trial verdict), its share of
// the tree's growth, and the sentence that names the process that grows most. Pure.
import type { SampledMetric, ProcessFigures, Sample } from '../core/types.js';
import { formatBytesPerRequest, formatPercent } from '../core/units.js';
import { robustSeries } from './robust-series.js';
import { theilSen } from './stats.js';

export interface ProcessGrowth {
  pid: number;
  ppid: number;
  comm: string;
  /** Command line, when the caller passed the sampler's process table. */
  cmdline?: string;
  /** Fitted floor of the metric at this pid's first and last sample after warm-up, bytes. */
  startBytes: number;
  endBytes: number;
  /** Theil-Sen slope of the metric's floor against requests, bytes per request. */
  slopeBytesPerRequest: number;
  /** Share of the tree's growth: this slope over the sum of the positive slopes (0 when not growing). */
  share: number;
  /** Samples of this pid after warm-up. */
  points: number;
  /** Requests served over the samples this pid was in. */
  requests: number;
  /** Born after warm-up ended / gone before the last sample. */
  appearedLate: boolean;
  vanished: boolean;
}

export interface AttributeOptions {
  /** Index into `samples` where the analysed window starts (TrialAnalysis.warmupEndIndex). */
  warmupEndIndex: number;
  metric: SampledMetric;
  /** Command lines by pid (e.g. from sampler.processes()). */
  cmdlines?: ReadonlyMap<number, { cmdline: string }>;
}

/**
 * The index in `samples` of the first one at or past `requests` (samples.length when none is). The analysis's
 * warm-up end is an index into the series it analysed: only the full samples for pss and uss, the heap readings
 * for metric heap. The request count at that point is what means the same thing in every series.
 */
export function indexAtRequests(samples: readonly Pick<Sample, 'requests' | 't'>[], requests: number): number {
  const i = samples.findIndex((s) => s.t >= 0 && s.requests >= requests);
  return i < 0 ? samples.length : i;
}

/** Floors per window of at least 3 samples when there are 36 or more, else every sample (as analyzeTrial). */
function fit(points: Sample[], metric: SampledMetric): { slope: number; startBytes: number; endBytes: number } {
  if (points.length < 2) {
    const v = points[0]?.total[metric] ?? 0;
    return { slope: 0, startBytes: v, endBytes: v };
  }
  const series = robustSeries(points, { metric, minWindow: points.length >= 36 ? 3 : 1 });
  const ts = theilSen(series.x, series.y, 0.95, 0);
  const at = (x: number): number => ts.intercept + ts.slope * x;
  const x0 = points[0]!.requests;
  const x1 = points[points.length - 1]!.requests;
  return {
    slope: Number.isFinite(ts.slope) ? ts.slope : 0,
    startBytes: at(x0) > 0 ? at(x0) : (series.y[0] ?? 0),
    endBytes: at(x1) > 0 ? at(x1) : (series.y[series.y.length - 1] ?? 0),
  };
}

/**
 * Per process, how its memory grew after warm-up, most growth first. A pid that appears late or
 * vanishes is fitted on the samples it is in. For pss and uss only full samples count (in the
 * others those figures were carried forward, not read).
 */
export function attributeProcesses(samples: readonly Sample[], opts: AttributeOptions): ProcessGrowth[] {
  if (!Number.isInteger(opts.warmupEndIndex) || opts.warmupEndIndex < 0) {
    throw new RangeError(`attributeProcesses: warmupEndIndex must be an integer >= 0, got ${opts.warmupEndIndex}`);
  }
  const carried = opts.metric === 'pss' || opts.metric === 'uss';
  const window = samples.slice(opts.warmupEndIndex).filter((s) => !(carried && s.full === false));
  const byPid = new Map<number, { last: ProcessFigures; points: Sample[]; first: number; lastIndex: number }>();
  window.forEach((s, i) => {
    for (const p of s.processes) {
      // Each pid's series as pseudo-samples, so the trial's floor series applies unchanged.
      const point: Sample = { t: s.t, requests: s.requests, total: p, processes: [] };
      const entry = byPid.get(p.pid);
      if (entry) {
        entry.points.push(point);
        entry.last = p;
        entry.lastIndex = i;
      } else {
        byPid.set(p.pid, { last: p, points: [point], first: i, lastIndex: i });
      }
    }
  });
  const out: ProcessGrowth[] = [];
  for (const [pid, e] of byPid) {
    const f = fit(e.points, opts.metric);
    const cmdline = opts.cmdlines?.get(pid)?.cmdline;
    out.push({
      pid,
      ppid: e.last.ppid,
      comm: e.last.comm,
      ...(cmdline ? { cmdline } : {}),
      startBytes: f.startBytes,
      endBytes: f.endBytes,
      slopeBytesPerRequest: f.slope,
      share: 0,
      points: e.points.length,
      requests: e.points[e.points.length - 1]!.requests - e.points[0]!.requests,
      appearedLate: e.first > 0,
      vanished: e.lastIndex < window.length - 1,
    });
  }
  const growing = out.reduce((sum, p) => sum + Math.max(0, p.slopeBytesPerRequest), 0);
  for (const p of out) p.share = growing > 0 ? Math.max(0, p.slopeBytesPerRequest) / growing : 0;
  return out.sort(
    (a, b) => b.slopeBytesPerRequest - a.slopeBytesPerRequest || b.endBytes - b.startBytes - (a.endBytes - a.startBytes) || a.pid - b.pid,
  );
}

/** The process that grows most, or null when none grows (slope <= 0) or the tree has one process. */
export function topGrowingProcess(growth: readonly ProcessGrowth[]): ProcessGrowth | null {
  if (growth.length < 2) return null;
  const top = growth.reduce<ProcessGrowth | null>((best, p) => (best === null || p.slopeBytesPerRequest > best.slopeBytesPerRequest ? p : best), null);
  return top !== null && top.slopeBytesPerRequest > 0 ? top : null;
}

/**
 * A command line short enough for a verdict, keeping what tells processes apart: the program's
 * name (not its directory) and the end of the line, where the script and its arguments are.
 * "/usr/bin/node /deep/checkout/examples/app/server.js" -> "node /deep/checkout/examples/app/server.js",
 * and past 60 characters the middle goes: "node /deep/...les/app/server.js". Cutting the end instead
 * made the name depend on how deep the checkout was.
 */
export function shortCommandLine(cmdline: string, max = 60): string {
  const space = cmdline.indexOf(' ');
  const program = space < 0 ? cmdline : cmdline.slice(0, space);
  const line = program.includes('/') ? program.slice(program.lastIndexOf('/') + 1) + cmdline.slice(program.length) : cmdline;
  if (line.length <= max) return line;
  const head = Math.floor((max - 3) / 3);
  return `${line.slice(0, head)}...${line.slice(line.length - (max - 3 - head))}`;
}

/** "pid 123 (node server.js, child of pid 100)"; the root is "the app's main process". */
export function describeProcess(p: Pick<ProcessGrowth, 'pid' | 'ppid' | 'comm' | 'cmdline'>, rootPid?: number): string {
  const what = p.cmdline ? shortCommandLine(p.cmdline) : p.comm;
  const role = rootPid === undefined ? '' : p.pid === rootPid ? ", the app's main process" : `, child of pid ${p.ppid}`;
  return `pid ${p.pid} (${what}${role})`;
}

/**
 * The verdict's clause naming where memory grows, e.g. "grows in pid 123 (node server.js, child of
 * pid 100): 1,024 B/req, 97.0% of the tree's growth"; null when no process grows.
 */
export function describeGrowth(growth: readonly ProcessGrowth[], rootPid?: number): string | null {
  const top = topGrowingProcess(growth);
  if (top === null) return null;
  return `grows in ${describeProcess(top, rootPid)}: ${formatBytesPerRequest(top.slopeBytesPerRequest)}, ${formatPercent(top.share)} of the tree's growth`;
}
