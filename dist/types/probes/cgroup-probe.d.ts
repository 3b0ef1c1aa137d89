import { type TargetSpec } from '../target/index.js';
import type { TrialProbe } from './probe.js';
export interface CgroupProbeOptions {
    /** Start the app in a fresh cgroup with this limit; undefined = run where leakgate runs. */
    limitBytes?: number;
    /** Sample the app's own cgroup when no fresh one is made (off by default: on a runner it is the whole job's). */
    sampleOwn: boolean;
    /** Unique per trial. */
    name: string;
}
/** The command as an argument list, whatever form the config gave it in. */
export declare function argvOf(spec: TargetSpec): string[];
export declare function createCgroupProbe(opts: CgroupProbeOptions): TrialProbe;
