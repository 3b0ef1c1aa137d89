// The full-speed profilers end to end through the bundled CLI: the example C server losing 512 B per request under
// `native: jemalloc` and `native: tcmalloc` fails native-leak naming leak_request_buffer with bytes per request
// within 30% of the leak; the clean build passes; with the leaking run's report as baseline the site is known and
// the gate passes. The Go example (runtime: go) leaking into a map, and separately leaving goroutines blocked,
// fails on Go's heap signal with the site named; the clean server passes. The runs of each group go in parallel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, freePort, readJson, runCli, tempDir, writeConfig } from './helpers.js';
import { skipUnless } from '../support/tools.js';
import type { Report } from '../../src/core/types.js';

const LIB = '/usr/lib/x86_64-linux-gnu';
const skipJemalloc = skipUnless(['jeprof', 'make', 'gcc'], [{ name: 'libjemalloc.so.2', present: existsSync(join(LIB, 'libjemalloc.so.2')), install: 'apt-get install -y libjemalloc2' }]);
const skipTcmalloc = skipUnless(['google-pprof', 'make', 'gcc'], [{ name: 'libtcmalloc.so.4', present: existsSync(join(LIB, 'libtcmalloc.so.4')), install: 'apt-get install -y libgoogle-perftools4' }]);
const skipGo = skipUnless(['go', 'make']);
const LEAK = 512;

const work = tempDir('leakgate-heap-profilers-');
after(() => { if (!process.env.KEEP) rmSync(work, { recursive: true, force: true }); });

async function run(name: string, config: Record<string, unknown>): Promise<{ code: number | null; out: string; report: Report }> {
  const reportPath = join(work, `${name}.json`);
  const file = writeConfig(work, { name, report: reportPath, ...config }, `${name}.yml`);
  const r = await runCli(['run', '--config', file], { limitMs: 90_000 });
  assert.ok(existsSync(reportPath), `${name}: no report; ${r.stdout}${r.stderr}`);
  return { code: r.code, out: r.stdout + r.stderr, report: readJson<Report>(reportPath) };
}

async function cServer(name: string, tool: string, leakBytes: number, extra: Record<string, unknown> = {}) {
  const port = await freePort();
  return run(name, {
    native: { tool, 'dump-every': '256KiB' },
    app: { command: ['./server'], cwd: join(EXAMPLES, 'c-server'), env: { PORT: port, LEAK_BYTES: leakBytes }, ready: { url: `http://127.0.0.1:${port}/healthz`, timeout: '10s' } },
    load: { url: `http://127.0.0.1:${port}/`, duration: '5s', connections: 4 },
    'fail-on': ['native-leak'],
    ...extra,
  });
}

function leakSite(report: Report) {
  const sites = report.trials[0]!.evidence?.native?.sites ?? [];
  return sites.find((s) => s.stack[0]?.startsWith('leak_request_buffer'));
}

describe('native: jemalloc and tcmalloc on the C example', { concurrency: true }, () => {
  before(() => {
    if (!skipJemalloc || !skipTcmalloc) execFileSync('make', ['-s', '-C', join(EXAMPLES, 'c-server')], { stdio: 'ignore' });
  });

  it('jemalloc: the leak fails naming leak_request_buffer at 512 B/req within 30%; as a baseline the same site passes', { skip: skipJemalloc }, async () => {
    const leak = await cServer('je-leak', 'jemalloc', LEAK);
    assert.equal(leak.code, 1, leak.out);
    const site = leakSite(leak.report);
    assert.ok(site, JSON.stringify(leak.report.trials[0]!.evidence?.native));
    assert.equal(site.kind, 'growing');
    assert.ok(Math.abs(site.bytesPerRequest! - LEAK) <= 0.3 * LEAK, `${site.bytesPerRequest} B/req`);
    assert.ok(leak.report.gate.reasons.some((r) => r.includes('native-leak') && r.includes('leak_request_buffer')), leak.report.gate.reasons.join('\n'));
    assert.match(leak.report.trials[0]!.evidence!.native!.allocator!, /libjemalloc\.so\.2 preloaded/);

    const known = await cServer('je-known', 'jemalloc', LEAK, { baseline: { reports: [join(work, 'je-leak.json')] } });
    const again = leakSite(known.report);
    assert.equal(again?.status, 'known', JSON.stringify(known.report.trials[0]!.evidence?.native?.sites));
    assert.equal(again?.fingerprint, site.fingerprint);
    assert.equal(known.code, 0, known.report.gate.reasons.join('\n'));
  });

  it('tcmalloc: the leak fails naming leak_request_buffer at 512 B/req within 30%', { skip: skipTcmalloc }, async () => {
    const leak = await cServer('tc-leak', 'tcmalloc', LEAK);
    assert.equal(leak.code, 1, leak.out);
    const site = leakSite(leak.report);
    assert.ok(site, JSON.stringify(leak.report.trials[0]!.evidence?.native));
    assert.ok(Math.abs(site.bytesPerRequest! - LEAK) <= 0.3 * LEAK, `${site.bytesPerRequest} B/req`);
    assert.ok(leak.report.gate.reasons.some((r) => r.includes('leak_request_buffer')), leak.report.gate.reasons.join('\n'));
  });

  it('jemalloc: the clean build passes with no site growing per request', { skip: skipJemalloc }, async () => {
    const clean = await cServer('je-clean', 'jemalloc', 0);
    assert.equal(clean.code, 0, `${clean.report.gate.reasons.join('\n')}\n${clean.out}`);
    const native = clean.report.trials[0]!.evidence!.native!;
    assert.equal(native.incomplete, undefined);
    assert.ok(native.sites.every((s) => (s.bytesPerRequest ?? 0) < 32), JSON.stringify(native.sites));
  });
});

