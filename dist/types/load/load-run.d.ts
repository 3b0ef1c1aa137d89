import type { LoadResult } from '../core/types.js';
export interface LoadRun {
    /** Responses completed so far; read by the sampler at every tick. */
    completed(): number;
    /** Resolves with the load's figures when it ends (duration, amount, or stop()). */
    done: Promise<LoadResult>;
    /** Ends the load early (for instance when the app died). */
    stop(): void;
}
