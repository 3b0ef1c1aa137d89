/** What a figure that could not be computed (NaN) shows as. */
export declare const NOT_AVAILABLE = "n/a";
export declare function nonFinite(n: number): string | undefined;
/**
 * Bytes in binary units: "512 B", "1.5 KiB", "42.0 MiB". Whole bytes below 1 KiB, one decimal
 * above; negative values keep their sign ("-1.5 KiB").
 */
export declare function formatBytes(n: number): string;
/**
 * A slope in bytes per request: "178 B/req", "1.2 KiB/req". Slopes under 10 B/req keep one decimal
 * ("0.4 B/req") because a runtime's heap growth sits there and rounding it to 0 would hide it.
 */
export declare function formatBytesPerRequest(n: number, per?: SlopeUnit | 'connection' | 'message'): string;
/** What a slope is per: a request served, a second of load (analysed over time), or a WebSocket session. */
export type SlopeUnit = 'req' | 's' | 'session';
/**
 * A p-value: "< 0.0001" below that, four decimals below 0.1 ("0.0123", trailing zeros dropped:
 * "0.05"), two decimals above ("0.42").
 */
export declare function formatPValue(p: number): string;
/** A count rounded to a whole number, with comma thousands separators: "54,321". */
export declare function formatCount(n: number): string;
/**
 * A count in few characters, for chart labels: "950", "2.5k", "23.7k", "102.5k", "1.25M". Up to
 * four significant digits, so neighbouring grid points keep distinct labels.
 */
export declare function formatCompactCount(n: number): string;
/**
 * A duration: "850 ms", "4.2 s", "2 min 05 s", "1 h 02 min". Negative durations keep their sign.
 */
export declare function formatDuration(ms: number): string;
/** A fraction as a percentage with one decimal: 0.123 -> "12.3%". */
export declare function formatPercent(x: number): string;
