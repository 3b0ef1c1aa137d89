import type { NativeConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { LeakSiteRef } from '../native/memcheck-types.js';
import type { TrialProbe } from './probe.js';
export interface NativeProbeOptions {
    native: NativeConfig;
    /** Directory suppression paths are relative to (the config file's). */
    baseDir: string;
    /** Fingerprints of the baseline's leak sites (from its report); null when there is no baseline to compare with. */
    baselineSites: LeakSiteRef[] | null;
    /** Why a baseline's sites were not used (another fingerprint scheme), for the evidence. */
    baselineNote?: string;
    /** For massif's heap slope. */
    confidence: number;
    logger: Logger;
}
/** Leak kinds that count as lost: a new site of these kinds above max-lost-bytes fails native-leak. */
export declare const LOST_KINDS: readonly ["definitely-lost", "indirectly-lost"];
export declare function createNativeProbe(opts: NativeProbeOptions): TrialProbe;
