// The words of a leak test's result, for the matchers' failure messages and assertNoLeak: the verdict, the slope with
// its interval against the floor, the p-value, and a chart of the live heap after GC.
import { formatBytes } from '../core/units.js';
import type { LeakResult } from './measure-leak.js';
import { textChart } from './text-chart.js';

export function describeLeak(r: LeakResult): string {
  const level = Math.round(r.confidence * 100);
  const signal = r.metric === 'heap' ? 'live heap after GC' : 'anonymous memory';
  const lines = [
    `${r.verdict === 'leak' ? 'leaks' : r.verdict === 'no-leak' ? 'does not leak' : 'inconclusive'}: ${signal} grows ${round(r.bytesPerIteration)} B/iteration (${level}% CI ${round(r.ciLow)}..${round(r.ciHigh)}), p = ${pValue(r.pValue)}, floor ${round(r.floorBytesPerIteration)} B/iteration`,
    `  ${r.reason}`,
    `  ${r.iterations} iterations after ${r.warmupIterations} warm-up, ${Math.round(r.elapsedMs)} ms, GC through ${r.gc}`,
  ];
  const heap = r.series.heap.map((s) => s.total.anon);
  if (heap.length > 1) {
    lines.push(`  live heap after GC, ${formatBytes(Math.min(...heap))}..${formatBytes(Math.max(...heap))} over ${r.iterations} iterations:`);
    for (const l of textChart(heap, { rows: 4, width: 60 })) lines.push(`  |${l}`);
  }
  return lines.join('\n');
}

function round(v: number): string {
  return Math.abs(v) >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}

function pValue(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}
