// The config of living with the gate over months: `accept:` (how a maintainer accepts a measured growth, and a
// config-level entry for local and non-GitHub use) and `history:` (how much stored history the drift test and
// `leakgate history` read, the drift threshold, and whether the branch store publishes the history pages).
// Validators in the style of sections.ts: raw mapping in, typed section out, every problem collected.
import { bool, bytes, int, num, obj, type Problems, str } from './checks.js';
import { DEFAULT_DRIFT_THRESHOLD } from '../history/change-point.js';

export const DEFAULT_ACCEPT_LABEL = 'leakgate-accept';

/** A config-level acceptance: figures up to these bounds pass, with the reason, until the expiry date. */
export interface AcceptEntry {
  /** Bytes/request accepted (the slope's point estimate may reach it); undefined = not bounded by this entry. */
  maxBytesPerRequest?: number;
  maxPeakBytes?: number;
  reason: string;
  /** YYYY-MM-DD: the entry applies through this day (UTC) and is ignored, with a warning, after it. */
  expires: string;
}

export interface AcceptConfig {
  /** The pull request label that accepts (added by someone with write access). */
  label: string;
  /** Whether `/leakgate accept <reason>` comments count. */
  comments: boolean;
  entry: AcceptEntry | null;
}

export interface HistoryConfig {
  /** Stored entries the drift test and `leakgate history` read (newest first). */
  limit: number;
  /** The drift test's threshold on the standardised shift. */
  driftThreshold: number;
  /** Branch store: write history/<config>.html and history/index.html next to the baselines on every save. */
  publish: boolean;
}

const ACCEPT_KEYS = ['label', 'comments', 'bytes-per-request', 'peak', 'reason', 'expires'];
const HISTORY_KEYS = ['limit', 'drift-threshold', 'publish'];

export function acceptOf(v: unknown, p: Problems): AcceptConfig {
  const raw = v === undefined || v === null ? {} : obj(v, 'accept', ACCEPT_KEYS, p);
  const label = str(raw.label, 'accept.label', DEFAULT_ACCEPT_LABEL, p);
  if (label.trim() === '' || label.length > 50) p.add('accept.label', raw.label, 'must be a label name of 1 to 50 characters');
  const given = ['bytes-per-request', 'peak', 'reason', 'expires'].filter((k) => raw[k] !== undefined && raw[k] !== null && raw[k] !== '');
  let entry: AcceptEntry | null = null;
  if (given.length > 0) {
    const reason = str(raw.reason, 'accept.reason', '', p).trim();
    if (reason === '') p.add('accept.reason', raw.reason, 'is required with an accept entry: say why the growth is intended (it is shown in the summary)');
    const expires = expiresOf(raw.expires, p);
    const maxBpr = raw['bytes-per-request'] === undefined ? undefined : num(raw['bytes-per-request'], 'accept.bytes-per-request', 0, p, { min: 0 });
    const maxPeak = raw.peak === undefined ? undefined : bytes(raw.peak, 'accept.peak', 0, p, { min: 0 });
    if (maxBpr === undefined && maxPeak === undefined) {
      p.raw("'accept' needs 'bytes-per-request' (the slope accepted, B/req) or 'peak' (the peak memory accepted, e.g. 300MiB), or both: an acceptance without bounds would accept anything");
    }
    entry = { reason, expires, ...(maxBpr !== undefined ? { maxBytesPerRequest: maxBpr } : {}), ...(maxPeak !== undefined ? { maxPeakBytes: maxPeak } : {}) };
  }
  return { label: label.trim(), comments: bool(raw.comments, 'accept.comments', true, p), entry };
}

function expiresOf(v: unknown, p: Problems): string {
  if (v === undefined || v === null || v === '') {
    p.add('accept.expires', v, 'is required with an accept entry: a date (YYYY-MM-DD) after which it no longer applies, so an acceptance cannot outlive its reason');
    return '';
  }
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s) {
    p.add('accept.expires', v, 'must be a date YYYY-MM-DD (e.g. 2027-01-31)');
    return '';
  }
  return s;
}

export function historyOf(v: unknown, p: Problems): HistoryConfig {
  const raw = v === undefined || v === null ? {} : obj(v, 'history', HISTORY_KEYS, p);
  return {
    limit: int(raw.limit, 'history.limit', 50, p, { min: 8, max: 1000 }),
    driftThreshold: num(raw['drift-threshold'], 'history.drift-threshold', DEFAULT_DRIFT_THRESHOLD, p, { min: 1, max: 20 }),
    publish: bool(raw.publish, 'history.publish', false, p),
  };
}
