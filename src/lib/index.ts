// leakgate's package entry: leak tests inside a test suite (measureLeak, assertNoLeak), and the gate's pipeline for
// programs that drive leakgate themselves (loadConfig, runGate).
export { measureLeak, type LeakFn, type LeakResult, type LeakSeries, type MeasureLeakOptions } from './measure-leak.js';
export { assertNoLeak } from './assert-no-leak.js';
export { describeLeak } from './leak-message.js';
export type { GcMethod } from './force-gc.js';
export { runGate, type GateDeps } from '../pipeline/gate.js';
export { loadConfig, type Config } from '../config/config.js';
export type { Report, Sample, SignalAnalysis, TrialAnalysis, Verdict } from '../core/types.js';
