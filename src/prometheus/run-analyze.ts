// The `analyze` pipeline both entry points share: read the config, run the range queries against Prometheus,
// analyse every series, compare canary with stable, gate, and write the JSON report. What goes wrong on the way
// (server unreachable, query refused, no series, too few points) is the report's error: exit 2, never a pass.
import { resolve } from 'node:path';
import { readConfigFile } from '../config/config-file.js';
import { loadAnalyzeConfig, redactAnalyzeConfig, type AnalyzeConfig } from '../config/prometheus.js';
import type { SourceLabels } from '../config/checks.js';
import { readEnvironment } from '../core/environment.js';
import type { Logger } from '../core/logger.js';
import { REPORT_SCHEMA_VERSION, type Report, type TrialReport } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { writeReport } from '../report/write-report.js';
import type { Comparison } from '../compare/compare-baseline.js';
import { analyzeGroup, overallVerdict, type SeriesAnalysisOptions } from './analyze-series.js';
import { compareCanary } from './canary.js';
import { queryRange, type PrometheusAccess } from './client.js';
import { decideAnalyzeGate, overallReason, summarize } from './decide.js';
import { PrometheusError, type RangeSeries } from './query-range.js';
import type { PrometheusSection, SeriesGroup, SeriesResult } from './types.js';

export interface AnalyzeRequest {
  configPath?: string;
  cwd: string;
  overrides: Record<string, unknown>;
  overrideLabels: SourceLabels;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The clock, for the window's end when none is configured. */
  now?: () => number;
}

export interface AnalyzeResult {
  report: Report;
  reportPath: string;
  config: AnalyzeConfig;
}

