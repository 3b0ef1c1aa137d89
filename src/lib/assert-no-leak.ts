// The node:test helper: `await assertNoLeak(fn, opts)` throws an AssertionError naming the slope, its interval and a
// chart when the function leaks, and returns the result otherwise. Inconclusive passes (the gate's fail-on decides
// that for whole runs; a unit test that cannot tell says so through the result).
import { AssertionError } from 'node:assert';
import { describeLeak } from './leak-message.js';
import { measureLeak, type LeakFn, type LeakResult, type MeasureLeakOptions } from './measure-leak.js';

export async function assertNoLeak(fn: LeakFn, options: MeasureLeakOptions = {}): Promise<LeakResult> {
  const r = await measureLeak(fn, options);
  if (r.verdict === 'leak') {
    throw new AssertionError({ message: `expected no leak, but the function ${describeLeak(r)}`, actual: r.bytesPerIteration, expected: r.floorBytesPerIteration, operator: 'assertNoLeak' });
  }
  return r;
}
