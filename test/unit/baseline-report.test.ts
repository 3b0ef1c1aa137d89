import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBaselineReport } from '../../src/baseline/read-baseline-reports.js';
import { ConfigError } from '../../src/core/errors.js';

const rows: { what: string; text: string; message: RegExp }[] = [
  { what: 'not JSON', text: '{"schemaVersion": 1, "tool": ', message: /'base.json' is not valid JSON .*left untouched/ },
  { what: 'another tool', text: '{"schemaVersion": 1, "tool": {"name": "k6"}}', message: /is not a leakgate report/ },
  { what: 'a future schema', text: '{"schemaVersion": 2, "tool": {"name": "leakgate"}, "trials": []}', message: /schema version 2, this leakgate \(schema 1\) cannot compare/ },
  { what: 'trials without analyses', text: '{"schemaVersion": 1, "tool": {"name": "leakgate"}, "trials": [{"samples": []}]}', message: /truncated or corrupt/ },
];

for (const row of rows) {
  test(`a baseline that is ${row.what} is rejected with a clear message`, () => {
    assert.throws(() => parseBaselineReport(row.text, 'base.json'), (e: unknown) => e instanceof ConfigError && row.message.test(e.message));
  });
}

test('a well-formed baseline is accepted', () => {
  const r = parseBaselineReport('{"schemaVersion": 1, "tool": {"name": "leakgate"}, "trials": [{"samples": [], "analysis": {"bytesPerRequest": 3}}]}', 'b');
  assert.equal(r.trials.length, 1);
});
