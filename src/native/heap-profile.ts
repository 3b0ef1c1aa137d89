// Heap profiles of the full-speed profilers, parsed and diffed: jemalloc's `heap_v2` dumps (prof:true), the legacy
// pprof heap format that gperftools' HEAPPROFILE writes and Go's /debug/pprof/heap?debug=1 serves, Go's goroutine
// profile (debug=1), and jeprof/google-pprof's `--raw` symbol table. The diff of two profiles gives the sites whose
// in-use bytes grew, fingerprinted like memcheck's sites (fingerprint.ts) so they are new, known or fixed against a
// baseline. Pure: text in, data out; heap-profiler.ts runs the tools.
import { createHash } from 'node:crypto';
import { describeFrame, frameKey, isAllocatorFrame, siteFrames, type FingerprintOptions } from './fingerprint.js';
import type { StackFrame } from './memcheck-types.js';

export type HeapProfileFormat = 'jemalloc' | 'gperftools' | 'go';

/** One stack of a profile: what it holds now (unsampled estimates for sampled profiles). */
export interface HeapStack {
  /** Return addresses, innermost first, as lowercase hex without leading zeros ('0x55aed50cc3ce'). */
  addrs: string[];
  /** Go's debug=1 output names each frame; other formats leave this empty (symbolize with --raw). */
  frames: StackFrame[];
  inuseObjects: number;
  inuseBytes: number;
}

export interface Mapping {
  start: bigint;
  end: bigint;
  path: string;
}

export interface HeapProfile {
  format: HeapProfileFormat;
  /** Average bytes between samples (0: every allocation recorded, as gperftools' HEAPPROFILE does). */
  samplePeriod: number;
  /** In-use totals of the header (unsampled like the stacks). */
  inuseObjects: number;
  inuseBytes: number;
  stacks: HeapStack[];
  /** MAPPED_LIBRARIES (jemalloc, gperftools): which object each address is in. */
  mappings: Mapping[];
  /** Go: the runtime.MemStats block at the end (HeapAlloc, StackInuse, ...), exact rather than sampled. */
  memStats?: Record<string, number>;
}

/**
 * An estimate of what a sampled stack really holds. Sampling is a Poisson process with mean period P: an allocation
 * of size s is sampled with probability 1 - exp(-s/P), so each sampled count stands for 1 / (1 - exp(-avg/P)) real
 * ones, avg = bytes/objects (what jeprof's and pprof's AdjustSamples do for heap_v2 and Go's heap/N).
 */
export function unsample(objects: number, bytes: number, period: number): { objects: number; bytes: number } {
  if (period <= 0 || objects === 0) return { objects, bytes };
  const scale = 1 / (1 - Math.exp(-(bytes / objects) / period));
  return { objects: objects * scale, bytes: bytes * scale };
}

const hex = (text: string): string => `0x${BigInt(text).toString(16)}`;

function errorAt(source: string, lines: readonly string[], i: number, message: string): Error {
  const got = i < lines.length ? `'${lines[i]!.slice(0, 80)}'` : 'the end of the file';
  return new Error(`${source} line ${i + 1}: ${message}, got ${got}`);
}

function truncated(source: string, what: string): Error {
  return new Error(`${source} is truncated: ${what} (was the app killed while it wrote the profile?)`);
}

function emptyCheck(text: string, source: string): void {
  if (text.trim() === '') throw new Error(`${source} is empty: no heap profile header (the profiler wrote nothing, or the file was cut off at 0 bytes)`);
}

/** MAPPED_LIBRARIES lines: `start-end perms offset dev inode path`; anonymous mappings are skipped. */
function parseMappings(lines: readonly string[], from: number): Mapping[] {
  const out: Mapping[] = [];
  for (let i = from; i < lines.length; i++) {
    const m = /^([0-9a-f]+)-([0-9a-f]+)\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S.*)$/.exec(lines[i]!);
    if (m) out.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), path: m[3]!.trim() });
  }
  return out;
}

/**
 * jemalloc's heap dump (prof:true): `heap_v2/<period>`, then per stack `@ 0x..` and its `t*: objs: bytes [..]`
 * totals (per-thread `tN:` lines are skipped), then MAPPED_LIBRARIES, which jemalloc writes last: without it the
 * file is truncated.
 */
