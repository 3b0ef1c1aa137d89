import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { type GoroutineProfile, type HeapProfile } from '../native/heap-profile.js';
import type { TrialProbe } from './probe.js';
export interface GoProbeOptions {
    /** net/http/pprof's base URL, e.g. http://127.0.0.1:6060/debug/pprof. */
    baseUrl: string;
    intervalMs: number;
    top: number;
    logger: Logger;
}
/** runtime.pprof-url, else /debug/pprof on the port app.ready waits for (ready.port, or ready.url's). */
export declare function goPprofUrl(config: Pick<Config, 'runtime' | 'app'>): string | null;
/** Go's memory in use after GC: heap objects plus goroutine stacks (a leaked goroutine's cost is mostly its stack). */
export declare function goInUseBytes(heap: HeapProfile): number;
/** Goroutine stacks whose count grew from the first profile to the last, most first, by fingerprint of their frames. */
export declare function growingGoroutines(first: GoroutineProfile, last: GoroutineProfile): Array<{
    label: string;
    fingerprint: string;
    from: number;
    to: number;
    stack: string[];
}>;
export declare function createGoProbe(opts: GoProbeOptions): TrialProbe;
