// The GitHub Action: reads inputs, runs the shared pipeline (run, merge, or comment from a saved report), writes
// the job summary, outputs, annotations and the sticky PR comment, and fails the step when the gate fails. One
// try/catch turns any error into setFailed. A PR comment that cannot be posted (fork PR, read-only token) is a
// warning: the gate has already decided.
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { commentFromReport } from '../pipeline/comment-from-report.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Progress } from '../pipeline/gate.js';
import { loadEventContext, type EventContext } from '../github/event-context.js';
import type { Logger } from '../core/logger.js';
import { buildOverrides, OVERRIDE_NAMES, type OverrideName } from '../config/overrides.js';
import { publishComment } from '../pipeline/publish-comment.js';
import { renderMarkdownSummary, renderProgressLine } from '../report/index.js';
import { writeHtmlReport } from '../report/write-report.js';
import { runLeakgate } from '../pipeline/run-leakgate.js';
import { runMerge } from '../pipeline/run-merge.js';
import { runHistory } from '../pipeline/run-history.js';
import type { Report } from '../core/types.js';
import type { CommentMode } from '../config/config.js';
import { ANALYZE_INPUTS, Inputs, MODES, Outputs, SETTING_INPUTS, type Mode } from './inputs.js';
import { ANALYZE_FIELD_NAMES, buildAnalyzeOverrides } from '../config/prometheus.js';
import { runAnalyze } from '../prometheus/run-analyze.js';

const MERGE_GATE_INPUTS = ['fail-on', 'comment', 'memory-limit'] as const satisfies readonly OverrideName[];

/** `signal`: aborted on SIGINT/SIGTERM (a cancelled job): the run writes its report with verdict interrupted. */
export async function run(signal?: AbortSignal): Promise<void> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const cwd = resolve(workspace, core.getInput(Inputs.WorkingDirectory) || '.');
    const mode = (core.getInput(Inputs.Mode) || 'run') as Mode;
    if (!MODES.includes(mode)) throw new ConfigError(`input '${Inputs.Mode}' must be one of ${MODES.join(', ')}, got '${mode}'`);
    const token = core.getInput(Inputs.GitHubToken) || process.env.GITHUB_TOKEN || '';
    if (token) core.setSecret(token);
    if (mode === 'comment') return await commentFromSavedReport(cwd, token);
    if (mode === 'history') return await historyMode(cwd, token);

    let report: Report;
    let reportPath: string;
    let commentMode: CommentMode = 'always';
    let saved: { saved: boolean; reason: string } | null = null;
    if (mode === 'analyze') {
      const given = Object.fromEntries(ANALYZE_FIELD_NAMES.map((n) => [n, core.getInput(ANALYZE_INPUTS[n])]));
      const { overrides, labels } = buildAnalyzeOverrides(given, (n) => `input '${ANALYZE_INPUTS[n]}'`);
      const configPath = core.getInput(Inputs.Config);
      const result = await runAnalyze({ ...(configPath ? { configPath } : {}), cwd, overrides, overrideLabels: labels, env: process.env, logger: actionLogger() });
      ({ report, reportPath } = result);
      commentMode = result.config.comment;
    } else if (mode === 'merge') {
      const paths = core.getMultilineInput(Inputs.Reports);
      const baseline = core.getInput(SETTING_INPUTS.baseline);
      const result = runMerge({
        paths,
        cwd,
        ...(core.getInput(SETTING_INPUTS.report) ? { reportPath: core.getInput(SETTING_INPUTS.report) } : {}),
        ...(baseline ? { baselines: [baseline] } : {}),
        // The merge job's own fail-on, comment and memory-limit decide; the shards ran with fail-on none.
        gate: {
          settings: Object.fromEntries(MERGE_GATE_INPUTS.map((n) => [n, core.getInput(SETTING_INPUTS[n])])),
          labels: Object.fromEntries(MERGE_GATE_INPUTS.map((n) => [n, `input '${SETTING_INPUTS[n]}'`])),
        },
        logger: actionLogger(),
      });
      ({ report, reportPath } = result);
      commentMode = result.comment;
    } else {
      const given: Partial<Record<OverrideName, string>> = {};
      for (const name of OVERRIDE_NAMES) {
        const value = core.getInput(SETTING_INPUTS[name]);
        if (value !== '') given[name] = value;
      }
      const env = parseEnvInput(core.getMultilineInput(Inputs.Env));
      const { overrides, labels } = buildOverrides(given, (n) => `input '${SETTING_INPUTS[n]}'`, env);
      const configPath = core.getInput(Inputs.Config);
      const result = await runLeakgate({
        ...(configPath ? { configPath } : {}),
        cwd,
        overrides,
        overrideLabels: labels,
        logger: actionLogger(),
        onProgress: throttledProgress(),
        ...(token ? { token } : {}),
        ...(signal ? { signal } : {}),
      });
      ({ report, reportPath, saved } = result);
      commentMode = result.config.comment;
    }

    const htmlReport = core.getInput(Inputs.HtmlReport);
    if (htmlReport) {
      const htmlPath = resolve(cwd, htmlReport);
      writeHtmlReport(htmlPath, report);
      core.setOutput(Outputs.HtmlReportPath, htmlPath);
    }
    await core.summary.addRaw(renderMarkdownSummary(report)).write();
    const commentUrl = await commentOnPullRequest(report, commentMode, token, loadEventContext(process.env));
    setOutputs(report, reportPath, saved, commentUrl);
    for (const reason of report.gate.reasons) core.error(reason, { title: `leakgate: ${report.name}` });
    if (report.error) {
      core.setFailed(report.prometheus ? `leakgate could not read Prometheus: ${report.error}` : `leakgate could not measure the app: ${report.error}`);
    } else if (report.gate.failed) {
      core.setFailed(`leakgate gate failed: ${report.gate.reasons.join('; ')}`);
    } else {
      core.info(`leakgate: ${report.summary.verdict}: the gate passed`);
    }
  } catch (e) {
    core.setFailed(e instanceof ConfigError ? e.message : `leakgate internal error: ${errorMessage(e)}`);
  }
}

