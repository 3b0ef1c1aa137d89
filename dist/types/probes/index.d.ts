import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import type { TrialProbe } from './probe.js';
export type { TrialProbe, ProbeContext } from './probe.js';
export { eachProbe } from './probe.js';
export type { TrialEvidence, RuntimeEvidence, NativeEvidence } from './evidence.js';
export interface ProbeFactories {
    /** Native and runtime probes added by their modules (kept out of this file's imports where optional). */
    extra?: (config: Config, logger: Logger) => TrialProbe[];
}
export declare function buildProbes(config: Config, logger: Logger, trialName: string, factories?: ProbeFactories): TrialProbe[];
