import { type Problems } from './checks.js';
export declare const DEFAULT_ACCEPT_LABEL = "leakgate-accept";
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
export declare function acceptOf(v: unknown, p: Problems): AcceptConfig;
export declare function historyOf(v: unknown, p: Problems): HistoryConfig;