/** Posts the sticky comment on a pull request run; returns its URL. Never fails the step. */
async function commentOnPullRequest(report: Report, mode: CommentMode, token: string, context: EventContext): Promise<string> {
  if (!context.pr || !context.repo || mode === 'never') return '';
  if (!token) {
    core.warning(`no PR comment: input '${Inputs.GitHubToken}' is empty`);
    return '';
  }
  try {
    const outcome = await publishComment({
      report,
      mode,
      token,
      apiUrl: context.apiUrl,
      owner: context.repo.owner,
      repo: context.repo.name,
      pr: context.pr.number,
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
      logger: actionLogger(),
    });
    if (outcome.status === 'forbidden') {
      core.warning(`${outcome.message}. The gate still decided and wrote the job summary. For fork pull requests, comment from a workflow_run workflow: see examples/workflows/fork-comment.yml`);
    } else core.info(outcome.message);
    return outcome.url ?? '';
  } catch (e) {
    core.warning(`could not comment on PR #${context.pr.number}: ${errorMessage(e)}`);
    return '';
  }
}

async function commentFromSavedReport(cwd: string, token: string): Promise<void> {
  const reportPath = core.getInput(SETTING_INPUTS.report) || 'leakgate-report.json';
  const env = { ...process.env, ...(token ? { GITHUB_TOKEN: token } : {}) };
  const mode = core.getInput(SETTING_INPUTS.comment);
  const outcome = await commentFromReport({ reportPath, cwd, env, ...(mode ? { mode } : {}), logger: actionLogger() });
  core.setOutput(Outputs.CommentUrl, outcome.url ?? '');
  if (outcome.ok) core.info(outcome.message);
  else core.setFailed(outcome.message);
}

/** history mode: the stored history of the base branch as the job summary, and static pages in history-dir. */
async function historyMode(cwd: string, token: string): Promise<void> {
  const context = loadEventContext(process.env);
  const names = core.getInput(SETTING_INPUTS.name).split(',').map((n) => n.trim()).filter(Boolean);
  const store = core.getInput(SETTING_INPUTS['baseline-store']) || 'branch';
  const dir = core.getInput(Inputs.HistoryDir);
  const storeBranch = core.getInput(SETTING_INPUTS['baseline-branch']);
  const result = await runHistory({
    names: names.length > 0 ? names : ['default'],
    branch: core.getInput(SETTING_INPUTS['base-branch']) || context.defaultBranch || 'main',
    store: store as 'branch',
    ...(storeBranch ? { storeBranch } : {}),
    limit: 50,
    repo: context.repo ? `${context.repo.owner}/${context.repo.name}` : null,
    serverUrl: context.serverUrl,
    ...(dir ? { outDir: dir } : {}),
    publish: core.getBooleanInput(Inputs.HistoryPublish),
    cwd,
    ...(token ? { token } : {}),
    logger: actionLogger(),
    now: new Date(),
  });
  await core.summary.addRaw(result.markdown).write();
  for (const f of result.files) core.info(`wrote ${f}`);
}

