// Fault injection: the faults a CI job and a laptop really see, each with its asserted outcome (the table
// in docs/reliability.md). The CLI runs as a real process on a small misbehaving server
// (test/fixtures/apps/faulty-server.mjs); every wait is on a condition (a file, a process gone), bounded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ROOT, freePort, processesWithRunIdPrefix, readJson, startCli, tempDir, waitFor, writeConfig } from './helpers.js';
import type { Report } from '../../src/core/types.js';

const APP = join(ROOT, 'test', 'fixtures', 'apps', 'faulty-server.mjs');

interface Setup {
  dir: string;
  name: string;
  port: number;
  report: string;
  started: string;
  served: string;
  config: string;
}

/** A config running the faulty server under `fault`, ready on its URL. */
async function setup(tag: string, opts: { env?: Record<string, string>; load?: Record<string, unknown>; app?: Record<string, unknown>; report?: string; readyPortTimeout?: string } = {}): Promise<Setup> {
  const dir = tempDir(`leakgate-fault-${tag}-`);
  const name = `fault-${tag}-${process.pid}`;
  const port = await freePort();
  const started = join(dir, 'started');
  const served = join(dir, 'served');
  const report = opts.report ?? join(dir, 'out', 'report.json');
  const config = writeConfig(dir, {
    name,
    app: {
      command: [process.execPath, APP],
      env: { PORT: String(port), STARTED_FILE: started, SERVED_FILE: served, ...opts.env },
      ready: opts.readyPortTimeout ? { port, timeout: opts.readyPortTimeout } : { url: `http://127.0.0.1:${port}/`, timeout: '20s' },
      'stop-grace': '2s',
      ...opts.app,
    },
    load: { url: `http://127.0.0.1:${port}/`, duration: '30s', connections: 4, ...opts.load },
    'fail-on': ['leak'],
    // The faults concern the process tree, not the heap: no inspector round trips.
    runtime: 'none',
    report,
  });
  return { dir, name, port, report, started, served, config };
}

