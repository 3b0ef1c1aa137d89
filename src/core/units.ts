// How numbers read wherever a person reads them (reasons, reports, logs): bytes in binary units, slopes, counts,
// p-values, durations and percentages. Deterministic on purpose: no locale, no Intl, no clock. In core/ so the
// analysis can state its figures without depending on report/.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** What a figure that could not be computed (NaN) shows as. */
export const NOT_AVAILABLE = 'n/a';

export function nonFinite(n: number): string | undefined {
  if (Number.isNaN(n)) return NOT_AVAILABLE;
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '-∞';
  return undefined;
}

/**
 * Bytes in binary units: "512 B", "1.5 KiB", "42.0 MiB". Whole bytes below 1 KiB, one decimal
 * above; negative values keep their sign ("-1.5 KiB").
 */
export function formatBytes(n: number): string {
  const special = nonFinite(n);
  if (special !== undefined) return special === NOT_AVAILABLE ? special : `${special} B`;
  let value = Math.abs(n);
  // A small negative value that rounds to zero prints as "0 B", not "-0 B".
  const sign = n < 0 && Math.round(value) !== 0 ? '-' : '';
  if (Math.round(value) < 1024) return `${sign}${Math.round(value)} B`;
  let unit = 0;
  // Step up while the value would print as 1024.0 or more in the current unit.
  while (unit < BYTE_UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${sign}${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/**
 * A slope in bytes per request: "178 B/req", "1.2 KiB/req". Slopes under 10 B/req keep one decimal
 * ("0.4 B/req") because a runtime's heap growth sits there and rounding it to 0 would hide it.
 */
export function formatBytesPerRequest(n: number, per: SlopeUnit | 'connection' | 'message' = 'req'): string {
  const special = nonFinite(n);
  if (special !== undefined) return special === NOT_AVAILABLE ? special : `${special} B/${per}`;
  const abs = Math.abs(n);
  if (abs < 9.95) {
    const fixed = abs.toFixed(1);
    const text = fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
    const sign = n < 0 && text !== '0' ? '-' : '';
    return `${sign}${text} B/${per}`;
  }
  // Whole bytes up to 100 KiB: "1,428 B/req" says more than "1.4 KiB/req" when comparing runs.
  if (abs < 102_400) return `${formatCount(Math.round(n))} B/${per}`;
  return `${formatBytes(n)}/${per}`;
}

/** What a slope is per: a request served, a second of load (analysed over time), or a WebSocket session. */
export type SlopeUnit = 'req' | 's' | 'session';

/**
 * A p-value: "< 0.0001" below that, four decimals below 0.1 ("0.0123", trailing zeros dropped:
 * "0.05"), two decimals above ("0.42").
 */
export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return NOT_AVAILABLE;
  if (p < 0.0001) return '< 0.0001';
  if (p < 0.1) {
    const text = p.toFixed(4).replace(/0+$/, '');
    return text.length < 4 ? p.toFixed(2) : text;
  }
  return Math.min(p, 1).toFixed(2);
}

/** A count rounded to a whole number, with comma thousands separators: "54,321". */
export function formatCount(n: number): string {
  const special = nonFinite(n);
  if (special !== undefined) return special;
  const rounded = Math.round(Math.abs(n));
  const digits = String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 && rounded !== 0 ? '-' : ''}${digits}`;
}

/**
 * A count in few characters, for chart labels: "950", "2.5k", "23.7k", "102.5k", "1.25M". Up to
 * four significant digits, so neighbouring grid points keep distinct labels.
 */
export function formatCompactCount(n: number): string {
  const special = nonFinite(n);
  if (special !== undefined) return special;
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  const units: Array<[number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size * 0.9995) {
      const v = abs / size;
      const text = v >= 999.5 ? String(Math.round(v)) : String(Number(v.toPrecision(4)));
      return `${sign}${text}${suffix}`;
    }
  }
  return `${sign}${Math.round(abs)}`;
}

/**
 * A duration: "850 ms", "4.2 s", "2 min 05 s", "1 h 02 min". Negative durations keep their sign.
 */
export function formatDuration(ms: number): string {
  const special = nonFinite(ms);
  if (special !== undefined) return special;
  const abs = Math.abs(ms);
  const sign = ms < 0 && Math.round(abs) !== 0 ? '-' : '';
  if (Math.round(abs) < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 59_950) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return `${sign}${minutes} min ${String(seconds).padStart(2, '0')} s`;
  }
  const totalMinutes = Math.round(abs / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return `${sign}${hours} h ${String(minutes).padStart(2, '0')} min`;
}

/** A fraction as a percentage with one decimal: 0.123 -> "12.3%". */
export function formatPercent(x: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const text = (x * 100).toFixed(1);
  return `${text === '-0.0' ? '0.0' : text}%`;
}
