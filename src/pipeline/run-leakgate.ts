// The pipeline both entry points share: read the config file, apply overrides, validate, run the
// gate, write the JSON report. The CLI and the Action differ only in how they show the result.
import { dirname, resolve } from 'node:path';
import { loadConfig, type Config, type SourceLabels } from '../config/config.js';
import { readConfigFile } from '../config/config-file.js';
import { readAppRuntime, readEnvironment } from '../core/environment.js';
import { ConfigError } from '../core/errors.js';
import { runGate, type GateDeps, type Progress } from './gate.js';
import { runAbGate } from './ab-run.js';
import type { Logger } from '../core/logger.js';
import { writeReport } from '../report/write-report.js';
import { readBaselineReports } from '../baseline/read-baseline-reports.js';
import { chooseMemoryLimit, readCgroupMemoryLimit } from '../sample/cgroup-limit.js';
import type { Report } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { openBaselineSession } from '../baseline/baseline-session.js';
import { loadEventContext, type EventContext } from '../github/event-context.js';
import type { Environment, SourceInfo } from '../core/types.js';
import { readMeminfo, type Meminfo } from '../sample/meminfo.js';
import { preflight } from './preflight.js';
import { acceptGrowth } from '../accept/resolve-acceptance.js';
import { checkDrift } from './check-drift.js';
import { publishHistoryPages } from './publish-history.js';

function withAppRuntime(env: Environment, appRuntime: string | undefined): Environment {
  return appRuntime ? { ...env, appRuntime } : env;
}

function readMeminfoSafe(): Meminfo | null {
  try {
    return readMeminfo();
  } catch {
    return null;
  }
}

/** The commit and run of this report, as far as the GitHub context tells. */
function sourceOf(c: EventContext): SourceInfo {
  const sha = c.pr?.headSha ?? c.sha;
  const branch = c.pr?.headRef ?? c.push?.branch ?? c.refName;
  return {
    ...(sha ? { sha } : {}),
    ...(branch ? { branch } : {}),
    ...(c.pr?.baseRef ? { baseBranch: c.pr.baseRef } : {}),
    ...(c.pr ? { pr: c.pr.number } : {}),
    ...(c.eventName ? { event: c.eventName } : {}),
    ...(c.runUrl ? { runUrl: c.runUrl } : {}),
  };
}

/**
 * Writing this run's report over a baseline would lose it whatever the outcome, on a pull request too (the
 * report is written before any save policy applies): refuse a report path that is a baseline report or the
 * file store's file.
 */
export function refuseReportOverBaseline(config: Config, cwd: string, reportPath: string): void {
  if (config.baseline.reports.some((b) => resolve(cwd, b) === reportPath)) {
    throw new ConfigError(`'report' (${config.reportPath}) must not be one of 'baseline.reports': the run would overwrite its own baseline`);
  }
  const store = config.baseline.store;
  if (store.kind === 'file' && resolve(cwd, store.path) === reportPath) {
    throw new ConfigError(
      `'report' (${config.reportPath}) and 'baseline.path' (${store.path}) are the same file (${reportPath}): the report would overwrite ` +
        `the file store's baselines; set 'report' to another path (default leakgate-report.json)`,
    );
  }
}

export interface RunRequest {
  configPath?: string;
  /** Directory relative paths (config file, report) are resolved against. */
  cwd: string;
  overrides: Record<string, unknown>;
  overrideLabels: SourceLabels;
  logger: Logger;
  onProgress?: (p: Progress) => void;
  /** Called once the config is valid, before anything starts (e.g. to print what will run). */
  onConfig?: (config: Config) => void;
  /** Environment the GitHub context is read from (GITHUB_*); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Token for the branch store (GITHUB_TOKEN). */
  token?: string;
  /**
   * Aborted with an Interrupted reason on SIGINT/SIGTERM: the load stops, the app is torn down, and the report is
   * written with the samples so far and the verdict 'interrupted'; no baseline is saved.
   */
  signal?: AbortSignal;
}

