// The GitHub Action: reads inputs, runs the shared pipeline, writes the job summary, outputs and
// annotations, and fails the step when the gate fails. One try/catch turns any error into setFailed.
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { ConfigError, errorMessage } from '../errors.js';
import type { Progress } from '../gate.js';
import type { Logger } from '../logger.js';
import { buildOverrides, OVERRIDE_NAMES, type OverrideName } from '../overrides.js';
import { renderMarkdownSummary, renderProgressLine } from '../report/index.js';
import { runLeakgate } from '../run-leakgate.js';
import type { Report } from '../types.js';
import { Inputs, Outputs, SETTING_INPUTS } from './inputs.js';

export async function run(): Promise<void> {
  try {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const cwd = resolve(workspace, core.getInput(Inputs.WorkingDirectory) || '.');
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
    });
    setOutputs(result.report, result.reportPath);
    await core.summary.addRaw(renderMarkdownSummary(result.report)).write();
    for (const reason of result.report.gate.reasons) core.error(reason, { title: `leakgate: ${result.report.name}` });
    if (result.report.error) {
      core.setFailed(`leakgate could not measure the app: ${result.report.error}`);
    } else if (result.report.gate.failed) {
      core.setFailed(`leakgate gate failed: ${result.report.gate.reasons.join('; ')}`);
    } else {
      core.info(`leakgate: ${result.report.summary.verdict}: the gate passed`);
    }
  } catch (e) {
    core.setFailed(e instanceof ConfigError ? e.message : `leakgate internal error: ${errorMessage(e)}`);
  }
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

function setOutputs(report: Report, reportPath: string): void {
  const s = report.summary;
  core.setOutput(Outputs.Verdict, report.error ? 'error' : s.verdict);
  core.setOutput(Outputs.BytesPerRequest, round(s.bytesPerRequest));
  core.setOutput(Outputs.CiLow, round(s.ciLow));
  core.setOutput(Outputs.CiHigh, round(s.ciHigh));
  core.setOutput(Outputs.PValue, s.pValue);
  core.setOutput(Outputs.PeakBytes, s.peakBytes);
  core.setOutput(Outputs.Requests, s.requests);
  core.setOutput(Outputs.Throughput, round(s.throughput));
  core.setOutput(Outputs.Failed, String(report.gate.failed));
  core.setOutput(Outputs.ReportPath, reportPath);
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
