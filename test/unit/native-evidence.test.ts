// The native evidence's pure logic: the native-leak gate on incomplete or missing evidence, massif's heap trend and
// heaptrack's unfingerprinted sites; site growth kept across vgdb checks; baselines of another fingerprint scheme;
// the stop grace under a tool; massif's snapshots placed on the load's requests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { baselineSitesOf, nativeLeakReasons, stopGraceMs } from '../../src/pipeline/gate.js';
import { fingerprintScheme } from '../../src/native/fingerprint.js';
import type { LeakSite } from '../../src/native/memcheck-types.js';
import { massifTrend, memcheckSites, requestsAt, siteGrowth } from '../../src/native/native-evidence.js';
import type { NativeEvidence } from '../../src/probes/evidence.js';
import { renderEvidenceMarkdown, renderEvidenceText } from '../../src/report/evidence.js';
import type { Report, TrialReport } from '../../src/core/types.js';

function config(native: unknown, extra: Record<string, unknown> = {}) {
  return loadConfig({
    file: { app: { command: ['./server'], ready: { url: 'http://127.0.0.1:3000/healthz' } }, native, 'fail-on': ['native-leak'], ...extra },
    fileLabel: 'leakgate.yml',
    baseDir: '/tmp',
    overrides: {},
    overrideLabels: {},
  });
}

function evidence(over: Partial<NativeEvidence> = {}): NativeEvidence {
  return { tool: 'memcheck', sites: [], definitelyLostBytes: 0, indirectlyLostBytes: 0, possiblyLostBytes: 0, stillReachableBytes: 0, ...over };
}

function trial(native: NativeEvidence | undefined, notes?: string[]): TrialReport {
  return { index: 0, evidence: { ...(native ? { native } : {}), ...(notes ? { notes } : {}) } } as unknown as TrialReport;
}

function site(fingerprint: string, bytes: number, kind: LeakSite['kind'] = 'still-reachable'): LeakSite {
  return { fingerprint, kind, label: `${kind} at ${fingerprint}`, bytes, blocks: 1, records: 1, topFrames: [], stack: [{ fn: fingerprint, file: 'server.c', line: 1 }] };
}

