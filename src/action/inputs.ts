// The one place the Action's input and output names are spelled. action.yml must match these;
// a test reads action.yml and checks that it does.
import { OVERRIDE_NAMES, type OverrideName } from '../config/overrides.js';
import { ANALYZE_FIELD_NAMES, type AnalyzeFieldName } from '../config/prometheus.js';

/** Inputs that map onto config settings, by the same names as the CLI flags (report is report-path). */
export const SETTING_INPUTS: Record<OverrideName, string> = Object.fromEntries(
  OVERRIDE_NAMES.map((n) => [n, n === 'report' ? 'report-path' : n]),
) as Record<OverrideName, string>;

/**
 * Mode analyze (Prometheus): its settings, by the CLI flag's name except report (report-path), timeout
 * (prometheus-timeout) and limit (memory-limit, which means the same in a run).
 */
export const ANALYZE_INPUTS: Record<AnalyzeFieldName, string> = Object.fromEntries(
  ANALYZE_FIELD_NAMES.map((n) => [n, ({ report: 'report-path', timeout: 'prometheus-timeout', limit: 'memory-limit' } as Record<string, string>)[n] ?? n]),
) as Record<AnalyzeFieldName, string>;

export const Inputs = {
  Config: 'config',
  WorkingDirectory: 'working-directory',
  Env: 'env',
  /** run (default) | merge (pool matrix reports) | comment (post the PR comment from a saved report) | analyze (Prometheus). */
  Mode: 'mode',
  /** merge: report files or directories, one per line. */
  Reports: 'reports',
  GitHubToken: 'github-token',
  /** Also write the self-contained HTML report (charts, tables, evidence) to this path (mode run and merge). */
  HtmlReport: 'html-report',
  /** history: directory the static history pages are written to. */
  HistoryDir: 'history-dir',
  /** history: also publish the pages on the branch store's branch (true/false). */
  HistoryPublish: 'history-publish',
} as const;

export const MODES = ['run', 'merge', 'comment', 'history', 'analyze'] as const;
export type Mode = (typeof MODES)[number];

export const Outputs = {
  Verdict: 'verdict',
  Signal: 'signal',
  Signals: 'signals',
  BytesPerRequest: 'bytes-per-request',
  CiLow: 'ci-low',
  CiHigh: 'ci-high',
  PValue: 'p-value',
  PeakBytes: 'peak-bytes',
  Requests: 'requests',
  Throughput: 'throughput',
  Failed: 'failed',
  ReportPath: 'report-path',
  Reasons: 'reasons',
  StartBytes: 'start-bytes',
  GrowthPerMillion: 'growth-per-million-requests',
  MemoryLimit: 'memory-limit-bytes',
  SecondsToLimit: 'seconds-to-limit',
  Regression: 'regression',
  BaselineBytesPerRequest: 'baseline-bytes-per-request',
  BytesPerRequestChange: 'bytes-per-request-change',
  BaselinePeakBytes: 'baseline-peak-bytes',
  PeakBytesChange: 'peak-bytes-change',
  BaselineSha: 'baseline-sha',
  BaselineSaved: 'baseline-saved',
  CommentUrl: 'comment-url',
  NewLeakSites: 'new-leak-sites',
  HtmlReportPath: 'html-report-path',
} as const;
