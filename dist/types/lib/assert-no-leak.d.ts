import { type LeakFn, type LeakResult, type MeasureLeakOptions } from './measure-leak.js';
export declare function assertNoLeak(fn: LeakFn, options?: MeasureLeakOptions): Promise<LeakResult>;
