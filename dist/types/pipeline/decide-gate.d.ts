import type { Comparison } from '../compare/index.js';
import type { FailOn } from '../config/config.js';
import type { GateDecision, Summary } from '../core/types.js';
export declare function decideGate(failOn: readonly FailOn[], summary: Summary, error: string | null, comparison?: Comparison | null): GateDecision;
