// Connection churn, aborted requests and WebSocket sessions: their config, the slope restated per connection and
// per message, and how the report words them (per session instead of per request).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRaw } from '../../src/config/config.js';
import { configErrorOf, loadTestConfig } from '../support/config.js';
import { DEFAULT_RECONNECT_EVERY } from '../../src/config/sections.js';
import { growthPerOf } from '../../src/load/growth-per.js';
import { renderMarkdownSummary } from '../../src/report/markdown.js';
import { renderTerminalSummary } from '../../src/report/terminal.js';
import type { LoadResult } from '../../src/core/types.js';
import { makeReport } from '../support/report-fixture.js';

const minimal = { app: { command: ['node', 'server.js'], ready: { url: 'http://127.0.0.1:3000/healthz' } } };
const load = loadTestConfig;
const errorOf = configErrorOf;

const accepted: { what: string; file: unknown; check: (c: ReturnType<typeof load>) => void }[] = [
  { what: 'churn on by default for autocannon', file: minimal, check: (c) => assert.equal(c.load.reconnectEvery, DEFAULT_RECONNECT_EVERY) },
  { what: 'reconnect-every 0 (keep-alive)', file: mergeRaw(minimal, { load: { 'reconnect-every': 0 } }), check: (c) => assert.equal(c.load.reconnectEvery, 0) },
  { what: 'an abort share with its defaults', file: mergeRaw(minimal, { load: { abort: { share: 0.1 } } }), check: (c) => assert.deepEqual(c.load.abort, { share: 0.1, afterMs: 5, from: 'response' }) },
  { what: 'an abort on a client timeout', file: mergeRaw(minimal, { load: { abort: { share: 0.05, after: '20ms', from: 'request' } } }), check: (c) => assert.deepEqual(c.load.abort, { share: 0.05, afterMs: 20, from: 'request' }) },
  {
    what: 'a websocket load',
    file: mergeRaw(minimal, { load: { tool: 'websocket', url: 'ws://127.0.0.1:3000/ws', messages: ['a', 2], 'per-session': 6, sessions: 4 } }),
    check: (c) => {
      assert.equal(c.load.url, 'ws://127.0.0.1:3000/ws');
      assert.deepEqual(c.load.websocket, { messages: ['a', '2'], perSession: 6, sessions: 4 });
      assert.equal(c.load.reconnectEvery, undefined);
    },
  },
  { what: 'a websocket load with its defaults', file: mergeRaw(minimal, { load: { tool: 'websocket', url: 'wss://example.test/ws' } }), check: (c) => assert.deepEqual(c.load.websocket, { messages: ['ping'], perSession: 1, sessions: 10 }) },
];
for (const row of accepted) test(`accepts ${row.what}`, () => row.check(load(row.file)));

const rejected: { what: string; file: unknown; mentions: string[] }[] = [
  { what: 'a negative reconnect-every', file: mergeRaw(minimal, { load: { 'reconnect-every': -1 } }), mentions: ["'load.reconnect-every'", "'-1'", 'whole number'] },
  { what: 'reconnect-every with k6', file: mergeRaw(minimal, { load: { tool: 'k6', script: 'a.js', 'reconnect-every': 10 } }), mentions: ["'load.reconnect-every'", "only used with 'load.tool: autocannon'"] },
  { what: 'an abort without a share', file: mergeRaw(minimal, { load: { abort: { after: '5ms' } } }), mentions: ["'load.abort.share'", 'required'] },
  { what: 'an abort share of 1', file: mergeRaw(minimal, { load: { abort: { share: 1 } } }), mentions: ["'load.abort.share'", "'1'"] },
  { what: 'an unknown abort key', file: mergeRaw(minimal, { load: { abort: { share: 0.1, when: 'now' } } }), mentions: ["'load.abort.when'"] },
  { what: 'an unknown abort origin', file: mergeRaw(minimal, { load: { abort: { share: 0.1, from: 'body' } } }), mentions: ["'load.abort.from'", 'response, request'] },
  { what: 'an http url for a websocket load', file: mergeRaw(minimal, { load: { tool: 'websocket', url: 'http://127.0.0.1:3000/' } }), mentions: ["'load.url'", 'ws://'] },
  { what: 'an empty message list', file: mergeRaw(minimal, { load: { tool: 'websocket', url: 'ws://127.0.0.1:3000/', messages: [] } }), mentions: ["'load.messages'", 'non-empty list'] },
  { what: 'messages with autocannon', file: mergeRaw(minimal, { load: { messages: ['a'] } }), mentions: ["'load.messages'", "only used with 'load.tool: websocket'"] },
  { what: 'zero sessions', file: mergeRaw(minimal, { load: { tool: 'websocket', url: 'ws://127.0.0.1:3000/', sessions: 0 } }), mentions: ["'load.sessions'"] },
];
for (const row of rejected) {
  test(`rejects ${row.what}`, () => {
    const message = errorOf(row.file);
    for (const m of row.mentions) assert.ok(message.includes(m), `message should mention ${m}:\n${message}`);
  });
}