describe('nativeLeakReasons', () => {
  it('fails an incomplete memcheck report with the reason, though it lists no leak site', () => {
    const reasons = nativeLeakReasons(config('memcheck'), [trial(evidence({ incomplete: 'the XML /tmp/m.xml is truncated (the app was killed with SIGKILL)' }))]);
    assert.deepEqual(reasons, ["native-leak: memcheck's report is incomplete: the XML /tmp/m.xml is truncated (the app was killed with SIGKILL); the app must exit on SIGTERM"]);
  });

  it('fails a native trial whose probe left no evidence, quoting the probe notes', () => {
    const reasons = nativeLeakReasons(config('massif'), [trial(undefined, ['native-massif finish: massif output: no snapshots'])]);
    assert.deepEqual(reasons, ['native-leak: massif gave no evidence for trial 1: native-massif finish: massif output: no snapshots']);
  });

  it('passes a complete report without lost sites, and a plain run without native evidence', () => {
    assert.deepEqual(nativeLeakReasons(config('memcheck'), [trial(evidence({ sites: [{ fingerprint: 'a', kind: 'still-reachable', bytes: 900, blocks: 1, label: 'x', stack: [], status: 'no-baseline' }] }))]), []);
    assert.deepEqual(nativeLeakReasons(config(undefined, { 'fail-on': ['leak'] }), [trial(undefined)]), []);
  });

  it("fails massif's heap growing beyond analysis.min-bytes-per-request, not a flat one", () => {
    const growing = evidence({ tool: 'massif', heapTrend: { bytesPerRequest: 530, ciLow: 520, ciHigh: 540, points: 40 } });
    assert.match(nativeLeakReasons(config('massif'), [trial(growing)])[0] ?? '', /^native-leak: massif's heap grows 530 B\/req .*over 40 snapshots after warm-up/);
    const flat = evidence({ tool: 'massif', heapTrend: { bytesPerRequest: 3, ciLow: -2, ciHigh: 8, points: 40 } });
    assert.deepEqual(nativeLeakReasons(config('massif'), [trial(flat)]), []);
  });

  it("names each of heaptrack's unfingerprinted sites that scales with the load, not a fixed buffer", () => {
    const s = (label: string, bytes: number) => ({ fingerprint: '', kind: 'not-freed', bytes, blocks: 10, label, stack: [], status: 'no-baseline' as const });
    // 10,000 requests: 32 B/req (the default floor) is 320 KB; the stdio buffer (4 KiB) stays below it.
    const n = evidence({ tool: 'heaptrack', sites: [s('leak_request_buffer (server.c:43)', 5_120_000), s('cache_request (server.c:51)', 2_000_000), s('_IO_file_doallocate', 4096)] });
    const t = { ...trial(n), load: { requests: 10_000 } } as unknown as TrialReport;
    const reasons = nativeLeakReasons(config('heaptrack'), [t]);
    assert.equal(reasons.length, 2, reasons.join('\n'));
    assert.match(reasons[0]!, /leak_request_buffer/);
    assert.match(reasons[1]!, /cache_request/);
  });
});

describe('siteGrowth', () => {
  it('keeps the growth of a site the last check left out (it did not grow in the last short interval)', () => {
    const checks = [
      { requests: 100, sites: [site('cache', 1000), site('stdio', 1024)] },
      { requests: 600, sites: [site('cache', 6000)] },
      { requests: 610, sites: [site('other', 10)] },
    ];
    const g = siteGrowth(checks);
    assert.equal(g.get('cache')?.bytesIncrease, 5000);
    assert.equal(g.get('cache')?.bytesPerRequest, 5000 / 510);
    assert.equal(g.get('other')?.bytesIncrease, 10, 'a site new since the reference grew from 0');
    assert.equal(g.has('stdio'), false, 'listed only by the reference: no growth');
  });

  it('gives no growth from a single check', () => {
    assert.equal(siteGrowth([{ requests: 5, sites: [site('a', 10)] }]).size, 0);
  });

  it('puts bytes per request on the report sites, and a freed-at-exit site seen growing by vgdb', () => {
    const checks = [{ requests: 0, sites: [site('cache', 0)] }, { requests: 400, sites: [site('cache', 102_400), site('freed', 800)] }];
    const sites = memcheckSites([site('cache', 110_000)], checks, null);
    assert.deepEqual(sites.map((s) => [s.fingerprint, s.bytesIncrease, s.bytesPerRequest]), [['cache', 102_400, 256], ['freed', 800, 2]]);
  });
});

describe('baselineSitesOf', () => {
  const scheme = fingerprintScheme({ frames: 5, lines: true });
  const report = (s: string | undefined): Report =>
    ({ trials: [{ evidence: { native: evidence({ ...(s ? { scheme: s } : {}), sites: [{ fingerprint: 'f1', kind: 'definitely-lost', bytes: 8, blocks: 1, label: 'l', stack: [], status: 'no-baseline' }] }) } }] }) as unknown as Report;

  it('uses the sites of a baseline with the same scheme', () => {
    assert.deepEqual(baselineSitesOf([report(scheme)], scheme), { sites: [{ fingerprint: 'f1', kind: 'definitely-lost', label: 'l' }] });
  });

  it('treats a baseline of another scheme as none, and says why', () => {
    const other = fingerprintScheme({ frames: 3, lines: false });
    const r = baselineSitesOf([report(other)], scheme);
    assert.equal(r.sites, null);
    assert.match(r.note ?? '', /another scheme \(leakgate-memcheck-v1 frames=3 lines=no; this run: leakgate-memcheck-v1 frames=5 lines=yes\)/);
    assert.match(baselineSitesOf([report(undefined)], scheme).note ?? '', /none recorded/);
  });

  it('has no baseline sites without native evidence', () => {
    assert.deepEqual(baselineSitesOf([{ trials: [{}] } as unknown as Report], scheme), { sites: null });
  });
});

describe('stopGraceMs', () => {
  it('scales app.stop-grace by the slowdown under a tool, capped at 60 s, never below the grace', () => {
    assert.equal(stopGraceMs(config(undefined, { 'fail-on': ['leak'] })), 5000);
    assert.equal(stopGraceMs(config('memcheck')), 60_000);
    assert.equal(stopGraceMs(config('heaptrack')), 15_000);
    assert.equal(stopGraceMs(config({ tool: 'memcheck', slowdown: 1 })), 5000);
    const long = config('memcheck', { app: { command: ['./server'], ready: { url: 'http://127.0.0.1:3000/healthz' }, 'stop-grace': '90s' } });
    assert.equal(stopGraceMs(long), 90_000);
  });
});

describe('massifTrend', () => {
  const timeline = [{ t: 0, requests: 0 }, { t: 1000, requests: 100 }, { t: 10_000, requests: 1000 }];

  it('interpolates requests at a load time; none outside the load', () => {
    assert.equal(requestsAt(timeline, 500), 50);
    assert.equal(requestsAt(timeline, 5500), 550);
    assert.equal(requestsAt(timeline, -1), null);
    assert.equal(requestsAt(timeline, 10_001), null);
  });

  it('moves snapshots onto the load by the offset and takes the slope after warm-up', () => {
    // valgrind started 2 s before the load; the heap grows 512 B per request (5.12 B/ms) during it.
    const series = Array.from({ length: 30 }, (_, i) => {
      const t = i * 500;
      const loadT = Math.min(Math.max(t - 2000, 0), 10_000);
      return { t, bytes: 70_000 + 512 * (requestsAt(timeline, loadT) ?? 0) };
    });
    const r = massifTrend(series, timeline, { loadOffsetMs: 2000, warmupFraction: 0.2, confidence: 0.95 });
    assert.equal(r.series[0]!.requests, undefined, 'before the load');
    assert.equal(r.series[8]!.requests, 200, 'load time 2000 ms');
    assert.ok(r.trend, r.why);
    assert.equal(Math.round(r.trend.bytesPerRequest), 512);
    assert.equal(r.trend.points, 17, 'snapshots at load times 2000..10000 ms');
  });

  it('gives no slope, and why, when too few snapshots fall in the load', () => {
    const r = massifTrend([{ t: 0, bytes: 1 }, { t: 3000, bytes: 2 }, { t: 20_000, bytes: 3 }], timeline, { loadOffsetMs: 0, warmupFraction: 0.2, confidence: 0.95 });
    assert.equal(r.trend, undefined);
    assert.match(r.why ?? '', /massif took 1 snapshots in the load after warm-up \(of 3\); a slope needs 6 \(massif snapshots as the heap changes/);
  });
});

describe('native evidence rendering', () => {
  const report = (native: NativeEvidence): Report => ({ trials: [{ samples: [], evidence: { native } }] }) as unknown as Report;

  it("shows a site's growth per request, massif's heap slope and an incomplete report", () => {
    const md = renderEvidenceMarkdown(report(evidence({
      incomplete: 'the XML /tmp/m.xml is truncated',
      sites: [{ fingerprint: 'c', kind: 'still-reachable', bytes: 120_000, blocks: 400, bytesIncrease: 102_400, bytesPerRequest: 256, label: 'still-reachable at cache_request', stack: ['cache_request (server.c:51)'], status: 'no-baseline' }],
    })));
    assert.match(md, /grew 100(\.0)? KiB \(256 B\/req\) during the load/);
    assert.match(md, /Incomplete report:\*\* the XML \/tmp\/m\.xml is truncated\. The app must exit on SIGTERM/);
    const text = renderEvidenceText(report(evidence({ tool: 'massif', heapTrend: { bytesPerRequest: 520, ciLow: 518, ciHigh: 522, points: 70 } })));
    assert.match(text, /massif heap\s+520 B\/req after warm-up/);
  });

  it("shows heaptrack's bytes not freed at exit from its own field", () => {
    const md = renderEvidenceMarkdown(report(evidence({ tool: 'heaptrack', peakHeapBytes: 2 * 1024 * 1024, leakedBytes: 1024 * 1024 })));
    assert.match(md, /Peak heap 2(\.0)? MiB; not freed at exit 1(\.0)? MiB\./);
  });
});
