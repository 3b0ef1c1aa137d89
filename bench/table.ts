// Plain-text tables for the terminal, and the number formats the bench prints.

export type Cell = string | number;

/** Columns are right-aligned except the first; a header underline separates head and body. */
export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map(String));
  const widths = headers.map((h, c) => Math.max(h.length, ...text.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

/** The same table in Markdown (for docs/benchmark.md). */
export function markdownTable(headers: string[], rows: Cell[][]): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map((r) => line(r.map(String)))].join('\n');
}

export function section(title: string): string {
  return `\n== ${title} ${'='.repeat(Math.max(3, 76 - title.length))}`;
}

export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${(value * 100).toFixed(digits)}%`;
}

/** A signed percentage, e.g. +3.2% / -12.0%. */
export function signedPct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(digits)}%`;
}

export function num(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** "hits/n (rate)". */
export function ratio(hits: number, n: number): string {
  return `${hits}/${n} ${pct(n > 0 ? hits / n : NaN)}`;
}
