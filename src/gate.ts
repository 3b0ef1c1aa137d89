// Orchestrates one leakgate run: for each trial start the app, wait until it is ready, drive load
// while sampling memory, tear the whole tree down, analyse; then combine the trials and decide the
// gate. The only module that knows the order of the stages. It returns a Report for every outcome
// except invalid configuration: an app that cannot be measured gives a report with `error` set.
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { Config } from './config.js';
import { redactConfig } from './config.js';
import { errorMessage, MeasureError } from './errors.js';
import type { Logger } from './logger.js';
import { analyzeTrial, combineTrials, median } from './analyze/index.js';
import { startLoad } from './load/start-load.js';
import type { LoadRun } from './load/load-run.js';
import { startSampler } from './sample/sampler.js';
import { describeExit, startTarget, stopTarget, waitReady } from './target/index.js';
import { decideGate } from './decide-gate.js';
import type { BaselineReports } from './baseline/read-baseline-reports.js';
import { compareWithBaseline, projectTimeToLimit, type Comparison } from './compare/index.js';
import type { ProgressInfo } from './report/terminal.js';
import type { Environment, ExitStatus, LoadResult, Report, Sample, Summary, TrialAnalysis, TrialReport } from './types.js';
import { REPORT_SCHEMA_VERSION } from './types.js';

/** What a progress line shows while a trial runs. */
export type Progress = ProgressInfo;

export interface GateDeps {
  logger: Logger;
  version: string;
  environment: Environment;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Wall clock, for timestamps in the report. */
  date: () => Date;
  /** Directory the app's cwd is resolved against (the config file's directory). */
  baseDir: string;
  onProgress?: (p: Progress) => void;
  procRoot?: string;
  /** Baseline reports to compare with (read by the caller: this module touches no files). */
  baselines: BaselineReports;
  /** Memory limit for the projection: from config, else the cgroup's; null when none. */
  memoryLimit: number | null;
}

/** Runs every trial and returns the report; throws only on bugs. */
export async function runGate(config: Config, deps: GateDeps): Promise<Report> {
  const trials: TrialReport[] = [];
  let error = await runTrials(config, deps, trials, config.trials);
  // Confirm before failing: a marginal leak or regression earns extra trials, within the budget.
  if (error === null && config.confirmTrials > 0) {
    const summary = summarize(config, trials, deps.memoryLimit);
    if (isMarginal(config, summary, compare(config, deps, trials, error))) {
      deps.logger.info(`the verdict is marginal: running up to ${config.confirmTrials} more trial(s) to confirm it`);
      error = await runTrials(config, deps, trials, config.confirmTrials);
    }
  }
  return finishReport(config, trials, error, deps);
}

export type FinishDeps = Pick<GateDeps, 'version' | 'environment' | 'date' | 'baselines' | 'memoryLimit' | 'logger'>;

/**
 * Turns trials into the report: combines them, compares with the baselines, decides the gate. Shared by a run and
 * by `leakgate merge`, which pools the trials of several reports and gates once.
 */
export function finishReport(config: Config, trials: TrialReport[], error: string | null, deps: FinishDeps): Report {
  const summary = summarize(config, trials, deps.memoryLimit);
  const comparison = compare(config, deps, trials, error);
  const gate = decideGate(config.failOn, summary, error, comparison);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: deps.version },
    name: config.name,
    createdAt: deps.date().toISOString(),
    environment: deps.environment,
    config: redactConfig(config),
    trials,
    summary,
    gate,
    comparison,
    baselineNote: deps.baselines.note,
    error,
  };
}

/** Runs `count` more trials, appending to `trials`; returns the error that stopped them, if any. */
async function runTrials(config: Config, deps: GateDeps, trials: TrialReport[], count: number): Promise<string | null> {
  const total = trials.length + count;
  for (let i = trials.length; i < total; i++) {
    deps.logger.info(`trial ${i + 1}/${total}: starting ${describeCommand(config.app.command)}`);
    const outcome = await runTrial(config, deps, i, total);
    trials.push(outcome.trial);
    if (outcome.error) return outcome.error;
    const a = outcome.trial.analysis;
    deps.logger.info(`trial ${i + 1}/${total}: ${a.verdict}, ${a.bytesPerRequest.toFixed(1)} B/req over ${a.requestsAnalysed} requests`);
  }
  return null;
}

