import type { Logger } from '../core/logger.js';
import { type ProcessInfo } from './port-holders.js';
/** Live processes carrying leakgate's marker whose leakgate owner is dead. */
export declare function findLeftovers(procRoot?: string): Promise<ProcessInfo[]>;
/** SIGTERM, up to graceMs, then SIGKILL, to every leftover of a dead run; logs what it ended. Returns their pids. */
export declare function endLeftovers(opts: {
    logger: Logger;
    graceMs: number;
    procRoot?: string;
}): Promise<number[]>;
