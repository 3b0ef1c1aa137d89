// The toLeak matcher shared by Vitest and Jest: both call it as `this`-bound with the received value and expect
// { pass, message }. `expect(fn).not.toLeak(opts)` fails when the function leaks.
import { describeLeak } from './leak-message.js';
import { measureLeak, type MeasureLeakOptions } from './measure-leak.js';

export interface ToLeakOptions extends MeasureLeakOptions {}

export async function toLeak(received: unknown, options: ToLeakOptions = {}): Promise<{ pass: boolean; message: () => string }> {
  // A thrown error, not pass: false, or `.not.toLeak()` would pass on anything that is not a function.
  if (typeof received !== 'function') throw new TypeError(`toLeak expects a function (sync or async), got ${typeof received}`);
  const r = await measureLeak(received as () => unknown, options);
  const pass = r.verdict === 'leak';
  return {
    pass,
    message: () => (pass ? `expected the function not to leak, but it ${describeLeak(r)}` : `expected the function to leak, but it ${describeLeak(r)}`),
  };
}