// Alone: any leakgate run ends a dead run's leftovers at its start, so a concurrent run would end this one first.
describe('fault injection: a leftover of a dead run', () => {
  it('a neighbour that starts listening on the port after the app started: never taken for the app', async () => {
    const s = await setup('late-neighbour', { env: { FAULT: 'no-listen' }, readyPortTimeout: '3s' });
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    await waitFor('the app to start', () => existsSync(s.started), 30_000);
    const server = createServer((_q, r) => r.end('not the app')).listen(s.port, '127.0.0.1');
    try {
      assert.equal(await run.exited, 2);
      assert.match(run.stderr(), new RegExp(`did not become ready within 3 s: .*\\(last attempt: port ${s.port} answers, but it is held by pid ${process.pid} \\(`));
      assert.equal(readJson<Report>(s.report).trials[0]?.load.requests, 0, 'no load went to the neighbour');
    } finally {
      server.close();
    }
  });

  it("a leftover of a dead leakgate run on the port: ended at start with a line saying so, then the run measures the app", async () => {
    const s = await setup('leftover', { load: { duration: '2s' } });
    // Marked by a run whose owner is gone: this pid with a start time it never had (as after a pid reuse).
    const leftover = spawn(process.execPath, [APP], {
      env: { ...process.env, PORT: String(s.port), LEAKGATE_RUN_ID: `${s.name}-old`, LEAKGATE_OWNER: `${process.pid}:1` },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const gone = new Promise((r) => leftover.once('exit', r));
    await new Promise((r) => leftover.stdout!.once('data', r));
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    const code = await run.exited;
    assert.match(run.stderr(), new RegExp(`ending 1 process\\(es\\) left running by an earlier leakgate run that died: pid ${leftover.pid} \\(`));
    await gone;
    assert.notEqual(code, 2, run.stderr());
    const report = readJson<Report>(s.report);
    assert.equal(report.error, null);
    assert.ok(report.trials[0]!.load.requests > 0);
  });
});

describe('fault injection', { concurrency: 4 }, () => {
  it('SIGKILL of leakgate mid-trial: the keeper ends the app within the bound', async (t) => {
    const s = await setup('sigkill');
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    await waitFor('the app to serve requests under load', () => existsSync(s.served), 30_000);
    assert.ok(processesWithRunIdPrefix(s.name).length > 0, 'the app runs');
    run.child.kill('SIGKILL');
    await run.exited;
    const ms = await waitFor('no process of the app left', () => processesWithRunIdPrefix(s.name).length === 0, 8_000);
    t.diagnostic(`app's process group gone ${ms} ms after leakgate was SIGKILLed`);
  });

  it('a neighbour already answering on the ready port: exit 2 naming port and pid, the app never starts', async () => {
    const s = await setup('neighbour');
    const server = createServer((_q, r) => r.end('not the app')).listen(s.port, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
      assert.equal(await run.exited, 2);
      assert.match(run.stderr(), new RegExp(`port ${s.port} \\(127\\.0\\.0\\.1\\) already answers before the app was started: held by pid ${process.pid} \\(`));
      assert.equal(existsSync(s.started), false, 'the app was never started');
      assert.equal(readJson<Report>(s.report).trials[0]?.load.requests, 0, 'no load went to the neighbour');
    } finally {
      server.close();
    }
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} mid-trial: load stopped, app torn down, report written with the samples and verdict interrupted, exit ${code}`, async (t) => {
      const s = await setup(signal.toLowerCase());
      const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
      await waitFor('the app to serve requests under load', () => existsSync(s.served), 30_000);
      const sent = Date.now();
      run.child.kill(signal);
      assert.equal(await run.exited, code, run.stderr());
      t.diagnostic(`exited ${Date.now() - sent} ms after ${signal}`);
      assert.deepEqual(processesWithRunIdPrefix(s.name), [], 'no process of the app left');
      const report = readJson<Report>(s.report);
      assert.equal(report.summary.verdict, 'interrupted');
      assert.equal(report.interrupted?.signal, signal);
      assert.equal(report.gate.failed, true);
      assert.match(report.gate.reasons[0] ?? '', /^interrupted: /);
      assert.ok(report.trials[0]!.samples.length > 0, 'the samples measured so far are kept');
      assert.ok(report.trials[0]!.load.requests >= 200, 'the load measured so far is kept');
    });
  }

  it('an app that double-forks a daemon and exits: exit 2 saying it exited, and the daemon (still marked) is reaped', async () => {
    const s = await setup('daemon', { env: { FAULT: 'daemon' } });
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), /exited before it became ready: exit code 0\. .* 1 process\(es\) it started still run \(\d+\): it daemonised/);
    assert.deepEqual(processesWithRunIdPrefix(s.name), [], 'the daemon left the process group but carried the marker: it was ended');
  });

  it('an app that ignores SIGTERM: SIGKILLed after the grace, nothing left', async () => {
    const s = await setup('ignore-term', { env: { FAULT: 'ignore-term' }, load: { duration: '2s' }, app: { 'stop-grace': '1s' } });
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    const code = await run.exited;
    assert.notEqual(code, 2, run.stderr());
    assert.equal(readJson<Report>(s.report).trials[0]!.exit.signal, 'SIGKILL');
    assert.deepEqual(processesWithRunIdPrefix(s.name), []);
  });

  it("an app flooding its output (10 MB/s): leakgate's own memory stays bounded, only a tail is kept", async (t) => {
    const s = await setup('flood', { env: { FAULT: 'flood' }, load: { duration: '5s' } });
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    let hwm = 0;
    const status = `/proc/${run.child.pid}/status`;
    let done = false;
    void run.exited.then(() => (done = true));
    while (!done) {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        // exited meanwhile
      }
      await delay(100);
    }
    const report = readJson<Report>(s.report);
    t.diagnostic(`leakgate's peak RSS (VmHWM) with a 10 MB/s app: ${(hwm / 1048576).toFixed(0)} MiB over ${report.trials[0]!.load.requests} requests`);
    assert.equal(report.error, null, run.stderr());
    assert.ok(report.trials[0]!.outputTail.length <= 100, 'only a tail of the output is kept');
    assert.ok(hwm > 0 && hwm < 300 * 1048576, `leakgate's peak RSS ${hwm} bytes`);
  });

  it('a target that stops answering mid-load: the requests time out and the report counts them', async () => {
    const s = await setup('hang', { env: { HANG_AFTER: '50', SERVED_AT: '50' }, load: { duration: '4s', timeout: '1s' } });
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    await run.exited;
    const load = readJson<Report>(s.report).trials[0]!.load;
    assert.ok(existsSync(s.served), 'the app answered 50 requests, then stopped answering');
    assert.ok(load.requests > 0 && load.requests <= 50, `answered ${load.requests}`);
    assert.ok(load.timeouts > 0, `timeouts counted: ${JSON.stringify(load)}`);
  });

  it("an unwritable report path: a clear error naming it, before the app starts", async () => {
    const blocker = join(tempDir('leakgate-fault-report-'), 'a-file');
    writeFileSync(blocker, '');
    const s = await setup('report', { report: join(blocker, 'report.json') });
    const run = startCli(['run', '--no-progress', '-c', s.config], s.dir);
    assert.equal(await run.exited, 2);
    assert.match(run.stderr(), new RegExp(`'report' \\(.*\\): cannot create its directory ${blocker}: ${blocker} is a file, not a directory`));
    assert.doesNotMatch(run.stderr(), /internal error|\n\s+at /);
    assert.equal(existsSync(s.started), false, 'the app was never started');
  });

  it('a kill during a branch-store save: the remote is unchanged, the next save lands', async () => {
    const root = tempDir('leakgate-fault-branch-');
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
    Object.assign(env, { HOME: root, GIT_CONFIG_NOSYSTEM: '1' });
    const origin = join(root, 'origin.git');
    execFileSync('git', ['init', '-q', '--bare', origin], { env });
    const work = join(root, 'work');
    mkdirSync(work);
    const saver = join(root, 'save.mts');
    // Saves one entry; with KILL_BEFORE_PUSH it SIGKILLs itself after committing, before pushing.
    writeFileSync(
      saver,
      `import { createBranchStore } from ${JSON.stringify(join(ROOT, 'src', 'baseline', 'branch-store.ts'))};
const n = Number(process.argv[2]);
const store = createBranchStore({ remote: ${JSON.stringify(origin)}, workDir: ${JSON.stringify(work)}, backoffMs: 20,
  beforePush: async () => { if (process.env.KILL_BEFORE_PUSH) { process.kill(process.pid, 'SIGKILL'); await new Promise(() => {}); } } });
const report = { schemaVersion: 1, tool: { name: 'leakgate', version: '0' }, name: 'api', trials: [{ samples: [], analysis: { bytesPerRequest: n } }] };
await store.save({ report, sha: String(n).repeat(40).slice(0, 40), branch: 'main', configName: 'api', savedAt: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString() });
const loaded = await store.load({ configName: 'api', branch: 'main' });
console.log(loaded.entries.length);
`,
    );
    const save = (n: number, kill: boolean) =>
      new Promise<{ code: number | null; signal: string | null; out: string }>((res) => {
        const c = spawn(process.execPath, ['--import', 'tsx', saver, String(n)], { cwd: ROOT, env: { ...env, ...(kill ? { KILL_BEFORE_PUSH: '1' } : {}) }, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        c.on('close', (code, signal) => res({ code, signal, out }));
      });
    const tip = () => execFileSync('git', ['-C', origin, 'rev-parse', 'refs/heads/leakgate-baselines'], { env, encoding: 'utf8' }).trim();
    const first = await save(1, false);
    assert.equal(first.code, 0);
    assert.equal(first.out.trim(), '1');
    const before = tip();
    const killed = await save(2, true);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(tip(), before, 'the remote is as it was: nothing partial was pushed');
    const next = await save(3, false);
    assert.equal(next.code, 0);
    assert.equal(next.out.trim(), '2', 'the next save lands next to the first; the killed one left nothing');
    assert.notEqual(tip(), before);
  });
});
