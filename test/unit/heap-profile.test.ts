// The heap-profile parsers and the site diff on real profiles (test/fixtures/native/), recorded from the example
// servers: the C server losing 512 B per request under LD_PRELOAD=libjemalloc.so.2 (prof:true, lg_prof_sample:12;
// 12,292 requests between the two dumps) and libtcmalloc.so.4 (HEAPPROFILE; 6,133 requests between), with
// `jeprof --raw` / `google-pprof --raw` of each; the Go server's /debug/pprof/heap?gc=1&debug=1 with LEAK=map
// (8,992 requests between) and /debug/pprof/goroutine?debug=1 with LEAK=goroutine. Also truncated and empty input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  growingSites, heapProfileScheme, parseGoroutineProfile, parseJemallocHeap, parsePprofHeap, parsePprofSymbols, symbolize, unsample, type HeapProfile,
} from '../../src/native/heap-profile.js';
import { heapProfilerEnv, jemallocLinkage, requireHeapProfiler } from '../../src/native/heap-profiler.js';
import { datedDumps, pickDumps } from '../../src/probes/heap-profile-probe.js';
import { goInUseBytes, growingGoroutines } from '../../src/probes/go-probe.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'native');
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function diff(first: HeapProfile, last: HeapProfile, rawFiles: string[], requests: number) {
  const symbols = new Map<string, string[]>();
  for (const f of rawFiles) for (const [k, v] of parsePprofSymbols(read(f))) symbols.set(k, v);
  const frames = (p: HeapProfile) => p.stacks.map((s) => ({ frames: symbolize(s, symbols, p.mappings), objects: s.inuseObjects, bytes: s.inuseBytes }));
  return growingSites({ first: frames(first), last: frames(last), requests, kind: 'growing' });
}

test('unsample: the Poisson correction of a sampled stack (jeprof AdjustSamples, heap_v2)', () => {
  // One sampled 512-byte object at a 4096-byte period stands for 1 / (1 - exp(-1/8)) = 8.51 objects.
  const u = unsample(1, 512, 4096);
  assert.ok(Math.abs(u.objects - 1 / (1 - Math.exp(-0.125))) < 1e-9);
  assert.ok(Math.abs(u.bytes - 512 * u.objects) < 1e-6);
  assert.deepEqual(unsample(3, 300, 0), { objects: 3, bytes: 300 });
});

test('jemalloc: the leaking function grows 512 B per request within 30%, named through jeprof --raw', () => {
  const first = parseJemallocHeap(read('jemalloc-first.heap'), 'first');
  const last = parseJemallocHeap(read('jemalloc-last.heap'), 'last');
  assert.equal(first.format, 'jemalloc');
  assert.equal(first.samplePeriod, 4096);
  assert.ok(first.mappings.some((m) => m.path.endsWith('/server')));
  assert.ok(last.inuseBytes > first.inuseBytes);
  const sites = diff(first, last, ['jemalloc-first.raw.txt', 'jemalloc-last.raw.txt'], 13852 - 1560);
  const top = sites[0]!;
  assert.equal(top.stack[0]!.fn, 'leak_request_buffer');
  assert.match(top.label, /^growing at leak_request_buffer \(in server\) <- handle_requests/);
  assert.ok(Math.abs(top.bytesPerRequest! - 512) < 0.3 * 512, `${top.bytesPerRequest} B/req`);
  // No allocator frame (jemalloc's own library, malloc) is left at the top of the site.
  assert.ok(!top.stack.some((f) => f.fn === 'malloc' || f.obj?.includes('libjemalloc')));
});

test('gperftools: the leaking function grows 512 B per request within 30%', () => {
  const first = parsePprofHeap(read('tcmalloc-first.heap'), 'first');
  const last = parsePprofHeap(read('tcmalloc-last.heap'), 'last');
  assert.equal(first.format, 'gperftools');
  assert.equal(first.samplePeriod, 0);
  const sites = diff(first, last, ['tcmalloc-first.raw.txt', 'tcmalloc-last.raw.txt'], 7893 - 1760);
  assert.equal(sites[0]!.stack[0]!.fn, 'leak_request_buffer');
  assert.ok(Math.abs(sites[0]!.bytesPerRequest! - 512) < 0.3 * 512, `${sites[0]!.bytesPerRequest} B/req`);
});

test('the same site has the same fingerprint under jemalloc and tcmalloc (one scheme)', () => {
  const je = diff(parseJemallocHeap(read('jemalloc-first.heap')), parseJemallocHeap(read('jemalloc-last.heap')), ['jemalloc-first.raw.txt', 'jemalloc-last.raw.txt'], 1);
  const tc = diff(parsePprofHeap(read('tcmalloc-first.heap')), parsePprofHeap(read('tcmalloc-last.heap')), ['tcmalloc-first.raw.txt', 'tcmalloc-last.raw.txt'], 1);
  assert.equal(je[0]!.fingerprint, tc[0]!.fingerprint);
  assert.equal(heapProfileScheme({ frames: 5, lines: true }), 'leakgate-heap-profile-v1 frames=5 lines=yes');
});

