// app.attach through the real CLI: a leaking app started outside leakgate, inside a memory cgroup this test makes,
// is attached by cgroup path and by pid and its leak found, and it is still running after leakgate exits; a pid
// that does not exist, and one that exits mid-run, are verdict-less errors naming the pid; one OOM-killed in its
// cgroup gets the oom verdict; a real podman container running the same app (node from the host's root
// filesystem, no image) is attached by name. Skips, saying why, where this machine cannot make a memory cgroup or
// run a container.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MeasureError } from '../../src/core/errors.js';
import { runRestart } from '../../src/target/attach-target.js';
import { silentLogger } from '../../src/core/logger.js';
import { cgroupWrappedCommand, createMemoryCgroup, CgroupUnavailableError, type MemoryCgroup } from '../../src/sample/cgroup.js';
import type { Report } from '../../src/core/types.js';
import { skipUnless } from '../support/tools.js';
import { EXAMPLES, freePort, readJson, runCli, tempDir, writeConfig } from './helpers.js';

const RUN = `at-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
const SERVER = join(EXAMPLES, 'node-leak', 'server.js');
// 16 KiB a request: loud even on a loaded machine serving a few hundred requests a second.
const LEAK = 16384;
const children: ChildProcess[] = [];
let cgroup: MemoryCgroup | string;
let small: MemoryCgroup | string;

before(() => {
  if (process.getuid?.() !== 0) {
    cgroup = 'making a memory cgroup needs root here';
    return;
  }
  const make = (name: string, limitBytes: number): MemoryCgroup | string => {
    try {
      return createMemoryCgroup({ limitBytes, name });
    } catch (err) {
      if (!(err instanceof CgroupUnavailableError)) throw err;
      return `cannot make a memory cgroup here: ${err.message}`;
    }
  };
  cgroup = make(RUN, 1024 * 1024 * 1024);
  small = make(`${RUN}-small`, 96 * 1024 * 1024);
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const cg of [cgroup, small]) if (typeof cg !== 'string') await cg.remove(5_000);
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the example server outside leakgate (optionally inside `cgroupDir` from its first instruction); resolves once it listens. */
async function startApp(port: number, env: Record<string, string>, cgroupDir?: string): Promise<ChildProcess> {
  const argv = cgroupDir ? cgroupWrappedCommand(cgroupDir, [process.execPath, SERVER]) : [process.execPath, SERVER];
  const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it listened`)));
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve();
    });
  });
  return child;
}

