import { type Logger } from '../core/logger.js';
import type { ExitStatus } from '../core/types.js';
import { type Target } from './start-target.js';
export interface StopTargetOptions {
    /** How long the tree may take to exit after SIGTERM before it is SIGKILLed. */
    graceMs: number;
    logger?: Logger;
    /** How long to wait for the tree to disappear after SIGKILL. Default 5000 ms. */
    reapTimeoutMs?: number;
    /** For tests. Default '/proc'. */
    procRoot?: string;
}
/**
 * Stops the app and every process it started. Safe to call more than once (and concurrently):
 * later calls return the first call's result. `early` is true when the app had already exited
 * on its own when stop was first called.
 */
export declare function stopTarget(target: Target, opts: StopTargetOptions): Promise<ExitStatus>;
