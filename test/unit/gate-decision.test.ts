import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideGate } from '../../src/pipeline/decide-gate.js';
import { getExitCode } from '../../src/cli/exit-code.js';
import type { Report, Summary, Verdict } from '../../src/core/types.js';

function summary(verdict: Verdict): Summary {
  return {
    verdict,
    reason: verdict === 'inconclusive' ? 'only 300 requests after warm-up' : 'x',
    metric: 'anon',
    bytesPerRequest: 512,
    ciLow: 500,
    ciHigh: 530,
    pValue: 0.00001,
    trialsLeaking: verdict === 'leak' ? 1 : 0,
    trialsConclusive: verdict === 'inconclusive' ? 0 : 1,
    requests: 1000,
    throughput: 100,
    startBytes: 1,
    peakBytes: 2,
    growthPerMillionRequests: 512e6,
    memoryLimitBytes: null,
    secondsToLimit: null,
  };
}

const rows: { verdict: Verdict; failOn: ('leak' | 'inconclusive' | 'none')[]; failed: boolean; mentions?: RegExp }[] = [
  { verdict: 'leak', failOn: ['leak', 'inconclusive'], failed: true, mentions: /leak: anon memory grows 512 bytes per request \(CI 500\.\.530, p < 0\.0001\)/ },
  { verdict: 'leak', failOn: ['none'], failed: false },
  { verdict: 'leak', failOn: ['inconclusive'], failed: false },
  { verdict: 'no-leak', failOn: ['leak', 'inconclusive'], failed: false },
  { verdict: 'inconclusive', failOn: ['leak', 'inconclusive'], failed: true, mentions: /inconclusive: only 300 requests after warm-up; run the load longer/ },
  { verdict: 'inconclusive', failOn: ['leak'], failed: false },
];

for (const row of rows) {
  test(`${row.verdict} with fail-on ${row.failOn.join(',')} ${row.failed ? 'fails' : 'passes'}`, () => {
    const d = decideGate(row.failOn, summary(row.verdict), null);
    assert.equal(d.failed, row.failed);
    assert.equal(d.reasons.length > 0, row.failed);
    if (row.mentions) assert.match(d.reasons[0]!, row.mentions);
  });
}

test('an app that could not be measured fails whatever fail-on says', () => {
  const d = decideGate(['none'], summary('no-leak'), 'the app exited during the load (exit code 3)\nlast lines');
  assert.equal(d.failed, true);
  assert.deepEqual(d.reasons, ['the app could not be measured: the app exited during the load (exit code 3)']);
});

test('exit codes: 0 pass, 1 gate failed, 2 no report or not measurable', () => {
  const base = { gate: { failed: false, reasons: [] }, error: null } as unknown as Report;
  assert.equal(getExitCode(base), 0);
  assert.equal(getExitCode({ ...base, gate: { failed: true, reasons: ['x'] } }), 1);
  assert.equal(getExitCode({ ...base, gate: { failed: true, reasons: ['x'] }, error: 'never ready' }), 2);
  assert.equal(getExitCode(undefined), 2);
});

test('a marginal leak is confirmed with more trials; a clear one is not', async () => {
  const { isMarginal } = await import('../../src/pipeline/gate.js');
  const config = { analysis: { minBytesPerRequest: 32 } } as unknown as Parameters<typeof isMarginal>[0];
  assert.equal(isMarginal(config, { ...summary('leak'), ciLow: 500 }, null), false);
  assert.equal(isMarginal(config, { ...summary('leak'), ciLow: 40 }, null), true, 'interval near the floor');
  assert.equal(isMarginal(config, { ...summary('leak'), trialsLeaking: 2, trialsConclusive: 3 }, null), true, 'split trials');
  assert.equal(isMarginal(config, summary('no-leak'), null), false);
});

test('a regression fails only when fail-on asks and the comparison is not advisory', () => {
  const regression = { verdict: 'regression', reason: 'slope 4,100 B/req vs 0 B/req' };
  const unchanged = { verdict: 'unchanged', reason: 'peak unchanged' };
  const comparison = (advisory: boolean) => ({ advisory, slope: regression, peak: unchanged }) as unknown as Parameters<typeof decideGate>[3];
  const failing = decideGate(['regression'], summary('no-leak'), null, comparison(false));
  assert.deepEqual(failing.reasons, ['regression: slope 4,100 B/req vs 0 B/req']);
  assert.equal(decideGate(['regression'], summary('no-leak'), null, comparison(true)).failed, false);
  assert.equal(decideGate(['leak'], summary('no-leak'), null, comparison(false)).failed, false);
  assert.equal(decideGate(['peak-regression'], summary('no-leak'), null, comparison(false)).failed, false);
});
