// Stable identity of a memcheck leak site: the kind plus the top frames below the allocator, by
// function, file base name and (by default) line; never addresses, thread ids or loss-record numbers.
// Also merges records into sites and compares sites against a baseline's. Pure: no I/O.
import { createHash } from 'node:crypto';
import { LEAK_KINDS, type LeakComparison, type LeakKind, type LeakRecord, type LeakSite, type LeakSiteRef, type StackFrame } from './memcheck-types.js';

export interface FingerprintOptions {
  /** How many frames below the allocator frames identify the site. Default 5. */
  frames?: number;
  /**
   * Whether line numbers are part of the fingerprint. Default true: function + file + line.
   * A rebuild that only shifts addresses (other -O, code added after the site, padding data) keeps
   * the fingerprint; an edit that moves the leaking lines changes it. With `lines: false` only
   * function + file count: robust to edits, but two leaks in one function become one site.
   */
  lines?: boolean;
  /** More allocator function names to skip, e.g. the app's own wrappers: ['xmalloc', 'g_malloc']. */
  allocators?: readonly string[];
}

export const DEFAULT_FINGERPRINT_FRAMES = 5;
/** How many fingerprint frames the human label shows. */
const LABEL_FRAMES = 3;

const ALLOCATOR_NAMES = new Set([
  'malloc', 'calloc', 'realloc', 'reallocarray', 'strdup', 'strndup', 'wcsdup', '__strdup', '__strndup',
  'memalign', 'posix_memalign', 'aligned_alloc', 'valloc', 'pvalloc',
  '__libc_malloc', '__libc_calloc', '__libc_realloc', '__libc_memalign',
]);
/** `operator new(unsigned long)`, `operator new[](unsigned long, std::nothrow_t const&)`, ... */
const DEMANGLED_NEW = /^operator new(\[\])?\(/;
/** The same, mangled (`--demangle=no`): _Znwm, _Znam, _ZnwmRKSt9nothrow_t, _ZnwmSt11align_val_t, ... */
const MANGLED_NEW = /^_Zn[wa][jm]/;

/** A canonical description of the options, to store next to fingerprints: compare only equal schemes. */
export function fingerprintScheme(opts: FingerprintOptions = {}): string {
  const extra = opts.allocators?.length ? ` allocators=${[...opts.allocators].sort().join(',')}` : '';
  return `leakgate-memcheck-v1 frames=${framesOption(opts)} lines=${opts.lines === false ? 'no' : 'yes'}${extra}`;
}

/** True for an allocation function (malloc, operator new, strdup, ...) or any frame in valgrind's preload. */
export function isAllocatorFrame(frame: StackFrame, extra: readonly string[] = []): boolean {
  if (frame.obj !== undefined && baseName(frame.obj).startsWith('vgpreload_memcheck')) return true;
  const fn = frame.fn;
  if (fn === undefined) return false;
  return ALLOCATOR_NAMES.has(fn) || DEMANGLED_NEW.test(fn) || MANGLED_NEW.test(fn) || extra.includes(fn);
}

/**
 * The frames that identify the site: the stack without its leading allocator frames (malloc, then
 * strdup, ...), then the first `frames`. If every frame is an allocator, the allocator frames.
 */
export function siteFrames(stack: readonly StackFrame[], opts: FingerprintOptions = {}): StackFrame[] {
  const extra = opts.allocators ?? [];
  let start = 0;
  while (start < stack.length && isAllocatorFrame(stack[start], extra)) start++;
  const rest = start < stack.length ? stack.slice(start) : stack.slice();
  return rest.slice(0, framesOption(opts));
}

/**
 * One frame as it enters the fingerprint: `fn|file|line` (file as base name), or `obj:NAME` when
 * valgrind knows no function. Never the address.
 */
export function frameKey(frame: StackFrame, lines = true): string {
  if (frame.fn === undefined) return frame.obj !== undefined ? `obj:${baseName(frame.obj)}` : '???';
  const file = frame.file !== undefined ? baseName(frame.file) : '';
  const line = lines && frame.line !== undefined ? String(frame.line) : '';
  return `${frame.fn}|${file}|${line}`;
}

/** The fingerprint (12 hex chars of a sha1), the label and the frames it was computed from. */
export function fingerprintLeak(
  kind: LeakKind,
  stack: readonly StackFrame[],
  opts: FingerprintOptions = {},
): { fingerprint: string; label: string; topFrames: StackFrame[] } {
  const top = siteFrames(stack, opts);
  const lines = opts.lines !== false;
  const text = [kind, ...top.map((f) => frameKey(f, lines))].join('\n');
  const fingerprint = createHash('sha1').update(text).digest('hex').slice(0, 12);
  const shown = top.slice(0, LABEL_FRAMES).map(describeFrame);
  const label = `${kind} at ${shown.length > 0 ? shown.join(' <- ') : '(no stack)'}`;
  return { fingerprint, label, topFrames: top.map(withoutAddress) };
}

/** "fn (file.c:12)", "fn (in libx.so)", "??? (in app)". */
export function describeFrame(frame: StackFrame): string {
  const fn = frame.fn ?? '???';
  if (frame.file !== undefined) return `${fn} (${baseName(frame.file)}${frame.line !== undefined ? `:${frame.line}` : ''})`;
  if (frame.obj !== undefined) return `${fn} (in ${baseName(frame.obj)})`;
  return fn;
}

/**
 * Merges records with the same fingerprint (valgrind splits one site into several loss records when
 * deeper frames differ) and sorts the sites: most severe kind first, then most bytes. `opts` must
 * be the options the records were fingerprinted with (they pick the sites' topFrames).
 */
export function mergeSites(records: readonly LeakRecord[], opts: FingerprintOptions = {}): LeakSite[] {
  const sites = new Map<string, LeakSite>();
  for (const r of records) {
    const site = sites.get(r.fingerprint);
    if (site === undefined) {
      const { topFrames } = fingerprintLeak(r.kind, r.stack, opts);
      const fresh: LeakSite = {
        fingerprint: r.fingerprint,
        kind: r.kind,
        label: r.label,
        bytes: r.bytes,
        blocks: r.blocks,
        records: 1,
        topFrames,
        stack: r.stack.map(withoutAddress),
      };
      if (r.indirectBytes !== undefined) fresh.indirectBytes = r.indirectBytes;
      if (r.bytesIncrease !== undefined) fresh.bytesIncrease = r.bytesIncrease;
      if (r.blocksIncrease !== undefined) fresh.blocksIncrease = r.blocksIncrease;
      sites.set(r.fingerprint, fresh);
      continue;
    }
    site.bytes += r.bytes;
    site.blocks += r.blocks;
    site.records += 1;
    if (r.indirectBytes !== undefined) site.indirectBytes = (site.indirectBytes ?? 0) + r.indirectBytes;
    if (r.bytesIncrease !== undefined) site.bytesIncrease = (site.bytesIncrease ?? 0) + r.bytesIncrease;
    if (r.blocksIncrease !== undefined) site.blocksIncrease = (site.blocksIncrease ?? 0) + r.blocksIncrease;
  }
  return [...sites.values()].sort(
    (a, b) =>
      LEAK_KINDS.indexOf(a.kind) - LEAK_KINDS.indexOf(b.kind) ||
      b.bytes - a.bytes ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}

export interface CompareSitesOptions {
  /** Only sites of these kinds take part (baseline entries without a kind always do). Default: all kinds. */
  kinds?: readonly LeakKind[];
}

/**
 * Splits the current sites into new (not in the baseline) and known (in it), and lists the baseline
 * sites that are gone as fixed. The baseline is fingerprints or site references (e.g. the sites of
 * a previous report); both sides must use the same fingerprintScheme.
 */
export function compareSites(
  current: readonly LeakSite[],
  baseline: Iterable<string | LeakSiteRef>,
  opts: CompareSitesOptions = {},
): LeakComparison {
  const kinds = opts.kinds;
  const wanted = (kind: LeakKind | undefined): boolean => kind === undefined || kinds === undefined || kinds.includes(kind);
  const base = new Map<string, LeakSiteRef>();
  for (const entry of baseline) {
    const ref = typeof entry === 'string' ? { fingerprint: entry } : entry;
    if (typeof ref.fingerprint !== 'string' || ref.fingerprint === '') {
      throw new Error(`baseline leak sites: an entry has no fingerprint: ${preview(JSON.stringify(entry))}`);
    }
    if (wanted(ref.kind) && !base.has(ref.fingerprint)) base.set(ref.fingerprint, ref);
  }
  const sites = current.filter((s) => wanted(s.kind));
  const seen = new Set(sites.map((s) => s.fingerprint));
  return {
    newSites: sites.filter((s) => !base.has(s.fingerprint)),
    knownSites: sites.filter((s) => base.has(s.fingerprint)),
    fixedSites: [...base.values()].filter((ref) => !seen.has(ref.fingerprint)).map((ref) => ({ ...ref })),
  };
}

function framesOption(opts: FingerprintOptions): number {
  const n = opts.frames ?? DEFAULT_FINGERPRINT_FRAMES;
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`fingerprint frames: expected a whole number >= 1, got ${preview(String(n))}`);
  }
  return n;
}

function withoutAddress(frame: StackFrame): StackFrame {
  const { ip: _ip, ...rest } = frame;
  return rest;
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function preview(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
