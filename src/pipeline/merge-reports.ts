// `leakgate merge`: pools the trials of reports written by the jobs of a workflow matrix (each ran some trials of
// the same config) so the gate decides once, on all of them. Pure: reports in, config and trials out; the caller
// finishes the report (compare, gate) as a run does. Reports that do not share the config are refused, since
// pooling trials of different apps or loads would make the statistics meaningless.
import type { Config } from '../config/config.js';
import { ConfigError } from '../core/errors.js';
import type { Report, TrialReport } from '../core/types.js';

export interface MergeInput {
  /** A label per report for messages (usually its path). */
  label: string;
  report: Report;
}

export interface MergedTrials {
  config: Config;
  trials: TrialReport[];
  /** The first error among the reports: a job that could not measure, or was interrupted, makes the merged run unmeasured. */
  error: string | null;
  warnings: string[];
}

/**
 * Settings that may differ between matrix jobs: where each wrote its report and how many trials it ran, and what
 * each would have gated with (fail-on, comment, memory limit), since the merge gates with its own.
 */
const PER_JOB_KEYS = new Set(['reportPath', 'trials', 'confirmTrials', 'failOn', 'comment', 'memoryLimit']);

export function mergeReports(inputs: readonly MergeInput[]): MergedTrials {
  if (inputs.length === 0) throw new ConfigError('merge needs at least one report (the JSON reports the matrix jobs wrote)');
  const [first, ...rest] = inputs;
  const reference = comparableConfig(first!.report.config);
  const warnings: string[] = [];
  for (const input of rest) {
    if (input.report.name !== first!.report.name) {
      throw new ConfigError(`merge: '${input.label}' is for config '${input.report.name}', '${first!.label}' for '${first!.report.name}'; merge reports of one config at a time`);
    }
    const diff = firstDifference(reference, comparableConfig(input.report.config));
    if (diff !== null) {
      throw new ConfigError(`merge: '${input.label}' was run with a different config than '${first!.label}' (${diff}); the trials cannot be pooled`);
    }
    if (input.report.tool?.version !== first!.report.tool?.version) {
      warnings.push(`'${input.label}' was made by leakgate ${input.report.tool?.version}, '${first!.label}' by ${first!.report.tool?.version}`);
    }
    if (input.report.environment?.cpus !== first!.report.environment?.cpus || input.report.environment?.memoryBytes !== first!.report.environment?.memoryBytes) {
      warnings.push(`'${input.label}' ran on a different machine size than '${first!.label}': runner noise adds to the trial spread`);
    }
  }
  const trials: TrialReport[] = [];
  for (const input of inputs) for (const t of input.report.trials) trials.push({ ...t, index: trials.length });
  // An interrupted job measured part of a trial, with no verdict of its own: pooled, that part would decide the
  // merged gate as if it were a whole trial. Like a job that could not measure, it leaves the merged run unmeasured.
  const errored = inputs.find((i) => i.report.error !== null);
  const interrupted = inputs.find((i) => i.report.interrupted);
  const error = errored
    ? `${errored.label}: ${errored.report.error}`
    : interrupted
      ? `${interrupted.label}: that job was interrupted (${interrupted.report.interrupted!.reason}); its trials are not pooled: run it again`
      : null;
  return {
    config: first!.report.config as Config,
    trials,
    error,
    warnings,
  };
}

function comparableConfig(config: unknown): unknown {
  if (typeof config !== 'object' || config === null) throw new ConfigError('merge: a report has no config; was it written by leakgate?');
  return Object.fromEntries(Object.entries(config).filter(([k]) => !PER_JOB_KEYS.has(k)));
}

/** The path of the first value that differs ("load.connections: 10 vs 20"), or null when equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || 'config'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    if (d !== null) return d;
  }
  return null;
}
