import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnOf, renderTextChart } from '../../src/report/text-chart.js';
import { renderTrialCharts } from '../../src/report/terminal.js';
import { makeReport, MiB } from '../support/report-fixture.js';

const WIDTH = 60;
const HEIGHT = 12;

/** The plot rows only (no title, axis or labels), each cut to the plot area after the y axis. */
function plotRows(lines: string[]): string[] {
  const rows = lines.filter((l) => /[│┤|+]/.test(l) && !/[└]/.test(l)).slice(0, HEIGHT);
  return rows.map((l) => {
    const axis = Math.max(l.indexOf('│'), l.indexOf('┤'));
    return l.slice(axis + 1).padEnd(WIDTH);
  });
}

/** Per column, the mean row (0 = top) of the sample marks. */
function markRows(rows: string[], mark = '●'): Array<number | undefined> {
  return Array.from({ length: WIDTH }, (_, c) => {
    const hits = rows.map((r, i) => (r[c] === mark ? i : -1)).filter((i) => i >= 0);
    return hits.length > 0 ? hits.reduce((a, b) => a + b, 0) / hits.length : undefined;
  });
}

test('a rising series draws marks that rise from left to right, with the trend along them', () => {
  const points = Array.from({ length: 200 }, (_, i) => ({ x: i * 500, y: 40 * MiB + i * 500 * 256 + (i % 5) * 8192 }));
  const lines = renderTextChart({ points, warmupEndX: 25_000, trend: { x0: 25_000, y0: 34 * MiB + 25_000 * 256, x1: 99_500, y1: 34 * MiB + 99_500 * 256 }, width: WIDTH, height: HEIGHT });
  const rows = markRows(plotRows(lines));
  const seen = rows.filter((r): r is number => r !== undefined);
  assert.ok(seen.length >= WIDTH * 0.9, `marks in ${seen.length} of ${WIDTH} columns`);
  // Rows count from the top: rising memory means falling row numbers.
  assert.ok(seen[0]! > seen[seen.length - 1]! + HEIGHT / 2, `first column row ${seen[0]}, last ${seen[seen.length - 1]}`);
  const drops = seen.slice(1).filter((r, i) => r > seen[i]! + 1).length;
  assert.equal(drops, 0, 'no column sits more than a row below the one before');
  assert.ok(lines.join('\n').includes('·'), 'the trend line is drawn');
});

test('a flat series stays on one band', () => {
  const points = Array.from({ length: 200 }, (_, i) => ({ x: i * 500, y: 50 * MiB + (i % 2) * 100 }));
  const rows = markRows(plotRows(renderTextChart({ points, width: WIDTH, height: HEIGHT })));
  const used = new Set(rows.filter((r) => r !== undefined).map((r) => Math.round(r!)));
  assert.ok(used.size <= 2, `marks on rows ${[...used].join(', ')}`);
});

test('the warm-up marker sits in the column of the warm-up end, and its count is labelled under the axis', () => {
  const points = Array.from({ length: 101 }, (_, i) => ({ x: i * 1000, y: 40 * MiB + i * 1000 * 128 }));
  const lines = renderTextChart({ points, warmupEndX: 30_000, width: WIDTH, height: HEIGHT });
  const expected = columnOf(30_000, 0, 100_000, WIDTH);
  assert.equal(expected, 18);
  const rows = plotRows(lines);
  const markerCols = new Set(rows.flatMap((r) => [...r].map((ch, c) => (ch === '┆' ? c : -1)).filter((c) => c >= 0)));
  assert.deepEqual([...markerCols], [expected]);
  const axis = lines.find((l) => l.includes('└'))!;
  assert.equal(axis.indexOf('┴') - axis.indexOf('└') - 1, expected, 'the axis tick is under the marker');
  assert.match(lines[lines.length - 1]!, /warm-up 30k/);
  assert.match(lines[lines.length - 1]!, /100k req/);
});

test('ASCII mode uses no characters outside ASCII', () => {
  const points = Array.from({ length: 50 }, (_, i) => ({ x: i * 100, y: 10 * MiB + i * 4096 }));
  const text = renderTextChart({ points, warmupEndX: 1000, trend: { x0: 1000, y0: 10 * MiB + 40960, x1: 4900, y1: 10 * MiB + 49 * 4096 }, ascii: true }).join('\n');
  assert.match(text, /\*/);
  assert.ok(/^[\x20-\x7e\n]*$/.test(text), text);
});

test('the terminal shows one chart per trial, from the report', () => {
  const report = makeReport([{ verdict: 'leak', slope: 512 }, { verdict: 'leak', slope: 480 }]);
  const text = renderTrialCharts(report, { ascii: false });
  assert.match(text, /trial 1: anon memory vs requests served/);
  assert.match(text, /trial 2: anon memory vs requests served/);
  assert.equal((text.match(/└/g) ?? []).length, 2);
  assert.equal(renderTrialCharts(makeReport([{ verdict: 'no-leak', slope: 0, samples: 1 }]), { ascii: true }), '');
});
