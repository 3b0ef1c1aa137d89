// `leakgate/node-test`: the node:test assertion helper.
export { assertNoLeak } from './assert-no-leak.js';
export { measureLeak, type LeakResult, type MeasureLeakOptions } from './measure-leak.js';