const baseLoad: LoadResult = { tool: 'autocannon', requests: 10_000, ok: 10_000, non2xx: 0, errors: 0, timeouts: 0, durationMs: 10_000, throughput: 1000, latency: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 } };
const analysis = { bytesPerRequest: 328, ciLow: 300, ciHigh: 360, points: 30 };

test('growth per new connection is the slope times requests per connection, only when connections were reopened', () => {
  const per = growthPerOf(analysis, { ...baseLoad, connectionsOpened: 200, reconnectEvery: 50 });
  assert.deepEqual(per, { connection: { opened: 200, bytes: 16_400, ciLow: 15_000, ciHigh: 18_000 } });
  assert.equal(growthPerOf(analysis, { ...baseLoad, connectionsOpened: 10 }), undefined, 'keep-alive: 10 connections say nothing');
  assert.equal(growthPerOf({ ...analysis, points: 0 }, { ...baseLoad, connectionsOpened: 200, reconnectEvery: 50 }), undefined, 'no trend');
});

test('growth per message is the slope per session over messages per session', () => {
  const per = growthPerOf({ bytesPerRequest: 4096, ciLow: 4000, ciHigh: 4200, points: 30 }, { ...baseLoad, tool: 'websocket', unit: 'session', requests: 500, messages: 2000, connectionsOpened: 500 });
  assert.deepEqual(per, { message: { count: 2000, bytes: 1024, ciLow: 1000, ciHigh: 1050 } });
});

test('a WebSocket report reads per session and per message, in the terminal and the job summary', () => {
  const report = makeReport([{ verdict: 'leak', slope: 4096, reason: 'memory grows' }]);
  const trial = report.trials[0]!;
  trial.load = { ...trial.load, tool: 'websocket', unit: 'session', messages: trial.load.requests * 4, connectionsOpened: trial.load.requests };
  trial.growthPer = growthPerOf(trial.analysis, trial.load);
  const text = renderTerminalSummary(report, { color: false });
  assert.match(text, /bytes\/session\s+4,096 B\/session/);
  assert.match(text, /sessions\s+79,000\n/);
  assert.match(text, /growth\/message\s+1,024 B\/message/);
  assert.match(text, /throughput\s+4,000 sessions\/s/);
  assert.match(text, /growth\/1M sessions\s+3\.8 GiB/);
  assert.doesNotMatch(text.split('gate failed')[0]!, /\breq\b/);
  const md = renderMarkdownSummary(report);
  assert.match(md, /4,096 B\/session retained per session/);
  assert.match(md, /\| Bytes \/ session \| \*\*4,096 B\/session\*\* \|/);
  assert.match(md, /\| Growth \/ 1M sessions \|/);
});

test('a churned HTTP load shows connections opened, the growth per new connection and aborted requests', () => {
  const report = makeReport([{ verdict: 'leak', slope: 328 }]);
  const trial = report.trials[0]!;
  trial.load = { ...trial.load, connectionsOpened: 1580, reconnectEvery: 50, aborted: 790 };
  trial.growthPer = growthPerOf(trial.analysis, trial.load);
  const text = renderTerminalSummary(report, { color: false });
  assert.match(text, /connections opened\s+1,580 \(every 50 requests\)/);
  assert.match(text, /growth\/new conn\s+16,400 B\/connection if it follows connections/);
  assert.match(text, /aborted\s+790 \(1\.0% of requests\)/);
  assert.match(text, /bytes\/req\s+328 B\/req/);
  const md = renderMarkdownSummary(report);
  assert.match(md, /\| Connections opened \| 1,580 \(every 50 requests\) \|/);
  assert.match(md, /\| Aborted by the client \| 790 \(1\.0% of requests\) \|/);
});

test('a keep-alive report has no connection rows', () => {
  const text = renderTerminalSummary(makeReport([{ verdict: 'no-leak', slope: 0 }]), { color: false });
  assert.doesNotMatch(text, /connections opened|growth\/new conn|aborted/);
});
