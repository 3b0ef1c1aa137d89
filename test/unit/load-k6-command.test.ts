// The k6 and load-command parsers on output in the tools' own formats: k6's --out json stream (read in chunks
// that cut lines anywhere) and --summary-export file, wrk's end-of-run summary as printed by wrk 4.1.0, and
// the request counters (plain number, JSON field, progress lines).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { K6StreamCounter, parseK6JsonLine, parseK6Summary } from '../../src/load/k6-output.js';
import { counterRegex, lastRegexCount, parseCounterValue, parseWrkSummary } from '../../src/load/command-output.js';
import { describeK6Exit, k6RunArgs, K6_TREND_STATS } from '../../src/load/k6-driver.js';
import { k6OptionsOf } from '../../src/load/start-load.js';
import { loadConfig } from '../../src/config/config.js';

// --- k6 --out json, in the format of k6's docs (results-output/real-time/json) and of recent k6 versions,
// which write the "metric" key first. Three requests: two 200s and one connection refused (status 0).
const tags200 = '{"expected_response":"true","group":"","method":"GET","name":"http://127.0.0.1:3000/","proto":"HTTP/1.1","scenario":"default","status":"200","url":"http://127.0.0.1:3000/"}';
const tagsRefused = '{"error":"dial: i/o timeout","error_code":"1211","expected_response":"false","group":"","method":"GET","name":"http://127.0.0.1:3000/","proto":"","scenario":"default","status":"0","url":"http://127.0.0.1:3000/"}';
const K6_JSON = [
  '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}',
  '{"type":"Point","data":{"time":"2024-05-13T10:00:00.000516247Z","value":2,"tags":null},"metric":"vus"}',
  '{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}',
  `{"type":"Point","data":{"time":"2024-05-13T10:00:00.412345678Z","value":1,"tags":${tags200}},"metric":"http_reqs"}`,
  '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)<500"],"submetrics":null},"metric":"http_req_duration"}',
  `{"type":"Point","data":{"time":"2024-05-13T10:00:00.412345678Z","value":3.108,"tags":${tags200}},"metric":"http_req_duration"}`,
  '{"type":"Metric","data":{"name":"http_req_failed","type":"rate","contains":"default","thresholds":[],"submetrics":null},"metric":"http_req_failed"}',
  `{"type":"Point","data":{"time":"2024-05-13T10:00:00.412345678Z","value":0,"tags":${tags200}},"metric":"http_req_failed"}`,
  `{"metric":"http_reqs","type":"Point","data":{"time":"2024-05-13T12:00:01.2+02:00","value":1,"tags":${tags200}}}`,
  `{"metric":"http_req_failed","type":"Point","data":{"time":"2024-05-13T12:00:01.2+02:00","value":0,"tags":${tags200}}}`,
  `{"metric":"http_reqs","type":"Point","data":{"time":"2024-05-13T10:00:01.9Z","value":1,"tags":${tagsRefused}}}`,
  `{"metric":"http_req_failed","type":"Point","data":{"time":"2024-05-13T10:00:01.9Z","value":1,"tags":${tagsRefused}}}`,
  '{"metric":"data_received","type":"Point","data":{"time":"2024-05-13T10:00:01.9Z","value":1289,"tags":{"group":"","scenario":"default"}}}',
  '{"metric":"iterations","type":"Point","data":{"time":"2024-05-13T10:00:01.9Z","value":1,"tags":{"group":"","scenario":"default"}}}',
  '{"metric":"iteration_duration","type":"Point","data":{"time":"2024-05-13T10:00:01.9Z","value":1003.2,"tags":{"group":"","scenario":"default"}}}',
].join('\n') + '\n';

