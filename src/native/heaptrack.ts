// heaptrack results: interprets the raw recording the preload library wrote, runs heaptrack_print on
// it (top peak consumers and leaks, limited counts) and parses that text. parseHeaptrackPrint and
// parseHeaptrackSize are pure; interpretHeaptrackRaw and readHeaptrackSummary run the tools.
import { spawn } from 'node:child_process';
import { runBounded, type BoundedResult } from '../process/run-bounded.js';
import { createWriteStream } from 'node:fs';
import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { silentLogger, type Logger } from '../core/logger.js';

/** One allocation site as heaptrack_print lists it (backtraces merged by allocating function). */
export interface HeaptrackSite {
  bytes: number;
  /** Calls to allocation functions from this site. */
  calls?: number;
  /** The function that called malloc/new, or its address ('0x7f...') without symbols. */
  fn: string;
  /** 'file:line' when debug info was there. */
  location?: string;
  /** The binary or library. */
  module?: string;
  /** The largest backtrace to this site, innermost first: 'fn (file:line)' or 'fn (in module)'. */
  stack: string[];
}

export interface HeaptrackSummary {
  /** The command heaptrack recorded ('Debuggee command was: ...'). */
  debuggee?: string;
  runtimeSeconds?: number;
  totalAllocations: number;
  temporaryAllocations?: number;
  peakHeapBytes: number;
  /** Peak RSS, including heaptrack's own overhead. */
  peakRssBytes?: number;
  /**
   * Bytes not freed when the app exited. Unlike memcheck's "definitely lost" this counts memory that
   * is still reachable (caches, globals), so a growing cache shows up here as well.
   */
  leakedBytes: number;
  /** Leaked bytes matched by suppressions, when any were given. */
  suppressedLeakBytes?: number;
  topLeaks: HeaptrackSite[];
  topPeak: HeaptrackSite[];
}

const UNITS: Record<string, number> = { B: 1, K: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12 };

/**
 * heaptrack_print's sizes into bytes: "512B", "12.34K", "1.23M", "2.00G". Its units are decimal
 * (1K = 1000 B: 107439 x 512 B prints as "55.01M") and carry two decimals, so a parsed size is
 * within 0.5% of the real one. Negative sizes appear in diff mode.
 */
export function parseHeaptrackSize(text: string): number {
  const m = /^(-?)(\d+(?:\.\d+)?)(B|KB?|MB?|GB?|TB?)$/.exec(text.trim());
  if (!m) throw new Error(`heaptrack size '${text.slice(0, 40)}' is not a number with a unit B, K, M, G or T (like '12.34K')`);
  const bytes = Math.round(Number(m[2]) * UNITS[m[3]]);
  return m[1] === '-' ? -bytes : bytes;
}

const SECTIONS: Record<string, 'allocators' | 'peak' | 'leaks' | 'temporary'> = {
  'MOST CALLS TO ALLOCATION FUNCTIONS': 'allocators',
  'PEAK MEMORY CONSUMERS': 'peak',
  'MEMORY LEAKS': 'leaks',
  'MOST TEMPORARY ALLOCATIONS': 'temporary',
};

const STAT_LINE =
  /^(total runtime|calls to allocation functions|temporary memory allocations|peak heap memory consumption|peak RSS \(including heaptrack overhead\)|total memory leaked|suppressed leaks): (.*)$/;

