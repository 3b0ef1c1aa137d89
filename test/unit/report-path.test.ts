// A run must not write its report over a baseline: neither over one of baseline.reports nor over the file
// store's baseline.path. runLeakgate refuses before anything starts (the command given would fail if run).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLeakgate } from '../../src/pipeline/run-leakgate.js';
import { silentLogger } from '../../src/core/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-report-path-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(config: string, env: NodeJS.ProcessEnv = {}) {
  const path = join(dir, 'leakgate.yml');
  writeFileSync(path, config);
  return runLeakgate({ configPath: path, cwd: dir, overrides: {}, overrideLabels: {}, logger: silentLogger, env });
}

const app = 'app:\n  command: [/nonexistent/app]\n  ready:\n    url: http://127.0.0.1:1/\n';

describe('report path against the baselines', () => {
  it("refuses a report equal to the file store's baseline.path, on a pull request too, naming both settings", async () => {
    const store = join(dir, 'store.json');
    writeFileSync(store, 'precious');
    await assert.rejects(
      run(`${app}report: store.json\nbaseline:\n  store: file\n  path: ${store}\n`, { GITHUB_EVENT_NAME: 'pull_request' }),
      (e: Error) => {
        assert.match(e.message, /'report' \(store\.json\) and 'baseline\.path' \(.*store\.json\) are the same file/);
        assert.match(e.message, /overwrite the file store's baselines/);
        return true;
      },
    );
    assert.equal(readFileSync(store, 'utf8'), 'precious');
  });

  it('still refuses a report equal to one of baseline.reports', async () => {
    await assert.rejects(run(`${app}report: base.json\nbaseline:\n  reports: [base.json]\n`), /must not be one of 'baseline\.reports'/);
  });
});
