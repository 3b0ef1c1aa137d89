// The drift step of a saved run over a real file store, and the history renderers: a creep of +20 B/req per commit
// that no comparison flagged is found on save, named, and fails under fail-on: drift; an accepted growth resets the
// reference; the summary and page link commits and runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBaselineSession } from '../../src/baseline/baseline-session.js';
import { createFileStore } from '../../src/baseline/file-store.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Report } from '../../src/core/types.js';
import { readEventContext } from '../../src/github/event-context.js';
import { checkDrift } from '../../src/pipeline/check-drift.js';
import { collectHistory, driftOfHistory } from '../../src/history/collect.js';
import { renderHistoryMarkdown } from '../../src/history/render-markdown.js';
import { renderHistoryHtml } from '../../src/history/render-html.js';
import { renderMarkdownSummary } from '../../src/report/markdown.js';
import { makeReport } from '../support/report-fixture.js';

const sha = (i: number): string => (i + 1).toString(16).padStart(2, '0').repeat(20);

/** A run whose slope is `slope` with a +-40 B/req interval. */
function run(slope: number, i: number): Report {
  const r = makeReport([{ verdict: 'no-leak', slope }], { name: 'api', createdAt: new Date(Date.UTC(2024, 0, 1, i)).toISOString() });
  r.summary = { ...r.summary, bytesPerRequest: slope, ciLow: slope - 40, ciHigh: slope + 40 };
  return r;
}

async function sessionWith(slopes: number[], failOn: string) {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-drift-'));
  const store = createFileStore({ path: 'baselines.json', cwd: dir });
  for (const [i, s] of slopes.entries()) {
    await store.save({ report: run(s, i), sha: sha(i), branch: 'main', configName: 'api', savedAt: run(s, i).createdAt });
  }
  const config = loadConfig({
    file: { name: 'api', app: { command: ['node', 's.js'], ready: { port: 3000 } }, load: { url: 'http://127.0.0.1:3000/' }, baseline: { store: 'file', path: 'baselines.json', save: true }, 'fail-on': failOn },
    fileLabel: 'leakgate.yml',
    baseDir: dir,
    overrides: {},
    overrideLabels: {},
  });
  const context = readEventContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha(slopes.length) }, { ref: 'refs/heads/main', repository: { full_name: 'octo/app', default_branch: 'main' } });
  const session = (await openBaselineSession({ config, context, cwd: dir, logger: silentLogger }))!;
  return { session, config, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const flat = [40, 45, 38, 42, 41, 39, 44, 40, 43, 37, 41, 42, 39, 40, 44];

test('a slow creep that no comparison flagged is found on save, named, and fails under fail-on: drift', async () => {
  const creep = [...flat, 60, 80, 100, 120];
  const { session, config, done } = await sessionWith(creep, 'leak,drift');
  try {
    const report = run(140, creep.length);
    await checkDrift(report, config, session, silentLogger);
    assert.equal(report.drift?.drift, true);
    assert.equal(report.drift?.points, creep.length + 1);
    assert.ok(report.drift!.shift > 50);
    // It began between the last flat commit and the first raised one (or within a commit of it).
    const first = creep.length - 4;
    assert.ok([sha(first - 1), sha(first), sha(first + 1)].includes(report.drift!.startSha!), report.drift!.startSha!);
    assert.equal(report.gate.failed, true);
    assert.match(report.gate.reasons.at(-1)!, /^drift: bytes\/request crept up by/);
    assert.match(renderMarkdownSummary(report), /Slow creep on the base branch/);
  } finally {
    done();
  }
});

test('unchanged code raises no drift; an accepted growth restarts the reference', async () => {
  const { session, config, done } = await sessionWith(flat, 'leak,drift');
  try {
    const report = run(42, flat.length);
    await checkDrift(report, config, session, silentLogger);
    assert.equal(report.drift?.drift, false);
    assert.equal(report.gate.failed, false);
  } finally {
    done();
  }
  const points = collectHistory(
    [...flat, 240, 250, 245, 238, 242].map((s, i) => {
      const r = run(s, i);
      if (i === flat.length) r.acceptance = { by: 'alice', at: r.createdAt, reason: 'cache', source: 'label', bytesPerRequest: 240, peakBytes: 1, maxBytesPerRequest: 300, maxPeakBytes: 2, covered: true, acceptedReasons: [] };
      return { report: r, sha: sha(i), branch: 'main', configName: 'api', savedAt: r.createdAt };
    }),
  );
  const drift = driftOfHistory(points, 3.75);
  assert.equal(drift.drift, false);
  assert.equal(drift.points, 5);
  assert.equal(driftOfHistory(points.map((p) => ({ ...p, acceptance: null })), 3.75).drift, true);
});

test('the history summary and page escape stored strings and link only real commits and https runs', () => {
  const r = run(40, 0);
  r.acceptance = { by: 'x', at: r.createdAt, reason: '<script>alert(1)</script> [x](javascript:1)', source: 'comment', bytesPerRequest: 1, peakBytes: 1, maxBytesPerRequest: 2, maxPeakBytes: 2, covered: true, acceptedReasons: [] };
  const points = collectHistory([
    { report: r, sha: sha(0), branch: 'main', configName: 'api', savedAt: r.createdAt, runUrl: 'javascript:alert(1)' },
    { report: run(41, 1), sha: 'not-a-sha', branch: 'main', configName: 'api', savedAt: run(41, 1).createdAt, runUrl: 'https://github.com/octo/app/actions/runs/9' },
  ]);
  const info = { configName: 'api', branch: 'main', repo: 'octo/app' };
  const html = renderHistoryHtml(points, info, '2024-01-02T00:00:00Z');
  assert.doesNotMatch(html, /<script>|href="javascript:/);
  assert.equal((html.match(/<circle class="point/g) ?? []).length, 4, 'two points in each of two charts');
  assert.equal((html.match(/href="https:\/\/github.com\/octo\/app\/commit\//g) ?? []).length, 3, 'the real commit, in both charts and the table');
  const md = renderHistoryMarkdown(points, info);
  assert.doesNotMatch(md, /(?<!\\)\]\(javascript:|<script>/);
  assert.match(md, /\[run\]\(https:\/\/github.com\/octo\/app\/actions\/runs\/9\)/);
});
