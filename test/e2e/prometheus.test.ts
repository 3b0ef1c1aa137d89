// leakgate analyze against a real Prometheus (Debian's package) on loopback, scraping real apps every second that
// expose their memory through prom-client: one keeps a known number of bytes a second, one is clean. One scrape
// period (~20 s, polled for, not slept) serves every assertion: the leak is flagged with a slope near its known
// rate, the clean app passes, a leaking canary against a clean stable is a regression, and the errors exit 2.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { ACTION, CLI, readJson, ROOT, runCli, runNode, tempDir, writeConfig, type ProcessResult } from './helpers.js';
import { skipUnless } from '../support/tools.js';
import { startMetricsApp, startPrometheus, startSecurePrometheus, waitForPoints, type PrometheusServer, type SecurePrometheus } from '../support/prometheus-server.js';
import type { Report } from '../../src/core/types.js';

const APP = join(ROOT, 'test', 'support', 'metrics-app.mjs');
const LEAK_BYTES_PER_SECOND = 512 * 1024;
const POINTS = 18;
// bcrypt (cost 4) of PASSWORD, made once with Python's crypt.crypt(PASSWORD, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)).
const PASSWORD = 'leakgate-test';
const PASSWORD_HASH = '$2b$04$R0YWYDtwnSnL./MpKloDTOTVwpgnEyRkx86bTwONGsy9lRgyEnkOC';

describe('leakgate analyze (real Prometheus)', { skip: skipUnless(['prometheus']) }, () => {
  let prom: PrometheusServer;
  let secure: SecurePrometheus;
  const apps: Array<{ stop: () => Promise<void> }> = [];
  const dir = tempDir('leakgate-prom-e2e-');
  const runs = new Map<string, ProcessResult>();
  // A fresh Node process's RSS drifts up ~1.5 MiB in its first half minute (~3% of 54 MiB): over a 20 s window the
  // practical growth floor is raised to 5% so that drift is not a leak; the leak grows ~15% over the same window.
  const config = writeConfig(dir, { analysis: { 'min-relative-growth': 0.05 } });

  before(async () => {
    // TLS and basic auth need no scraped data (vector(1) answers at once): that server starts beside the rest.
    const securing = startSecurePrometheus({ user: 'leakgate', hash: PASSWORD_HASH, password: PASSWORD });
    const leaky = await startMetricsApp(APP, LEAK_BYTES_PER_SECOND);
    apps.push(leaky);
    const clean = await startMetricsApp(APP, 0);
    apps.push(clean);
    prom = await startPrometheus([
      { job: 'leaky', port: leaky.port, labels: { track: 'canary' } },
      { job: 'clean', port: clean.port, labels: { track: 'stable' } },
    ]);
    secure = await securing;
    await waitForPoints(prom.url, 'process_resident_memory_bytes', 2, POINTS, 60_000);
    // Every analysis reads the same scraped window; run them at once.
    const all: Array<[string, string[]]> = [
      ['leaky', ['--query', 'process_resident_memory_bytes{job="leaky"}', '--limit', '512MiB']],
      ['clean', ['--query', 'process_resident_memory_bytes{job="clean"}']],
      ['canary', ['--canary-query', 'process_resident_memory_bytes{track="canary"}', '--baseline-query', 'process_resident_memory_bytes{track="stable"}']],
      ['bad', ['--query', 'process_resident_memory_bytes[']],
      ['empty', ['--query', 'process_resident_memory_bytes{job="nothing"}']],
    ];
    const results = await Promise.all([...all.map(([name, args]) => analyze(name, args)), action(), viaTls('tls', PASSWORD), viaTls('tls-wrong', 'nope')]);
    all.forEach(([name], i) => runs.set(name, results[i]!));
    runs.set('action', results[all.length]!);
    runs.set('tls', results[all.length + 1]!);
    runs.set('tls-wrong', results[all.length + 2]!);
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await prom?.stop();
    await secure?.stop();
  });

  const analyze = (name: string, args: string[]): Promise<ProcessResult> =>
    runCli(['analyze', '-c', config, '--prometheus', prom.url, '--range', '60s', '--step', '1s', '--name', name, '--report', join(dir, `${name}.json`), ...args], { cwd: dir });

  /** Over TLS with the server's private CA, basic auth from the variables the config names. */
  const viaTls = (name: string, password: string): Promise<ProcessResult> => {
    const tlsConfig = writeConfig(dir, { prometheus: { 'basic-auth': { 'user-env': 'PROM_USER', 'password-env': 'PROM_PASSWORD' } } }, `${name}.yml`);
    const args = ['analyze', '-c', tlsConfig, '--prometheus', secure.url, '--ca-file', secure.caFile, '--query', 'vector(1)', '--range', '60s', '--step', '1s', '--report', join(dir, `${name}.json`)];
    return runNode(CLI, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', PROM_USER: 'leakgate', PROM_PASSWORD: password } });
  };

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

  it('reads over TLS with a custom CA and basic auth from the environment, never storing the password', () => {
    const ok = runs.get('tls')!;
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const text = readFileSync(join(dir, 'tls.json'), 'utf8');
    assert.equal((JSON.parse(text) as Report).prometheus!.series.length, 1);
    assert.ok(!text.includes(PASSWORD) && text.includes('PROM_PASSWORD'), 'the report names the variable, not the password');
    const wrong = runs.get('tls-wrong')!;
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /HTTP 401: check the credentials \(basic auth from PROM_USER\/PROM_PASSWORD\)/);
  });
});