test('Go heap (debug=1): MemStats read, frames named, the map-growing function found', () => {
  const first = parsePprofHeap(read('go-heap-first.txt'), 'first');
  const last = parsePprofHeap(read('go-heap-last.txt'), 'last');
  assert.equal(first.format, 'go');
  assert.equal(first.samplePeriod, 512 * 1024);
  assert.ok(last.memStats!.HeapAlloc! > first.memStats!.HeapAlloc!);
  assert.ok(last.memStats!.StackInuse! > 0, 'the "Stack = a / b" line gives StackInuse');
  assert.equal(goInUseBytes(last), last.memStats!.HeapAlloc! + last.memStats!.StackInuse!);
  const stack = (p: HeapProfile) => p.stacks.map((s) => ({ frames: s.frames, objects: s.inuseObjects, bytes: s.inuseBytes }));
  const sites = growingSites({ first: stack(first), last: stack(last), requests: 8992, kind: 'growing' });
  const named = sites.filter((s) => s.stack[0]?.fn === 'main.rememberRequest');
  assert.ok(named.length > 0, sites.map((s) => s.label).join('\n'));
  assert.match(named[0]!.label, /main\.rememberRequest \(main\.go:\d+\)/);
  // The heap after GC grew by about the leak: 512 B of payload plus the map's own entries per request.
  const perRequest = (last.memStats!.HeapAlloc! - first.memStats!.HeapAlloc!) / 8992;
  assert.ok(perRequest > 400 && perRequest < 1500, `${perRequest} B/req`);
});

test('Go goroutines (debug=1): the total and the stack where the leaked goroutines wait', () => {
  const first = parseGoroutineProfile(read('go-goroutine-first.txt'), 'first');
  const last = parseGoroutineProfile(read('go-goroutine-last.txt'), 'last');
  assert.ok(last.total - first.total > 1000);
  const grown = growingGoroutines(first, last);
  assert.match(grown[0]!.label, /^goroutines at main\.waitForever\.func1 \(main\.go:\d+\)$/);
  assert.ok(grown[0]!.to - grown[0]!.from > 1000);
});

test('truncated and empty profiles give clear errors', () => {
  const je = read('jemalloc-last.heap');
  const cut = (text: string, at: string) => text.slice(0, text.indexOf(at));
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['empty jemalloc', () => parseJemallocHeap('', 'p.heap'), /^p\.heap is empty: no heap profile header/],
    ['empty pprof', () => parsePprofHeap('\n', 'h.heap'), /^h\.heap is empty/],
    ['empty goroutine', () => parseGoroutineProfile('', 'g'), /^g is empty/],
    ['jemalloc without maps', () => parseJemallocHeap(cut(je, 'MAPPED_LIBRARIES'), 'p.heap'), /^p\.heap is truncated: no MAPPED_LIBRARIES section/],
    ['jemalloc header only', () => parseJemallocHeap('heap_v2/4096\n', 'p.heap'), /^p\.heap is truncated: it ends after the header/],
    ['gperftools without maps', () => parsePprofHeap(cut(read('tcmalloc-last.heap'), 'MAPPED_LIBRARIES'), 'h.heap'), /^h\.heap is truncated: no MAPPED_LIBRARIES section/],
    ['gperftools cut mid-record', () => parsePprofHeap(read('tcmalloc-last.heap').slice(0, 120), 'h.heap'), /^h\.heap is truncated: no MAPPED_LIBRARIES section/],
    ['Go without MemStats', () => parsePprofHeap(cut(read('go-heap-last.txt'), '# runtime.MemStats'), 'go'), /^go is truncated: no '# runtime\.MemStats' block/],
    ['Go MemStats cut', () => parsePprofHeap(cut(read('go-heap-last.txt'), '# NumGC'), 'go'), /^go is truncated: its runtime\.MemStats block stops before '# NumGC'/],
    ['goroutines cut', () => parseGoroutineProfile(read('go-goroutine-last.txt').slice(0, 60), 'g'), /^g is truncated: its records hold \d+ goroutines of the \d+ in its header/],
    ['not a profile', () => parseJemallocHeap('hello\n', 'x'), /^x line 1: expected jemalloc's header 'heap_v2\/<sample period>', got 'hello'/],
    ['raw without symbols', () => parsePprofSymbols('--- profile\n', 'raw'), /^raw: no '--- symbol' section/],
  ];
  for (const [what, fn, message] of cases) assert.throws(fn, { message }, what);
});

