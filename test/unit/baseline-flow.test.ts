// Pure pieces of the baseline loop and the GitHub outputs: when a run is saved, the baseline curve for the chart,
// pooling matrix reports (merge), the sticky PR comment's content, and which baseline a comparison names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSave, type SaveFacts } from '../../src/baseline/save-policy.js';
import { baselineCurve } from '../../src/baseline/baseline-curve.js';
import { chooseBaseline } from '../../src/baseline/store.js';
import { compareWithBaseline } from '../../src/compare/index.js';
import { firstDifference, mergeReports } from '../../src/pipeline/merge-reports.js';
import { renderComparisonText, renderPrComment, renderMarkdownSummary } from '../../src/report/index.js';
import { makeReport, MiB } from '../support/report-fixture.js';
import type { Report } from '../../src/core/types.js';

const push: SaveFacts = { event: 'push', branch: 'main', defaultBranch: 'main', saveOn: [], forced: false };

test('a completed push to the default branch is saved, a leak included', () => {
  assert.equal(decideSave(push, makeReport([{ verdict: 'no-leak', slope: 0 }])).save, true);
  assert.equal(decideSave(push, makeReport([{ verdict: 'leak', slope: 500 }])).save, true);
});

test('errors, inconclusive runs, pull requests and other branches are never saved', () => {
  const ok = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  const cases: Array<[string, SaveFacts, Report]> = [
    ['error', push, { ...ok, error: 'the app exited' }],
    ['inconclusive', push, makeReport([{ verdict: 'inconclusive', slope: 0 }])],
    ['pull request', { ...push, event: 'pull_request', forced: true }, ok],
    ['feature branch', { ...push, branch: 'feature/x' }, ok],
    ['schedule', { ...push, event: 'schedule' }, ok],
  ];
  for (const [what, facts, report] of cases) {
    const d = decideSave(facts, report);
    assert.equal(d.save, false, what);
    assert.match(d.reason, /^not saved/, what);
  }
});

test('save-on lists the branches that save; forced saves outside pull requests', () => {
  const ok = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  assert.equal(decideSave({ ...push, branch: 'release', saveOn: ['release'] }, ok).save, true);
  assert.equal(decideSave({ ...push, branch: 'main', saveOn: ['release'] }, ok).save, false);
  assert.equal(decideSave({ ...push, event: 'workflow_dispatch', forced: true }, ok).save, true);
});

test('the baseline curve follows the median trial and spans the shortest trial', () => {
  const report = makeReport([{ verdict: 'leak', slope: 100 }, { verdict: 'leak', slope: 300 }, { verdict: 'leak', slope: 200 }]);
  const curve = baselineCurve(report, 'anon', 10);
  assert.equal(curve.length, 10);
  const first = curve[0]!;
  const last = curve[curve.length - 1]!;
  assert.equal(first.requests, 0);
  // The median slope is 200 B/req; the sawtooth adds at most 192 KiB.
  const slope = (last.bytes - first.bytes) / (last.requests - first.requests);
  assert.ok(Math.abs(slope - 200) < 10, `slope ${slope}`);
});

test('merge pools the trials of reports of one config and refuses different configs', () => {
  const config = { name: 'api', load: { connections: 10 }, trials: 1, reportPath: 'a.json' };
  const a = makeReport([{ verdict: 'leak', slope: 200 }], { config });
  const b = makeReport([{ verdict: 'leak', slope: 220 }, { verdict: 'no-leak', slope: 0 }], { config: { ...config, trials: 2, reportPath: 'b.json' } });
  const merged = mergeReports([{ label: 'a.json', report: a }, { label: 'b.json', report: b }]);
  assert.equal(merged.trials.length, 3);
  assert.deepEqual(merged.trials.map((t) => t.index), [0, 1, 2]);
  assert.equal(merged.error, null);
  const other = makeReport([{ verdict: 'no-leak', slope: 0 }], { config: { ...config, load: { connections: 20 } } });
  assert.throws(() => mergeReports([{ label: 'a.json', report: a }, { label: 'c.json', report: other }]), /c\.json.*different config.*load\.connections: 10 vs 20/);
  const renamed = makeReport([{ verdict: 'no-leak', slope: 0 }], { config, name: 'web' });
  assert.throws(() => mergeReports([{ label: 'a.json', report: a }, { label: 'w.json', report: renamed }]), /config 'web'/);
  const failed = makeReport([{ verdict: 'no-leak', slope: 0 }], { config, error: 'never ready' });
  assert.match(mergeReports([{ label: 'a.json', report: a }, { label: 'f.json', report: failed }]).error ?? '', /f\.json: never ready/);
  assert.equal(firstDifference({ a: [1, 2] }, { a: [1, 2] }), null);
});

test('the PR comment leads with the verdict, carries the marker, escapes app text and links the run', () => {
  const report = makeReport([{ verdict: 'leak', slope: 178, reason: '@octocat | grows <b>' }], { name: 'api' });
  const body = renderPrComment(report, { marker: '<!-- leakgate:name=api -->', runUrl: 'https://github.com/o/r/actions/runs/1' });
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines[0], '<!-- leakgate:name=api -->');
  assert.match(lines[1]!, /^### ❌ .*Leak/);
  assert.ok(!body.includes('@octocat'), 'the mention is broken with a zero-width space');
  assert.ok(body.includes('@\u200boctocat'));
  assert.ok(!body.includes('<b>'), 'HTML from the app is escaped');
  assert.match(body, /\[Full report in the job summary\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)/);
  assert.match(body, /\| \*\*178 B\/req\*\* \|/);
});

