// The pipeline both entry points share: read the config file, apply overrides, validate, run the
// gate, write the JSON report. The CLI and the Action differ only in how they show the result.
import { resolve } from 'node:path';
import { loadConfig, type Config, type SourceLabels } from './config.js';
import { readConfigFile } from './config-file.js';
import { readEnvironment } from './environment.js';
import { ConfigError } from './errors.js';
import { runGate, type Progress } from './gate.js';
import type { Logger } from './logger.js';
import { writeReport } from './report/write-report.js';
import { readBaselineReports } from './baseline/read-baseline-reports.js';
import { readCgroupMemoryLimit } from './sample/cgroup-limit.js';
import type { Report } from './types.js';
import { VERSION } from './version.js';

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
}

export interface RunResult {
  config: Config;
  report: Report;
  reportPath: string;
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
  if (config.baseline.reports.some((b) => resolve(req.cwd, b) === reportPath)) {
    // Writing this run's report over its own baseline would lose the baseline whatever the outcome.
    throw new ConfigError(`'report' (${config.reportPath}) must not be one of 'baseline.reports': the run would overwrite its own baseline`);
  }
  const baselines = readBaselineReports(config.baseline.reports, req.cwd);
  if (baselines.note) req.logger.info(baselines.note);
  const memoryLimit = config.memoryLimit ?? (await readCgroupMemoryLimit());
  const report = await runGate(config, {
    baselines,
    memoryLimit,
    logger: req.logger,
    version: VERSION,
    environment: readEnvironment(),
    now: () => performance.now(),
    date: () => new Date(),
    baseDir: file.baseDir,
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  });
  writeReport(reportPath, report);
  return { config, report, reportPath };
}
