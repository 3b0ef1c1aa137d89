import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlReport } from '../../src/report/html.js';
import { niceTicks } from '../../src/report/svg-chart.js';
import { makeReport, MiB } from '../support/report-fixture.js';

test('the HTML report escapes everything the app or the report wrote', () => {
  const report = makeReport([{ verdict: 'leak', slope: 300, outputTail: ['<img src=x onerror=alert(1)>', '</pre><script>alert(2)</script>'] }]);
  report.name = '<script>alert(3)</script>';
  report.gate = { failed: true, reasons: ['leak: "quoted" & <b>bold</b>'] };
  const html = renderHtmlReport(report);
  assert.doesNotMatch(html, /<script|<img|<b>/i);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /&lt;script&gt;alert\(3\)&lt;\/script&gt;/);
  assert.match(html, /leak: &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;\/b&gt;/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('the chart of a trial has a point per sample under load, the warm-up band and the trend', () => {
  const report = makeReport([{ verdict: 'leak', slope: 300, samples: 120 }]);
  const html = renderHtmlReport(report);
  const path = /<path class="series run" d="([^"]+)"/.exec(html);
  assert.ok(path);
  assert.equal(path[1]!.split(/[ML]/).filter((s) => s.trim()).length, 120);
  assert.match(html, /<rect class="warmup" x="78" y="14" width="\d/);
  assert.match(html, /<path class="series trend dashed"/);
  assert.match(html, /✖ leak — 300 B\/req retained per request/);
});

test('the baseline curve and the per-signal analyses are shown when the report has them', () => {
  const report = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  assert.doesNotMatch(renderHtmlReport(report), /series baseline|<th>Signal<\/th>/);
  report.baseline = { store: 'branch', sha: 'abcdef1234', branch: 'main', savedAt: null, why: 'merge-base', curve: [{ requests: 0, bytes: 40 * MiB }, { requests: 40_000, bytes: 41 * MiB }, { requests: 79_000, bytes: 42 * MiB }] };
  (report.trials[0]!.analysis as unknown as { signals: unknown[] }).signals = [
    { metric: 'anon', verdict: 'no-leak', bytesPerRequest: 1.5, ciLow: -2, ciHigh: 4, pValue: 0.4 },
    { metric: 'heap', verdict: 'leak', bytesPerRequest: 210, ciLow: 190, ciHigh: 230, pValue: 0.00001 },
  ];
  const html = renderHtmlReport(report);
  assert.match(html, /<path class="series baseline dashed faint"/);
  assert.match(html, /baseline abcdef1/);
  assert.match(html, /<th>Signal<\/th>/);
  assert.match(html, /<td>heap<\/td><td>leak<\/td><td class="num">210 B\/req<\/td>/);
});

test('axis ticks are round numbers', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(13, 61, 5), [20, 30, 40, 50, 60]);
});
