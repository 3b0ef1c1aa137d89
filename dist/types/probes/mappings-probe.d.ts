import { type ProcessMappingDiff } from '../analyze/mappings.js';
import { type TrialProbe } from './probe.js';
export declare function createMappingsProbe(): TrialProbe;
export declare function trimDiffs(diffs: ProcessMappingDiff[]): ProcessMappingDiff[];