describe('parseK6JsonLine', () => {
  it('reads a Metric declaration and a Point with its time, value and tags', () => {
    const lines = K6_JSON.split('\n');
    const metric = parseK6JsonLine(lines[2]!);
    assert.equal(metric.type, 'Metric');
    assert.equal(metric.metric, 'http_reqs');
    const point = parseK6JsonLine(lines[3]!);
    assert.deepEqual(
      point.type === 'Point' && { time: point.time, value: point.value, status: point.tags.status },
      { time: Date.parse('2024-05-13T10:00:00.412Z'), value: 1, status: '200' },
    );
  });

  it('accepts null tags and a time with a UTC offset', () => {
    const p = parseK6JsonLine('{"type":"Point","data":{"time":"2017-05-09T14:34:45.625742514+02:00","value":5,"tags":null},"metric":"vus"}');
    assert.ok(p.type === 'Point');
    assert.equal(p.time, Date.parse('2017-05-09T12:34:45.625Z'));
    assert.deepEqual(p.tags, {});
  });

  it('refuses what is not a k6 line, saying where and why', () => {
    assert.throws(() => parseK6JsonLine('{"type":"Point","data":{"time":"2024', 'out.json line 7'), /^Error: out\.json line 7: not JSON/);
    assert.throws(() => parseK6JsonLine('[1,2]', 'x'), /x: expected a JSON object with type, metric and data/);
    assert.throws(() => parseK6JsonLine('{"type":"Sample","data":{},"metric":"vus"}', 'x'), /'type' must be "Metric" or "Point", got "Sample"/);
    assert.throws(() => parseK6JsonLine('{"type":"Point","data":{"time":"2024-05-13T10:00:00Z","value":"1"},"metric":"http_reqs"}', 'x'), /point of 'http_reqs' has no numeric data\.value/);
    assert.throws(() => parseK6JsonLine('{"type":"Point","data":{"time":"yesterday","value":1},"metric":"http_reqs"}', 'x'), /no valid data\.time/);
  });
});

describe('K6StreamCounter', () => {
  it('counts http_reqs and failed requests, whatever the other metrics', () => {
    const c = new K6StreamCounter('out.json');
    c.push(K6_JSON);
    assert.equal(c.requests, 3);
    assert.equal(c.failed, 1);
    assert.equal(c.noResponse, 1);
    assert.equal(c.timeouts, 0);
    assert.equal(c.lines, 15);
    assert.deepEqual(c.end(), { droppedPartialLine: false });
  });

  it('gives the same counts however the stream is cut into chunks, also inside a UTF-8 character', () => {
    const bytes = Buffer.from(K6_JSON.replace('"group":""', '"group":"::größe ✓"'), 'utf8');
    for (const size of [1, 7, 64, 333, bytes.length]) {
      const c = new K6StreamCounter();
      for (let i = 0; i < bytes.length; i += size) c.push(bytes.subarray(i, i + size));
      c.end();
      assert.deepEqual([c.requests, c.failed, c.lines], [3, 1, 15], `chunks of ${size} bytes`);
    }
  });

  it('does not count a line until its newline arrives', () => {
    const c = new K6StreamCounter();
    const line = `{"metric":"http_reqs","type":"Point","data":{"time":"2024-05-13T10:00:00Z","value":1,"tags":${tags200}}}\n`;
    c.push(line.slice(0, 40));
    assert.equal(c.requests, 0);
    c.push(line.slice(40));
    assert.equal(c.requests, 1);
  });

  it('keeps requests per second by the points own timestamps, with empty seconds as 0', () => {
    const c = new K6StreamCounter();
    const at = (t: string) => `{"metric":"http_reqs","type":"Point","data":{"time":"${t}","value":1,"tags":{}}}\n`;
    c.push(at('2024-05-13T10:00:00.1Z') + at('2024-05-13T10:00:00.9Z') + at('2024-05-13T10:00:02.5Z'));
    const base = Date.parse('2024-05-13T10:00:00Z');
    assert.deepEqual(c.perSecond(), [
      { second: base, requests: 2 },
      { second: base + 1000, requests: 0 },
      { second: base + 2000, requests: 1 },
    ]);
    assert.deepEqual(c.span, { first: base + 100, last: base + 2500 });
  });

  it('counts timeouts (error_code 1050) among the failed requests', () => {
    const c = new K6StreamCounter();
    c.push('{"metric":"http_req_failed","type":"Point","data":{"time":"2024-05-13T10:00:00Z","value":1,"tags":{"status":"0","error_code":"1050"}}}\n');
    c.push('{"metric":"http_req_failed","type":"Point","data":{"time":"2024-05-13T10:00:00Z","value":1,"tags":{"status":"503"}}}\n');
    assert.deepEqual([c.failed, c.noResponse, c.timeouts], [2, 1, 1]);
  });

  it('names the line number of a malformed line, also one that is not counted', () => {
    const c = new K6StreamCounter('/tmp/k6-output.json');
    assert.throws(() => c.push(`${K6_JSON}{"metric":"http_reqs","type":"Point","data":{"time":"2024-05-13T10:00:00Z"}}\n`), {
      message: /^\/tmp\/k6-output\.json line 16: point of 'http_reqs' has no numeric data\.value/,
    });
    const d = new K6StreamCounter('out.json');
    assert.throws(() => d.push('{"metric":"vus","type":"Point","data":{}}\nWARN[0001] Request Failed\n'), {
      message: 'out.json line 2: expected a JSON object, got WARN[0001] Request Failed',
    });
  });

  it('drops a truncated last line when k6 was stopped, and refuses it otherwise', () => {
    const cut = `${K6_JSON}{"metric":"http_reqs","type":"Point","data":{"time":"2024-05-13T10:00:0`;
    const stopped = new K6StreamCounter();
    stopped.push(cut);
    assert.deepEqual(stopped.end({ tolerateTruncated: true }), { droppedPartialLine: true });
    assert.equal(stopped.requests, 3);
    const normal = new K6StreamCounter('out.json');
    normal.push(cut);
    assert.throws(() => normal.end(), /^Error: out\.json line 16: not JSON .*\(the last line has no newline: was k6 stopped while writing it\?\)$/s);
  });

  it('counts a complete last line that only lacks its newline', () => {
    const c = new K6StreamCounter();
    c.push(`${K6_JSON}{"metric":"http_reqs","type":"Point","data":{"time":"2024-05-13T10:00:02Z","value":1,"tags":{}}}`);
    assert.equal(c.requests, 3);
    assert.deepEqual(c.end(), { droppedPartialLine: false });
    assert.equal(c.requests, 4);
  });
});

