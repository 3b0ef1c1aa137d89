// Types of `leakgate/vitest`: importing it registers toLeak on Vitest's expect.
import type { ToLeakOptions } from '../dist/types/lib/matcher.js';

declare module 'vitest' {
  interface Assertion<T = any> {
    /** Runs the function under forced GC and fails `.not.toLeak()` when its memory grows per iteration. Await it. */
    toLeak(options?: ToLeakOptions): Promise<void>;
  }
}
export type { ToLeakOptions };
