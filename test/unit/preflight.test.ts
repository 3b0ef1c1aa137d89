import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { preflight } from '../../src/pipeline/preflight.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-preflight-'));
// An empty /proc stand-in: no leftovers to look at.
const procRoot = mkdtempSync(join(tmpdir(), 'leakgate-preflight-proc-'));

function config(file: Record<string, unknown>) {
  const load = { url: 'http://127.0.0.1:3000/', ...(file.load as object) };
  return loadConfig({ file: { app: { command: ['node', 'server.js'], ready: { port: 3000 } }, ...file, load }, fileLabel: 'leakgate.yml', baseDir: dir, overrides: {}, overrideLabels: {} });
}

const run = (file: Record<string, unknown>, reportPath: string) => preflight({ config: config(file), reportPath, baseDir: dir, logger: silentLogger, procRoot });

test('preflight creates a missing report directory', async () => {
  const report = join(dir, 'deep', 'er', 'report.json');
  await run({}, report);
  assert.ok(existsSync(join(dir, 'deep', 'er')));
  assert.ok(!existsSync(report), 'the report itself is written at the end, not here');
});

test('preflight names the file that blocks the report directory', async () => {
  const blocker = join(dir, 'blocker');
  writeFileSync(blocker, '');
  await assert.rejects(run({}, join(blocker, 'r.json')), { name: 'ConfigError', message: `'report' (leakgate-report.json): cannot create its directory ${blocker}: ${blocker} is a file, not a directory` });
});

test('preflight refuses a report path that is a directory', async () => {
  await assert.rejects(run({}, dir), { message: new RegExp(`${dir} is a directory; give a file path`) });
});

test("preflight checks the config's files: k6 script, suppressions, app.cwd", async () => {
  await assert.rejects(run({ load: { tool: 'k6', script: 'missing.js' } }, join(dir, 'r.json')), { message: `'load.script' (missing.js): ${join(dir, 'missing.js')} does not exist` });
  await assert.rejects(run({ native: { tool: 'memcheck', suppressions: ['none.supp'] } }, join(dir, 'r.json')), { message: new RegExp(`'native.suppressions' \\(none.supp\\): ${join(dir, 'none.supp')} does not exist`) });
  await assert.rejects(run({ app: { command: ['x'], cwd: 'nowhere', ready: { port: 3000 } } }, join(dir, 'r.json')), { message: new RegExp(`'app.cwd' \\(nowhere\\): ${join(dir, 'nowhere')} is not an existing directory`) });
  writeFileSync(join(dir, 'load.js'), 'export default function () {}');
  await run({ load: { tool: 'k6', script: 'load.js' } }, join(dir, 'r.json'));
});