export function parseJemallocHeap(text: string, source = 'jemalloc heap profile'): HeapProfile {
  emptyCheck(text, source);
  const lines = text.split('\n');
  const head = /^heap_v2\/(\d+)$/.exec(lines[0]!.trim());
  if (!head) throw errorAt(source, lines, 0, "expected jemalloc's header 'heap_v2/<sample period>'");
  const period = Number(head[1]);
  const counts = /^\s*t\*: (\d+): (\d+) \[(\d+): (\d+)\]$/;
  const stacks: HeapStack[] = [];
  let total = { objects: 0, bytes: 0 };
  let i = 1;
  const first = counts.exec(lines[i] ?? '');
  if (!first) throw lines.length <= 2 ? truncated(source, 'it ends after the header') : errorAt(source, lines, i, "expected the totals line 't*: objects: bytes [objects: bytes]'");
  total = unsample(Number(first[1]), Number(first[2]), period);
  for (i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('MAPPED_LIBRARIES:')) {
      return { format: 'jemalloc', samplePeriod: period, inuseObjects: total.objects, inuseBytes: total.bytes, stacks, mappings: parseMappings(lines, i + 1) };
    }
    if (!line.startsWith('@ ')) continue;
    const addrs = line.slice(2).trim().split(/\s+/);
    if (addrs.some((a) => !/^0x[0-9a-f]+$/i.test(a))) throw errorAt(source, lines, i, "expected a stack of hex addresses after '@'");
    const c = counts.exec(lines[i + 1] ?? '');
    if (!c) {
      if (i + 1 >= lines.length - 1) throw truncated(source, `the stack at line ${i + 1} has no counts`);
      throw errorAt(source, lines, i + 1, "expected the stack's totals 't*: objects: bytes [objects: bytes]'");
    }
    const u = unsample(Number(c[1]), Number(c[2]), period);
    stacks.push({ addrs: addrs.map(hex), frames: [], inuseObjects: u.objects, inuseBytes: u.bytes });
    i++;
  }
  throw truncated(source, 'no MAPPED_LIBRARIES section, which jemalloc writes last');
}

const PPROF_RECORD = /^\s*(\d+):\s+(\d+) \[\s*(\d+):\s+(\d+)\] @(.*)$/;

/**
 * The legacy pprof heap format: `heap profile: objs: bytes [objs: bytes] @ heapprofile` (gperftools' HEAPPROFILE,
 * every allocation recorded, MAPPED_LIBRARIES at the end) or `@ heap/<2 x rate>` (Go's debug=1: sampled at
 * MemProfileRate, each record followed by `#\t0xaddr\tfn+0xoff\tfile:line` frames, and the runtime.MemStats block at
 * the end). A file without its closing section is truncated.
 */
export function parsePprofHeap(text: string, source = 'heap profile'): HeapProfile {
  emptyCheck(text, source);
  const lines = text.split('\n');
  const head = /^heap profile:\s*(\d+):\s+(\d+) \[\s*(\d+):\s+(\d+)\] @ (heapprofile|heap_v2\/(\d+)|heap\/(\d+))\s*$/.exec(lines[0]!);
  if (!head) throw errorAt(source, lines, 0, "expected the header 'heap profile: objects: bytes [objects: bytes] @ heapprofile' (or '@ heap/N')");
  const format: HeapProfileFormat = head[7] !== undefined ? 'go' : 'gperftools';
  // Go prints 2 x MemProfileRate after 'heap/' (pprof's legacy parser halves it); heap_v2/N is the period itself.
  const period = head[7] !== undefined ? Number(head[7]) / 2 : head[6] !== undefined ? Number(head[6]) : 0;
  const total = unsample(Number(head[1]), Number(head[2]), period);
  const stacks: HeapStack[] = [];
  let mappings: Mapping[] | null = null;
  let memStats: Record<string, number> | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('MAPPED_LIBRARIES:')) {
      mappings = parseMappings(lines, i + 1);
      break;
    }
    if (line.startsWith('# runtime.MemStats')) {
      memStats = {};
      for (let j = i + 1; j < lines.length; j++) {
        const m = /^# (\w+) = (\d+)(?: \/ (\d+))?$/.exec(lines[j]!);
        if (!m) continue;
        // '# Stack = 425984 / 425984' is StackInuse / StackSys (likewise MSpan, MCache).
        if (m[3] === undefined) memStats[m[1]!] = Number(m[2]);
        else Object.assign(memStats, { [`${m[1]}Inuse`]: Number(m[2]), [`${m[1]}Sys`]: Number(m[3]) });
      }
      if (memStats.NumGC === undefined) throw truncated(source, "its runtime.MemStats block stops before '# NumGC'");
      break;
    }
    if (line.trim() === '' || line.startsWith('#')) {
      if (line.startsWith('#\t') && stacks.length > 0) {
        const frame = parseGoFrame(line);
        if (frame) stacks.at(-1)!.frames.push(frame);
      }
      continue;
    }
    const r = PPROF_RECORD.exec(line);
    if (!r) {
      if (i === lines.length - 1) throw truncated(source, `its last line is cut off`);
      throw errorAt(source, lines, i, "expected a record 'objects: bytes [objects: bytes] @ 0x...'");
    }
    const addrs = r[5]!.trim().split(/\s+/).filter(Boolean);
    if (addrs.some((a) => !/^0x[0-9a-f]+$/i.test(a))) throw errorAt(source, lines, i, "expected hex addresses after '@'");
    const u = unsample(Number(r[1]), Number(r[2]), period);
    stacks.push({ addrs: addrs.map(hex), frames: [], inuseObjects: u.objects, inuseBytes: u.bytes });
  }
  if (format === 'gperftools' && mappings === null) throw truncated(source, 'no MAPPED_LIBRARIES section, which gperftools writes last');
  if (format === 'go' && memStats === undefined) throw truncated(source, "no '# runtime.MemStats' block, which Go writes last");
  return {
    format,
    samplePeriod: period,
    inuseObjects: total.objects,
    inuseBytes: total.bytes,
    stacks,
    mappings: mappings ?? [],
    ...(memStats ? { memStats } : {}),
  };
}

