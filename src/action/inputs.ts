// The one place the Action's input and output names are spelled. action.yml must match these;
// a test reads action.yml and checks that it does.
import { OVERRIDE_NAMES, type OverrideName } from '../overrides.js';

/** Inputs that map onto config settings, by the same names as the CLI flags (report is report-path). */
export const SETTING_INPUTS: Record<OverrideName, string> = Object.fromEntries(
  OVERRIDE_NAMES.map((n) => [n, n === 'report' ? 'report-path' : n]),
) as Record<OverrideName, string>;

export const Inputs = {
  Config: 'config',
  WorkingDirectory: 'working-directory',
  Env: 'env',
} as const;

export const Outputs = {
  Verdict: 'verdict',
  BytesPerRequest: 'bytes-per-request',
  CiLow: 'ci-low',
  CiHigh: 'ci-high',
  PValue: 'p-value',
  PeakBytes: 'peak-bytes',
  Requests: 'requests',
  Throughput: 'throughput',
  Failed: 'failed',
  ReportPath: 'report-path',
} as const;