async function run(name: string, app: Record<string, unknown>, port: number, load: Record<string, unknown> = {}) {
  const report = join(dir, `${name}.json`);
  const path = writeConfig(dir, { name: `${RUN}-${name}`, report, app: { ...app, ready: { url: `http://127.0.0.1:${port}/healthz` } }, load: { duration: '6s', ...load }, sample: { interval: '200ms' } }, `${name}.yml`);
  const r = await runCli(['run', '--config', path, '--no-progress'], { limitMs: 90_000 });
  return { ...r, report: existsSync(report) ? readJson<Report>(report) : undefined };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe('app.attach', () => {
  describe('leaks found in attached apps', () => {
    test('by cgroup path: the leak is found from the cgroup, and the app is left running', async (t) => {
      if (typeof cgroup === 'string') return t.skip(cgroup);
      const port = await freePort();
      const app = await startApp(port, { LEAK_BYTES: String(LEAK) }, cgroup.dir);
      const r = await run('cgroup', { attach: { cgroup: cgroup.dir } }, port);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const trial = r.report!.trials[0]!;
      assert.equal(trial.analysis.verdict, 'leak', trial.analysis.reason);
      assert.ok(trial.analysis.bytesPerRequest > LEAK / 2, `${trial.analysis.bytesPerRequest} B/req`);
      // Every sample read the cgroup, and the analysed anon is the cgroup's own figure.
      assert.ok(trial.samples.length > 10 && trial.samples.every((s) => s.cgroup !== undefined && s.total.anon === s.cgroup.anon));
      assert.ok(trial.samples.every((s) => s.processes.some((p) => p.pid === app.pid)), 'the app is the process sampled');
      assert.match(r.stderr + r.stdout, new RegExp(`attaching to cgroup ${cgroup.dir}`));
      assert.ok(alive(app.pid!), 'leakgate left the attached app running');
      assert.deepEqual(cgroup.pids(), [app.pid]);
    });

    test('by pid: the leak is found from the process, and the app is left running', async (t) => {
      if (typeof cgroup === 'string') return t.skip(cgroup);
      const port = await freePort();
      const app = await startApp(port, { LEAK_BYTES: String(LEAK) });
      const r = await run('pid', { attach: { pid: app.pid } }, port);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.report!.trials[0]!.analysis.verdict, 'leak', r.report!.trials[0]!.analysis.reason);
      assert.ok(r.report!.trials[0]!.analysis.bytesPerRequest > LEAK / 2);
      assert.ok(alive(app.pid!), 'leakgate left the attached app running');
    });

    // This machine mounts cgroup v1 controllers beside a cgroup2 tree, where podman's default runtime (crun) refuses
    // ("cgroups in hybrid mode not supported"). runc with the cgroupfs manager runs a container when: nofile and
    // nproc limits fit the host's hard limits, /sys and /sys/fs/cgroup are bind-mounted (a new sysfs cannot be
    // mounted with the host network), and the root filesystem is a bind mount of / (pivot_root refuses / itself).
    // See docs/attach.md.
    const name = `${RUN}-web`;
    const rootfs = join(dir, 'rootfs');
    let mounted = false;
    const podman = (...args: string[]) => execFileSync('podman', ['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    after(() => {
      try {
        podman('rm', '-f', '-t', '0', name);
      } catch {
        // never created
      }
      if (mounted) execFileSync('umount', [rootfs]);
    });

    test('by container name: the leak is found from its cgroup; a stopped container is an error', async (t) => {
      const missing = skipUnless(['podman', 'runc']);
      if (missing) return t.skip(missing);
      if (process.getuid?.() !== 0) return t.skip('running a container with the host root filesystem needs root here');
      mkdirSync(rootfs);
      execFileSync('mount', ['--bind', '/', rootfs]);
      mounted = true;
      const port = await freePort();
      podman(
        'run', '-d', '--name', name, '--network', 'host', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=4096:4096',
        '-v', '/sys:/sys', '-v', '/sys/fs/cgroup:/sys/fs/cgroup', '-e', `PORT=${port}`, '-e', `LEAK_BYTES=${LEAK}`,
        '--rootfs', rootfs, process.execPath, SERVER,
      );
      const r = await run('container', { attach: { container: name, engine: 'podman' } }, port);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const trial = r.report!.trials[0]!;
      assert.equal(trial.analysis.verdict, 'leak', trial.analysis.reason);
      assert.ok(trial.analysis.bytesPerRequest > LEAK / 2, `${trial.analysis.bytesPerRequest} B/req`);
      assert.ok(trial.samples.every((s) => s.cgroup !== undefined), 'the container cgroup was sampled');
      assert.match(r.stderr + r.stdout, new RegExp(`attaching to container ${name}`));
      assert.equal(podman('inspect', '--format', '{{.State.Status}}', name).trim(), 'running', 'leakgate left the container running');

      podman('stop', '-t', '1', name);
      // engine auto: docker first (here without a daemon, or without this container), then podman, which has it.
      const stopped = await run('container-stopped', { attach: { container: name } }, port);
      assert.equal(stopped.code, 2, stopped.stdout + stopped.stderr);
      assert.match(stopped.report!.error ?? '', new RegExp(`^container '${name}' is not running: its status is 'exited'`));
    });
  });

  describe('errors', () => {
    test('an attached app OOM-killed in its cgroup gets the oom verdict, from the cgroup counter', async (t) => {
      if (typeof small === 'string') return t.skip(small);
      const port = await freePort();
      await startApp(port, { LEAK_BYTES: String(128 * 1024) }, small.dir);
      const r = await run('oom', { attach: { cgroup: small.dir } }, port);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.report!.error, null);
      const analysis = r.report!.trials[0]!.analysis;
      assert.equal(analysis.verdict, 'oom');
      assert.match(
        analysis.reason,
        /the app was OOM-killed: the OOM killer killed 1 process in the app's cgroup \(oom_kill 0 -> 1\); the app itself was attached to, not started, so its exit status is unknown/,
      );
    });

    test('a pid that does not exist is a verdict-less error naming it', async () => {
      const taken = new Set(readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number));
      const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
      let pid = max - 1;
      while (taken.has(pid)) pid--;
      const r = await run('nopid', { attach: { pid } }, 9);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.report!.error ?? '', new RegExp(`^pid ${pid}: no such process`));
      assert.equal(r.report!.trials[0]!.analysis.verdict, 'inconclusive');
    });

    test('an attached pid (from a pid file) that exits mid-run is a verdict-less error naming it', async () => {
      const port = await freePort();
      const app = await startApp(port, { LEAK_BYTES: '0', CRASH_AFTER_REQUESTS: '300' });
      writeFileSync(join(dir, 'app.pid'), `${app.pid}\n`);
      const r = await run('exits', { attach: { 'pid-file': 'app.pid' } }, port);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const file = join(dir, 'app.pid').replace(/[.]/g, '\\.');
      assert.match(r.report!.error ?? '', new RegExp(`^the attached app \\(pid ${app.pid} from ${file}\\) is gone: it exited during the load after \\d+ requests`));
      assert.ok(r.report!.trials[0]!.load.requests < 1000, 'the load stopped when the app went');
    });

    test('app.restart runs without a shell in the app directory, and a failing one says how it failed', async () => {
      await runRestart([process.execPath, '-e', "require('fs').writeFileSync('restarted', 'yes')"], dir, silentLogger);
      assert.equal(readFileSync(join(dir, 'restarted'), 'utf8'), 'yes');
      await assert.rejects(
        runRestart([process.execPath, '-e', "console.error('compose: no such service: web'); process.exit(3)"], dir, silentLogger),
        (e: unknown) => e instanceof MeasureError && /^app\.restart \(.+\) exited with code 3: compose: no such service: web$/.test(e.message),
      );
    });
  });
});
