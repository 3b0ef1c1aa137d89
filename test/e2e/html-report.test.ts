// The HTML report end to end: a real run of the bundled CLI with --html, the same page rendered again from the
// saved JSON by `leakgate report --html`, and the page opened in headless Chromium, whose DOM must hold the chart
// of memory against requests (an SVG path with many points) and the verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXAMPLES, freePort, readJson, runCli, tempDir } from './helpers.js';
import { skipUnless } from '../support/tools.js';
import type { Report } from '../../src/core/types.js';

/** Chromium without network, sync, updates or a profile of its own; bounded in time. */
function chromium(args: string[], dir: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    'chromium',
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, ...args],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
  );
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('run --html writes a self-contained report that Chromium draws with its chart and verdict', { skip: skipUnless(['chromium']), timeout: 120_000 }, async () => {
  const dir = tempDir('leakgate-html-');
  const port = await freePort();
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  const r = await runCli([
    'run', '--name', 'html-e2e', '--command', `node ${join(EXAMPLES, 'node-leak', 'server.js')}`,
    '-e', `PORT=${port}`, '-e', 'LEAK_BYTES=2048', '--ready-url', `http://127.0.0.1:${port}/healthz`,
    '--duration', '6s', '--report', json, '--html', html, '--fail-on', 'none',
  ], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /html report: .*report\.html/);
  // The terminal shows the text chart of the trial before the summary.
  assert.match(r.stdout, /(anon|heap) memory vs requests served/);
  const report = readJson<Report>(json);
  const page = readFileSync(html, 'utf8');
  assert.doesNotMatch(page, /<script|<link |src="http|href="http/i, 'nothing to fetch or run');

  // `leakgate report` renders the same page from the saved JSON.
  const again = join(dir, 'again.html');
  const rr = await runCli(['report', '--html', again, json], { cwd: dir });
  assert.equal(rr.code, 0, rr.stderr);
  assert.equal(readFileSync(again, 'utf8'), page);

  const dom = chromium(['--dump-dom', pathToFileURL(html).href], dir);
  assert.equal(dom.code, 0, dom.stderr.slice(-2000));
  const run = /<path class="series run" d="([^"]+)"/.exec(dom.stdout);
  assert.ok(run, 'the chart of the run is in the DOM Chromium built');
  const points = run[1]!.split(/[ML]/).filter((s) => s.trim() !== '').length;
  // The chart draws the deciding signal: the sampled memory, or the heap readings when the heap after GC decides.
  const heapReadings = (report.trials[0]!.evidence?.runtime?.heapSeries ?? []).filter((h) => h.t >= 0).length;
  const samples = report.summary.metric === 'heap' ? heapReadings : report.trials[0]!.samples.filter((s) => s.t >= 0).length;
  assert.ok(points >= 8 && points >= samples * 0.9, `the path has ${points} points for ${samples} ${report.summary.metric} readings under load`);
  assert.match(dom.stdout, /<path class="series trend dashed"/);
  assert.match(dom.stdout, /<rect class="warmup"/);
  const verdictWords: Record<string, string> = { leak: 'leak', 'no-leak': 'no leak', inconclusive: 'inconclusive' };
  const section = /<section class="verdict[^"]*" id="verdict">([\s\S]*?)<\/section>/.exec(dom.stdout);
  assert.ok(section, 'the verdict section is in the DOM');
  assert.ok(section[1]!.includes(verdictWords[report.summary.verdict]!), `the verdict ${report.summary.verdict} is shown: ${section[1]}`);

});