/** Parses heaptrack_print's text output (merged backtraces, the default); `source` names it in errors. */
export function parseHeaptrackPrint(text: string, source = 'heaptrack_print output'): HeaptrackSummary {
  const lines = text.split('\n');
  let at = 0;
  function fail(message: string, lineIndex = at): never {
    const got = lineIndex < lines.length ? `'${lines[lineIndex].slice(0, 80)}'` : 'the end of the output';
    throw new Error(`${source} line ${lineIndex + 1}: ${message}, got ${got}`);
  }
  const topLeaks: HeaptrackSite[] = [];
  const topPeak: HeaptrackSite[] = [];
  const stats = new Map<string, { value: string; line: number }>();
  let debuggee: string | undefined;
  let section: string | null = null;

  while (at < lines.length) {
    const line = lines[at];
    if (line in SECTIONS) {
      section = SECTIONS[line];
      at++;
      continue;
    }
    if (line.startsWith('Debuggee command was: ')) debuggee = line.slice('Debuggee command was: '.length);
    const stat = STAT_LINE.exec(line);
    if (stat) {
      section = null;
      stats.set(stat[1], { value: stat[2], line: at });
      at++;
      continue;
    }
    const entry = section === 'leaks' || section === 'peak' ? /^(\S+) (?:leaked|peak memory consumed) over (\d+) calls from$/.exec(line) : null;
    if (entry) {
      (section === 'leaks' ? topLeaks : topPeak).push(readEntry(entry[1], Number(entry[2])));
      continue;
    }
    at++;
  }

  /** A site: its location block, then backtraces ("X leaked over N calls from:"), then "and ...". */
  function readEntry(sizeText: string, calls: number): HeaptrackSite {
    const bytes = sizeAt(sizeText, at);
    at++;
    const head = readFrames(0);
    if (head.length === 0) fail('expected the allocating function after the site line');
    const site: HeaptrackSite = { bytes, calls, fn: head[0].fn, stack: head.map(formatFrame) };
    if (head[0].location !== undefined) site.location = head[0].location;
    if (head[0].module !== undefined) site.module = head[0].module;
    let first = true;
    while (at < lines.length && /^\S+ (?:leaked|consumed) over \d+ calls from:$/.test(lines[at])) {
      at++;
      const frames = readFrames(4);
      if (first) site.stack.push(...frames.map(formatFrame));
      first = false;
    }
    if (at < lines.length && /^ {2}and \S+ from \d+ other places$/.test(lines[at])) at++;
    return site;
  }

  /** Frames indented by `indent`: "fn" then "  at file:line" and/or "  in module" lines. */
  function readFrames(indent: number): { fn: string; location?: string; module?: string }[] {
    const pad = ' '.repeat(indent);
    const frames: { fn: string; location?: string; module?: string }[] = [];
    while (at < lines.length) {
      const line = lines[at];
      if (line.startsWith(`${pad}  at `) || line.startsWith(`${pad}  in `)) {
        const current = frames[frames.length - 1];
        if (current === undefined) fail(`expected a function before its '${line.trim().slice(0, 2)}' line`);
        const value = line.slice(pad.length + 5);
        if (line.startsWith(`${pad}  at `)) current.location = value;
        else if (value !== '??') current.module = value;
        at++;
        continue;
      }
      const isFrame = line.length > pad.length && line.startsWith(pad) && line[pad.length] !== ' ';
      if (isFrame && !/ calls from:?$/.test(line) && !(line in SECTIONS) && !STAT_LINE.test(line)) {
        frames.push({ fn: line.slice(pad.length) });
        at++;
        continue;
      }
      break;
    }
    return frames;
  }

  function sizeAt(value: string, lineIndex: number): number {
    try {
      return parseHeaptrackSize(value);
    } catch (err) {
      return fail((err as Error).message, lineIndex);
    }
  }
  const required = (key: string): { value: string; line: number } => {
    const found = stats.get(key);
    if (found === undefined) {
      throw new Error(`${source}: no '${key}:' line; heaptrack_print did not finish its summary (truncated or not heaptrack_print output)`);
    }
    return found;
  };
  const count = (key: string, found = required(key)): number => {
    const m = /^(\d+)/.exec(found.value);
    return m ? Number(m[1]) : fail(`'${key}' is not a count`, found.line);
  };
  const summary: HeaptrackSummary = {
    totalAllocations: count('calls to allocation functions'),
    peakHeapBytes: sizeAt(required('peak heap memory consumption').value, required('peak heap memory consumption').line),
    leakedBytes: sizeAt(required('total memory leaked').value, required('total memory leaked').line),
    topLeaks,
    topPeak,
  };
  if (debuggee !== undefined) summary.debuggee = debuggee;
  const runtime = stats.get('total runtime');
  const seconds = runtime && /^(\d+(?:\.\d+)?)s\.?$/.exec(runtime.value);
  if (seconds) summary.runtimeSeconds = Number(seconds[1]);
  const temporary = stats.get('temporary memory allocations');
  if (temporary) summary.temporaryAllocations = count('temporary memory allocations', temporary);
  const rss = stats.get('peak RSS (including heaptrack overhead)');
  if (rss) summary.peakRssBytes = sizeAt(rss.value, rss.line);
  const suppressed = stats.get('suppressed leaks');
  if (suppressed) summary.suppressedLeakBytes = sizeAt(suppressed.value, suppressed.line);
  return summary;
}

function formatFrame(frame: { fn: string; location?: string; module?: string }): string {
  if (frame.location !== undefined) return `${frame.fn} (${frame.location})`;
  if (frame.module !== undefined) return `${frame.fn} (in ${frame.module})`;
  return frame.fn;
}

export interface HeaptrackToolOptions {
  /** heaptrack_interpret; needed for a .raw file (requireNativeTool('heaptrack').heaptrack.interpreter). */
  interpreter?: string;
  /** heaptrack_print; default 'heaptrack_print' on PATH. */
  heaptrackPrint?: string;
  /** Time limit for each tool run; default 120 s. */
  timeoutMs?: number;
  logger?: Logger;
}

export interface HeaptrackReadOptions extends HeaptrackToolOptions {
  /** How many sites to list per section (--peak-limit); default 10. */
  limit?: number;
  /** LSan-format suppression files ('leak:pattern' lines); heaptrack_print takes one, so several are joined. */
  suppressions?: string[];
  /** Keep the raw recording after interpreting it; default false (it grows by ~5 MB per 100k allocations). */
  keepRaw?: boolean;
}

export interface HeaptrackResult extends HeaptrackSummary {
  /** The interpreted, gzipped data file (open it with heaptrack_gui or heaptrack_print). */
  file: string;
}

const MAX_OUTPUT = 8 * 1024 * 1024;

