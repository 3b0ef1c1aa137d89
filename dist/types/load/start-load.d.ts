import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { type K6LoadOptions } from './k6-driver.js';
import type { LoadRun } from './load-run.js';
export interface StartedLoad {
    run: LoadRun;
    /** False when completed() cannot count requests (command load without a counter). */
    countsRequests: boolean;
}
export interface StartLoadDeps {
    now: () => number;
    logger: Logger;
    /** Directory scripts and commands are resolved against (the config file's). */
    cwd: string;
    /** Replaces load.duration (native mode runs shorter). */
    durationMs?: number;
    /** Replaces the rate and connections (native mode). */
    rate?: number;
    connections?: number;
}
/**
 * What k6 is run with. --duration and --vus only when set (load.duration / load.vus, or native mode's shorter
 * run): k6 replaces a script's scenarios and stages with a constant-VU run when given either, so by default the
 * script's own options decide, bounded by load.max-duration. Pure.
 */
export declare function k6OptionsOf(load: Config['load'], durationOverrideMs?: number): K6LoadOptions;
export declare function startLoad(load: Config['load'], deps: StartLoadDeps): StartedLoad;
