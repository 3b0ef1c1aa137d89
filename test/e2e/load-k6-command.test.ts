// The k6 and command load drivers running real processes: a stand-in `k6` (a node script first on PATH that
// writes k6's JSON output progressively and its summary at exit, and honours SIGINT like k6), real wrk against
// the example app, and stand-in load commands that print progress, write a counter file, fail or ignore SIGINT.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { MeasureError } from '../../src/core/errors.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { startCommandLoad } from '../../src/load/command-driver.js';
import { requireK6, startK6 } from '../../src/load/k6-driver.js';
import { EXAMPLES, freePort, tempDir } from './helpers.js';
import { skipUnless } from '../support/tools.js';

/** Polls cond every 20 ms until it holds; fails after limitMs. Bounded wait, not a sleep. */
async function until(cond: () => boolean, limitMs: number, what: string): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out after ${limitMs} ms waiting for ${what}`);
    await delay(20);
  }
}

/** Records completed() every 25 ms until the promise settles. */
function watch(completed: () => number, done: Promise<unknown>): { readings: number[]; finished: Promise<void> } {
  const readings: number[] = [];
  const timer = setInterval(() => readings.push(completed()), 25);
  const finished = done.then(
    () => clearInterval(timer),
    () => clearInterval(timer),
  );
  return { readings, finished };
}

function distinctRising(readings: number[]): number {
  let steps = 0;
  for (let i = 1; i < readings.length; i++) {
    assert.ok(readings[i]! >= readings[i - 1]!, `completed() went down: ${readings[i - 1]} -> ${readings[i]}`);
    if (readings[i]! > readings[i - 1]!) steps += 1;
  }
  return steps;
}

const warnings: string[] = [];
const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };

// A stand-in for k6: same arguments, same output files and formats, same exit codes (0, 99, 105, 107).
const STAND_IN = `
const fs = require('node:fs');
const path = require('node:path');
const argv = process.argv.slice(2);
let json, summary, durationMs = 60000;
const envs = {};
for (let i = 1; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--out') json = argv[++i].replace(/^json=/, '');
  else if (a.startsWith('--summary-export=')) summary = a.slice('--summary-export='.length);
  else if (a === '--duration') durationMs = parseInt(argv[++i], 10);
  else if (a === '-e') { const [k, ...v] = argv[++i].split('='); envs[k] = v.join('='); }
}
const script = argv[argv.length - 1];
fs.writeFileSync(path.join(path.dirname(script), 'k6-argv.json'), JSON.stringify({ argv, envs, usage: process.env.K6_NO_USAGE_REPORT }));
const mode = process.env.STAND_IN_MODE || 'normal';
if (mode === 'crash') {
  console.error('time="2024-05-13T10:00:00Z" level=error msg="SyntaxError: file://' + script + ': Unexpected token (3:9)"');
  process.exit(107);
}
console.log('         /\\\\      Grafana   /‾‾/  \\n    execution: local\\n       script: ' + script);
const out = fs.openSync(json, 'w');
const write = (s) => fs.writeSync(out, s);
write('{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}\\n');
write('{"type":"Metric","data":{"name":"http_req_failed","type":"rate","contains":"default","thresholds":[],"submetrics":null},"metric":"http_req_failed"}\\n');
const started = Date.now();
let requests = 0, failed = 0, carry = '';
const tags = '{"expected_response":"true","method":"GET","name":"' + (envs.BASE_URL || '') + '/","proto":"HTTP/1.1","scenario":"default","status":"200"}';
function tick() {
  let text = carry;
  for (let i = 0; i < 7; i++) {
    requests += 1;
    const bad = requests % 50 === 0;
    if (bad) failed += 1;
    const t = new Date().toISOString().replace('Z', '123456Z');
    const tg = bad ? tags.replace('"200"', '"500"').replace('"true"', '"false"') : tags;
    text += '{"metric":"http_reqs","type":"Point","data":{"time":"' + t + '","value":1,"tags":' + tg + '}}\\n';
    text += '{"metric":"http_req_duration","type":"Point","data":{"time":"' + t + '","value":' + (1 + (requests % 7)) + ',"tags":' + tg + '}}\\n';
    text += '{"metric":"http_req_failed","type":"Point","data":{"time":"' + t + '","value":' + (bad ? 1 : 0) + ',"tags":' + tg + '}}\\n';
  }
  // Leave the last line half written until the next tick, as a buffered writer would.
  const cut = text.length - 37;
  write(text.slice(0, cut));
  carry = text.slice(cut);
  if (Date.now() - started >= durationMs) finish(mode === 'thresholds' ? 99 : 0);
}
function finish(code, truncated) {
  clearInterval(timer);
  // The carried half line: completed normally; left cut short when stopped.
  write(truncated ? carry.slice(0, 20) : carry);
  fs.closeSync(out);
  const secs = (Date.now() - started) / 1000;
  fs.writeFileSync(summary, JSON.stringify({
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
    metrics: {
      http_reqs: { count: requests, rate: requests / secs },
      http_req_duration: { avg: 4.1, min: 1, med: 4, max: 12.5, 'p(90)': 6.5, 'p(95)': 7, 'p(99)': 9.25,
        thresholds: { 'p(95)<1': mode === 'thresholds' } },
      http_req_failed: { passes: failed, fails: requests - failed, value: failed / requests },
      iterations: { count: requests, rate: requests / secs },
    },
  }, null, 4));
  console.log('running (' + secs.toFixed(1) + 's), 0/2 VUs, ' + requests + ' complete and 0 interrupted iterations');
  process.exit(code);
}
const timer = setInterval(tick, 20);
const onSignal = () => finish(105, true);
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
`;

describe('k6 driver (stand-in k6 on PATH)', () => {
  let dir: string;
  let binDir: string;
  let script: string;
  const env = (mode = 'normal'): NodeJS.ProcessEnv => ({ ...process.env, PATH: `${binDir}:${process.env.PATH ?? ''}`, STAND_IN_MODE: mode });

  before(() => {
    dir = tempDir('leakgate-k6-e2e-');
    binDir = path.join(dir, 'bin');
    mkdirSync(binDir);
    writeFileSync(path.join(binDir, 'k6'), `#!${process.execPath}\n${STAND_IN}`);
    chmodSync(path.join(binDir, 'k6'), 0o755);
    script = path.join(dir, 'load.js');
    writeFileSync(script, "import http from 'k6/http';\nexport default function () { http.get(__ENV.BASE_URL); }\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts requests while k6 runs and reads the summary when it ends', async () => {
    const run = startK6(
      { script: 'load.js', durationMs: 1500, vus: 2, url: 'http://127.0.0.1:1', env: { TOKEN: 'secret value' } },
      { now: () => performance.now(), logger, cwd: dir, env: env(), pollMs: 100 },
    );
    const w = watch(run.completed, run.done);
    const result = await run.done;
    await w.finished;
    assert.ok(distinctRising(w.readings) >= 5, `completed() rose only a few times: ${w.readings.join(',')}`);
    assert.ok(w.readings.some((r) => r > 0 && r < result.requests), 'completed() was never between 0 and the total during the run');
    // The stand-in writes 7 requests every 20 ms for 1.5 s.
    assert.ok(result.requests > 100, `requests ${result.requests}`);
    assert.equal(run.completed(), result.requests, 'the JSON stream and the summary agree');
    assert.equal(result.tool, 'k6');
    assert.equal(result.exitCode, 0);
    assert.equal(result.non2xx, Math.floor(result.requests / 50));
    assert.equal(result.ok, result.requests - result.non2xx);
    assert.deepEqual(result.latency, { p50: 4, p90: 6.5, p99: 9.25, max: 12.5, mean: 4.1 });
    assert.ok(result.durationMs >= 1400 && result.durationMs < 3000, `duration ${result.durationMs}`);
    assert.ok(result.throughput > 0);
    assert.equal(result.note, null);
    assert.equal(result.perSecond.reduce((s, x) => s + x.requests, 0), result.requests);
    const seen = JSON.parse(readFileSync(path.join(dir, 'k6-argv.json'), 'utf8'));
    assert.equal(seen.argv[0], 'run');
    assert.ok(seen.argv.includes('--summary-trend-stats=avg,min,med,max,p(90),p(95),p(99)'));
    assert.deepEqual(seen.envs, { BASE_URL: 'http://127.0.0.1:1', LEAKGATE_URL: 'http://127.0.0.1:1', TOKEN: 'secret value' });
    assert.deepEqual(seen.argv.slice(-1), [script]);
    assert.equal(seen.usage, 'true');
  });

  it('stop() makes k6 exit through SIGINT and the summary is still read', async () => {
    const debug: string[] = [];
    const run = startK6(
      { script, durationMs: 30_000 },
      { now: () => performance.now(), logger: { ...logger, debug: (m) => debug.push(m) }, cwd: dir, env: env(), pollMs: 100, tmpRoot: dir },
    );
    await until(() => run.completed() > 20, 5000, 'the first requests');
    const stoppedAt = Date.now();
    run.stop();
    const result = await run.done;
    assert.ok(Date.now() - stoppedAt < 3000, 'k6 took too long to stop');
    assert.equal(result.stopped, true);
    assert.equal(result.exitCode, 105);
    assert.equal(result.note, null, `note: ${result.note}`);
    assert.ok(result.requests > 20);
    // The stream's last line was cut short by the stop; it was dropped, and the counts still agree.
    assert.equal(run.completed(), result.requests);
    assert.ok(debug.some((m) => /dropped a last line cut short when k6 was stopped/.test(m)), debug.join('\n'));
    assert.equal(result.latency.p99, 9.25);
    const left = readdirSync(dir).filter((f) => f.startsWith('leakgate-k6-'));
    assert.deepEqual(left, [], 'the temp directory was removed');
  });

  it("without --duration the script's own length decides, and load.max-duration still stops a k6 that runs on", async () => {
    warnings.length = 0;
    // No durationMs: the stand-in then runs for its own 60 s, like a script whose scenarios outlast the limit.
    const t0 = Date.now();
    const run = startK6({ script, maxDurationMs: 1500 }, { now: () => performance.now(), logger, cwd: dir, env: env(), pollMs: 100, tmpRoot: dir });
    const result = await run.done;
    const elapsed = Date.now() - t0;
    const seen = JSON.parse(readFileSync(path.join(dir, 'k6-argv.json'), 'utf8'));
    assert.ok(!seen.argv.includes('--duration') && !seen.argv.includes('--vus'), `k6 was given ${seen.argv.join(' ')}`);
    assert.equal(result.stopped, true);
    assert.equal(result.exitCode, 105);
    // Not before the limit, and long before the stand-in's own 60 s.
    assert.ok(elapsed >= 1500 && elapsed < 10_000, `stopped after ${elapsed} ms`);
    assert.ok(result.requests > 20, 'the summary written on SIGINT was read');
    assert.ok(warnings.some((m) => /load\.max-duration \(1\.5 s\)/.test(m)), warnings.join('\n'));
  });

  it('reports failed thresholds (exit code 99) as a result, not an error', async () => {
    const run = startK6({ script, durationMs: 300 }, { now: () => performance.now(), logger, cwd: dir, env: env('thresholds'), pollMs: 50 });
    const result = await run.done;
    assert.equal(result.thresholdsFailed, true);
    assert.deepEqual(result.failedThresholds, ['http_req_duration: p(95)<1']);
    assert.match(result.note ?? '', /^k6 thresholds failed \(exit code 99\): http_req_duration: p\(95\)<1\. That is a verdict on the load test, not a measurement failure/);
    assert.ok(result.requests > 0);
  });

  it('a k6 that fails before any request rejects with its last output', async () => {
    const run = startK6({ script, durationMs: 1000 }, { now: () => performance.now(), logger, cwd: dir, env: env('crash') });
    await assert.rejects(run.done, (err: Error) => {
      assert.ok(err instanceof MeasureError);
      assert.match(err.message, /^k6 failed with exit code 107 \(script exception\) before completing any request/);
      assert.match(err.message, /last output:\n {2}time=.* level=error msg="SyntaxError: .*Unexpected token \(3:9\)"/);
      return true;
    });
  });

  it('without k6 on PATH, says how to install it', () => {
    const message =
      "load.tool k6: 'k6' was not found on PATH. On GitHub Actions add the step `uses: grafana/setup-k6-action@v1` before leakgate; " +
      'on a workstation install it from https://grafana.com/docs/k6/latest/set-up/install-k6/ (e.g. `brew install k6`, or the k6 .deb/.rpm package)';
    assert.throws(() => requireK6(dir), { name: 'MeasureError', message });
    assert.throws(() => startK6({ script }, { now: () => 0, logger, cwd: dir, env: { PATH: path.join(dir, 'nowhere') } }), { message });
    assert.equal(requireK6(binDir), path.join(binDir, 'k6'));
  });

  it('refuses a script that does not exist', () => {
    assert.throws(() => startK6({ script: 'missing.js' }, { now: () => 0, logger, cwd: dir, env: env() }), {
      name: 'ConfigError',
      message: `load.script: 'missing.js' is not a file (looked for ${path.join(dir, 'missing.js')})`,
    });
  });
});