test('the PR comment and the summary show the stored baseline and its curve', () => {
  const base = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  const head = makeReport([{ verdict: 'leak', slope: 178 }], {
    baseline: { store: 'branch', sha: 'abcdef1234567', branch: 'main', savedAt: '2026-11-24T00:00:00Z', why: 'merge-base abcdef1 of main', curve: baselineCurve(base, 'anon') },
    comparison: {
      slope: { head: 178, base: 0, effect: 178, effectCiLow: 160, effectCiHigh: 196, tolerance: 32, verdict: 'regression', test: 'interval', pValue: null, headTrials: 1, baseTrials: 1 },
      peak: { head: 60 * MiB, base: 40 * MiB, effect: 20 * MiB, effectCiLow: 20 * MiB, effectCiHigh: 20 * MiB, tolerance: 8 * MiB, verdict: 'regression', test: 'tolerance', pValue: null, headTrials: 1, baseTrials: 1 },
      differential: { diverged: false, atRequests: null, reason: 'not compared' },
      advisory: false,
      reason: '',
      environmentWarnings: [],
      baseline: { name: 'api-server', createdAt: '2026-11-24T00:00:00Z' },
    } as unknown as Report['comparison'],
  });
  const summary = renderMarkdownSummary(head);
  assert.match(summary, /main @ abcdef1, saved 2026-11-24T00:00:00Z from the branch store: merge-base abcdef1 of main/);
  assert.match(summary, /baseline abcdef1/, 'the chart legend names the baseline curve');
  const chart = summary.slice(summary.indexOf('xychart-beta'));
  assert.equal((chart.slice(0, chart.indexOf('```')).match(/^\s+line \[/gm) ?? []).length, 2, 'run and baseline lines');
  const comment = renderPrComment(head, { marker: '<!-- m -->' });
  assert.match(comment, /\| Bytes \/ request \| \*\*178 B\/req\*\* \| 0 B\/req \| \+178 B\/req \|/);
});

test('a baseline measured on another app runtime is flagged in the comparison', async () => {
  const { environmentDifferences } = await import('../../src/compare/compare-baseline.js');
  const base = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  base.environment = { ...base.environment, appRuntime: 'Python 3.11.7' };
  const head = { ...base.environment, appRuntime: 'Python 3.12.1' };
  assert.deepEqual(environmentDifferences(head, [base]), ['app runtime differs: head Python 3.12.1, baseline Python 3.11.7']);
  assert.deepEqual(environmentDifferences({ ...head, appRuntime: 'Python 3.11.7' }, [base]), []);
});

test('a merge-base baseline is compared without newer entries, and the heading names the same commit as the Baseline line', () => {
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
  const mergeBase = { report: makeReport([{ verdict: 'no-leak', slope: 0 }], { createdAt: at(1) }), sha: 'a'.repeat(40), branch: 'main', configName: 'api-server', savedAt: at(1) };
  // Newer commits of main that leak: pooled with the merge base they would drag the baseline up.
  const newer = [2, 3].map((m) => ({ report: makeReport([{ verdict: 'leak', slope: 900 }], { createdAt: at(m) }), sha: String(m).repeat(40), branch: 'main', configName: 'api-server', savedAt: at(m) }));
  const loaded = chooseBaseline([...newer, mergeBase], { configName: 'api-server', branch: 'main', mergeBase: 'a'.repeat(40) });
  assert.deepEqual(loaded.entries, [mergeBase]);
  const head = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  const comparison = compareWithBaseline(head.trials, loaded.entries.map((e) => e.report));
  assert.equal(comparison.baselineTrials, 1);
  assert.ok(Math.abs(comparison.slope.base) < 50, `baseline slope ${comparison.slope.base} is the merge base's, not the newer leaks'`);
  const report: Report = {
    ...head,
    comparison,
    baseline: { store: 'file', sha: mergeBase.sha, branch: 'main', savedAt: mergeBase.savedAt, why: loaded.why, curve: [] },
  };
  const md = renderMarkdownSummary(report);
  const heading = /#### Compared with the baseline \(([^)]*)\)/.exec(md)?.[1] ?? '';
  assert.match(heading, /^main @ aaaaaaa, saved 2025-01-01T00:01:00\.000Z$/);
  assert.match(md, /\*\*Baseline:\*\* main @ aaaaaaa, saved 2025-01-01T00:01:00\.000Z from the file store: merge-base aaaaaaa of main/);
  assert.doesNotMatch(md, /2222222|3333333|00:0[23]:00/);
});

test('an advisory regression check says so plainly in the summary and the terminal', () => {
  const head = makeReport([{ verdict: 'leak', slope: 900 }]);
  const comparison = compareWithBaseline(head.trials, [makeReport([{ verdict: 'no-leak', slope: 0 }])]);
  assert.equal(comparison.advisory, true);
  const report: Report = { ...head, comparison };
  const plain = 'regression check is advisory: the baseline has 1 trial(s), min-history is 3';
  assert.ok(renderMarkdownSummary(report).includes(`⚠️ **${plain}, so it cannot fail the gate`), renderMarkdownSummary(report));
  assert.ok(renderComparisonText(report).includes(`advisory        ${plain}`), renderComparisonText(report));
});

test('the file store saves only when asked, and never on a pull request even when asked', () => {
  const ok = makeReport([{ verdict: 'no-leak', slope: 0 }]);
  const unasked = decideSave({ ...push, onlyWhenAsked: true }, ok);
  assert.equal(unasked.save, false, 'a push to main alone does not write the file');
  assert.match(unasked.reason, /file store writes only when asked \(baseline\.save: true/);
  assert.equal(decideSave({ ...push, onlyWhenAsked: true, forced: true }, ok).save, true);
  const pr = decideSave({ ...push, event: 'pull_request', onlyWhenAsked: true, forced: true }, ok);
  assert.equal(pr.save, false);
  assert.match(pr.reason, /pull requests never write baselines/);
});
