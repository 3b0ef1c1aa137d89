// Applying an acceptance to the gate: a step after decideGate. Pure: the gate, the run's figures and the grant in;
// the new gate and the Acceptance the report keeps out. Only growth reasons can be accepted (leak, regression,
// peak-regression, drift): an inconclusive run, a native leak site or an app that could not be measured still fail.
// An acceptance covers the figures it was given on and no more: the first run it applies to fixes them (its slope's
// upper interval bound + baseline.absolute-tolerance, its peak + baseline.peak-tolerance), and a later run above
// them fails again, saying so.
import type { Acceptance, GateDecision } from '../core/types.js';
import { formatBytes, formatBytesPerRequest } from '../core/units.js';

/** Who accepted, when and why; `bounds` when the figures were fixed by an earlier run (or the config). */
export interface Grant {
  by: string;
  at: string;
  reason: string;
  source: Acceptance['source'];
  pr?: number;
  expires?: string;
  bounds?: AcceptedBounds;
}

export interface AcceptedBounds {
  bytesPerRequest: number;
  peakBytes: number;
  maxBytesPerRequest: number;
  maxPeakBytes: number;
}

export interface RunFigures {
  bytesPerRequest: number;
  ciHigh: number;
  peakBytes: number;
}

export interface AcceptTolerances {
  bytesPerRequest: number;
  peakBytes: number;
}

/** Gate reasons an acceptance may turn into accepted ones. */
export const ACCEPTABLE_REASON = /^(leak|regression|peak-regression|drift):/;

/** The bounds an acceptance takes from the run it is first applied to. */
export function boundsFrom(figures: RunFigures, tol: AcceptTolerances): AcceptedBounds {
  return {
    bytesPerRequest: figures.bytesPerRequest,
    peakBytes: figures.peakBytes,
    maxBytesPerRequest: Math.max(figures.bytesPerRequest, figures.ciHigh) + tol.bytesPerRequest,
    maxPeakBytes: figures.peakBytes + tol.peakBytes,
  };
}

/** Identity of a grant, for the record that keeps its bounds between runs. */
export function grantKey(g: Pick<Grant, 'source' | 'by' | 'at'>): string {
  return `${g.source}:${g.by}:${g.at}`;
}

export function applyAcceptance(gate: GateDecision, figures: RunFigures, grant: Grant, tol: AcceptTolerances): { gate: GateDecision; acceptance: Acceptance } {
  const bounds = grant.bounds ?? boundsFrom(figures, tol);
  const covered = figures.bytesPerRequest <= bounds.maxBytesPerRequest && figures.peakBytes <= bounds.maxPeakBytes;
  const base: Omit<Acceptance, 'covered' | 'acceptedReasons'> = {
    by: grant.by,
    at: grant.at,
    reason: grant.reason,
    source: grant.source,
    ...(grant.pr !== undefined ? { pr: grant.pr } : {}),
    ...(grant.expires ? { expires: grant.expires } : {}),
    ...bounds,
  };
  if (!covered) {
    const over: string[] = [];
    if (figures.bytesPerRequest > bounds.maxBytesPerRequest) over.push(`${formatBytesPerRequest(figures.bytesPerRequest)} (accepted up to ${formatBytesPerRequest(bounds.maxBytesPerRequest)})`);
    if (figures.peakBytes > bounds.maxPeakBytes) over.push(`peak ${formatBytes(figures.peakBytes)} (accepted up to ${formatBytes(bounds.maxPeakBytes)})`);
    const reason = `accepted growth does not cover this run: ${who(grant)} accepted ${formatBytesPerRequest(bounds.bytesPerRequest)} and peak ${formatBytes(bounds.peakBytes)}; this run measures ${over.join(' and ')}`;
    return {
      gate: gate.failed ? { failed: true, reasons: [...gate.reasons, reason] } : gate,
      acceptance: { ...base, covered: false, acceptedReasons: [] },
    };
  }
  const accepted = gate.reasons.filter((r) => ACCEPTABLE_REASON.test(r));
  const remaining = gate.reasons.filter((r) => !ACCEPTABLE_REASON.test(r));
  return {
    gate: { failed: gate.failed && remaining.length > 0, reasons: remaining },
    acceptance: { ...base, covered: true, acceptedReasons: accepted },
  };
}

function who(g: Grant): string {
  return g.source === 'config' ? "the config's accept entry" : `@${g.by} (${g.source}${g.pr !== undefined ? ` on #${g.pr}` : ''})`;
}
