// The full-speed heap profilers (native: jemalloc | tcmalloc): the environment that preloads the allocator with
// sampled profiling on and dumps during the load and at exit, finding the library and the symbolizer (jeprof,
// google-pprof) or saying which Debian package holds them, listing the dumps, and symbolizing one with `--raw`.
// jemallocLinkage and heapProfilerEnv are pure; the rest touches the file system or runs the symbolizer.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { findExecutable } from '../process/find-executable.js';
import { runBounded } from '../process/run-bounded.js';

export type HeapProfilerTool = 'jemalloc' | 'tcmalloc';
export const HEAP_PROFILER_TOOLS: readonly HeapProfilerTool[] = ['jemalloc', 'tcmalloc'];

export interface HeapProfilerInfo {
  /** The preloaded library (with its heap profiler). */
  library: string;
  libraryPackage: string;
  /** Symbolizes the dumps (`--raw`). */
  symbolizer: string;
  symbolizerPackage: string;
}

export const HEAP_PROFILERS: Readonly<Record<HeapProfilerTool, HeapProfilerInfo>> = {
  jemalloc: { library: 'libjemalloc.so.2', libraryPackage: 'libjemalloc2', symbolizer: 'jeprof', symbolizerPackage: 'libjemalloc-dev' },
  // libtcmalloc.so.4 carries the heap profiler (HEAPPROFILE); libtcmalloc_minimal does not.
  tcmalloc: { library: 'libtcmalloc.so.4', libraryPackage: 'libgoogle-perftools4', symbolizer: 'google-pprof', symbolizerPackage: 'google-perftools' },
};

/** Where Debian, Ubuntu, Fedora and source builds put shared libraries. */
export const LIBRARY_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib/x86_64-linux-gnu'];

export interface HeapProfilerPaths {
  tool: HeapProfilerTool;
  /** Null when the app's own jemalloc is used (no preload). */
  library: string | null;
  symbolizer: string;
}

/**
 * Finds the library (unless the app brings its own jemalloc) and the symbolizer, or throws a ConfigError naming the
 * apt package, e.g. "native: jemalloc needs libjemalloc.so.2 (looked in /usr/lib/x86_64-linux-gnu, ...); install it
 * with: sudo apt-get install -y libjemalloc2 (Debian/Ubuntu)".
 */
export function requireHeapProfiler(tool: HeapProfilerTool, ownJemalloc: boolean, env: NodeJS.ProcessEnv = process.env, dirs = LIBRARY_DIRS): HeapProfilerPaths {
  const info = HEAP_PROFILERS[tool];
  const symbolizer = findExecutable(info.symbolizer, env.PATH);
  if (symbolizer === null) {
    throw new ConfigError(`native: ${tool} needs '${info.symbolizer}' on PATH to name the sites in its profiles; install it with: sudo apt-get install -y ${info.symbolizerPackage} (Debian/Ubuntu)`);
  }
  if (ownJemalloc) return { tool, library: null, symbolizer };
  const library = dirs.map((d) => join(d, info.library)).find(isFile) ?? null;
  if (library === null) {
    throw new ConfigError(`native: ${tool} needs ${info.library} (looked in ${dirs.join(', ')}); install it with: sudo apt-get install -y ${info.libraryPackage} (Debian/Ubuntu)`);
  }
  return { tool, library, symbolizer };
}

/**
 * How the app's binary relates to jemalloc, from its bytes: 'dynamic' when it is linked against libjemalloc (a
 * NEEDED entry names it), 'static' when jemalloc is compiled in (its mallctl entry point and its option names, like
 * 'prof_prefix', are in the file: Rust's tikv-jemallocator, a static build), else 'none'. With its own jemalloc the
 * app is not preloaded: a second allocator would not see the app's allocations. Whether the app's jemalloc has
 * profiling compiled in shows at run time: without it no profile is dumped, and the evidence says so.
 */
export function jemallocLinkage(binary: Buffer): 'dynamic' | 'static' | 'none' {
  if (binary.includes('libjemalloc.so')) return 'dynamic';
  if (binary.includes('mallctl') && binary.includes('prof_prefix')) return 'static';
  return 'none';
}