export interface RunResult {
  config: Config;
  report: Report;
  reportPath: string;
  context: EventContext;
  /** What happened to the baseline store after the run; null when no store is configured. */
  saved: { saved: boolean; reason: string } | null;
}

/** Throws ConfigError for invalid configuration; every other outcome is in the report. */
export async function runLeakgate(req: RunRequest): Promise<RunResult> {
  const file = readConfigFile(req.configPath, req.cwd);
  const config = loadConfig({
    file: file.raw,
    fileLabel: file.label,
    baseDir: file.baseDir,
    overrides: req.overrides,
    overrideLabels: req.overrideLabels,
  });
  req.onConfig?.(config);
  const reportPath = resolve(req.cwd, config.reportPath);
  refuseReportOverBaseline(config, req.cwd, reportPath);
  await preflight({ config, reportPath, baseDir: file.baseDir, logger: req.logger });
  const context = loadEventContext(req.env ?? process.env);
  const baselines = readBaselineReports(config.baseline.reports, req.cwd);
  const session = await openBaselineSession({ config, context, cwd: req.cwd, logger: req.logger, ...(req.token ? { token: req.token } : {}) });
  const stored = session ? await session.load() : null;
  if (stored) {
    baselines.reports.push(...stored.reports);
    baselines.note = [baselines.note, stored.note].filter(Boolean).join('; ');
  }
  if (baselines.note) req.logger.info(baselines.note);
  const limit = await chooseMemoryLimit(config, () => readCgroupMemoryLimit());
  const memoryLimit = limit?.bytes ?? null;
  if (limit) req.logger.debug(`time-to-limit projection: ${limit.bytes} bytes, from ${limit.source}`);
  const gateDeps: GateDeps = {
    baselines,
    memoryLimit,
    logger: req.logger,
    version: VERSION,
    environment: withAppRuntime(readEnvironment(), readAppRuntime(config.app.command, resolve(file.baseDir, config.app.cwd))),
    now: () => performance.now(),
    date: () => new Date(),
    baseDir: file.baseDir,
    outDir: dirname(reportPath),
    ...(req.signal ? { signal: req.signal } : {}),
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  };
  const memStart = readMeminfoSafe();
  const report = config.baseline.ab ? await runAbGate(config, gateDeps) : await runGate(config, gateDeps);
  const memEnd = readMeminfoSafe();
  if (memStart && memEnd) report.system = { start: memStart, end: memEnd };
  if (limit) report.summary.memoryLimitSource = limit.source;
  report.source = sourceOf(context);
  if (stored) report.baseline = stored.info;
  if (report.comparison?.advisory && config.failOn.some((f) => f === 'regression' || f === 'peak-regression')) {
    // fail-on asks for a regression check this baseline cannot give: say so in the log (an Action warning), not
    // only in the summary, so a gate that never gates is not mistaken for one that passed.
    req.logger.warn(`${report.comparison.reason}; raise trials or lower baseline.min-history for it to gate`);
  }
  if (session && stored && stored.reports.length === 0 && config.baseline.store.failOnMissing && report.error === null) {
    report.gate = { failed: true, reasons: [...report.gate.reasons, `no baseline: ${stored.note} (baseline.fail-on-missing is true)`] };
  }
  // The slow creep over the stored history (runs about to be saved), then a maintainer's acceptance: both after the
  // gate decided, so the acceptance may cover a drift too.
  if (session) await checkDrift(report, config, session, req.logger);
  await acceptGrowth(report, { config, context, ...(req.token ? { token: req.token } : {}), today: new Date(), logger: req.logger });
  writeReport(reportPath, report);
  // Saved after the report is on disk, so a store failure never loses the report; an errored run is never saved.
  if (report.interrupted) req.logger.warn(`${report.interrupted.reason}; report written to ${reportPath}; no baseline saved`);
  const saved = session && !report.interrupted ? await session.save(report) : null;
  if (saved?.saved) req.logger.info(saved.reason);
  else if (saved) req.logger.warn(saved.reason);
  if (saved?.saved && session && config.history.publish) await publishHistoryPages(session, config, context, req.logger);
  return { config, report, reportPath, context, saved };
}
