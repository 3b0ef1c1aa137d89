import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectDrift, dispersionOf, normalCdf, sigmasOf, MIN_AFTER, MIN_BEFORE, type DriftPoint } from '../../src/history/change-point.js';
import { runDriftBench } from '../../bench/drift.js';

const pt = (value: number, sd = 10): DriftPoint => ({ value, ciLow: value - 1.96 * sd, ciHigh: value + 1.96 * sd });

test('normalCdf matches the table at 0, 1.96 and -1', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.96) - 0.975) < 1e-4);
  assert.ok(Math.abs(normalCdf(-1) - 0.158655) < 1e-4);
});

test('sigmasOf turns a 95% interval back into its sd; a zero-width interval borrows the median', () => {
  const s = sigmasOf([pt(0, 20), pt(0, 10), { value: 5, ciLow: 5, ciHigh: 5 }]);
  assert.ok(Math.abs(s[0]! - 20) < 0.01);
  assert.ok(Math.abs(s[1]! - 10) < 0.01);
  assert.ok(Math.abs(s[2]! - 15) < 0.01);
});

test('dispersion is 1 when points scatter as their intervals say, and grows when they scatter more', () => {
  const alternating = Array.from({ length: 30 }, (_, i) => (i % 2 ? 100 : -100));
  assert.ok(dispersionOf(alternating, alternating.map(() => 10)) > 5);
  assert.equal(dispersionOf([1, 2, 1, 2, 1, 2, 1], [10, 10, 10, 10, 10, 10, 10]), 1);
});

test('a clean step of 5 sd after 20 commits is found and its start named', () => {
  const points = [...Array.from({ length: 20 }, (_, i) => pt(40 + (i % 3) - 1)), ...Array.from({ length: 6 }, (_, i) => pt(90 + (i % 3) - 1))];
  const r = detectDrift(points);
  assert.equal(r.drift, true);
  assert.equal(r.startIndex, 20);
  assert.ok(r.rangeStart <= 20 && r.rangeEnd >= 20);
  assert.ok(Math.abs(r.shift - 50) < 2, `shift ${r.shift}`);
});

test('a fall is never drift; a flat history is not; too few points say why', () => {
  const fall = [...Array.from({ length: 10 }, () => pt(100)), ...Array.from({ length: 5 }, () => pt(0))];
  assert.equal(detectDrift(fall).drift, false);
  assert.equal(detectDrift(Array.from({ length: 30 }, (_, i) => pt(40 + (i % 2)))).drift, false);
  const short = detectDrift(Array.from({ length: MIN_BEFORE + MIN_AFTER - 1 }, () => pt(1)));
  assert.equal(short.drift, false);
  assert.match(short.note ?? '', /needs 8/);
});

test('one high commit is not a sustained shift (the split needs 3 commits after it)', () => {
  const points = [...Array.from({ length: 20 }, (_, i) => pt(40 + (i % 3))), pt(400)];
  assert.equal(detectDrift(points).drift, false);
});

test('drift rates on 150 seeded histories: <= 1% false alarms, >= 90% of +20 B/req creeps found by their 5th commit', () => {
  const r = runDriftBench({ seed: 7, histories: 150 });
  assert.ok(r.falseAlarmRate <= 0.01, `false alarms ${r.falseAlarms}/150`);
  assert.ok(r.detectionRate >= 0.9, `detected ${r.detected}/150`);
});