// One at a time: three Go servers and their loads side by side on two cores served ~120 req/s each (measured).
describe('runtime: go on the Go example', () => {
  before(() => {
    if (!skipGo) execFileSync('make', ['-s', '-C', join(EXAMPLES, 'go-server')], { stdio: 'ignore', env: { ...process.env, GOCACHE: join(work, 'go-cache') } });
  });

  // 8 s of load, for ~20 heap readings after warm-up on a loaded machine (a reading and its GC take
  // 250-400 ms there).
  async function goServer(name: string, leak: string) {
    const duration = '8s';
    const port = await freePort();
    return run(name, {
      runtime: { kind: 'go', interval: '0.25s' },
      app: { command: ['./server'], cwd: join(EXAMPLES, 'go-server'), env: { PORT: port, LEAK: leak }, ready: { url: `http://127.0.0.1:${port}/healthz`, timeout: '10s' } },
      load: { url: `http://127.0.0.1:${port}/`, duration, connections: 4 },
      // The default min-points (12): with fewer, the analysis pools readings three to a window, and ~8 windows of a
      // steady climb do not reach significance once Mann-Kendall is corrected for autocorrelation.
      analysis: { metric: 'heap', 'min-requests': 200, warmup: 0.1 },
      'fail-on': ['leak'],
    });
  }

  it('a map entry kept per request fails on the Go heap, naming main.rememberRequest', { skip: skipGo }, async () => {
    const r = await goServer('go-map', 'map');
    assert.equal(r.code, 1, r.out);
    assert.equal(r.report.trials[0]!.analysis.metric, 'heap');
    assert.equal(r.report.trials[0]!.analysis.verdict, 'leak');
    const runtime = r.report.trials[0]!.evidence!.runtime!;
    assert.equal(runtime.kind, 'go');
    assert.ok(runtime.growing.some((g) => g.name.includes('main.rememberRequest')), JSON.stringify(runtime.growing.map((g) => g.name)));
  });

  it('a goroutine blocked per request fails, naming main.waitForever.func1 and counting the goroutines', { skip: skipGo }, async () => {
    const r = await goServer('go-goroutine', 'goroutine');
    assert.equal(r.code, 1, r.out);
    assert.equal(r.report.trials[0]!.analysis.verdict, 'leak');
    const runtime = r.report.trials[0]!.evidence!.runtime!;
    assert.match(runtime.growing[0]!.name, /^goroutines at main\.waitForever\.func1/);
    assert.ok(Math.abs(runtime.goroutinesPerRequest! - 1) < 0.1, `${runtime.goroutinesPerRequest} goroutines/req`);
  });

  it('the clean server passes', { skip: skipGo }, async () => {
    const r = await goServer('go-clean', '');
    assert.equal(r.code, 0, `${r.report.gate.reasons.join('\n')}\n${r.out}`);
    assert.equal(r.report.trials[0]!.analysis.verdict, 'no-leak', r.report.trials[0]!.analysis.reason);
    assert.ok(r.report.trials[0]!.evidence!.runtime!.heapSeries!.length >= 6);
  });
});