// --- k6 --summary-export (legacy export: metric values at metrics.<name>, thresholds as {expr: failed}).
const K6_SUMMARY = JSON.stringify(
  {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: { 'status is 200': { name: 'status is 200', path: '::status is 200', id: '6210a8cd14cd70477eba5c5e4cb3fb5f', passes: 1196, fails: 4 } } },
    metrics: {
      http_reqs: { count: 1200, rate: 119.87 },
      http_req_duration: { avg: 8.2, min: 0.41, med: 5.1, max: 210.7, 'p(90)': 15.3, 'p(95)': 22.9, 'p(99)': 88.4, thresholds: { 'p(95)<500': false } },
      'http_req_duration{expected_response:true}': { avg: 8.1, min: 0.41, med: 5.1, max: 210.7, 'p(90)': 15.2, 'p(95)': 22.8, 'p(99)': 88.0 },
      http_req_failed: { passes: 4, fails: 1196, value: 0.0033333333333333335, thresholds: { 'rate<0.001': true } },
      iterations: { count: 1200, rate: 119.87 },
      vus: { value: 10, min: 10, max: 10 },
      data_received: { count: 250000, rate: 24973.4 },
      checks: { passes: 1196, fails: 4, value: 0.9966666666666667 },
    },
  },
  null,
  4,
);