export interface ProfilerEnvOptions {
  outDir: string;
  /** Dump a profile every this many bytes allocated (jemalloc rounds to a power of two). */
  dumpEveryBytes: number;
  /** jemalloc's sampling: one sample per 2^lgSample bytes on average. */
  lgSample?: number;
  /** The preloaded library; null when the app's own jemalloc is used. */
  library: string | null;
  /** An LD_PRELOAD the app already gets; kept after the profiler's library. */
  ldPreload?: string;
}

export const DEFAULT_LG_SAMPLE = 12;

/**
 * The environment that turns the profiler on. jemalloc: prof:true samples an allocation every 2^12 bytes on
 * average (4 KiB: leaks of a few hundred bytes per request are seen thousands of times in a run),
 * lg_prof_interval dumps every 2^N bytes allocated, prof_final dumps at exit; _RJEM_MALLOC_CONF is the same for
 * Rust's prefixed jemalloc. tcmalloc: HEAPPROFILE records every allocation and dumps every
 * HEAP_PROFILE_ALLOCATION_INTERVAL bytes allocated or HEAP_PROFILE_INUSE_INTERVAL bytes of growth, and at exit.
 */
export function heapProfilerEnv(tool: HeapProfilerTool, opts: ProfilerEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  if (opts.library !== null) env.LD_PRELOAD = opts.ldPreload ? `${opts.library}:${opts.ldPreload}` : opts.library;
  if (tool === 'jemalloc') {
    const lgInterval = Math.max(10, Math.round(Math.log2(Math.max(1024, opts.dumpEveryBytes))));
    const conf = `prof:true,prof_active:true,lg_prof_sample:${opts.lgSample ?? DEFAULT_LG_SAMPLE},prof_prefix:${join(opts.outDir, 'jeprof')},lg_prof_interval:${lgInterval},prof_final:true`;
    env.MALLOC_CONF = conf;
    env._RJEM_MALLOC_CONF = conf;
    return env;
  }
  env.HEAPPROFILE = join(opts.outDir, 'hprof');
  env.HEAP_PROFILE_ALLOCATION_INTERVAL = String(Math.round(opts.dumpEveryBytes));
  env.HEAP_PROFILE_INUSE_INTERVAL = String(Math.round(opts.dumpEveryBytes));
  return env;
}

export interface HeapDump {
  file: string;
  /** Dump order (jemalloc's sequence number, gperftools' NNNN). */
  seq: number;
  /** Wall-clock ms of the file's last write: matched with the request counts read during the load. */
  mtimeMs: number;
}

/** The profiles the tool wrote into outDir, in dump order: jeprof.<pid>.<seq>.<i|f|u|m><n>.heap, hprof.<NNNN>.heap. */
export function listHeapDumps(tool: HeapProfilerTool, outDir: string): HeapDump[] {
  const pattern = tool === 'jemalloc' ? /^jeprof\.\d+\.(\d+)\.[a-z]\d*\.heap$/ : /^hprof\.(\d+)\.heap$/;
  const out: HeapDump[] = [];
  for (const name of readdirSync(outDir)) {
    const m = pattern.exec(name);
    if (!m) continue;
    const file = join(outDir, name);
    out.push({ file, seq: Number(m[1]), mtimeMs: statSync(file).mtimeMs });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** `jeprof --raw <binary> <profile>` (or google-pprof): the symbol table for parsePprofSymbols. */
export async function rawSymbols(symbolizer: string, binary: string, profile: string, timeoutMs = 60_000): Promise<string> {
  const r = await runBounded(symbolizer, ['--raw', binary, profile], { timeoutMs, group: true });
  if (r.timedOut) throw new Error(`${symbolizer} --raw ${profile} took longer than ${timeoutMs / 1000} s`);
  if (!r.stdout.includes('--- symbol')) {
    throw new Error(`${symbolizer} --raw ${binary} ${profile} gave no symbols (exit ${r.code ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300)}`);
  }
  return r.stdout;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
