import type { Logger } from '../core/logger.js';
export interface Keeper {
    readonly pid: number | undefined;
    /** leakgate stops the app itself: the keeper exits and kills nothing. */
    standDown(): void;
}
/** Starts the keeper of process group `pgid` and the processes marked `marker`. Never throws: without a keeper, the exit handler still covers ordinary exits. */
export declare function startKeeper(pgid: number, marker: string, graceMs: number, logger: Logger): Keeper;
