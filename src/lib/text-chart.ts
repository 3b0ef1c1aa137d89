// A small text chart of a series in block characters, for failure messages in a terminal: `rows` lines, each column
// the mean of its share of the points, scaled between the series' minimum and maximum.
const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export function textChart(values: readonly number[], opts: { rows?: number; width?: number } = {}): string[] {
  const rows = opts.rows ?? 4;
  const width = Math.min(opts.width ?? 60, values.length);
  if (width === 0) return [];
  const cols = Array.from({ length: width }, (_, c) => {
    const from = Math.floor((c * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / width));
    const part = values.slice(from, to);
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
  const lo = Math.min(...cols);
  const hi = Math.max(...cols);
  // Eighths of a row per column: 1 eighth at the minimum, so the lowest point still shows.
  const eighths = cols.map((v) => 1 + Math.round((hi > lo ? (v - lo) / (hi - lo) : 0) * (rows * 8 - 1)));
  const lines: string[] = [];
  for (let r = rows - 1; r >= 0; r--) {
    lines.push(eighths.map((e) => BLOCKS[Math.max(0, Math.min(8, e - r * 8))]).join('').replace(/ +$/, ''));
  }
  return lines;
}