describe('parseK6Summary', () => {
  it('reads requests, failures (http_req_failed passes), throughput, latency and failed thresholds', () => {
    assert.deepEqual(parseK6Summary(K6_SUMMARY, 'summary.json'), {
      requests: 1200,
      failures: 4,
      throughput: 119.87,
      durationMs: 10011,
      latency: { p50: 5.1, p90: 15.3, p99: 88.4, max: 210.7, mean: 8.2 },
      failedThresholds: ['http_req_failed: rate<0.001'],
      iterations: 1200,
    });
  });

  it('leaves p99 out when k6 ran with its default trend stats', () => {
    const text = K6_SUMMARY.replace(/,\s*"p\(99\)": 88\.4/, '');
    const s = parseK6Summary(text, 'summary.json');
    assert.equal('p99' in s.latency, false);
    assert.equal(s.latency.p90, 15.3);
  });

  it('reads the handleSummary() shape too (values under metrics.<name>.values, thresholds with ok)', () => {
    const text = JSON.stringify({
      metrics: {
        http_reqs: { type: 'counter', contains: 'default', values: { count: 50, rate: 25 } },
        http_req_duration: { type: 'trend', contains: 'time', values: { avg: 2, min: 1, med: 2, max: 9, 'p(90)': 3, 'p(95)': 4, 'p(99)': 8 }, thresholds: { 'p(95)<1': { ok: false } } },
        http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0, passes: 0, fails: 50 } },
      },
    });
    const s = parseK6Summary(text, 'summary.json');
    assert.deepEqual([s.requests, s.failures, s.durationMs, s.latency.p99, s.failedThresholds], [50, 0, 2000, 8, ['http_req_duration: p(95)<1']]);
  });

  it("reads k6's new machine-readable summary (results.metrics list, rates as matches, duration in seconds)", () => {
    const text = JSON.stringify({
      version: '1.0.0',
      config: { duration: 20.5, execution: 'local', script: 'export default () => {}' },
      metadata: { generatedAt: '2025-05-13T10:00:20Z', k6Version: '1.0.0' },
      results: {
        metrics: [
          { name: 'http_reqs', type: 'counter', contains: 'default', values: { count: 4100 } },
          { name: 'http_req_duration', type: 'trend', contains: 'time', values: { avg: 3, min: 1, med: 2.5, max: 40, 'p(90)': 5, 'p(95)': 7 } },
          { name: 'http_req_failed', type: 'rate', contains: 'default', values: { matches: 41, total: 4100, rate: 0.01 } },
        ],
      },
    });
    const s = parseK6Summary(text, 'summary.json');
    assert.deepEqual([s.requests, s.failures, s.durationMs, s.throughput, s.latency.p50, 'p99' in s.latency], [4100, 41, 20500, 200, 2.5, false]);
  });

  it('says what is wrong with a file that is not a k6 summary', () => {
    assert.throws(() => parseK6Summary('', 's.json'), /^Error: s\.json: k6 summary is not JSON .*: \(empty\)$/);
    assert.throws(() => parseK6Summary('{"root_group":{}}', 's.json'), /s\.json: k6 summary has no 'metrics' object/);
    assert.throws(() => parseK6Summary('{"metrics":{"vus":{"value":1}}}', 's.json'), /s\.json: k6 summary has no metric 'http_reqs' \(did the script make any HTTP request/);
    assert.throws(() => parseK6Summary(K6_SUMMARY.replace('"med": 5.1', '"med": "fast"'), 's.json'), /s\.json: k6 summary metric 'http_req_duration' has no numeric 'med'/);
  });
});

describe('k6RunArgs', () => {
  it('asks for JSON output, a summary export with p(99), duration, vus and env, user args last before the script', () => {
    const args = k6RunArgs(
      { script: 'load.js', durationMs: 20_000, vus: 8, url: 'http://127.0.0.1:3000', env: { TOKEN: 'a b', BASE_URL: 'http://override' }, args: ['--summary-trend-stats=avg,p(99.9)', '--tag', 'run=1'] },
      { json: '/t/o.json', summary: '/t/s.json', script: '/w/load.js' },
    );
    assert.deepEqual(args, [
      'run', '--out', 'json=/t/o.json', '--summary-export=/t/s.json', `--summary-trend-stats=${K6_TREND_STATS}`,
      '--duration', '20000ms', '--vus', '8',
      '-e', 'BASE_URL=http://override', '-e', 'LEAKGATE_URL=http://127.0.0.1:3000', '-e', 'TOKEN=a b',
      '--summary-trend-stats=avg,p(99.9)', '--tag', 'run=1', '/w/load.js',
    ]);
  });

  it('without duration and vus leaves the script its own scenarios: no --duration, no --vus', () => {
    const args = k6RunArgs({ script: 'load.js', maxDurationMs: 60_000 }, { json: '/t/o.json', summary: '/t/s.json', script: '/w/load.js' });
    assert.ok(!args.includes('--duration') && !args.includes('--vus'), args.join(' '));
  });

  it('passes --duration and --vus only when the config sets them (or native mode shortens the run)', () => {
    const files = { json: '/t/o.json', summary: '/t/s.json', script: '/w/load.js' };
    const base = { app: { command: ['node', 's.js'], ready: { url: 'http://127.0.0.1:3000/' } } };
    const load = (l: Record<string, unknown>) => loadConfig({ file: { ...base, load: { tool: 'k6', script: 'load.js', ...l } }, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides: {}, overrideLabels: {} }).load;

    const defaults = k6OptionsOf(load({}));
    assert.equal(defaults.durationMs, undefined);
    assert.equal(defaults.vus, undefined);
    assert.equal(defaults.maxDurationMs, 30 * 60_000, 'bounded by the default load.max-duration');
    assert.ok(!k6RunArgs(defaults, files).includes('--duration'));

    assert.equal(k6OptionsOf(load({ 'max-duration': '5m' })).maxDurationMs, 300_000);
    const set = k6OptionsOf(load({ duration: '20s', vus: 4 }));
    assert.deepEqual([set.durationMs, set.vus, set.maxDurationMs], [20_000, 4, undefined]);
    assert.deepEqual(k6RunArgs(set, files).slice(5, 9), ['--duration', '20000ms', '--vus', '4']);
    assert.equal(k6OptionsOf(load({}), 8000).durationMs, 8000, 'native mode passes its shorter duration');

    // A flag counts as set, like the file.
    const flagged = loadConfig({ file: { ...base, load: { tool: 'k6', script: 'load.js' } }, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides: { load: { duration: '10s' } }, overrideLabels: { 'load.duration': 'flag --duration' } }).load;
    assert.equal(k6OptionsOf(flagged).durationMs, 10_000);
  });

  it('describes exit codes by their k6 meaning', () => {
    assert.equal(describeK6Exit(99, null), 'exit code 99 (thresholds failed)');
    assert.equal(describeK6Exit(107, null), 'exit code 107 (script exception)');
    assert.equal(describeK6Exit(1, null), 'exit code 1');
    assert.equal(describeK6Exit(null, 'SIGKILL'), 'signal SIGKILL');
  });
});

