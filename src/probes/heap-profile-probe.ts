// native: jemalloc | tcmalloc. The app runs at full speed with the allocator's heap profiler on (preloaded, or the
// app's own jemalloc when it links one); the profiler dumps every native.dump-every bytes allocated and at exit.
// During the load the request count is read every 100 ms against the wall clock, so each dump's file time gives the
// requests served when it was written. After the app exits, the first dump after warm-up and the last one taken
// during the load (else the exit dump) are symbolized with jeprof/google-pprof --raw, and the sites whose in-use
// bytes grew between them are reported with bytes per request, fingerprinted and marked new/known/fixed.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { NativeConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { describeFrame } from '../native/fingerprint.js';
import {
  growingSites, heapProfileScheme, parseJemallocHeap, parsePprofHeap, parsePprofSymbols, symbolize, type HeapProfile,
} from '../native/heap-profile.js';
import {
  heapProfilerEnv, jemallocLinkage, listHeapDumps, rawSymbols, requireHeapProfiler, type HeapDump, type HeapProfilerTool,
} from '../native/heap-profiler.js';
import type { LeakSiteRef } from '../native/memcheck-types.js';
import { requestsAt } from '../native/native-evidence.js';
import { findExecutable } from '../process/find-executable.js';
import { argvOf } from './cgroup-probe.js';
import type { NativeEvidence } from './evidence.js';
import type { TrialProbe } from './probe.js';

export interface HeapProfileProbeOptions {
  tool: HeapProfilerTool;
  native: NativeConfig;
  /** Directory a relative native.binary is resolved against (the config file's). */
  baseDir: string;
  baselineSites: LeakSiteRef[] | null;
  baselineNote?: string;
  logger: Logger;
}

/** How often the request count is read during the load, to date the dumps. */
const TIMELINE_INTERVAL_MS = 100;
/** Growing sites kept in the evidence. */
const TOP_SITES = 10;

/** The dumps placed on the load: requests served when each was written (0 before the load started). */
export function datedDumps(dumps: readonly HeapDump[], timeline: ReadonlyArray<{ t: number; requests: number }>): Array<HeapDump & { requests: number; after: boolean }> {
  const start = timeline[0]?.t ?? Infinity;
  const end = timeline.at(-1)?.t ?? -Infinity;
  return dumps.map((d) => {
    if (d.mtimeMs < start) return { ...d, requests: 0, after: false };
    if (d.mtimeMs > end) return { ...d, requests: timeline.at(-1)!.requests, after: true };
    return { ...d, requests: Math.round(requestsAt(timeline, d.mtimeMs) ?? 0), after: false };
  });
}

/**
 * The pair to diff: the first dump after warm-up, and the last one written during the load (an app may free what it
 * holds at exit), or the exit dump when no later dump came during the load. With fewer than two dumps after
 * warm-up, the last dump before warm-up ended is the first (start-up allocations then count too, with a note);
 * with fewer than two dumps at all there is no pair, and why.
 */
export function pickDumps<T extends { mtimeMs: number; requests: number; after: boolean }>(dated: readonly T[], warmupEndMs: number): { first: T; last: T; note?: string } | { why: string } {
  const candidates = dated.filter((d) => d.mtimeMs >= warmupEndMs);
  const first = candidates[0];
  const later = candidates.slice(1);
  const last = later.filter((d) => !d.after).at(-1) ?? later.at(-1);
  if (first && last) return { first, last };
  const before = dated.filter((d) => d.mtimeMs < warmupEndMs).at(-1);
  const end = first ?? dated.at(-1);
  if (before && end && end !== before) {
    return { first: before, last: end, note: `fewer than two heap profiles after warm-up, so the diff starts from one written before warm-up ended (at ${before.requests} requests): growth during warm-up counts too; lower native.dump-every for more profiles` };
  }
  return { why: `${dated.length} heap profile(s) in all: the app allocated less than native.dump-every during the load, so there is nothing to diff; lower native.dump-every` };
}