test('dumps are dated by the request counts read during the load; the pair is the first after warm-up and the last during it', () => {
  const timeline = [{ t: 1000, requests: 0 }, { t: 2000, requests: 1000 }, { t: 3000, requests: 3000 }];
  const dumps = [
    { file: 'a', seq: 0, mtimeMs: 900 },
    { file: 'b', seq: 1, mtimeMs: 1500 },
    { file: 'c', seq: 2, mtimeMs: 2500 },
    { file: 'd', seq: 3, mtimeMs: 2900 },
    { file: 'e', seq: 4, mtimeMs: 3500 },
  ];
  const dated = datedDumps(dumps, timeline);
  assert.deepEqual(dated.map((d) => d.requests), [0, 500, 2000, 2800, 3000]);
  assert.deepEqual(dated.map((d) => d.after), [false, false, false, false, true]);
  const pair = pickDumps(dated, 1400);
  assert.ok(!('why' in pair));
  assert.deepEqual([pair.first.file, pair.last.file, pair.note], ['b', 'd', undefined]);
  // Only the exit dump after the first: it is the last.
  const two = pickDumps([dated[1]!, dated[4]!], 1400);
  assert.ok(!('why' in two) && two.last.file === 'e');
  // One dump after warm-up: the diff starts from the last one before, and says so.
  const one = pickDumps([dated[0]!, dated[4]!], 1400);
  assert.ok(!('why' in one) && one.first.file === 'a' && one.last.file === 'e' && /written before warm-up ended \(at 0 requests\)/.test(one.note!));
  const none = pickDumps([dated[4]!], 1400);
  assert.ok('why' in none && /1 heap profile\(s\) in all/.test(none.why));
});

test('the profiler environment: jemalloc MALLOC_CONF with dumps every 2^N bytes, tcmalloc HEAPPROFILE intervals', () => {
  const je = heapProfilerEnv('jemalloc', { outDir: '/o', dumpEveryBytes: 4 * 1024 * 1024, library: '/lib/libjemalloc.so.2', ldPreload: '/x.so' });
  assert.equal(je.LD_PRELOAD, '/lib/libjemalloc.so.2:/x.so');
  assert.equal(je.MALLOC_CONF, 'prof:true,prof_active:true,lg_prof_sample:12,prof_prefix:/o/jeprof,lg_prof_interval:22,prof_final:true');
  const own = heapProfilerEnv('jemalloc', { outDir: '/o', dumpEveryBytes: 1 << 20, library: null });
  assert.equal(own.LD_PRELOAD, undefined);
  const tc = heapProfilerEnv('tcmalloc', { outDir: '/o', dumpEveryBytes: 1 << 20, library: '/lib/libtcmalloc.so.4' });
  assert.deepEqual(tc, { LD_PRELOAD: '/lib/libtcmalloc.so.4', HEAPPROFILE: '/o/hprof', HEAP_PROFILE_ALLOCATION_INTERVAL: '1048576', HEAP_PROFILE_INUSE_INTERVAL: '1048576' });
  assert.equal(jemallocLinkage(Buffer.from('\0libjemalloc.so.2\0')), 'dynamic');
  assert.equal(jemallocLinkage(Buffer.from('\0mallctl\0opt.prof_prefix\0')), 'static');
  assert.equal(jemallocLinkage(Buffer.from('\0malloc\0')), 'none');
});

test('a missing library or symbolizer names the apt package to install', () => {
  assert.throws(() => requireHeapProfiler('jemalloc', false, { PATH: '/nonexistent' }), {
    message: "native: jemalloc needs 'jeprof' on PATH to name the sites in its profiles; install it with: sudo apt-get install -y libjemalloc-dev (Debian/Ubuntu)",
  });
  assert.throws(() => requireHeapProfiler('tcmalloc', false, { PATH: '/nonexistent' }), { message: /needs 'google-pprof' on PATH .* apt-get install -y google-perftools/ });
  // The symbolizer found (a directory holding an executable of that name), the library not.
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-hp-'));
  try {
    writeFileSync(join(dir, 'jeprof'), '#!/bin/sh\n', { mode: 0o755 });
    assert.throws(() => requireHeapProfiler('jemalloc', false, { PATH: dir }, ['/nonexistent/lib']), {
      message: 'native: jemalloc needs libjemalloc.so.2 (looked in /nonexistent/lib); install it with: sudo apt-get install -y libjemalloc2 (Debian/Ubuntu)',
    });
    // The app's own jemalloc needs no library.
    assert.deepEqual(requireHeapProfiler('jemalloc', true, { PATH: dir }, ['/nonexistent/lib']), { tool: 'jemalloc', library: null, symbolizer: join(dir, 'jeprof') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
