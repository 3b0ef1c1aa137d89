// The suite on a machine without the optional tools: scripts/test.mjs on a fixture test file, with a PATH that holds
// node alone. It passes, the skip is named with how to install the tool and listed again at the end; with
// LEAKGATE_REQUIRE_TOOLS=1 (as .ci/run sets it) the same run fails, naming the missing tool.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runNode, tempDir } from './helpers.js';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

function suiteWithoutTools(require: boolean) {
  const bin = join(dir, require ? 'bin-require' : 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const env: NodeJS.ProcessEnv = { HOME: process.env.HOME, PATH: bin, NO_COLOR: '1' };
  if (require) env.LEAKGATE_REQUIRE_TOOLS = '1';
  return runNode(join(ROOT, 'scripts', 'test.mjs'), ['test/fixtures/optional-tools'], { cwd: ROOT, env, limitMs: 60_000 });
}

test('without wrk the run passes, names the skip and how to install wrk, and lists it at the end', async () => {
  const r = await suiteWithoutTools(false);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok 1 - drives wrk # SKIP needs wrk \(apt-get install -y wrk\)$/m);
  assert.match(r.stdout, /^# pass 1$/m);
  const summary = r.stdout.slice(r.stdout.indexOf('skipped for want of optional tools'));
  assert.match(summary, /^skipped for want of optional tools \(1 test group\(s\)\):\n {2}1 x needs wrk \(apt-get install -y wrk\)$/m);
  assert.ok(!(r.stdout + r.stderr).includes(dir), 'the PATH is not printed');
});

test('with LEAKGATE_REQUIRE_TOOLS=1 the same run fails, naming the missing tool', async () => {
  const r = await suiteWithoutTools(true);
  assert.notEqual(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /LEAKGATE_REQUIRE_TOOLS=1 and a test needs wrk \(apt-get install -y wrk\): CI must install it \(\.ci\/run\)/);
  assert.doesNotMatch(r.stdout, /skipped for want of optional tools/);
});