export function createHeapProfileProbe(opts: HeapProfileProbeOptions): TrialProbe {
  const { tool, native } = opts;
  const fp = { frames: native.frames, lines: native.lines };
  let outDir = '';
  let binary = '';
  let symbolizer = '';
  let allocator = '';
  const timeline: Array<{ t: number; requests: number }> = [];
  let timer: NodeJS.Timeout | undefined;
  let requestsNow: (() => number) | null = null;
  let warmupEndMs = 0;

  return {
    name: `native-${tool}`,
    prepare(spec, ctx) {
      outDir = ctx.outDir;
      const argv = argvOf(spec);
      binary = programPath(native.binary ?? argv[0]!, native.binary ? opts.baseDir : spec.cwd);
      let linkage: ReturnType<typeof jemallocLinkage> = 'none';
      if (tool === 'jemalloc') {
        try {
          linkage = jemallocLinkage(readFileSync(binary));
        } catch (e) {
          throw new Error(`native: cannot read the app's binary ${binary} (set native.binary to the executable whose symbols name the sites): ${(e as Error).message}`);
        }
      }
      const paths = requireHeapProfiler(tool, linkage !== 'none');
      symbolizer = paths.symbolizer;
      allocator = paths.library ? `${paths.library} preloaded` : `the app's own jemalloc (${linkage === 'dynamic' ? 'linked against libjemalloc' : 'compiled in'}), configured through MALLOC_CONF`;
      const existing = spec.env.LD_PRELOAD ?? process.env.LD_PRELOAD;
      const env = heapProfilerEnv(tool, { outDir, dumpEveryBytes: native.dumpEveryBytes, library: paths.library, ...(existing ? { ldPreload: existing } : {}) });
      return { ...spec, env: { ...spec.env, ...env } };
    },
    loadStarted(_t, ctx) {
      requestsNow = ctx.requests;
      const started = Date.now();
      warmupEndMs = started + ctx.warmupFraction * ctx.loadDurationMs;
      const read = (): void => {
        timeline.push({ t: Date.now(), requests: ctx.requests() });
        timer = setTimeout(read, TIMELINE_INTERVAL_MS);
        timer.unref();
      };
      read();
    },
    async loadEnded() {
      clearTimeout(timer);
      if (requestsNow) timeline.push({ t: Date.now(), requests: requestsNow() });
    },
    async finish(exit) {
      const evidence: NativeEvidence = { tool, sites: [], definitelyLostBytes: 0, indirectlyLostBytes: 0, possiblyLostBytes: 0, stillReachableBytes: 0, allocator, scheme: heapProfileScheme(fp) };
      const notes: string[] = [];
      if (opts.baselineNote) notes.push(opts.baselineNote);
      const dumps = listHeapDumps(tool, outDir);
      if (dumps.length === 0) {
        evidence.incomplete = `${tool} wrote no heap profile into ${outDir}${exit.signal === 'SIGKILL' ? ' (the app was killed with SIGKILL before its exit dump)' : ''}` +
          (tool === 'jemalloc' && !allocator.includes('preloaded') ? ": the app's own jemalloc was probably built without --enable-prof" : '');
        return { native: evidence };
      }
      const dated = datedDumps(dumps, timeline);
      const pair = pickDumps(dated, warmupEndMs);
      if ('why' in pair) {
        notes.push(pair.why);
        evidence.note = notes.join('; ');
        evidence.file = dumps.at(-1)!.file;
        return { native: evidence };
      }
      if (pair.note) notes.push(pair.note);
      const parse = (file: string): HeapProfile => {
        const text = readFileSync(file, 'utf8');
        return tool === 'jemalloc' ? parseJemallocHeap(text, file) : parsePprofHeap(text, file);
      };
      const first = parse(pair.first.file);
      const last = parse(pair.last.file);
      const symbols = new Map<string, string[]>();
      for (const text of await Promise.all([rawSymbols(symbolizer, binary, pair.first.file), rawSymbols(symbolizer, binary, pair.last.file)])) {
        for (const [k, v] of parsePprofSymbols(text, `${symbolizer} --raw`)) symbols.set(k, v);
      }
      const frames = (p: HeapProfile) => p.stacks.map((s) => ({ frames: symbolize(s, symbols, p.mappings), objects: s.inuseObjects, bytes: s.inuseBytes }));
      const requests = pair.last.requests - pair.first.requests;
      const grown = growingSites({ first: frames(first), last: frames(last), requests, kind: 'growing', fingerprint: fp });
      const base = opts.baselineSites ? new Set(opts.baselineSites.map((s) => s.fingerprint)) : null;
      evidence.sites = grown.slice(0, TOP_SITES).map((g) => ({
        fingerprint: g.fingerprint,
        kind: 'growing',
        bytes: g.bytes,
        blocks: g.objects,
        bytesIncrease: g.bytesIncrease,
        ...(g.bytesPerRequest !== undefined ? { bytesPerRequest: g.bytesPerRequest } : {}),
        label: g.label,
        stack: g.stack.slice(0, 12).map(describeFrame),
        status: base === null ? 'no-baseline' : base.has(g.fingerprint) ? 'known' : 'new',
      }));
      if (opts.baselineSites) {
        const seen = new Set(grown.map((g) => g.fingerprint));
        for (const b of opts.baselineSites) {
          if (!seen.has(b.fingerprint)) evidence.sites.push({ fingerprint: b.fingerprint, kind: String(b.kind ?? 'growing'), bytes: 0, blocks: 0, label: String(b.label ?? b.fingerprint), stack: [], status: 'fixed' });
        }
      }
      evidence.peakHeapBytes = Math.round(Math.max(first.inuseBytes, last.inuseBytes));
      evidence.profiles = { first: { file: pair.first.file, requests: pair.first.requests }, last: { file: pair.last.file, requests: pair.last.requests }, dumps: dumps.length };
      evidence.file = pair.last.file;
      if (requests <= 0) notes.push('no requests were served between the two heap profiles, so growth per request is unknown');
      if (exit.signal === 'SIGKILL') notes.push('the app was killed with SIGKILL, so its exit profile is missing');
      if (notes.length > 0) evidence.note = notes.join('; ');
      return { native: evidence };
    },
    async dispose() {
      clearTimeout(timer);
    },
  };
}

/** The program's file: a path resolved against the app's cwd, or a bare name looked up on PATH. */
function programPath(program: string, cwd: string): string {
  if (program.includes('/')) return isAbsolute(program) ? program : resolve(cwd, program);
  return findExecutable(program, process.env.PATH) ?? resolve(cwd, program);
}