function parseEnvInput(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigError(`input '${Inputs.Env}' must hold KEY=VALUE lines, got '${line}'`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

/** Per trial, every signal's slope, interval, p-value and verdict (the primary signal alone when only one decided). */
function signalFigures(report: Report): Array<Array<{ metric: string; verdict: string; bytesPerRequest: number; ciLow: number; ciHigh: number; pValue: number }>> {
  return report.trials.map((t) =>
    (t.analysis.signals ?? [t.analysis]).map((a) => ({ metric: a.metric, verdict: a.verdict, bytesPerRequest: round(a.bytesPerRequest), ciLow: round(a.ciLow), ciHigh: round(a.ciHigh), pValue: a.pValue })),
  );
}

/** Every figure of the summary table, so later steps can use them. */
function setOutputs(report: Report, reportPath: string, saved: { saved: boolean } | null, commentUrl: string): void {
  const s = report.summary;
  const c = report.comparison;
  core.setOutput(Outputs.Verdict, report.error ? 'error' : s.verdict);
  core.setOutput(Outputs.Signal, s.metric);
  core.setOutput(Outputs.Signals, JSON.stringify(signalFigures(report)));
  core.setOutput(Outputs.BytesPerRequest, round(s.bytesPerRequest));
  core.setOutput(Outputs.CiLow, round(s.ciLow));
  core.setOutput(Outputs.CiHigh, round(s.ciHigh));
  core.setOutput(Outputs.PValue, s.pValue);
  core.setOutput(Outputs.PeakBytes, s.peakBytes);
  core.setOutput(Outputs.StartBytes, s.startBytes);
  core.setOutput(Outputs.Requests, s.requests);
  core.setOutput(Outputs.Throughput, round(s.throughput));
  core.setOutput(Outputs.GrowthPerMillion, Math.round(s.growthPerMillionRequests));
  core.setOutput(Outputs.MemoryLimit, s.memoryLimitBytes ?? '');
  core.setOutput(Outputs.SecondsToLimit, s.secondsToLimit === null ? '' : Math.round(s.secondsToLimit));
  core.setOutput(Outputs.Failed, String(report.gate.failed));
  core.setOutput(Outputs.Reasons, report.gate.reasons.join('\n'));
  core.setOutput(Outputs.ReportPath, reportPath);
  core.setOutput(Outputs.Regression, String(c?.slope.verdict === 'regression' || c?.peak.verdict === 'regression'));
  core.setOutput(Outputs.BaselineBytesPerRequest, c ? round(c.slope.base) : '');
  core.setOutput(Outputs.BytesPerRequestChange, c ? round(c.slope.effect) : '');
  core.setOutput(Outputs.BaselinePeakBytes, c ? Math.round(c.peak.base) : '');
  core.setOutput(Outputs.PeakBytesChange, c ? Math.round(c.peak.effect) : '');
  core.setOutput(Outputs.BaselineSha, report.baseline?.sha ?? '');
  core.setOutput(Outputs.BaselineSaved, String(saved?.saved ?? false));
  core.setOutput(Outputs.CommentUrl, commentUrl);
  const newSites = new Set(report.trials.flatMap((t) => (t.evidence?.native?.sites ?? []).filter((x) => x.status === 'new').map((x) => x.fingerprint)));
  core.setOutput(Outputs.NewLeakSites, newSites.size);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function actionLogger(): Logger {
  return { info: (m) => core.info(m), warn: (m) => core.warning(m), debug: (m) => core.debug(m) };
}

/** A progress line in the log every 5 seconds of load. */
function throttledProgress(): (p: Progress) => void {
  let last = { trial: 0, t: -Infinity };
  return (p) => {
    if (p.trial === last.trial && p.elapsedMs - last.t < 5000) return;
    last = { trial: p.trial, t: p.elapsedMs };
    core.info(renderProgressLine(p));
  };
}