// --- wrk 4.1.0 (Debian build), captured against a local node server.
const WRK_LATENCY = `Running 2s test @ http://127.0.0.1:18771/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   220.33us  583.59us  13.52ms   95.91%
    Req/Sec    31.78k    12.44k   49.02k    70.00%
  Latency Distribution
     50%  107.00us
     75%  167.00us
     90%  302.00us
     99%    2.68ms
  63033 requests in 2.00s, 7.45MB read
Requests/sec:  31476.52
Transfer/sec:      3.72MB
`;
const WRK_NON2XX = `Running 1s test @ http://127.0.0.1:18771/bad
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   277.22us  693.42us   7.98ms   93.30%
    Req/Sec    17.83k     5.69k   22.36k    80.00%
  35433 requests in 1.00s, 4.83MB read
  Non-2xx or 3xx responses: 35433
Requests/sec:  35338.47
Transfer/sec:      4.82MB
`;
// Stopped with SIGINT after 1.61 s; a server that resets some connections and leaves others hanging.
const WRK_ERRORS = `Running 10s test @ http://127.0.0.1:18772/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.42ms    3.10ms  10.91ms   84.62%
    Req/Sec   130.00      0.00   130.00    100.00%
  Latency Distribution
     50%    1.37ms
     75%    1.74ms
     90%    6.82ms
     99%   10.91ms
  13 requests in 1.61s, 1.57KB read
  Socket errors: connect 0, read 8, write 0, timeout 3
Requests/sec:      8.10
Transfer/sec:      0.98KB
`;