/**
 * Turns the preload library's raw recording into heaptrack's data format, gzipped (what the
 * heaptrack script writes, readable by heaptrack_print and heaptrack_gui). Must run while the app's
 * binary and libraries are still in place: symbols are resolved now. Returns the output path.
 */
export async function interpretHeaptrackRaw(rawFile: string, outFile: string, opts: HeaptrackToolOptions = {}): Promise<string> {
  if (!opts.interpreter) throw new Error(`heaptrack: interpreting ${rawFile} needs the heaptrack_interpret path (requireNativeTool('heaptrack'))`);
  const raw = await open(rawFile, 'r');
  try {
    const child = spawn(opts.interpreter, [], { stdio: [raw.fd, 'pipe', 'pipe'] });
    const { stdout: output, stderr: errors } = child;
    if (output === null || errors === null) {
      child.kill('SIGKILL');
      throw new Error('heaptrack_interpret: spawn gave no output pipes');
    }
    let stderr = '';
    errors.on('data', (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString();
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res, rej) => {
      child.on('error', rej);
      child.on('close', (code, signal) => res({ code, signal }));
    });
    exited.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    try {
      await pipeline(output, createGzip(), createWriteStream(outFile));
      const { code, signal } = await exited;
      if (code !== 0) {
        throw new Error(`heaptrack_interpret failed on ${rawFile} (${signal ? `killed by ${signal}, time limit?` : `exit ${code}`}): ${stderr.trim().slice(-400)}`);
      }
    } finally {
      clearTimeout(limit);
      child.kill('SIGKILL');
    }
    opts.logger?.debug(`heaptrack_interpret: ${stderr.replace(/\s+/g, ' ').trim()}`);
    return outFile;
  } finally {
    await raw.close();
  }
}

/**
 * Summarises a heaptrack recording: a raw file (name ending in .raw, from wrapNativeCommand) is first
 * interpreted into a sibling .gz. Throws when the recording holds no allocation at all: the app was
 * then not traced (it ran behind a shell or make) or died before heaptrack wrote anything.
 */
export async function readHeaptrackSummary(file: string, opts: HeaptrackReadOptions = {}): Promise<HeaptrackResult> {
  const logger = opts.logger ?? silentLogger;
  let dataFile = file;
  if (file.endsWith('.raw')) {
    dataFile = await interpretHeaptrackRaw(file, `${file.slice(0, -'.raw'.length)}.gz`, opts);
    if (!opts.keepRaw) await unlink(file).catch(() => undefined);
  }
  const limit = opts.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`heaptrack: limit must be a whole number >= 1, got ${limit}`);
  const args = [
    '--file', dataFile, '--print-peaks=1', '--print-leaks=1', '--print-allocators=0', '--print-temporary=0',
    `--peak-limit=${limit}`, '--sub-peak-limit=1', '--merge-backtraces=1', '--shorten-templates=1',
  ];
  const suppressions = opts.suppressions ?? [];
  if (suppressions.length === 1) args.push(`--suppressions=${suppressions[0]}`);
  if (suppressions.length > 1) {
    const joined = join(dirname(dataFile), 'heaptrack.suppressions.txt');
    const texts = await Promise.all(suppressions.map((s) => readFile(s, 'utf8')));
    await writeFile(joined, texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join(''));
    args.push(`--suppressions=${joined}`);
  }
  const tool = opts.heaptrackPrint ?? 'heaptrack_print';
  const { stdout, stderr } = await run(tool, args, opts.timeoutMs ?? 120_000);
  // heaptrack_print exits 0 on lines it cannot parse; it says so on stderr.
  const bad = /failed to parse line: (.*)/.exec(stderr);
  if (bad) throw new Error(`heaptrack: ${dataFile} is not heaptrack data (heaptrack_print: failed to parse line '${bad[1].slice(0, 80)}')`);
  const summary = parseHeaptrackPrint(stdout, `heaptrack_print ${dataFile}`);
  if (summary.totalAllocations === 0) {
    throw new Error(
      `heaptrack: ${dataFile} holds no allocations: the app was not traced (the command must run the binary itself, ` +
        'not a shell or make) or it was killed before heaptrack flushed its data (stop it with SIGTERM, not SIGKILL)',
    );
  }
  logger.debug(`heaptrack: ${summary.totalAllocations} allocations, ${summary.leakedBytes} B not freed at exit`);
  return { ...summary, file: dataFile };
}

/** Runs a tool with an argument list, bounded in time and output. */
async function run(file: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  let r: BoundedResult;
  try {
    r = await runBounded(file, args, { timeoutMs, maxOutput: MAX_OUTPUT });
  } catch (err) {
    throw new Error(`heaptrack: could not run ${file}: ${(err as Error).message}`);
  }
  if (r.overflow) throw new Error(`heaptrack: ${file} printed more than ${MAX_OUTPUT} bytes; lower the limit`);
  if (r.signal) throw new Error(`heaptrack: ${file} was killed by ${r.signal} (time limit ${timeoutMs} ms?)`);
  if (r.code !== 0) throw new Error(`heaptrack: ${file} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(-400)}`);
  return { stdout: r.stdout, stderr: r.stderr };
}
