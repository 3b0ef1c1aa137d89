// leakgate analyze's pure parts on query_range answers recorded from a real Prometheus (scripts/
// record-prometheus-fixtures.ts): the parser (multi-series, NaN, +Inf, an error body, an empty result), the
// segmenter (a restart, a gap), the series analysis, label matching, and the config's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseQueryRange, PrometheusError, seriesName, type RangeSeries } from '../../src/prometheus/query-range.js';
import { segmentSeries, DEFAULT_SEGMENT } from '../../src/prometheus/segment.js';
import { analyzeGroup, matchSeries, overallVerdict } from '../../src/prometheus/analyze-series.js';
import { authorization, queryRange } from '../../src/prometheus/client.js';
import { loadAnalyzeConfig } from '../../src/config/prometheus.js';
import { DEFAULT_ANALYSIS } from '../../src/analyze/analyze-trial.js';
import { ConfigError } from '../../src/core/errors.js';
import { readConfigFile } from '../../src/config/config-file.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'prometheus');
interface Recorded {
  request: { query: string; start: number; end: number; step: number };
  status: number;
  body: { status: string; data?: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
}
const recorded = (name: string): Recorded => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Recorded;
const parsed = (name: string) => {
  const r = recorded(name);
  return parseQueryRange(r.status, r.body);
};
const byJob = (series: RangeSeries[], job: string): RangeSeries => series.find((s) => s.labels.job === job)!;

test('parses a multi-series matrix: labels, every point, times in ms, oldest first', () => {
  const raw = recorded('multi-series-restart-gap');
  const { series } = parsed('multi-series-restart-gap');
  assert.equal(series.length, raw.body.data!.result.length);
  assert.equal(series.length, 2);
  for (const [i, s] of series.entries()) {
    const values = raw.body.data!.result[i]!.values;
    assert.equal(s.points.length, values.length);
    assert.equal(s.points[0]!.t, values[0]![0] * 1000);
    assert.equal(s.points[0]!.v, Number(values[0]![1]));
    assert.ok(s.points.every((p, j) => j === 0 || p.t > s.points[j - 1]!.t));
  }
  assert.equal(byJob(series, 'leaky').labels.__name__, 'process_resident_memory_bytes');
  assert.match(seriesName(byJob(series, 'leaky').labels), /^process_resident_memory_bytes\{instance="127\.0\.0\.1:\d+", job="leaky", track="canary"\}$/);
});

for (const [fixture, word] of [['nan', 'NaN'], ['inf', '+Inf']] as const) {
  test(`drops ${word} values and counts them`, () => {
    const raw = recorded(fixture).body.data!.result[0]!.values;
    const odd = raw.filter(([, v]) => v === word).length;
    assert.ok(odd > 0, `the fixture holds ${word}`);
    const s = parsed(fixture).series[0]!;
    assert.equal(s.nonFinite, odd);
    assert.equal(s.points.length, raw.length - odd);
    assert.ok(s.points.every((p) => Number.isFinite(p.v)));
  });
}

test("an error body becomes a PrometheusError with Prometheus's own type and message", () => {
  const r = recorded('bad-query');
  assert.equal(r.status, 400);
  assert.throws(
    () => parseQueryRange(r.status, r.body),
    (e: unknown) => e instanceof PrometheusError && e.kind === 'bad_data' && e.status === 400 && e.message.includes((r.body as unknown as { error: string }).error),
  );
  assert.throws(() => parseQueryRange(502, '<html>Bad gateway</html>'), (e: unknown) => e instanceof PrometheusError && e.kind === 'invalid-response' && /Bad gateway/.test(e.message));
});

test('an empty result parses to no series', () => {
  assert.deepEqual(parsed('empty').series, []);
});

test('a restarted process starts a new segment and the gap is reported; a steady series stays whole', () => {
  const { series } = parsed('multi-series-restart-gap');
  const stepMs = recorded('multi-series-restart-gap').request.step * 1000;
  const leaky = segmentSeries(byJob(series, 'leaky').points, { ...DEFAULT_SEGMENT, stepMs });
  assert.equal(leaky.segments.length, 2);
  assert.equal(leaky.restarts.length, 1);
  const r = leaky.restarts[0]!;
  assert.ok(r.toValue < 0.8 * r.fromValue, `restart from ${r.fromValue} to ${r.toValue}`);
  assert.equal(leaky.gaps.length, 1);
  const g = leaky.gaps[0]!;
  assert.equal(g.missingSteps, (g.toMs - g.fromMs) / stepMs - 1);
  assert.ok(g.missingSteps > DEFAULT_SEGMENT.gapSteps);
  assert.equal(leaky.segments.reduce((n, s) => n + s.length, 0), byJob(series, 'leaky').points.length);
  const clean = segmentSeries(byJob(series, 'clean').points, { ...DEFAULT_SEGMENT, stepMs });
  assert.deepEqual([clean.segments.length, clean.restarts.length, clean.gaps.length], [1, 0, 0]);
});

test('each segment of the leaking series is analysed; the slope is near the recorded 1 MiB/s', () => {
  const raw = recorded('multi-series-restart-gap');
  const { series } = parsed('multi-series-restart-gap');
  const g = analyzeGroup('query', [byJob(series, 'leaky')], {
    analysis: { ...DEFAULT_ANALYSIS, metric: 'rss' },
    segment: { ...DEFAULT_SEGMENT, stepMs: raw.request.step * 1000 },
    windowStartMs: raw.request.start * 1000,
    limit: 512 * 1024 * 1024,
  }, 0);
  const s = g.series[0]!;
  assert.equal(s.segments.length, 2);
  assert.equal(g.trials.length, 2);
  assert.equal(s.verdict, 'leak', s.reason);
  assert.ok(Math.abs(s.bytesPerSecond / (1024 * 1024) - 1) < 0.3, `slope ${s.bytesPerSecond} B/s`);
  assert.ok(Math.abs(s.mibPerHour - (s.bytesPerSecond * 3600) / 1048576) < 1e-9);
  // Projection from the last value at the slope: (limit - last) / slope.
  assert.ok(Math.abs(s.secondsToLimit! - (512 * 1024 * 1024 - s.lastBytes) / s.bytesPerSecond) < 1e-6);
  assert.equal(overallVerdict(g.series), 'leak');
  assert.equal(g.trials[0]!.countsRequests, false);
});

test('a request counter is matched by shared labels; one candidate matches anything', () => {
  const a = { labels: { pod: 'a', namespace: 'x' }, points: [], nonFinite: 0 };
  const b = { labels: { pod: 'b', namespace: 'x' }, points: [], nonFinite: 0 };
  assert.equal(matchSeries({ __name__: 'm', pod: 'b', namespace: 'x', container: 'app' }, [a, b]), b);
  assert.equal(matchSeries({ pod: 'c' }, [a, b]), undefined);
  assert.equal(matchSeries({ pod: 'c' }, [a]), a);
});

test('credentials come from the named variables; a missing one is an error, never anonymity', () => {
  const access = { url: 'http://127.0.0.1:1', timeoutMs: 1000 };
  assert.equal(authorization({ ...access, bearerTokenEnv: 'TOKEN' }, { TOKEN: 's3cret' }), 'Bearer s3cret');
  assert.equal(authorization({ ...access, basicAuth: { userEnv: 'U', passwordEnv: 'P' } }, { U: 'me', P: 'pw' }), `Basic ${Buffer.from('me:pw').toString('base64')}`);
  assert.throws(() => authorization({ ...access, bearerTokenEnv: 'TOKEN' }, {}), /TOKEN is not set/);
  assert.equal(authorization(access, { TOKEN: 'x' }), undefined);
});

test('an unreachable server and a silent one are PrometheusErrors naming what happened', async () => {
  const closed = await new Promise<number>((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
  const q = { query: 'up', start: 0, end: 60, stepSeconds: 15 };
  await assert.rejects(queryRange({ url: `http://127.0.0.1:${closed}`, timeoutMs: 2000 }, q, {}), (e: unknown) => e instanceof PrometheusError && e.kind === 'unreachable' && /ECONNREFUSED/.test(e.message));
  // A server that accepts and never answers: the timeout fires.
  const silent = createServer(() => {});
  await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
  try {
    const port = (silent.address() as { port: number }).port;
    await assert.rejects(queryRange({ url: `http://127.0.0.1:${port}`, timeoutMs: 200 }, q, {}), (e: unknown) => e instanceof PrometheusError && /within 200 ms/.test(e.message));
  } finally {
    silent.close();
  }
});

const CONFIG_ERRORS: Array<{ what: string; file: unknown; expected: RegExp }> = [
  { what: 'no url', file: { prometheus: { query: 'up' } }, expected: /'prometheus\.url' is required/ },
  { what: 'no query', file: { prometheus: { url: 'http://p:9090' } }, expected: /'prometheus\.query' is required/ },
  { what: 'canary without baseline', file: { prometheus: { url: 'http://p:9090', 'canary-query': 'm' } }, expected: /go together: only canary-query/ },
  { what: 'credentials in the url', file: { prometheus: { url: 'http://u:pw@p:9090', query: 'm' } }, expected: /must not hold credentials/ },
  { what: 'a token instead of a variable name', file: { prometheus: { url: 'http://p', query: 'm', 'bearer-token-env': 'eyJhb.c-d' } }, expected: /NAME of an environment variable/ },
  { what: 'too many points', file: { prometheus: { url: 'http://p', query: 'm', range: '48h', step: '1s' } }, expected: /at most 11000 points/ },
  { what: 'a range shorter than min-points steps', file: { prometheus: { url: 'http://p', query: 'm', range: '60s', step: '10s' } }, expected: /'prometheus\.range'.*min-points \(12\)/ },
  { what: 'a misspelt key', file: { prometheus: { url: 'http://p', query: 'm', canary_query: 'x' } }, expected: /unknown setting 'prometheus\.canary_query' \(did you mean 'prometheus\.canary-query'\?\)/ },
  { what: 'an Authorization header', file: { prometheus: { url: 'http://p', query: 'm', headers: { Authorization: 'Bearer x' } } }, expected: /must not set Authorization/ },
];
for (const row of CONFIG_ERRORS) {
  test(`config: ${row.what}`, () => {
    assert.throws(() => loadAnalyzeConfig({ file: row.file, fileLabel: 'leakgate.yml', overrides: {}, overrideLabels: {} }), (e: unknown) => e instanceof ConfigError && row.expected.test(e.message));
  });
}

test('config: flags override the file and name themselves in errors; defaults fill the rest', () => {
  const c = loadAnalyzeConfig({ file: { prometheus: { url: 'http://p:9090', query: 'a' } }, fileLabel: 'leakgate.yml', overrides: { prometheus: { query: 'b', range: '2h' } }, overrideLabels: {} });
  assert.deepEqual([c.prometheus.query, c.prometheus.rangeMs, c.prometheus.stepMs, c.prometheus.timeoutMs], ['b', 7200_000, 15_000, 30_000]);
  assert.throws(
    () => loadAnalyzeConfig({ file: {}, fileLabel: 'the flags', overrides: { prometheus: { url: 'http://p', query: 'm', step: 'soon' } }, overrideLabels: { 'prometheus.step': 'flag --step' } }),
    /flag --step \('prometheus\.step'\) must be a duration/,
  );
});

test('the example analyze config passes validation', () => {
  const f = readConfigFile('examples/prometheus/analyze.leakgate.yml', join(import.meta.dirname, '..', '..'));
  const c = loadAnalyzeConfig({ file: f.raw, fileLabel: f.label, overrides: {}, overrideLabels: {} });
  assert.equal(c.prometheus.rangeMs, 2 * 3600_000);
  assert.ok(c.prometheus.requestsQuery);
});

test('with a request counter the slope is bytes per request, across a counter reset', () => {
  // 10 req/s for 120 s at a 2 s step; memory keeps 2000 B a request over 10 MB, with ±20 KB of alternating noise. The
  // counter restarts from 0 halfway (as a pod's counter does); the memory series does not, so this is one segment.
  const step = 2000;
  const memory: RangeSeries = { labels: { pod: 'a' }, points: [], nonFinite: 0 };
  const counter: RangeSeries = { labels: { pod: 'a' }, points: [], nonFinite: 0 };
  for (let i = 0; i <= 60; i++) {
    const t = 1_700_000_000_000 + i * step;
    const served = i * 20;
    memory.points.push({ t, v: 10e6 + 2000 * served + (i % 2 === 0 ? 20_000 : -20_000) });
    counter.points.push({ t, v: i < 30 ? 5000 + served : served - 600 });
  }
  const g = analyzeGroup('query', [memory], {
    analysis: { ...DEFAULT_ANALYSIS, metric: 'rss', minRequests: 100 },
    segment: { ...DEFAULT_SEGMENT, stepMs: step },
    windowStartMs: memory.points[0]!.t,
    requests: [counter],
  }, 0);
  const s = g.series[0]!;
  assert.equal(s.verdict, 'leak', s.reason);
  assert.ok(Math.abs(s.bytesPerRequest! - 2000) < 200, `slope ${s.bytesPerRequest} B/req`);
  assert.ok(Math.abs(s.throughput! - 10) < 1, `throughput ${s.throughput} req/s`);
  assert.ok(Math.abs(s.bytesPerSecond - 20_000) < 2000, `${s.bytesPerSecond} B/s`);
  assert.equal(g.trials[0]!.countsRequests, true);
});

test('the job summary holds a chart per series and escapes labels; the PR comment goes through the same section', async () => {
  const { renderMarkdownSummary } = await import('../../src/report/markdown.js');
  const { renderPrComment } = await import('../../src/report/pr-comment.js');
  const { summarize, decideAnalyzeGate } = await import('../../src/prometheus/decide.js');
  const raw = recorded('multi-series-restart-gap');
  const { series } = parsed('multi-series-restart-gap');
  series[1]!.labels.pod = '@octocat|<b>x</b>';
  const g = analyzeGroup('query', series, {
    analysis: { ...DEFAULT_ANALYSIS, metric: 'rss' },
    segment: { ...DEFAULT_SEGMENT, stepMs: 1000 },
    windowStartMs: raw.request.start * 1000,
  }, 0);
  const section = {
    source: 'prometheus' as const, server: 'http://p:9090', queries: { query: raw.request.query },
    window: { start: new Date(raw.request.start * 1000).toISOString(), end: new Date(raw.request.end * 1000).toISOString(), rangeSeconds: raw.request.end - raw.request.start, stepSeconds: 1 },
    axis: 'time' as const, series: g.series, verdict: overallVerdict(g.series), leaking: g.series.filter((s) => s.verdict === 'leak').map((s) => s.name), canary: null, warnings: [],
  };
  const { readEnvironment } = await import('../../src/core/environment.js');
  const report = {
    schemaVersion: 1 as const, tool: { name: 'leakgate' as const, version: 'test' }, name: 'prom', createdAt: section.window.end, environment: readEnvironment({}),
    config: null, trials: g.trials, summary: summarize(section, 'r'), gate: decideAnalyzeGate(['leak'], section, null, null), comparison: null, baselineNote: null, error: null, prometheus: section,
  };
  const md = renderMarkdownSummary(report);
  assert.equal(md.match(/```mermaid/g)?.length, g.series.length);
  assert.ok(!md.includes('<b>') && !md.includes('@octocat'), 'labels are escaped');
  assert.equal(report.gate.failed, section.verdict === 'leak');
  const comment = renderPrComment(report, { marker: '<!-- leakgate:prom -->' });
  assert.ok(comment.startsWith('<!-- leakgate:prom -->'));
  assert.match(comment, /Memory of every series/);
  // A report from a fork is untrusted: markup where numbers or words belong never reaches the comment as markup.
  const forged = structuredClone(report) as unknown as { prometheus: { series: Array<Record<string, unknown>>; queries: Record<string, unknown> } };
  Object.assign(forged.prometheus.series[0]!, { points: '<img src=x>', group: '<b>g</b>', verdict: '<i>v</i>', nonFinite: '<img src=y>' });
  forged.prometheus.queries['<b>k</b>'] = '<img src=q>';
  const body = renderPrComment(forged as unknown as typeof report, { marker: '<!-- m -->' }) + renderMarkdownSummary(forged as unknown as typeof report);
  assert.ok(!/<img|<b>|<i>/.test(body), body.split('\n').filter((l) => /<img|<b>|<i>/.test(l)).join('\n'));
});
