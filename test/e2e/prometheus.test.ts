// leakgate analyze against a real Prometheus (Debian's package) on loopback, scraping real apps every second that
// expose their memory through prom-client: one keeps a known number of bytes a second, one is clean. One scrape
// period (~20 s, polled for, not slept) serves every assertion: the leak is flagged with a slope near its known
// rate, the clean app passes, a leaking canary against a clean stable is a regression, and the errors exit 2.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { ACTION, readJson, ROOT, runCli, runNode, tempDir, writeConfig, type ProcessResult } from './helpers.js';
import { skipUnless } from '../support/tools.js';
import { startMetricsApp, startPrometheus, waitForPoints, type PrometheusServer } from '../support/prometheus-server.js';
import type { Report } from '../../src/core/types.js';

const APP = join(ROOT, 'test', 'support', 'metrics-app.mjs');
const LEAK_BYTES_PER_SECOND = 512 * 1024;
const POINTS = 18;

describe('leakgate analyze (real Prometheus)', { skip: skipUnless(['prometheus']) }, () => {
  let prom: PrometheusServer;
  const apps: Array<{ stop: () => Promise<void> }> = [];
  const dir = tempDir('leakgate-prom-e2e-');
  const runs = new Map<string, ProcessResult>();
  // A fresh Node process's RSS drifts up ~1.5 MiB in its first half minute (~3% of 54 MiB): over a 20 s window the
  // practical growth floor is raised to 5% so that drift is not a leak; the leak grows ~15% over the same window.
  const config = writeConfig(dir, { analysis: { 'min-relative-growth': 0.05 } });

  before(async () => {
    const leaky = await startMetricsApp(APP, LEAK_BYTES_PER_SECOND);
    apps.push(leaky);
    const clean = await startMetricsApp(APP, 0);
    apps.push(clean);
    prom = await startPrometheus([
      { job: 'leaky', port: leaky.port, labels: { track: 'canary' } },
      { job: 'clean', port: clean.port, labels: { track: 'stable' } },
    ]);
    await waitForPoints(prom.url, 'process_resident_memory_bytes', 2, POINTS, 60_000);
    // Every analysis reads the same scraped window; run them at once.
    const all: Array<[string, string[]]> = [
      ['leaky', ['--query', 'process_resident_memory_bytes{job="leaky"}', '--limit', '512MiB']],
      ['clean', ['--query', 'process_resident_memory_bytes{job="clean"}']],
      ['canary', ['--canary-query', 'process_resident_memory_bytes{track="canary"}', '--baseline-query', 'process_resident_memory_bytes{track="stable"}']],
      ['bad', ['--query', 'process_resident_memory_bytes[']],
      ['empty', ['--query', 'process_resident_memory_bytes{job="nothing"}']],
    ];
    const results = await Promise.all([...all.map(([name, args]) => analyze(name, args)), action()]);
    all.forEach(([name], i) => runs.set(name, results[i]!));
    runs.set('action', results[all.length]!);
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await prom?.stop();
  });

  const analyze = (name: string, args: string[]): Promise<ProcessResult> =>
    runCli(['analyze', '-c', config, '--prometheus', prom.url, '--range', '60s', '--step', '1s', '--name', name, '--report', join(dir, `${name}.json`), ...args], { cwd: dir });

  /** The bundled Action in mode analyze, as a runner starts it (inputs as INPUT_* variables, a push event). */
  const action = (): Promise<ProcessResult> => {
    for (const f of ['summary.md', 'outputs.txt']) writeFileSync(join(dir, f), '');
    return runNode(ACTION, [], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'outputs.txt'), RUNNER_TEMP: dir,
        INPUT_MODE: 'analyze', INPUT_CONFIG: config, INPUT_NAME: 'action', INPUT_PROMETHEUS: prom.url,
        INPUT_QUERY: 'process_resident_memory_bytes{job="leaky"}', INPUT_RANGE: '60s', INPUT_STEP: '1s', 'INPUT_REPORT-PATH': join(dir, 'action.json'),
      },
    });
  };

  it('flags the leaking app with a slope near its known rate', () => {
    const r = runs.get('leaky')!;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const report = readJson<Report>(join(dir, 'leaky.json'));
    const s = report.prometheus!.series[0]!;
    assert.equal(s.verdict, 'leak', s.reason);
    assert.ok(Math.abs(s.bytesPerSecond / LEAK_BYTES_PER_SECOND - 1) < 0.3, `slope ${s.bytesPerSecond} B/s, leak ${LEAK_BYTES_PER_SECOND} B/s`);
    assert.ok(s.secondsToLimit !== null && s.secondsToLimit > 0, 'projected to the limit');
    assert.equal(report.prometheus!.source, 'prometheus');
    assert.match(r.stdout, /gate failed/);
  });

  it('passes the clean app', () => {
    const r = runs.get('clean')!;
    const report = readJson<Report>(join(dir, 'clean.json'));
    assert.equal(report.prometheus!.series[0]!.verdict, 'no-leak', report.prometheus!.series[0]!.reason);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('calls a leaking canary against a clean stable a regression', () => {
    const r = runs.get('canary')!;
    const report = readJson<Report>(join(dir, 'canary.json'));
    assert.equal(report.prometheus!.canary!.verdict, 'regression', r.stdout);
    assert.equal(r.code, 1);
    assert.ok(report.gate.reasons.some((x) => x.startsWith('regression:')), report.gate.reasons.join('\n'));
  });

  it('exits 2 with Prometheus\'s own message on a bad query, and on an empty result', () => {
    const bad = runs.get('bad')!;
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad_data.*parse error/);
    const empty = runs.get('empty')!;
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no series/);
  });

  it('runs as the Action (mode analyze): job summary with a chart, outputs, failed step', () => {
    const r = runs.get('action')!;
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    assert.match(summary, /```mermaid/);
    assert.match(summary, /Leak/);
    assert.match(readFileSync(join(dir, 'outputs.txt'), 'utf8'), /^verdict<<\S+\nleak\n/m);
  });
});