describe('command driver', () => {
  it('wrk against the example app: the url counter follows the load and the wrk summary is read', { skip: skipUnless(['wrk']) }, async () => {
    const port = await freePort();
    const app: ChildProcess = spawn(process.execPath, [path.join(EXAMPLES, 'node-leak', 'server.js')], {
      env: { ...process.env, PORT: String(port), LEAK_BYTES: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let out = '';
      app.stdout!.on('data', (d) => (out += d));
      await until(() => out.includes('listening'), 5000, 'the example app to listen');
      const base = `http://127.0.0.1:${port}`;
      // The example app answers every path but /healthz with {"served": N, ...}: its request count.
      const run = startCommandLoad(
        { run: ['wrk', '-t1', '-c4', '-d3s', '--latency', `${base}/`], durationMs: 3000, counter: { url: `${base}/count`, field: 'served' } },
        { logger },
      );
      assert.equal(run.countsRequests, true);
      const w = watch(run.completed, run.done);
      const result = await run.done;
      await w.finished;
      assert.ok(distinctRising(w.readings) >= 5, `completed() rose only a few times during the run: ${w.readings.slice(0, 20).join(',')}…`);
      assert.ok(w.readings.some((r) => r > 0 && r < result.requests * 0.9), 'completed() never showed the load in progress');
      assert.equal(result.tool, 'wrk');
      assert.ok(result.requests > 1000, `wrk made ${result.requests} requests`);
      assert.ok(result.throughput > 0);
      assert.ok(result.latency.p50 > 0 && result.latency.p99 >= result.latency.p50 && result.latency.max >= result.latency.p99, JSON.stringify(result.latency));
      assert.equal(result.non2xx, 0);
      assert.equal(result.ok, result.requests);
      assert.equal(result.latencyKnown, true);
      assert.ok(result.durationMs >= 2900 && result.durationMs <= 3500, `duration ${result.durationMs}`);
      // The counter saw wrk's requests plus its own probes (4 a second): within a few % of wrk's count.
      const diff = Math.abs(run.completed() - result.requests) / result.requests;
      assert.ok(diff < 0.03, `counter ${run.completed()} vs wrk ${result.requests} (${(diff * 100).toFixed(2)}%)`);
      const res = await fetch(`${base}/count`);
      const served = ((await res.json()) as { served: number }).served;
      assert.ok(run.completed() < served, `counter ${run.completed()} vs server total ${served}`);
    } finally {
      try {
        process.kill(-app.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('wrk that cannot connect fails the load with its exit code and message', { skip: skipUnless(['wrk']) }, async () => {
    const port = await freePort();
    const run = startCommandLoad({ run: ['wrk', '-t1', '-c1', '-d3s', `http://127.0.0.1:${port}/`], durationMs: 3000 }, { logger });
    await assert.rejects(run.done, (err: Error) => {
      assert.ok(err instanceof MeasureError);
      assert.match(err.message, new RegExp(`^load command wrk -t1 -c1 -d3s http://127\\.0\\.0\\.1:${port}/ failed with exit code 1 after \\d\\.\\d s, before the load duration \\(3\\.0 s\\) ended; last output:\\n {2}unable to connect to 127\\.0\\.0\\.1:${port} Connection refused`));
      return true;
    });
  });

  it('a regex counter follows the progress lines the command prints', async () => {
    const printer = `
      let n = 0;
      const t = setInterval(() => {
        n += 100;
        // Alternate newline and carriage-return progress, on stdout and stderr.
        if (n % 200 === 0) process.stdout.write('done ' + n + '\\n'); else process.stderr.write('\\rdone ' + n);
        if (n >= 3000) { clearInterval(t); process.stderr.write('\\n'); }
      }, 40);`;
    const run = startCommandLoad({ run: [process.execPath, '-e', printer], durationMs: 1200, counter: { regex: 'done (\\d+)' } }, { logger });
    const w = watch(run.completed, run.done);
    const result = await run.done;
    await w.finished;
    assert.ok(distinctRising(w.readings) >= 5, `completed(): ${w.readings.join(',')}`);
    assert.equal(run.completed(), 3000);
    assert.equal(result.requests, 3000);
    assert.equal(result.tool, path.basename(process.execPath));
    assert.deepEqual([result.latencyKnown, result.statusKnown, result.exitCode, result.stopped], [false, false, 0, false]);
    assert.deepEqual(result.latency, { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
  });

  it("a file counter counts each trial from its own start, not from the count an earlier trial left in the file", async () => {
    const dir = tempDir();
    try {
      // Rewrites the count from `from` up by 300, like a load tool that writes its progress file per run.
      const writer = (from: number) => `
        const fs = require('node:fs');
        let n = ${from};
        const t = setInterval(() => {
          n += 10;
          fs.writeFileSync('progress.json', JSON.stringify({ stats: { requests: n } }));
          if (n >= ${from} + 300) clearInterval(t);
        }, 30);`;
      const trial = async (from: number) => {
        const run = startCommandLoad(
          { run: [process.execPath, '-e', writer(from)], cwd: '.', durationMs: 900, counter: { file: 'progress.json', field: 'stats.requests' }, pollMs: 20 },
          { logger, cwd: dir },
        );
        const w = watch(run.completed, run.done);
        const result = await run.done;
        await w.finished;
        return { result, readings: w.readings };
      };
      const first = await trial(0);
      assert.equal(first.result.requests, 300);
      // Trial 2 starts with 300 in the file; the command restarts its count at 0.
      const second = await trial(0);
      assert.equal(second.result.requests, 300);
      assert.ok(second.readings.some((r) => r > 0 && r < 300), `trial 2 started at trial 1's count: ${second.readings.join(',')}`);
      // A file that accumulates (the app's own total) counts from the value at the start.
      const third = await trial(300);
      assert.equal(third.result.requests, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file counter is re-read while the command writes it', async () => {
    const dir = tempDir();
    try {
      const writer = `
        const fs = require('node:fs');
        let n = 0;
        const t = setInterval(() => {
          n += 10;
          fs.writeFileSync('progress.json', JSON.stringify({ stats: { requests: n } }));
          if (n >= 300) clearInterval(t);
        }, 30);`;
      const run = startCommandLoad(
        { run: [process.execPath, '-e', writer], cwd: '.', durationMs: 900, counter: { file: 'progress.json', field: 'stats.requests' }, pollMs: 50 },
        { logger, cwd: dir },
      );
      const w = watch(run.completed, run.done);
      const result = await run.done;
      await w.finished;
      assert.ok(distinctRising(w.readings) >= 3, `completed(): ${w.readings.join(',')}`);
      assert.equal(result.requests, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a counter, countsRequests is false and completed() stays 0', async () => {
    const run = startCommandLoad({ run: [process.execPath, '-e', 'setTimeout(() => {}, 300)'], durationMs: 300 }, { logger });
    assert.equal(run.countsRequests, false);
    const result = await run.done;
    assert.equal(run.completed(), 0);
    assert.equal(result.requests, 0);
  });

  it('a command that fails early rejects with the command, exit code and last lines', async () => {
    const run = startCommandLoad({ run: [process.execPath, '-e', "console.log('starting'); console.error('boom: no such host'); process.exit(3)"], durationMs: 5000 }, { logger });
    await assert.rejects(run.done, (err: Error) => {
      assert.match(err.message, /^load command \S+ -e '.*' failed with exit code 3 after \d\.\d s, before the load duration \(5\.0 s\) ended; last output:\n {2}(starting\n {2}boom: no such host|boom: no such host\n {2}starting)$/s);
      return true;
    });
  });

  it('a command that ignores SIGINT is killed after the duration and grace', async () => {
    const started = Date.now();
    const run = startCommandLoad(
      { run: [process.execPath, '-e', "process.on('SIGINT', () => console.log('ignoring SIGINT')); setInterval(() => {}, 1000); console.log('up')"], durationMs: 300, graceMs: 300 },
      { logger },
    );
    const result = await run.done;
    const took = Date.now() - started;
    assert.deepEqual([result.stopped, result.signal], [true, 'SIGKILL']);
    assert.ok(took >= 850 && took < 3000, `took ${took} ms`);
    assert.ok(warnings.some((m) => /still running 300 ms after SIGINT; sending SIGKILL/.test(m)));
  });

  it('a missing program is refused before anything starts', () => {
    assert.throws(() => startCommandLoad({ run: ['no-such-load-tool-xyz', '-n', '1'], durationMs: 1000 }, { env: { PATH: '/nonexistent' } }), {
      name: 'MeasureError',
      message: "could not start the load command (no-such-load-tool-xyz -n 1): 'no-such-load-tool-xyz' was not found on PATH (1 directory searched); install it, or give its full path",
    });
    assert.throws(() => startCommandLoad({ run: [], durationMs: 1000 }), { name: 'ConfigError' });
    assert.throws(() => startCommandLoad({ run: [process.execPath], durationMs: 1000, counter: { regex: 'done \\d+' } }), {
      name: 'ConfigError',
      message: /^load\.counter\.regex: counter regex "done \\\\d\+" has no capturing group/,
    });
  });
});