/** `#\t0x4b5a1d\tmain.leakMap+0x3d\t/src/main.go:20` -> { fn, file, line }. */
function parseGoFrame(line: string): StackFrame | null {
  const m = /^#\s+0x[0-9a-f]+\s+(\S+?)(?:\+0x[0-9a-f]+)?\s+(\S+):(\d+)\s*$/.exec(line);
  if (!m) return null;
  return { fn: m[1]!, file: m[2]!, line: Number(m[3]) };
}

export interface GoroutineProfile {
  total: number;
  stacks: Array<{ count: number; frames: StackFrame[] }>;
}

/** Go's /debug/pprof/goroutine?debug=1: 'goroutine profile: total N', then 'count @ 0x..' records with '#' frames. */
export function parseGoroutineProfile(text: string, source = 'goroutine profile'): GoroutineProfile {
  emptyCheck(text, source);
  const lines = text.split('\n');
  const head = /^goroutine profile: total (\d+)\s*$/.exec(lines[0]!);
  if (!head) throw errorAt(source, lines, 0, "expected the header 'goroutine profile: total N'");
  const stacks: GoroutineProfile['stacks'] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const r = /^(\d+) @( 0x[0-9a-f]+)+\s*$/.exec(line);
    if (r) {
      stacks.push({ count: Number(r[1]), frames: [] });
      continue;
    }
    if (line.startsWith('#\t') && stacks.length > 0) {
      const f = parseGoFrame(line);
      if (f) stacks.at(-1)!.frames.push(f);
    }
  }
  const counted = stacks.reduce((n, s) => n + s.count, 0);
  // Go writes the whole profile at once: records adding up to less than the header's total were cut off.
  if (counted < Number(head[1])) throw truncated(source, `its records hold ${counted} goroutines of the ${head[1]} in its header`);
  return { total: Number(head[1]), stacks };
}

/**
 * jeprof / google-pprof `--raw` output: its `--- symbol` section maps each address to a name, inlined functions
 * joined by '--' outermost first ('main<000000000000171f>--serve'); jeprof appends '<offset>' to some names and
 * '@@GLIBCXX_3.4' versions. Returns address -> function names, innermost first.
 */
export function parsePprofSymbols(text: string, source = 'pprof --raw output'): Map<string, string[]> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === '--- symbol');
  if (start < 0) throw new Error(`${source}: no '--- symbol' section (is this jeprof/google-pprof --raw output?)`);
  const out = new Map<string, string[]>();
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('---')) return out;
    const m = /^(0x[0-9a-f]+) (.+)$/i.exec(line);
    if (!m) continue;
    const names = m[2]!.split('--').map((n) => n.replace(/<[0-9a-f]+>$/i, '').replace(/@@?[A-Z][A-Za-z_]*[\d.]+$/, '').trim()).filter(Boolean);
    out.set(hex(m[1]!), names.reverse());
  }
  throw new Error(`${source}: the symbol section does not end with '---' (truncated output)`);
}

/**
 * A stack's frames: Go's own names, or each address looked up in the symbol table (pprof stores return addresses
 * minus one, except the first) with its inlined functions expanded; an address in an object without symbols keeps
 * the object's name. Leading frames in the allocator's own library (libjemalloc, libtcmalloc) are dropped.
 */
export function symbolize(stack: HeapStack, symbols: ReadonlyMap<string, string[]>, mappings: readonly Mapping[]): StackFrame[] {
  if (stack.frames.length > 0) return stack.frames;
  const frames: StackFrame[] = [];
  for (const addr of stack.addrs) {
    const value = BigInt(addr);
    const names = symbols.get(addr) ?? symbols.get(`0x${(value - 1n).toString(16)}`);
    const obj = mappings.find((m) => value >= m.start && value < m.end)?.path;
    if (names && names.length > 0) for (const fn of names) frames.push(obj ? { fn, obj } : { fn });
    else frames.push(obj ? { obj, ip: addr } : { ip: addr });
  }
  let start = 0;
  while (start < frames.length - 1 && isProfilerFrame(frames[start]!)) start++;
  return frames.slice(start);
}

