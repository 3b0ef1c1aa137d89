// The target stage: start the app under test in its own process group, wait until it is ready,
// and tear down its whole process tree.
export { startTarget, describeExit } from './start-target.js';
export type { Target, TargetSpec, TargetExit, StartTargetOptions } from './start-target.js';
export { waitReady } from './wait-ready.js';
export type { ReadySpec, WaitReadyOptions } from './wait-ready.js';
export { stopTarget } from './stop-target.js';
export type { StopTargetOptions } from './stop-target.js';
export { findMarkedProcesses, findGroupMembers, MARKER_ENV } from './marked-processes.js';
export { OutputTail } from './output-tail.js';
export type { OutputTailOptions, LineListener } from './output-tail.js';
export { attachTarget, detachTarget, isAttached, runRestart } from './attach-target.js';
export type { AttachedTarget, AttachOptions } from './attach-target.js';
export { ensurePortFree, appHoldsPort, readyAddress } from './ready-owner.js';
export { endLeftovers, findLeftovers } from './leftovers.js';
export { findPortHolders, describeHolder } from './port-holders.js';
