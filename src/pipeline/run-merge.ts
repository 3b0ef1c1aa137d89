// The `merge` pipeline both entry points share: read the reports the matrix jobs wrote (files, or directories
// searched for leakgate reports), pool their trials, compare with the baseline and gate once, write the merged
// report. Invalid input (no reports, a corrupt one, different configs) is a ConfigError naming the file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readBaselineReports } from '../baseline/read-baseline-reports.js';
import { parseBaselineReport } from '../baseline/read-baseline-reports.js';
import { loadMergeGateSettings, type CommentMode, type Config, type SourceLabels } from '../config/config.js';
import { readEnvironment } from '../core/environment.js';
import { ConfigError } from '../core/errors.js';
import { finishReport } from './gate.js';
import type { Logger } from '../core/logger.js';
import { mergeReports, type MergeInput } from './merge-reports.js';
import { writeReport } from '../report/write-report.js';
import type { Report } from '../core/types.js';
import { VERSION } from '../core/version.js';

export interface MergeRequest {
  /** Report files, or directories holding them (searched recursively for *.json leakgate reports). */
  paths: string[];
  cwd: string;
  /** Where the merged report goes (default: leakgate-report.json in cwd). */
  reportPath?: string;
  /** Baseline reports, as `run --baseline` takes them; default: the config's baseline.reports. */
  baselines?: string[];
  /**
   * The merge's own fail-on, comment and memory-limit (raw, as given), with labels naming where each came from
   * ({ 'fail-on': 'flag --fail-on' }). Absent means the standard default, not the shards' value.
   */
  gate?: { settings: { 'fail-on'?: string; comment?: string; 'memory-limit'?: string }; labels: SourceLabels };
  logger: Logger;
}

export interface MergeResult {
  report: Report;
  reportPath: string;
  inputs: string[];
  /** The merge's comment mode (its own setting, or the default). */
  comment: CommentMode;
}

export function runMerge(req: MergeRequest): MergeResult {
  // Validated before any file is read, so a typo in fail-on is reported as such rather than after the merge.
  const gate = loadMergeGateSettings(req.gate?.settings ?? {}, req.gate?.labels ?? {});
  const files = findReportFiles(req.paths, req.cwd);
  const inputs: MergeInput[] = files.map((f) => ({ label: relative(req.cwd, f) || f, report: parseBaselineReport(readFileSync(f, 'utf8'), relative(req.cwd, f) || f, 'report') }));
  const reportPath = resolve(req.cwd, req.reportPath ?? 'leakgate-report.json');
  if (files.includes(reportPath)) {
    throw new ConfigError(`merge: the merged report path ${reportPath} is one of the inputs; write it elsewhere (--report)`);
  }
  const merged = mergeReports(inputs);
  for (const w of merged.warnings) req.logger.warn(w);
  const { memoryLimit, ...gated } = gate;
  const config: Config = { ...merged.config, ...gated };
  // Without its own memory limit the merge projects against the shards' (as their summaries did).
  if (memoryLimit !== undefined) config.memoryLimit = memoryLimit;
  const baselinePaths = req.baselines ?? merged.config.baseline?.reports ?? [];
  const baselines = readBaselineReports(baselinePaths, req.cwd);
  if (baselines.note) req.logger.info(baselines.note);
  req.logger.info(`merged ${merged.trials.length} trial(s) from ${inputs.length} report(s)`);
  const report: Report = {
    ...finishReport(config, merged.trials, merged.error, {
      version: VERSION,
      environment: inputs[0]!.report.environment ?? readEnvironment(),
      date: () => new Date(),
      baselines,
      memoryLimit: memoryLimit ?? inputs[0]!.report.summary?.memoryLimitBytes ?? null,
      logger: req.logger,
    }),
    mergedFrom: inputs.map((i) => i.label),
    ...(inputs[0]!.report.source ? { source: inputs[0]!.report.source } : {}),
  };
  writeReport(reportPath, report);
  return { report, reportPath, inputs: inputs.map((i) => i.label), comment: gate.comment };
}

/** Files as given; directories searched recursively for JSON files that are leakgate reports. */
export function findReportFiles(paths: readonly string[], cwd: string): string[] {
  if (paths.length === 0) throw new ConfigError('merge needs report files or directories holding them (e.g. the directory download-artifact wrote)');
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let st;
    try {
      st = statSync(full);
    } catch {
      throw new ConfigError(`merge: '${p}' does not exist`);
    }
    if (st.isFile()) out.push(full);
    else {
      const found = walk(full).filter(isLeakgateReport);
      if (found.length === 0) throw new ConfigError(`merge: no leakgate report (*.json with tool.name 'leakgate') under '${p}'`);
      out.push(...found);
    }
  }
  return [...new Set(out)].sort();
}

function walk(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, depth + 1));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

function isLeakgateReport(file: string): boolean {
  try {
    const head = readFileSync(file, 'utf8').slice(0, 4096);
    return /"tool"\s*:\s*\{\s*"name"\s*:\s*"leakgate"/.test(head);
  } catch {
    return false;
  }
}