function compare(config: Config, deps: Pick<GateDeps, 'baselines' | 'environment'>, trials: TrialReport[], error: string | null): Comparison | null {
  if (error !== null || deps.baselines.reports.length === 0) return null;
  const { reports: _paths, ...opts } = config.baseline;
  return compareWithBaseline(trials, deps.baselines.reports, opts, deps.environment, config.analysis.metric);
}

/** A leak whose interval nearly touches the floor, split trials, or a regression barely past its tolerance. */
export function isMarginal(config: Config, summary: Summary, comparison: Comparison | null): boolean {
  if (summary.verdict === 'leak') {
    if (summary.trialsLeaking < summary.trialsConclusive) return true;
    if (summary.ciLow < 2 * config.analysis.minBytesPerRequest) return true;
  }
  const slope = comparison?.slope;
  if (slope && slope.verdict === 'regression' && slope.effectCiLow < 2 * slope.tolerance) return true;
  return false;
}

export interface TrialOutcome {
  trial: TrialReport;
  error: string | null;
}

export async function runTrial(config: Config, deps: GateDeps, index: number, total: number): Promise<TrialOutcome> {
  const startedAt = deps.date().toISOString();
  const marker = `${config.name}-${randomUUID()}`;
  const cwd = isAbsolute(config.app.cwd) ? config.app.cwd : resolve(deps.baseDir, config.app.cwd);
  let samples: Sample[] = [];
  let load: LoadResult = emptyLoad();
  let exit: ExitStatus = { code: null, signal: null, early: false };
  let error: string | null = null;

  let target;
  try {
    target = startTarget(
      { command: config.app.command, shell: config.app.shell, cwd, env: config.app.env },
      { marker, logger: deps.logger },
    );
  } catch (e) {
    error = errorMessage(e);
    return { trial: trialReport(index, startedAt, samples, load, exit, [], failedAnalysis(config, error)), error };
  }

  let loadRun: LoadRun | undefined;
  // Without a request count (a load command with no counter) the analysis runs over milliseconds of load.
  let countsRequests = true;
  let sampler: ReturnType<typeof startSampler> | undefined;
  // waitReady's errors already quote the app's exit status and last lines; later ones do not.
  let ready = false;
  try {
    await waitReady(target, readySpec(config), { logger: deps.logger });
    ready = true;
    deps.logger.info(`app ready (pid ${target.pid}); load for ${config.load.durationMs / 1000}s with ${config.load.connections} connections`);
    // Sampling starts with the load: t = 0 is the first request, so every sample counts.
    const loadStart = deps.now();
    sampler = startSampler({
      rootPid: target.pid,
      pgid: target.pgid,
      intervalMs: config.sample.intervalMs,
      requests: () => (countsRequests ? (loadRun?.completed() ?? 0) : Math.max(0, Math.round(deps.now() - loadStart))),
      now: deps.now,
      origin: () => loadStart,
      ...(deps.procRoot ? { procRoot: deps.procRoot } : {}),
      onSample: (s) => deps.onProgress?.(progressOf(config, index, total, s)),
      onError: (e) => deps.logger.debug(`sampler: ${errorMessage(e)}`),
    });
    const started = startLoad(config.load, { now: deps.now, logger: deps.logger, cwd: deps.baseDir });
    loadRun = started.run;
    countsRequests = started.countsRequests;
    if (!countsRequests) deps.logger.warn('the load command gives no request count (set load.counter): memory is analysed over time, so "requests" are milliseconds of load');
    // An app that dies under load ends the load at once; the trial is then not measurable.
    const died = target.exited.then(() => 'exited' as const);
    const finished = await Promise.race([loadRun.done.then(() => 'done' as const), died]);
    if (finished === 'exited') loadRun.stop();
    load = await loadRun.done;
    if (target.hasExited()) {
      const st = await target.exited;
      throw new MeasureError(`the app exited during the load (${describeExit(st)}) after ${load.requests} requests`);
    }
    if (load.requests === 0 && countsRequests) {
      throw new MeasureError(
        `the load got no responses from ${config.load.url} (${load.errors} connection errors, ${load.timeouts} timeouts): check load.url`,
      );
    }
    if (load.non2xx > load.requests / 2) {
      deps.logger.warn(`${load.non2xx} of ${load.requests} responses were not 2xx: is load.url (${config.load.url}) the endpoint you meant to test?`);
    }
  } catch (e) {
    loadRun?.stop();
    error = errorMessage(e);
  } finally {
    samples = sampler ? await sampler.stop() : [];
    exit = await stopTarget(target, { graceMs: config.app.stopGraceMs });
  }

  const tail = target.tail();
  if (error && ready) error = withTail(error, tail);
  const analysis = error ? failedAnalysis(config, error) : analyzeTrial(samples, config.analysis, load.throughput);
  const trial = trialReport(index, startedAt, samples, load, exit, tail, analysis);
  if (!countsRequests) trial.countsRequests = false;
  return { trial, error };
}