describe('parseWrkSummary', () => {
  it('reads totals and the latency distribution of a --latency run, in ms', () => {
    const s = parseWrkSummary(WRK_LATENCY);
    assert.equal(s.requests, 63033);
    assert.equal(s.durationMs, 2000);
    assert.equal(s.throughput, 31476.52);
    assert.equal(s.bytesRead, Math.round(7.45 * 1024 * 1024));
    assert.deepEqual([s.non2xx, s.errors, s.timeouts], [0, 0, 0]);
    assert.ok(s.hasDistribution);
    const l = s.latency;
    assert.deepEqual([l.p50, l.p90, l.p99, l.max].map((x) => Math.round(x * 1e5) / 1e5), [0.107, 0.302, 2.68, 13.52]);
    assert.ok(Math.abs(l.mean - 0.22033) < 1e-9);
  });

  it('reads non-2xx responses; without --latency the percentiles are unknown (0)', () => {
    const s = parseWrkSummary(WRK_NON2XX);
    assert.deepEqual([s.requests, s.non2xx, s.durationMs, s.hasDistribution], [35433, 35433, 1000, false]);
    assert.deepEqual([s.latency.p50, s.latency.p99], [0, 0]);
    assert.ok(Math.abs(s.latency.max - 7.98) < 1e-9);
  });

  it('sums socket errors and counts timeouts', () => {
    const s = parseWrkSummary(WRK_ERRORS);
    assert.deepEqual([s.requests, s.errors, s.timeouts, s.durationMs, s.bytesRead], [13, 11, 3, 1610, Math.round(1.57 * 1024)]);
    assert.equal(s.latency.p99, 10.91);
  });

  it('reads minutes and seconds, and ignores lines a Lua script printed before the summary', () => {
    const text = `  123 requests in 9.99s, 1.00KB read\n${WRK_LATENCY.replace('63033 requests in 2.00s', '1800000 requests in 1.00m').replace('13.52ms', '1.20s')}`;
    const s = parseWrkSummary(text);
    assert.deepEqual([s.requests, s.durationMs, s.latency.max], [1800000, 60000, 1200]);
  });

  it('names what is missing when the text is not a wrk summary', () => {
    assert.throws(() => parseWrkSummary('unable to connect to 127.0.0.1:18779 Connection refused\n', 'wrk output'), {
      message: "wrk output: no 'N requests in T, X read' line found; is this wrk's end-of-run summary? (last lines: unable to connect to 127.0.0.1:18779 Connection refused)",
    });
    assert.throws(() => parseWrkSummary(WRK_LATENCY.replace(/^Requests\/sec.*$/m, '')), /no 'Requests\/sec:' line found/);
    assert.throws(() => parseWrkSummary(WRK_LATENCY.replace('99%    2.68ms', '99%    2.68xs'), 'w'), /^Error: w line 10: '2\.68xs' is not a wrk time/);
  });
});

describe('counters', () => {
  it('parseCounterValue reads a plain number, with thousands separators', () => {
    assert.equal(parseCounterValue('123\n'), 123);
    assert.equal(parseCounterValue(' 1,234,567 '), 1234567);
    assert.equal(parseCounterValue('42'), 42);
  });

  it('parseCounterValue reads a JSON field, nested with dots', () => {
    assert.equal(parseCounterValue('{"requests": 123, "ok": 120}', 'requests'), 123);
    assert.equal(parseCounterValue('{"stats":{"total":{"requests":"9,001"}}}', 'stats.total.requests'), 9001);
  });

  it('parseCounterValue says what it expected, and suggests field for a JSON object', () => {
    assert.throws(() => parseCounterValue('{"requests": 5}', undefined, 'http://x/count'), {
      message: 'http://x/count: expected a request count (a non-negative number), got "{\\"requests\\": 5}" (it is a JSON object: set counter.field to the name of the count, e.g. "requests")',
    });
    assert.throws(() => parseCounterValue('-3', undefined, 'f'), /f: expected a request count/);
    assert.throws(() => parseCounterValue('{"served": 5}', 'requests', 'u'), { message: 'u: field \'requests\' must be a non-negative number, got nothing in {"served": 5}' });
    assert.throws(() => parseCounterValue('<html>', 'requests', 'u'), /u: expected JSON with a numeric field 'requests', but it is not JSON/);
  });

  it('lastRegexCount takes the last match of the first group', () => {
    assert.equal(lastRegexCount('done 100\ndone 200\r\ndone 300 (of 1,000)\n', 'done (\\d+)'), 300);
    // A Locust-style table: the Aggregated line's request count.
    const locust = ' Type  Name  # reqs  # fails\n GET   /     1,500   0(0.00%)\n       Aggregated  12,345  3(0.02%)\n';
    assert.equal(lastRegexCount(locust, /Aggregated\s+([\d,]+)/), 12345);
    assert.equal(lastRegexCount('nothing here', 'done (\\d+)'), null);
    assert.equal(lastRegexCount('done 5 done x', 'done (\\S+)'), 5);
  });

  it('counterRegex refuses a regex without a capturing group or that does not compile', () => {
    assert.throws(() => counterRegex('done \\d+'), /has no capturing group: put one around the count/);
    assert.throws(() => counterRegex('done (\\d+'), /is not a valid regular expression/);
    assert.ok(counterRegex('(?<n>\\d+)').global);
  });
});
