// The library API's pure parts: the failure message's chart, option checks, and the package exports that point at
// committed files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { textChart } from '../../src/lib/text-chart.js';
import { resolveOptions } from '../../src/lib/measure-leak.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

test('textChart: a rising series fills from the bottom left to the top right', () => {
  const lines = textChart([0, 1, 2, 3, 4, 5, 6, 7], { rows: 2 });
  assert.equal(lines.length, 2);
  assert.equal(lines[1]![0], '▁', 'the minimum still shows');
  assert.equal(lines[0]![7], '█', 'the maximum fills the top row');
  assert.ok(!lines[0]!.startsWith('█'), 'the top row is empty at the start');
});

test('textChart: a flat series is one row of the lowest block; wide series are averaged into the width', () => {
  assert.deepEqual(textChart([5, 5, 5], { rows: 3 }), ['', '', '▁▁▁']);
  assert.equal(textChart(Array.from({ length: 500 }, (_, i) => i), { rows: 1, width: 40 })[0]!.length, 40);
  assert.deepEqual(textChart([]), []);
});

const bad: Array<{ what: string; options: Record<string, unknown>; message: RegExp }> = [
  { what: 'too few samples', options: { samples: 5 }, message: /'samples' must be a number >= 12, got 5/ },
  { what: 'zero iterations', options: { iterations: 0 }, message: /'iterations' must be a number >= 1, got 0/ },
  { what: 'negative floor', options: { maxBytesPerIteration: -1 }, message: /'maxBytesPerIteration' must be a number >= 0, got -1/ },
  { what: 'alpha out of range', options: { alpha: 1.5 }, message: /'alpha' must be between 0 and 1, got 1.5/ },
  { what: 'unknown signal', options: { signals: ['rss'] }, message: /'signals' must list 'heap' and\/or 'anon', got \["rss"\]/ },
];
for (const row of bad) {
  test(`measureLeak options: ${row.what} is refused, naming the option and the value`, () => {
    assert.throws(() => resolveOptions(row.options), row.message);
  });
}

test('measureLeak options: the anon floor follows the heap floor', () => {
  assert.equal(resolveOptions({}).maxAnonBytesPerIteration, 64);
  assert.equal(resolveOptions({ maxBytesPerIteration: 32 }).maxAnonBytesPerIteration, 256);
  assert.equal(resolveOptions({ maxAnonBytesPerIteration: 10 }).maxAnonBytesPerIteration, 10);
});

test('package exports: every target is a committed file, and the bin is kept', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, string | Record<string, string>> };
  assert.equal(pkg.bin.leakgate, 'dist/cli.js');
  for (const [key, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      assert.ok(existsSync(join(ROOT, file)), `${key} -> ${file} exists`);
    }
  }
  assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './jest', './node-test', './package.json', './vitest']);
});