/** The allocator's own frames: its library (jemalloc, tcmalloc), malloc and friends, and Go's runtime. */
export function isProfilerFrame(frame: StackFrame): boolean {
  if (frame.obj !== undefined && /\/lib(jemalloc|tcmalloc)[^/]*$/.test(frame.obj)) return true;
  if (frame.fn !== undefined && frame.fn.startsWith('runtime.')) return true;
  return isAllocatorFrame(frame);
}

/** What heap-profile fingerprints are made of: only sites of the same scheme are compared with a baseline. */
export function heapProfileScheme(opts: FingerprintOptions = {}): string {
  return `leakgate-heap-profile-v1 frames=${opts.frames ?? 5} lines=${opts.lines === false ? 'no' : 'yes'}`;
}

/** A site's identity: the kind and its top frames as memcheck's fingerprints take them (fn|file|line, no addresses). */
export function fingerprintFrames(kind: string, frames: readonly StackFrame[], opts: FingerprintOptions = {}): { fingerprint: string; label: string; top: StackFrame[] } {
  const top = siteFrames(frames.slice(firstOwn(frames)), opts);
  const lines = opts.lines !== false;
  const text = [kind, ...top.map((f) => frameKey(f, lines))].join('\n');
  const fingerprint = createHash('sha1').update(text).digest('hex').slice(0, 12);
  const shown = top.slice(0, 3).map(describeFrame);
  return { fingerprint, label: `${kind} at ${shown.length > 0 ? shown.join(' <- ') : '(no stack)'}`, top };
}

function firstOwn(frames: readonly StackFrame[]): number {
  const i = frames.findIndex((f) => !isProfilerFrame(f));
  return i < 0 ? 0 : i;
}

export interface GrowingSite {
  fingerprint: string;
  label: string;
  /** In-use bytes at the last profile. */
  bytes: number;
  /** In-use objects at the last profile. */
  objects: number;
  /** In-use bytes gained from the first profile to the last. */
  bytesIncrease: number;
  objectsIncrease: number;
  /** bytesIncrease / requests between the two profiles; absent when none came between. */
  bytesPerRequest?: number;
  stack: StackFrame[];
}

export interface SiteDiffInput {
  /** Each profile's stacks already symbolized (frames innermost first) with their in-use figures. */
  first: ReadonlyArray<{ frames: StackFrame[]; objects: number; bytes: number }>;
  last: ReadonlyArray<{ frames: StackFrame[]; objects: number; bytes: number }>;
  /** Requests served between the two profiles. */
  requests: number;
  kind: string;
  fingerprint?: FingerprintOptions;
}

/**
 * The sites whose in-use bytes grew from the first profile to the last, most growth first: stacks merged by
 * fingerprint (so deeper differences and inlining into one caller count as one site), growth per request.
 */
export function growingSites(input: SiteDiffInput): GrowingSite[] {
  const sum = (stacks: SiteDiffInput['first']) => {
    const out = new Map<string, { label: string; bytes: number; objects: number; stack: StackFrame[] }>();
    for (const s of stacks) {
      const f = fingerprintFrames(input.kind, s.frames, input.fingerprint);
      const e = out.get(f.fingerprint) ?? { label: f.label, bytes: 0, objects: 0, stack: s.frames.slice(firstOwn(s.frames)).map(({ ip: _ip, ...rest }) => rest) };
      e.bytes += s.bytes;
      e.objects += s.objects;
      out.set(f.fingerprint, e);
    }
    return out;
  };
  const a = sum(input.first);
  const b = sum(input.last);
  const sites: GrowingSite[] = [];
  for (const [fp, end] of b) {
    const start = a.get(fp);
    const bytesIncrease = end.bytes - (start?.bytes ?? 0);
    if (bytesIncrease <= 0) continue;
    sites.push({
      fingerprint: fp,
      label: end.label,
      bytes: Math.round(end.bytes),
      objects: Math.round(end.objects),
      bytesIncrease: Math.round(bytesIncrease),
      objectsIncrease: Math.round(end.objects - (start?.objects ?? 0)),
      ...(input.requests > 0 ? { bytesPerRequest: bytesIncrease / input.requests } : {}),
      stack: end.stack,
    });
  }
  return sites.sort((x, y) => y.bytesIncrease - x.bytesIncrease || (x.fingerprint < y.fingerprint ? -1 : 1));
}
