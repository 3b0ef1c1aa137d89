// The Node heap probe's three snapshots: when they are due (from the load's start), that the end one is taken
// after a midway one still in progress at load end, and the note whenever fewer than three were taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSnapshotSeries, snapshotTimes } from '../../src/probes/node-heap-probe.js';

/** A promise with its resolve and reject, to hold a snapshot "in progress" for as long as a test needs. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** take() that records calls and lets the test see each one start and finish it. */
function recorder() {
  const calls: number[] = [];
  const started = [deferred<void>(), deferred<void>(), deferred<void>()];
  const finish = [deferred<string>(), deferred<string>(), deferred<string>()];
  const take = (i: number): Promise<string> => {
    calls.push(i);
    started[i]!.resolve();
    return finish[i]!.promise;
  };
  return { calls, started, finish, take };
}

/**
 * The series' timers are unref'd (they must not keep leakgate alive); in a run the load's sockets keep the event
 * loop going, here this handle does, for the length of one test.
 */
function keepLoopAlive(t: { after(fn: () => void): void }): void {
  const handle = setInterval(() => undefined, 60_000);
  t.after(() => clearInterval(handle));
}

test('the first two snapshots are due at the end of warm-up and midway through the rest of the load', () => {
  assert.deepEqual(snapshotTimes(0.2, 10_000), [2000, 6000]);
  assert.deepEqual(snapshotTimes(0, 8000), [0, 4000]);
});

test('a midway snapshot still running when the load ends is waited for, then the end snapshot is taken', { timeout: 5000 }, async (t) => {
  keepLoopAlive(t);
  const r = recorder();
  const series = createSnapshotSeries([0, 0], r.take);
  series.start(0);
  r.finish[0]!.resolve('warm');
  await r.started[1]!.promise; // the midway snapshot is in progress
  const ended = series.end();
  r.finish[1]!.resolve('mid');
  await r.started[2]!.promise;
  r.finish[2]!.resolve('end');
  const result = await ended;
  assert.deepEqual(r.calls, [0, 1, 2]);
  assert.deepEqual(result.taken, ['warm', 'mid', 'end']);
  assert.equal(result.note, undefined);
});

test('the timers count from the load start: a connection 5 s into the load takes the 5 s snapshot at once', { timeout: 2000 }, async (t) => {
  keepLoopAlive(t);
  const r = recorder();
  const series = createSnapshotSeries([5000, 60_000], r.take);
  series.start(5000);
  await r.started[0]!.promise; // within the 2 s timeout, not 5 s after start()
  r.finish[0]!.resolve('warm');
  const result = await series.end();
  assert.deepEqual(r.calls, [0], 'the midway timer is cancelled and no end snapshot is taken without it');
  assert.deepEqual(result.taken, ['warm', null, null]);
  assert.equal(
    result.note,
    '1 of 3 heap snapshots taken, so no growing constructors: snapshot 2 (midway, due 60000 ms into the load) was not taken: the load ended first; ' +
      'the end snapshot was not taken, as a comparison needs the first two',
  );
});

test('a failed snapshot is named in the note', { timeout: 5000 }, async (t) => {
  keepLoopAlive(t);
  const r = recorder();
  const series = createSnapshotSeries([0, 0], r.take);
  series.start(0);
  r.finish[0]!.resolve('warm');
  await r.started[1]!.promise;
  r.finish[1]!.reject(new Error('inspector HeapProfiler.takeHeapSnapshot timed out after 120000 ms'));
  const result = await series.end();
  assert.deepEqual(r.calls, [0, 1]);
  assert.match(result.note ?? '', /^1 of 3 heap snapshots taken, .*snapshot 2 \(midway\) failed: inspector HeapProfiler\.takeHeapSnapshot timed out/);
});

test('snapshots never scheduled (no inspector) give a note, not silence', async () => {
  const r = recorder();
  const result = await createSnapshotSeries([0, 0], r.take).end();
  assert.deepEqual(r.calls, []);
  assert.match(result.note ?? '', /^0 of 3 heap snapshots taken, .*the inspector did not connect/);
});
