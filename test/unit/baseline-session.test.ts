// The baseline session over a real file store: a push to the default branch does not write the file unless
// asked (baseline.save), so a run leaves no uncommitted change in the checkout; asked, it writes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBaselineSession } from '../../src/baseline/baseline-session.js';
import { loadConfig } from '../../src/config/config.js';
import { readEventContext } from '../../src/github/event-context.js';
import { silentLogger } from '../../src/core/logger.js';
import { makeReport } from '../support/report-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'leakgate-session-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pushToMain = readEventContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo/app', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'a'.repeat(40) },
  { ref: 'refs/heads/main', repository: { full_name: 'octo/app', default_branch: 'main' } },
);

function session(save: boolean) {
  const config = loadConfig({
    file: { name: 'api-server', app: { command: ['node', 'app.js'], ready: { url: 'http://127.0.0.1:1/' } }, baseline: { store: 'file', path: 'baselines.json', save } },
    fileLabel: 'leakgate.yml',
    baseDir: dir,
    overrides: {},
    overrideLabels: {},
  });
  return openBaselineSession({ config, context: pushToMain, cwd: dir, logger: silentLogger });
}

describe('file store session', () => {
  it('a push to the default branch does not write the file unless asked', async () => {
    const s = await session(false);
    const r = await s!.save(makeReport([{ verdict: 'no-leak', slope: 0 }], { name: 'api-server' }));
    assert.equal(r.saved, false);
    assert.match(r.reason, /file store writes only when asked/);
    assert.equal(existsSync(join(dir, 'baselines.json')), false);
  });

  it('with baseline.save: true it writes the entry of the pushed commit', async () => {
    const s = await session(true);
    const r = await s!.save(makeReport([{ verdict: 'no-leak', slope: 0 }], { name: 'api-server' }));
    assert.equal(r.saved, true, r.reason);
    const file = JSON.parse(readFileSync(join(dir, 'baselines.json'), 'utf8')) as { entries: Array<{ sha: string; branch: string }> };
    assert.deepEqual(file.entries.map((e) => [e.sha, e.branch]), [['a'.repeat(40), 'main']]);
  });
});