export async function runAnalyze(req: AnalyzeRequest): Promise<AnalyzeResult> {
  const file = readConfigFile(req.configPath, req.cwd);
  const config = loadAnalyzeConfig({ file: file.raw, fileLabel: file.label, overrides: req.overrides, overrideLabels: req.overrideLabels });
  const pc = config.prometheus;
  const endMs = pc.end ?? (req.now ?? Date.now)();
  const startMs = endMs - pc.rangeMs;
  const environment = readEnvironment(req.env);
  const createdAt = new Date((req.now ?? Date.now)()).toISOString();
  const access: PrometheusAccess = {
    url: pc.url,
    timeoutMs: pc.timeoutMs,
    ...(pc.bearerTokenEnv ? { bearerTokenEnv: pc.bearerTokenEnv } : {}),
    ...(pc.basicAuth ? { basicAuth: pc.basicAuth } : {}),
    ...(pc.caFile ? { caFile: resolve(file.baseDir, pc.caFile) } : {}),
    insecure: pc.insecure,
    headers: pc.headers,
  };
  const window = { start: Math.floor(startMs / 1000), end: Math.floor(endMs / 1000), stepSeconds: pc.stepMs / 1000 };
  const ask = async (query: string): Promise<RangeSeries[]> => {
    req.logger.info(`query_range ${query} over ${pc.rangeMs / 1000}s, step ${window.stepSeconds}s`);
    const r = await queryRange(access, { query, ...window }, req.env);
    for (const w of r.warnings) req.logger.warn(`Prometheus: ${w}`);
    return r.series;
  };

  const groups: Array<[SeriesGroup, string]> = [];
  if (pc.query) groups.push(['query', pc.query]);
  if (pc.canaryQuery) groups.push(['canary', pc.canaryQuery]);
  if (pc.baselineQuery) groups.push(['baseline', pc.baselineQuery]);

  const section: PrometheusSection = {
    source: 'prometheus',
    server: serverOf(pc.url),
    queries: {
      ...(pc.query ? { query: pc.query } : {}),
      ...(pc.canaryQuery ? { canary: pc.canaryQuery } : {}),
      ...(pc.baselineQuery ? { baseline: pc.baselineQuery } : {}),
      ...(pc.requestsQuery ? { requests: pc.requestsQuery } : {}),
      ...(pc.limitQuery ? { limit: pc.limitQuery } : {}),
    },
    window: { start: new Date(window.start * 1000).toISOString(), end: new Date(window.end * 1000).toISOString(), rangeSeconds: pc.rangeMs / 1000, stepSeconds: window.stepSeconds },
    axis: pc.requestsQuery ? 'requests' : 'time',
    series: [],
    verdict: 'inconclusive',
    leaking: [],
    canary: null,
    warnings: [],
  };
  const trials: TrialReport[] = [];
  let comparison: Comparison | null = null;
  let error: string | null = null;
  try {
    const requests = pc.requestsQuery ? await ask(pc.requestsQuery) : undefined;
    const limits = pc.limitQuery ? await ask(pc.limitQuery) : undefined;
    if (limits?.length === 0) section.warnings.push(`the limit query returned no series: ${pc.limit !== undefined ? 'the configured limit is used' : 'no projection to a limit'}`);
    const opts: SeriesAnalysisOptions = {
      analysis: config.analysis,
      segment: { stepMs: pc.stepMs, restartDrop: pc.restartDrop, gapSteps: pc.gapSteps },
      windowStartMs: window.start * 1000,
      ...(requests ? { requests } : {}),
      ...(limits && limits.length > 0 ? { limits } : {}),
      ...(pc.limit !== undefined ? { limit: pc.limit } : {}),
    };
    for (const [group, query] of groups) {
      const series = await ask(query);
      checkEnough(group, query, series, config.analysis.minPoints);
      const g = analyzeGroup(group, series, opts, trials.length);
      trials.push(...g.trials);
      section.series.push(...g.series);
      section.warnings.push(...g.warnings);
    }
    const judged = section.series.filter((s) => s.group !== 'baseline');
    section.verdict = overallVerdict(judged);
    section.leaking = judged.filter((s) => s.verdict === 'leak').map((s) => s.name);
    for (const s of section.series.filter((x) => x.group === 'baseline' && x.verdict === 'leak')) {
      section.warnings.push(`the stable version leaks too: ${s.name}; the canary is compared with it, so a leak both share is not a regression`);
    }
    if (pc.canaryQuery && pc.baselineQuery) {
      const byGroup = (g: SeriesGroup): SeriesResult[] => section.series.filter((s) => s.group === g);
      const c = compareCanary(byGroup('canary'), byGroup('baseline'), trials, { ...config.compare, slopeTolerance: pc.slopeTolerance }, environment, createdAt);
      section.canary = c.result;
      comparison = c.comparison;
    }
  } catch (e) {
    if (!(e instanceof PrometheusError)) throw e;
    error = e.message;
  }
  for (const w of section.warnings) req.logger.warn(w);
  const reason = error ?? overallReason(section);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: VERSION },
    name: config.name,
    createdAt,
    environment,
    config: redactAnalyzeConfig(config),
    trials,
    summary: summarize(section, reason),
    gate: decideAnalyzeGate(config.failOn, section, comparison, error),
    comparison,
    baselineNote: null,
    error,
    prometheus: section,
  };
  const reportPath = resolve(req.cwd, config.reportPath);
  writeReport(reportPath, report);
  return { report, reportPath, config };
}

/** A memory query must return series, and at least one with enough points to judge. */
function checkEnough(group: SeriesGroup, query: string, series: readonly RangeSeries[], minPoints: number): void {
  const what = group === 'query' ? 'the query' : `the ${group} query`;
  if (series.length === 0) {
    throw new PrometheusError(`${what} returned no series over the window: check the metric name and labels (${query}), and that the targets were scraped then`, 'empty', null);
  }
  const most = Math.max(...series.map((s) => s.points.length));
  if (most < minPoints) {
    throw new PrometheusError(`${what} returned too few points: at most ${most} per series, ${minPoints} needed (analysis.min-points): widen prometheus.range or shorten prometheus.step`, 'too-few-points', null);
  }
}

/** The server as the report shows it: origin and path, never a query string or credentials. */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '';
  }
}
