// The text side of accepting on GitHub: the `/leakgate accept <reason>` comment command, and the hidden record the
// sticky comment keeps of an acceptance's bounds, so a later run of the same pull request (or its merge on the base
// branch) is held to the figures that were accepted rather than re-accepting whatever it measures. Pure.
import type { AcceptedBounds } from './apply-acceptance.js';

export interface AcceptCommand {
  /** The reason; '' when the command had none (refused: a reason is required). */
  reason: string;
}

const COMMAND = /^[ \t]*\/leakgate[ \t]+accept\b[ \t]*(.*)$/im;

/** The command in a comment body (the first line that starts with it), or null. */
export function parseAcceptCommand(body: string): AcceptCommand | null {
  const m = COMMAND.exec(body);
  if (!m) return null;
  return { reason: m[1]!.trim().slice(0, 300) };
}

export interface AcceptRecord {
  /** grantKey of the acceptance. */
  key: string;
  bounds: AcceptedBounds;
}

const RECORD = /<!-- leakgate:accepted=([A-Za-z0-9%._~!*'()-]+) -->/;

/** The hidden line the sticky comment carries. */
export function renderAcceptRecord(record: AcceptRecord): string {
  return `<!-- leakgate:accepted=${encodeURIComponent(JSON.stringify(record))} -->`;
}

/** The record in a comment body, or null when absent or malformed. */
export function parseAcceptRecord(body: string): AcceptRecord | null {
  const m = RECORD.exec(body);
  if (!m) return null;
  try {
    const r = JSON.parse(decodeURIComponent(m[1]!)) as AcceptRecord;
    const b = r?.bounds;
    const nums = [b?.bytesPerRequest, b?.peakBytes, b?.maxBytesPerRequest, b?.maxPeakBytes];
    if (typeof r.key !== 'string' || !nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
    return { key: r.key, bounds: { bytesPerRequest: b.bytesPerRequest, peakBytes: b.peakBytes, maxBytesPerRequest: b.maxBytesPerRequest, maxPeakBytes: b.maxPeakBytes } };
  } catch {
    return null;
  }
}
