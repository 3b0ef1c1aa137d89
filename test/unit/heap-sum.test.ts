// The Node heap signal of a multi-process app: one round of per-process readings summed (figures added, the
// longest pause, the pids), and the membership of a series of readings (who joined late, who left, a step after
// warm-up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heapMembership, sumHeapReadings, type ProcessHeapReading } from '../../src/runtime/heap-sum.js';

const reading = (pid: number, usedSize: number, external: number, gcMs: number, gcMeasured = true): ProcessHeapReading => ({
  pid,
  usedSize,
  totalSize: usedSize * 2,
  external,
  arrayBuffers: Math.floor(external / 2),
  gcMs,
  gcMeasured,
});

test('one round sums every figure, takes the longest pause and lists the pids in order', () => {
  const sum = sumHeapReadings([reading(30, 5_000_000, 100_000, 4), reading(10, 7_000_000, 3_000_001, 11), reading(20, 6_000_000, 0, 2)]);
  assert.deepEqual(sum, {
    usedSize: 18_000_000,
    totalSize: 36_000_000,
    external: 3_100_001,
    arrayBuffers: 50_000 + 1_500_000,
    gcMs: 11,
    gcMeasured: true,
    pids: [10, 20, 30],
  });
});

test("a round where one process's pause is a round trip is not a measured pause; an empty round is zero", () => {
  const sum = sumHeapReadings([reading(1, 10, 0, 3), reading(2, 10, 0, 40, false)]);
  assert.equal(sum.gcMs, 40);
  assert.equal(sum.gcMeasured, false);
  assert.deepEqual(sumHeapReadings([]), { usedSize: 0, totalSize: 0, external: 0, arrayBuffers: 0, gcMs: 0, gcMeasured: false, pids: [] });
});

test('a single process throughout says nothing', () => {
  const m = heapMembership([{ requests: 0, pids: [7] }, { requests: 100, pids: [7] }], 20);
  assert.deepEqual(m, { pids: [7], notes: [] });
  assert.deepEqual(heapMembership([{ requests: 0 }, { requests: 5 }], 0), { pids: [], notes: [] });
});

test('the processes summed are named; a stable set has no join, leave or step', () => {
  const r = (requests: number) => ({ requests, pids: [4, 1, 2, 3] });
  const m = heapMembership([r(0), r(100), r(200), r(300)], 50);
  assert.deepEqual(m.pids, [1, 2, 3, 4]);
  assert.deepEqual(m.notes, ['heap summed over 4 node processes (pids 1, 2, 3, 4)']);
});

test('a process that joins during warm-up is noted, without a step after warm-up', () => {
  const m = heapMembership(
    [
      { requests: 0, pids: [1] },
      { requests: 50, pids: [1, 2] },
      { requests: 200, pids: [1, 2] },
      { requests: 400, pids: [1, 2] },
    ],
    100,
  );
  assert.deepEqual(m.notes, ['heap summed over 2 node processes (pids 1, 2)', 'pid 2 joined the heap reading at reading 2 of 4']);
});

test('a process that leaves after warm-up is noted once with its readings, and the step is flagged', () => {
  const m = heapMembership(
    [
      { requests: 0, pids: [1, 2, 3] },
      { requests: 200, pids: [1, 2, 3] },
      { requests: 400, pids: [1, 2, 3] },
      { requests: 600, pids: [1, 3] },
      { requests: 800, pids: [1, 3] },
    ],
    100,
  );
  assert.deepEqual(m.notes, [
    'heap summed over 3 node processes (pids 1, 2, 3)',
    'pid 2 left the heap reading after 3 readings',
    'the node processes summed changed after the warm-up (3 → 2 processes at reading 4): the heap series has a step there that is not a leak',
  ]);
});

test('a late joiner after warm-up and a replacement (one leaves, one joins) are both steps', () => {
  const late = heapMembership(
    [
      { requests: 0, pids: [1, 2] },
      { requests: 300, pids: [1, 2] },
      { requests: 600, pids: [1, 2, 9] },
    ],
    100,
  );
  assert.deepEqual(late.notes, [
    'heap summed over 3 node processes (pids 1, 2, 9)',
    'pid 9 joined the heap reading at reading 3 of 3',
    'the node processes summed changed after the warm-up (2 → 3 processes at reading 3): the heap series has a step there that is not a leak',
  ]);
  const replaced = heapMembership(
    [
      { requests: 0, pids: [1, 2] },
      { requests: 300, pids: [1, 2] },
      { requests: 600, pids: [1, 5] },
    ],
    100,
  );
  assert.deepEqual(replaced.notes, [
    'heap summed over 3 node processes (pids 1, 2, 5)',
    'pid 5 joined the heap reading at reading 3 of 3',
    'pid 2 left the heap reading after 2 readings',
    'the node processes summed changed after the warm-up (2 → 2 processes at reading 3): the heap series has a step there that is not a leak',
  ]);
});
