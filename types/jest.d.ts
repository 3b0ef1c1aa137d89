// Types of `leakgate/jest`: loading it registers toLeak on Jest's global expect.
import type { ToLeakOptions } from '../dist/types/lib/matcher.js';

declare global {
  namespace jest {
    interface Matchers<R> {
      /** Runs the function under forced GC and fails `.not.toLeak()` when its memory grows per iteration. Await it. */
      toLeak(options?: ToLeakOptions): Promise<R>;
    }
  }
}
declare module 'expect' {
  interface Matchers<R> {
    toLeak(options?: ToLeakOptions): Promise<R>;
  }
}
export type { ToLeakOptions };
