// `leakgate history` (the bundled CLI) over a branch store in a real local git repository holding 30 saved runs:
// the job summary's Mermaid charts and table, and the static page opened in headless Chromium (the SVG chart drawn
// with 30 points, each linked to its commit; accepted growths and regressions marked), and --publish writing the
// pages onto the baselines branch.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBranchStore, entryPath } from '../../src/baseline/branch-store.js';
import type { StoredBaseline } from '../../src/baseline/store.js';
import type { Report } from '../../src/core/types.js';
import { makeReport } from '../support/report-fixture.js';
import { skipUnless } from '../support/tools.js';
import { CLI, runNode, tempDir } from './helpers.js';

const root = tempDir('leakgate-history-');
const home = join(root, 'home');
mkdirSync(home);
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_') && k !== 'GITHUB_REPOSITORY'));
Object.assign(env, { HOME: home, GIT_CONFIG_NOSYSTEM: '1' });
const origin = join(root, 'origin.git');
const out = join(root, 'pages');
const summary = join(root, 'summary.md');
const RUNS = 30;
const sha = (i: number): string => (i + 1).toString(16).padStart(2, '0').repeat(20);

function entry(i: number): StoredBaseline {
  const slope = 40 + (i >= 20 ? 200 : 0) + (i % 3) * 5;
  const report: Report = makeReport([{ verdict: 'no-leak', slope }], { name: 'api-server' });
  if (i === 20) {
    report.acceptance = { by: 'alice', at: '2024-01-20T00:00:00Z', reason: 'session cache', source: 'label', pr: 7, bytesPerRequest: slope, peakBytes: 1, maxBytesPerRequest: slope + 40, maxPeakBytes: 2, covered: true, acceptedReasons: ['regression: +200 B/req'] };
  }
  if (i === 25) report.comparison = { slope: { verdict: 'regression' }, peak: { verdict: 'no-regression' } } as unknown as Report['comparison'];
  return { report, sha: sha(i), branch: 'main', configName: 'api-server', savedAt: new Date(Date.UTC(2024, 0, 1, i)).toISOString(), runUrl: `https://github.com/octo/app/actions/runs/${1000 + i}` };
}

before(async () => {
  execFileSync('git', ['init', '-q', '--bare', origin], { env });
  const store = createBranchStore({ remote: origin, env });
  // 27 runs in one commit of the store's own files (entryPath, the JSON save writes), then 3 through save(): thirty
  // saves spawn ~330 git processes, too slow for the test budget on a loaded runner.
  const first = Array.from({ length: RUNS - 3 }, (_, i) => entry(i));
  await store.publish(first.map((e) => ({ path: entryPath(e), content: `${JSON.stringify(e, null, 2)}\n` })), 'seed');
  for (let i = RUNS - 3; i < RUNS; i++) await store.save(entry(i));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('history: the summary charts bytes/request with its interval and the peak per commit, rows linked and marked', async () => {
  const r = await runNode(CLI, ['history', '--name', 'api-server', '--remote', origin, '--base-branch', 'main', '--repo', 'octo/app', '--out', out, '--summary', summary, '--publish'], { cwd: root, env, limitMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(summary, 'utf8');
  const charts = [...md.matchAll(/```mermaid\nxychart-beta\n([\s\S]*?)```/g)].map((m) => m[1]!);
  assert.equal(charts.length, 2);
  const xAxis = /x-axis \[(.*)\]/.exec(charts[0]!)![1]!.split(', ');
  assert.equal(xAxis.length, RUNS);
  assert.equal(xAxis[0], `"${sha(0).slice(0, 7)}"`);
  const lines = [...charts[0]!.matchAll(/line \[(.*)\]/g)].map((m) => m[1]!.split(', ').map(Number));
  assert.equal(lines.length, 3, 'estimate, lower and upper bound');
  for (let i = 0; i < RUNS; i++) assert.ok(lines[1]![i]! <= lines[0]![i]! && lines[0]![i]! <= lines[2]![i]!);
  assert.ok(lines[0]![25]! > lines[0]![5]! + 150, 'the level after the accepted growth is drawn higher');
  assert.match(charts[1]!, /bar \[/);
  assert.match(md, new RegExp(`\\[\`${sha(29).slice(0, 7)}\`\\]\\(https://github.com/octo/app/commit/${sha(29)}\\)`));
  assert.match(md, /✅ accepted: session cache/);
  assert.match(md, /❌ regression/);
  assert.match(md, /\[run\]\(https:\/\/github.com\/octo\/app\/actions\/runs\/1029\)/);
  // --publish wrote the pages onto the baselines branch.
  const tree = execFileSync('git', ['-C', origin, 'ls-tree', '-r', '--name-only', 'leakgate-baselines', 'history/'], { env, encoding: 'utf8' });
  assert.deepEqual(tree.trim().split('\n').sort(), ['history/api-server.html', 'history/index.html']);
});

test('history: the page in headless Chromium draws 30 linked points', { skip: skipUnless(['chromium']) }, () => {
  const profile = join(root, 'chromium-profile');
  const dom = execFileSync(
    '/usr/bin/chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--dump-dom', `file://${join(out, 'api-server.html')}`],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const slope = /<svg id="slope"[\s\S]*?<\/svg>/.exec(dom)?.[0] ?? '';
  const links = [...slope.matchAll(/<a href="([^"]+)"[^>]*><circle class="point([^"]*)" data-sha="([0-9a-f]+)"/g)];
  assert.equal(links.length, RUNS, 'one linked point per run');
  for (const [, href, , pointSha] of links) assert.equal(href, `https://github.com/octo/app/commit/${pointSha}`);
  assert.match(slope, /<polygon class="interval"/);
  assert.equal(links.filter((l) => l[2]!.includes('accepted')).length, 1);
  assert.equal(links.filter((l) => l[2]!.includes('regression')).length, 1);
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(index, /<a href="api-server.html">api-server<\/a>/);
});