function progressOf(config: Config, index: number, total: number, s: Sample): Progress {
  return {
    trial: index + 1,
    trials: total,
    elapsedMs: s.t,
    durationMs: config.load.durationMs,
    requests: s.requests,
    memoryBytes: s.total[config.analysis.metric],
    metric: config.analysis.metric,
  };
}

function readySpec(config: Config) {
  const r = config.app.ready;
  return {
    host: r.host,
    timeoutMs: r.timeoutMs,
    ...(r.url ? { url: r.url } : {}),
    ...(r.port ? { port: r.port } : {}),
    ...(r.log ? { log: r.log } : {}),
  };
}

function trialReport(
  index: number,
  startedAt: string,
  samples: Sample[],
  load: LoadResult,
  exit: ExitStatus,
  outputTail: string[],
  analysis: TrialAnalysis,
): TrialReport {
  return { index, startedAt, samples, load, exit, analysis, outputTail };
}

function withTail(message: string, tail: string[]): string {
  if (tail.length === 0) return `${message}; it printed nothing`;
  const last = tail.slice(-20);
  return `${message}; last lines it printed:\n${last.map((l) => `    ${l}`).join('\n')}`;
}

function describeCommand(command: string[] | string): string {
  return typeof command === 'string' ? command : command.join(' ');
}

function emptyLoad(): LoadResult {
  return {
    tool: 'autocannon',
    requests: 0,
    ok: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    durationMs: 0,
    throughput: 0,
    latency: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
  };
}

function failedAnalysis(config: Config, reason: string): TrialAnalysis {
  return {
    metric: config.analysis.metric,
    verdict: 'inconclusive',
    reason: reason.split('\n')[0] ?? reason,
    warmupEndIndex: 0,
    warmupEndRequests: 0,
    warmupEndMs: 0,
    warmupMethod: 'fixed',
    points: 0,
    requestsAnalysed: 0,
    bytesPerRequest: 0,
    ciLow: 0,
    ciHigh: 0,
    confidence: config.analysis.confidence,
    pValue: 1,
    mkS: 0,
    tau: 0,
    startBytes: 0,
    endBytes: 0,
    peakBytes: 0,
    relativeGrowth: 0,
    bytesPerSecond: 0,
    growthPerMillionRequests: 0,
  };
}

function summarize(config: Config, trials: TrialReport[], memoryLimit: number | null): Summary {
  const combined = combineTrials(trials.map((t) => t.analysis));
  const analysed = trials.filter((t) => t.analysis.verdict !== 'inconclusive');
  const basis = analysed.length > 0 ? analysed : trials;
  const throughput = median(basis.map((t) => t.load.throughput));
  return {
    ...combined,
    metric: config.analysis.metric,
    requests: trials.reduce((n, t) => n + t.load.requests, 0),
    throughput,
    startBytes: median(basis.map((t) => t.analysis.startBytes)),
    peakBytes: Math.max(0, ...trials.map((t) => t.analysis.peakBytes)),
    growthPerMillionRequests: combined.bytesPerRequest * 1e6,
    memoryLimitBytes: memoryLimit,
    secondsToLimit: memoryLimit === null ? null : projectTimeToLimit(combined.bytesPerRequest, throughput, Math.max(0, ...basis.map((t) => t.analysis.endBytes)), memoryLimit).secondsToLimit,
  };
}
