// The gate decision: a pure function of what the config says should fail and what was measured.
import type { Comparison } from '../compare/index.js';
import type { FailOn } from '../config/config.js';
import type { GateDecision, Summary } from '../core/types.js';

export function decideGate(failOn: readonly FailOn[], summary: Summary, error: string | null, comparison: Comparison | null = null): GateDecision {
  const reasons: string[] = [];
  if (error !== null) {
    // Not measurable is never a pass, whatever fail-on says: there is no verdict to trust.
    reasons.push(`the app could not be measured: ${error.split('\n')[0]}`);
    return { failed: true, reasons };
  }
  if (failOn.includes('oom') && summary.verdict === 'oom') {
    reasons.push(`oom: ${summary.reason}`);
  }
  if (failOn.includes('leak') && summary.verdict === 'leak') {
    reasons.push(
      `leak: ${signalName(summary.metric)} grows ${summary.bytesPerRequest.toFixed(0)} bytes per request ` +
        `(${ciText(summary)}, p ${pText(summary.pValue)}) in ${summary.trialsLeaking} of ${summary.trialsConclusive} conclusive trial(s)`,
    );
  }
  if (failOn.includes('inconclusive') && summary.verdict === 'inconclusive') {
    reasons.push(
      `inconclusive: ${summary.reason}; run the load longer (load.duration) ` +
        `or set fail-on without 'inconclusive' to let such runs pass`,
    );
  }
  // Below the minimum history a comparison advises: it is in the report but fails nothing.
  if (comparison && !comparison.advisory) {
    if (failOn.includes('regression') && comparison.slope.verdict === 'regression') {
      reasons.push(`regression: ${comparison.slope.reason}`);
    }
    if (failOn.includes('peak-regression') && comparison.peak.verdict === 'regression') {
      reasons.push(`peak-regression: ${comparison.peak.reason}`);
    }
  }
  return { failed: reasons.length > 0, reasons };
}

function ciText(s: Summary): string {
  return `CI ${s.ciLow.toFixed(0)}..${s.ciHigh.toFixed(0)}`;
}

function pText(p: number): string {
  return p < 0.0001 ? '< 0.0001' : `= ${p.toFixed(4)}`;
}

/** How a reason names the signal that decided. */
function signalName(metric: string): string {
  return metric === 'heap' ? 'live heap after GC' : `${metric} memory`;
}
