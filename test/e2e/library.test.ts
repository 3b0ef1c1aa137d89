// The library API and the test-runner matchers, against the bundle through the package's own exports: measureLeak and
// assertNoLeak in this process (GC through the inspector), in a child under --expose-gc, and the Vitest and Jest
// matchers in small fixture projects run as real child processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { join } from 'node:path';
import { assertNoLeak, measureLeak } from 'leakgate';
import { ROOT, runNode } from './helpers.js';
import { leaker } from '../support/leaker.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'library');
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' };
// The runners start at once and run beside the in-process tests: their own measurements take ~10 s each.
const vitest = runNode(join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), ['run'], { cwd: join(FIXTURES, 'vitest-project'), env, limitMs: 90_000 });
const jest = runNode(join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ['--ci'], { cwd: join(FIXTURES, 'jest-project'), env, limitMs: 90_000 });

test('measureLeak: a clean function does not leak, with GC through the inspector', async () => {
  const cache = new Map<number, string>();
  let k = 0;
  const r = await measureLeak(() => {
    cache.set(k++ % 2000, `value ${k}`);
    return [...cache.keys()].length;
  });
  assert.equal(r.gc, 'inspector');
  assert.notEqual(r.verdict, 'leak', r.reason);
  assert.equal(r.series.heap.length, 31);
  assert.ok(r.series.heap.every((s, i) => i === 0 || s.requests > r.series.heap[i - 1]!.requests), 'iterations grow along the series');
  assert.ok(r.iterations > 1000, `${r.iterations} iterations`);
  assert.deepEqual(r.signals.map((s) => s.metric), ['heap', 'anon']);
});

test('measureLeak: 64 B per iteration is a leak, with the slope per iteration', async () => {
  const r = await measureLeak(leaker(64), { durationMs: 800 });
  assert.equal(r.verdict, 'leak', r.reason);
  assert.equal(r.metric, 'heap');
  assert.ok(Math.abs(r.bytesPerIteration - 64) < 8, `slope ${r.bytesPerIteration}`);
  assert.ok(r.ciLow <= r.bytesPerIteration && r.bytesPerIteration <= r.ciHigh);
  assert.ok(r.pValue < 0.01);
  assert.ok(r.leakingSignals.includes('heap'));
});

test('assertNoLeak: throws an AssertionError with the slope, the interval and a chart; passes a clean async function', async () => {
  await assert.rejects(assertNoLeak(leaker(256), { durationMs: 500 }), (e: unknown) => {
    assert.ok(e instanceof AssertionError);
    assert.match(e.message, /grows \d+ B\/iteration \(95% CI \d+\.\.\d+\)/);
    assert.match(e.message, /[▁▂▃▄▅▆▇█]{5}/);
    return true;
  });
  const r = await assertNoLeak(async () => {
    await new Promise((res) => setImmediate(res));
    return Buffer.alloc(512).length;
  }, { durationMs: 800 });
  assert.notEqual(r.verdict, 'leak');
});

test('measureLeak uses global.gc under --expose-gc', async () => {
  const script = `import { measureLeak } from 'leakgate'; const r = await measureLeak(() => [1, 2, 3].map(String), { warmupMs: 50, durationMs: 300 }); console.log(JSON.stringify({ gc: r.gc, verdict: r.verdict }));`;
  const r = await runNode('--input-type=module', ['-e', script], { cwd: ROOT, env: { ...env, NODE_OPTIONS: '--expose-gc' } });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim()) as { gc: string; verdict: string };
  assert.equal(out.gc, 'expose-gc');
  assert.notEqual(out.verdict, 'leak');
});

function checkRunner(name: string, r: { code: number | null; stdout: string; stderr: string }): void {
  const out = r.stdout + r.stderr;
  assert.equal(r.code, 1, `${name} fails the leaking test:\n${out}`);
  assert.match(out, /✓ clean function passes/, out);
  assert.match(out, /✓ refuses a value that is not a function/, out);
  assert.match(out, /expected the function not to leak, but it leaks: live heap after GC grows \d+ B\/iteration \(95% CI \d+\.\.\d+\)/, out);
  assert.match(out, /\|[ ▁▂▃▄▅▆▇█]*█/, 'the message has a chart');
  assert.match(out, /1 failed/, out);
}

test('Vitest: expect(fn).not.toLeak() through leakgate/vitest', async () => {
  checkRunner('vitest', await vitest);
});

test('Jest: expect(fn).not.toLeak() through leakgate/jest', async () => {
  checkRunner('jest', await jest);
});
