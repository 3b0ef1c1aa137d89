// Accepting a measured growth, the pure parts: applying it after the gate decided, the config entry (validation,
// expiry, forks), the comment command and the bounds record, and who counts as a writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyAcceptance, type Grant } from '../../src/accept/apply-acceptance.js';
import { configGrant } from '../../src/accept/config-acceptance.js';
import { parseAcceptCommand, parseAcceptRecord, renderAcceptRecord } from '../../src/accept/accept-command.js';
import { canWrite, labelCandidate } from '../../src/accept/find-acceptance.js';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/core/errors.js';

const tol = { bytesPerRequest: 32, peakBytes: 8 * 1024 * 1024 };
const failing = { failed: true, reasons: ['regression: slope 300 B/req vs 100 B/req', 'peak-regression: +20 MiB'] };
const grant: Grant = { by: 'alice', at: '2026-12-01T10:00:00Z', reason: 'new session cache', source: 'label', pr: 12 };

test('a first acceptance fixes its bounds from the run and turns growth reasons into accepted ones', () => {
  const { gate, acceptance } = applyAcceptance(failing, { bytesPerRequest: 300, ciHigh: 340, peakBytes: 100e6 }, grant, tol);
  assert.deepEqual(gate, { failed: false, reasons: [] });
  assert.equal(acceptance.covered, true);
  assert.equal(acceptance.maxBytesPerRequest, 340 + 32);
  assert.equal(acceptance.maxPeakBytes, 100e6 + tol.peakBytes);
  assert.deepEqual(acceptance.acceptedReasons, failing.reasons);
});

test('a later run above the accepted figures fails again, saying so; inconclusive is never accepted', () => {
  const bounds = { bytesPerRequest: 300, peakBytes: 100e6, maxBytesPerRequest: 372, maxPeakBytes: 108e6 };
  const worse = applyAcceptance(failing, { bytesPerRequest: 500, ciHigh: 540, peakBytes: 100e6 }, { ...grant, bounds }, tol);
  assert.equal(worse.gate.failed, true);
  assert.equal(worse.acceptance.covered, false);
  assert.match(worse.gate.reasons.at(-1)!, /does not cover this run.*@alice.*500 B\/req/);
  const mixed = applyAcceptance({ failed: true, reasons: ['inconclusive: too few requests', 'leak: grows'] }, { bytesPerRequest: 10, ciHigh: 20, peakBytes: 1 }, { ...grant, bounds }, tol);
  assert.deepEqual(mixed.gate, { failed: true, reasons: ['inconclusive: too few requests'] });
  assert.deepEqual(mixed.acceptance.acceptedReasons, ['leak: grows']);
});

test('the config entry applies through its expiry day, is ignored after it and in fork pull requests', () => {
  const entry = { maxBytesPerRequest: 400, reason: 'bigger pool', expires: '2026-12-31' };
  assert.equal(configGrant(entry, new Date('2026-12-31T23:00:00Z'), false).grant?.bounds?.maxBytesPerRequest, 400);
  const expired = configGrant(entry, new Date('2027-01-01T00:00:01Z'), false);
  assert.equal(expired.grant, null);
  assert.match(expired.warning!, /expired on 2026-12-31/);
  assert.match(configGrant(entry, new Date('2026-12-01T00:00:00Z'), true).warning!, /fork/);
});

function configError(accept: unknown): string {
  try {
    loadConfig({ file: { app: { command: ['node', 's.js'], ready: { port: 3000 } }, load: { url: 'http://127.0.0.1:3000/' }, accept }, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides: {}, overrideLabels: {} });
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
  return '';
}

test('config accept entries are validated with the key, the value and what is valid', () => {
  assert.match(configError({ 'bytes-per-request': 400, expires: '2027-01-31' }), /'accept.reason' in leakgate.yml is required/);
  assert.match(configError({ 'bytes-per-request': 400, reason: 'x' }), /'accept.expires' in leakgate.yml is required/);
  assert.match(configError({ 'bytes-per-request': 400, reason: 'x', expires: '2027-02-30' }), /'accept.expires'.*YYYY-MM-DD.*got '2027-02-30'/);
  assert.match(configError({ reason: 'x', expires: '2027-01-31' }), /needs 'bytes-per-request'.*or 'peak'/);
  assert.match(configError({ lable: 'x' }), /unknown setting 'accept.lable'; valid keys under 'accept': label/);
  assert.equal(configError({ peak: '300MiB', reason: 'x', expires: '2027-01-31' }), '');
});

test('the comment command needs a reason; the record round-trips and rejects junk', () => {
  assert.deepEqual(parseAcceptCommand('LGTM\n/leakgate accept the new LRU cache holds 10k entries'), { reason: 'the new LRU cache holds 10k entries' });
  assert.deepEqual(parseAcceptCommand('/leakgate accept'), { reason: '' });
  assert.equal(parseAcceptCommand('please /leakgate accept this'), null);
  const record = { key: 'label:alice:2026-12-01T10:00:00Z', bounds: { bytesPerRequest: 1, peakBytes: 2, maxBytesPerRequest: 3, maxPeakBytes: 4 } };
  assert.deepEqual(parseAcceptRecord(`x\n${renderAcceptRecord(record)}\n`), record);
  assert.equal(parseAcceptRecord('<!-- leakgate:accepted=%7B%22key%22%3A1%7D -->'), null);
});

test('write, maintain and admin may accept; triage and read may not; an unlabeled label is off', () => {
  assert.equal(canWrite({ permission: 'write', roleName: 'maintain' }), true);
  assert.equal(canWrite({ permission: 'admin', roleName: null }), true);
  assert.equal(canWrite({ permission: 'read', roleName: 'triage' }), false);
  const ev = (event: string, at: string) => ({ event, actor: { login: 'bob', type: 'User' }, created_at: at, label: 'leakgate-accept' });
  assert.deepEqual(labelCandidate([ev('labeled', 't1')], 'leakgate-accept'), { by: 'bob', at: 't1' });
  assert.equal(labelCandidate([ev('labeled', 't1'), ev('unlabeled', 't2')], 'leakgate-accept'), null);
});

test('the terminal summary names the acceptance and the reasons it accepted', async () => {
  const { renderTerminalSummary } = await import('../../src/report/terminal.js');
  const { makeReport } = await import('../support/report-fixture.js');
  const report = makeReport([{ verdict: 'leak', slope: 300 }]);
  const applied = applyAcceptance({ failed: true, reasons: ['leak: grows 300 B/req'] }, { bytesPerRequest: 300, ciHigh: 310, peakBytes: 1e6 }, grant, tol);
  report.gate = applied.gate;
  report.acceptance = applied.acceptance;
  const text = renderTerminalSummary(report, { color: false });
  assert.match(text, /gate passed\ngrowth accepted by @alice \(label on #12, 2026-12-01 10:00 UTC\): new session cache\n {2}- accepted: leak: grows 300 B\/req/);
});
