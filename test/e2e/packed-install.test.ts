// The package as a user gets it: `npm pack`, then `npm install <tarball>` into a fresh project with no network
// (the package has no runtime dependencies: dist/ is a self-contained bundle), then `npx leakgate` answers and a
// short real run on the shipped examples/node-leak writes a report.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Report } from '../../src/core/types.js';
import { skipUnless } from '../support/tools.js';
import { freePort, processesWithRunIdPrefix, readJson, ROOT, tempDir } from './helpers.js';

const run = promisify(execFile);
const RUN = `pack-${randomBytes(3).toString('hex')}`;
const dir = tempDir();
after(() => {
  assert.deepEqual(processesWithRunIdPrefix(RUN), []);
  rmSync(dir, { recursive: true, force: true });
});

/** npm without the network: no audit, no update check, no registry. */
const npmEnv = { ...process.env, NO_COLOR: '1', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

test('the packed package installs offline with nothing but itself, and npx leakgate runs', { skip: skipUnless(['npm']) }, async () => {
  const packed = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, env: npmEnv, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  const [{ filename, version }] = JSON.parse(packed.stdout) as { filename: string; version: string }[];
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await run('npm', ['install', join(dir, filename)], { cwd: project, env: npmEnv, timeout: 60_000 });
  assert.deepEqual(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.')), ['leakgate'], 'no runtime dependency is installed');

  // npx once (it costs seconds of npm start-up); then the bin link npx resolves to.
  assert.match((await run('npx', ['--no', '--', 'leakgate', '--help'], { cwd: project, env: npmEnv, timeout: 60_000 })).stdout, /^Usage: leakgate run/m);
  const bin = join(project, 'node_modules', '.bin', 'leakgate');
  const leakgate = (args: string[], cwd = project) => run(bin, args, { cwd, env: npmEnv, timeout: 60_000 });
  assert.equal((await leakgate(['--version'])).stdout.trim(), version);

  // A short real run of the shipped example, from the installed copy. The flags move it to a free port: the
  // readiness port replaces the file's ready.url and the load goes to that port.
  const port = await freePort();
  const report = join(dir, 'report.json');
  const example = join(project, 'node_modules', 'leakgate', 'examples', 'node-leak');
  const args = ['run', '--config', 'leakgate.yml', '--name', `${RUN}-node-leak`, '--duration', '4', '-e', `PORT=${port}`, '--ready-port', String(port), '--url', `http://127.0.0.1:${port}/`, '--no-progress', '--report', report];
  let code = 0;
  try {
    await leakgate(args, example);
  } catch (err) {
    code = (err as { code?: number }).code ?? -1;
    assert.equal(code, 1, `leakgate failed to measure: ${String((err as { stderr?: string }).stderr)}`);
  }
  const r = readJson<Report>(report);
  assert.equal(r.trials.length, 1);
  assert.ok(r.trials[0]!.load.requests > 0, 'the load reached the example app');
  assert.ok(r.trials[0]!.samples.length > 4, 'memory was sampled');
  assert.equal(code, r.summary.verdict === 'leak' || r.gate.reasons.length > 0 ? 1 : 0, 'the exit code follows the gate');
});
