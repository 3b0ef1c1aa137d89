import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMemoryChart } from '../../src/report/markdown.js';
import { makeReport } from '../support/report-fixture.js';

test("the job summary's Mermaid chart shades the warm-up with bars up to the warm-up end", () => {
  const report = makeReport([{ verdict: 'leak', slope: 178 }]);
  const chart = renderMemoryChart(report);
  const axis = /x-axis "requests served" \[(.*)\]/.exec(chart)!;
  const labels = [...axis[1]!.matchAll(/"([^"]*)"/g)].map((m) => Number(m[1]!.replace('k', '')) * (m[1]!.endsWith('k') ? 1000 : 1));
  const yAxis = /y-axis "[^"]*" (\d+) --> (\d+)/.exec(chart)!;
  const bars = /\n {4}bar \[(.*)\]/.exec(chart);
  assert.ok(bars, 'a bar series marks the warm-up');
  const values = bars[1]!.split(', ').map(Number);
  assert.equal(values.length, labels.length);
  const warmupEnd = report.trials[0]!.analysis.warmupEndRequests;
  labels.forEach((x, i) => assert.equal(values[i], x <= warmupEnd ? Number(yAxis[2]) : Number(yAxis[1]), `at ${x} requests`));
  assert.ok(chart.indexOf('bar [') < chart.indexOf('line ['), 'bars are declared first, behind the line');
  assert.match(chart, /plotColorPalette":"#eaeef2, #0969da"/);
  assert.match(chart, /Grey bars: the warm-up, not fitted/);
});
