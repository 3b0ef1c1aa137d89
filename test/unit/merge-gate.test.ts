// `merge` gates with its own fail-on, comment and memory limit: shards run with fail-on none (they only measure),
// so taking the shards' settings would make every merged gate pass. Real report files in a temp directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redactConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { runMerge } from '../../src/pipeline/run-merge.js';
import { markInterrupted } from '../../src/pipeline/interrupt.js';
import { getExitCode } from '../../src/cli/exit-code.js';
import type { Report } from '../../src/core/types.js';
import { makeReport, MiB } from '../support/report-fixture.js';

const silent = { info: () => {}, warn: () => {}, debug: () => {} };

/** Two shard reports of one leaking config, run with the given shard fail-on and comment. */
function shards(shardSettings: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-merge-'));
  const config = loadConfig({
    file: { name: 'api-server', app: { command: ['node', 'server.js'], ready: { url: 'http://127.0.0.1:3000/healthz' } }, ...shardSettings },
    fileLabel: 'leakgate.yml',
    baseDir: dir,
    overrides: {},
    overrideLabels: {},
  });
  for (const shard of [1, 2]) {
    const report = makeReport([{ verdict: 'leak', slope: 200 }], { config: redactConfig({ ...config, reportPath: `r${shard}.json` }) });
    writeFileSync(join(dir, `r${shard}.json`), JSON.stringify(report));
  }
  return dir;
}

function merge(dir: string, settings: Record<string, string> = {}) {
  return runMerge({
    paths: [join(dir, 'r1.json'), join(dir, 'r2.json')],
    cwd: dir,
    reportPath: join(dir, 'merged.json'),
    baselines: [],
    gate: { settings, labels: { 'fail-on': 'flag --fail-on', 'memory-limit': 'flag --memory-limit', comment: "input 'comment'" } },
    logger: silent,
  });
}

test("leaking shards made with fail-on none fail the merge by default: the default fail-on, not the shards'", () => {
  const dir = shards({ 'fail-on': 'none', comment: 'never' });
  try {
    const r = merge(dir);
    assert.equal(r.report.summary.verdict, 'leak');
    assert.equal(r.report.gate.failed, true);
    assert.match(r.report.gate.reasons.join('\n'), /^leak:/m);
    assert.deepEqual((r.report.config as { failOn: string[] }).failOn, ['leak', 'oom', 'inconclusive', 'regression', 'native-leak']);
    assert.equal(r.comment, 'always', 'the default comment mode, not the shards\' never');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shard whose job was interrupted leaves the merged run unmeasured: its partial trial is not pooled', () => {
  const dir = shards({});
  try {
    const r1 = JSON.parse(readFileSync(join(dir, 'r1.json'), 'utf8')) as Report;
    writeFileSync(join(dir, 'r1.json'), JSON.stringify(markInterrupted(r1, 'SIGTERM')));
    const r = merge(dir);
    assert.match(r.report.error ?? '', /r1\.json: that job was interrupted \(leakgate was stopped by SIGTERM during trial 1, .*\); its trials are not pooled/);
    assert.equal(getExitCode(r.report), 2, 'could not be measured, not a leak verdict on part of a trial');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the merge's own fail-on, comment and memory limit decide", () => {
  const dir = shards({ 'fail-on': 'leak' });
  try {
    const passing = merge(dir, { 'fail-on': 'none', comment: 'on-regression', 'memory-limit': '512MiB' });
    assert.equal(passing.report.gate.failed, false);
    assert.equal(passing.comment, 'on-regression');
    assert.equal(passing.report.summary.memoryLimitBytes, 512 * MiB);
    assert.ok(passing.report.summary.secondsToLimit !== null && passing.report.summary.secondsToLimit > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shards that differ only in fail-on, comment or memory limit still merge', () => {
  const dir = shards({ 'fail-on': 'none' });
  const other = shards({ 'fail-on': 'leak', comment: 'never', 'memory-limit': '1GiB' });
  try {
    writeFileSync(join(dir, 'r2.json'), readFileSync(join(other, 'r2.json')));
    assert.equal(merge(dir).report.trials.length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test('a bad merge fail-on names the flag, the value and the valid values', () => {
  const dir = shards({});
  try {
    assert.throws(
      () => merge(dir, { 'fail-on': 'leaks' }),
      (e: unknown) => e instanceof ConfigError && /flag --fail-on \('fail-on'\) must be one or more of leak, oom, inconclusive, regression, peak-regression, native-leak, drift, none.*got 'leaks'/.test(e.message),
    );
    assert.throws(() => merge(dir, { comment: 'sometimes' }), /input 'comment' \('comment'\) must be one of always, on-regression, never, got 'sometimes'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
