// Pure logic of the Python runtime probe: parses the tracemalloc snapshot files the hook
// (python-hook.ts) writes, diffs two snapshots of one process by source line, and merges the growth
// of several processes (forked workers) by site. No I/O.

/** One allocation site of a snapshot: tracemalloc statistics('lineno'). */
export interface TracemallocSite {
  file: string;
  line: number;
  /** Bytes of live blocks allocated at this line. */
  size: number;
  /** Live blocks allocated at this line. */
  count: number;
  /** The source line, stripped, when the hook could read it. */
  text: string;
}

/** One snapshot-<pid>-<seq>.jsonl file. */
export interface TracemallocSnapshot {
  pid: number;
  seq: number;
  /** tracemalloc.get_traced_memory(): everything traced, bytes. */
  tracedBytes: number;
  peakBytes: number;
  /** tracemalloc.get_tracemalloc_memory(): what tracing itself holds (its traces table), bytes. */
  overheadBytes: number;
  /** After filtering out tracemalloc, importlib and the hook itself, bytes. */
  filteredBytes: number;
  /** Distinct sites after filtering; `sites.length` may be fewer (the hook lists the top ones). */
  siteCount: number;
  /** Frames per traceback the process traced with. */
  frames: number;
  /** How long take_snapshot() took, ms: it holds the GIL, so the app's threads all waited. */
  snapshotMs: number;
  /** Grouping by line afterwards, ms: Python code sharing the GIL with the app's threads. */
  statisticsMs: number;
  /** All of it, reading source lines and writing the file included, ms. */
  totalMs: number;
  /** Most bytes first. */
  sites: TracemallocSite[];
}

/** Growth of one site between two snapshots (summed over processes when merged). */
export interface SiteGrowth {
  file: string;
  line: number;
  text: string;
  bytesDelta: number;
  countDelta: number;
  bytesEnd: number;
  /** Processes in which this site grew. */
  pids: number[];
}

const SITE_KEYS = ['file', 'line', 'size', 'count'] as const;

/**
 * Parses one snapshot file: a header object on the first line, then one site per line. `source`
 * names the file in error messages. Throws an Error naming the source, the line and what was
 * expected when the text is not what the hook writes.
 */
export function parseTracemallocSnapshot(text: string, source = 'tracemalloc snapshot'): TracemallocSnapshot {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new Error(`${source}: empty file (expected a header line written by leakgate's tracemalloc hook)`);
  const header = parseJsonLine(lines[0]!, source, 1);
  if (header.leakgate !== 'tracemalloc') {
    throw new Error(`${source}: line 1: not a leakgate tracemalloc snapshot header (expected "leakgate": "tracemalloc", got ${shorten(lines[0]!)})`);
  }
  const num = (key: string): number => {
    const v = header[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`${source}: line 1: header field '${key}' must be a number >= 0, got ${shorten(JSON.stringify(v) ?? 'undefined')}`);
    }
    return v;
  };
  const sites: TracemallocSite[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const o = parseJsonLine(lines[i]!, source, lineNo);
    for (const key of SITE_KEYS) {
      if (!(key in o)) throw new Error(`${source}: line ${lineNo}: site has no '${key}' (expected {file, line, size, count, text}), got ${shorten(lines[i]!)}`);
    }
    if (typeof o.file !== 'string') throw new Error(`${source}: line ${lineNo}: 'file' must be a string, got ${shorten(JSON.stringify(o.file))}`);
    for (const key of ['line', 'size', 'count'] as const) {
      const v = o[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new Error(`${source}: line ${lineNo}: '${key}' must be an integer >= 0, got ${shorten(JSON.stringify(v))}`);
      }
    }
    sites.push({ file: o.file, line: o.line as number, size: o.size as number, count: o.count as number, text: typeof o.text === 'string' ? o.text : '' });
  }
  return {
    pid: num('pid'),
    seq: num('seq'),
    tracedBytes: num('tracedBytes'),
    peakBytes: num('peakBytes'),
    overheadBytes: num('overheadBytes'),
    filteredBytes: num('filteredBytes'),
    siteCount: num('sites'),
    frames: num('frames'),
    snapshotMs: num('snapshotMs'),
    statisticsMs: num('statisticsMs'),
    totalMs: num('totalMs'),
    sites,
  };
}

/**
 * Sites that grew from snapshot `a` to snapshot `b` of one process, most bytes first, at most `top`.
 * A site missing from `a` counts from 0 (the hook lists the top sites only, so a site just below
 * the list in `a` is overstated by at most the smallest size `a` lists).
 */
export function diffTracemalloc(a: TracemallocSnapshot, b: TracemallocSnapshot, top: number): SiteGrowth[] {
  checkTop(top);
  const before = new Map<string, TracemallocSite>();
  for (const s of a.sites) before.set(siteKey(s), s);
  const grown: SiteGrowth[] = [];
  for (const s of b.sites) {
    const old = before.get(siteKey(s));
    const bytesDelta = s.size - (old?.size ?? 0);
    if (bytesDelta <= 0) continue;
    grown.push({
      file: s.file,
      line: s.line,
      text: s.text || old?.text || '',
      bytesDelta,
      countDelta: s.count - (old?.count ?? 0),
      bytesEnd: s.size,
      pids: [b.pid],
    });
  }
  return sortGrowth(grown).slice(0, top);
}

/**
 * Pairs each process's snapshot `first` with its snapshot `second`, diffs each pair, and sums the
 * growth by site across processes (gunicorn-style workers all run the same code). Processes
 * without both snapshots are left out and listed in `unpaired`.
 */
export function diffTracemallocProcesses(
  snapshots: readonly TracemallocSnapshot[],
  first: number,
  second: number,
  top: number,
): { growing: SiteGrowth[]; pairedPids: number[]; unpaired: number[] } {
  checkTop(top);
  const byPid = new Map<number, { a?: TracemallocSnapshot; b?: TracemallocSnapshot }>();
  for (const s of snapshots) {
    if (s.seq !== first && s.seq !== second) continue;
    const entry = byPid.get(s.pid) ?? {};
    if (s.seq === first) entry.a = s;
    else entry.b = s;
    byPid.set(s.pid, entry);
  }
  const merged = new Map<string, SiteGrowth>();
  const pairedPids: number[] = [];
  const unpaired: number[] = [];
  for (const [pid, { a, b }] of [...byPid].sort((x, y) => x[0] - y[0])) {
    if (!a || !b) {
      unpaired.push(pid);
      continue;
    }
    pairedPids.push(pid);
    // Every growing site of the process, not only its top: a site may be small per process yet top in sum.
    for (const g of diffTracemalloc(a, b, Number.MAX_SAFE_INTEGER)) {
      const key = siteKey(g);
      const sum = merged.get(key);
      if (!sum) {
        merged.set(key, { ...g, pids: [...g.pids] });
        continue;
      }
      sum.bytesDelta += g.bytesDelta;
      sum.countDelta += g.countDelta;
      sum.bytesEnd += g.bytesEnd;
      sum.text ||= g.text;
      sum.pids.push(pid);
    }
  }
  return { growing: sortGrowth([...merged.values()]).slice(0, top), pairedPids, unpaired };
}

/** "server.py:24": the file relative to `cwd` when it lies inside it, else the path as traced. */
export function siteName(site: { file: string; line: number }, cwd?: string): string {
  let file = site.file;
  if (cwd) {
    const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
    if (file.startsWith(base)) file = file.slice(base.length);
  }
  return `${file}:${site.line}`;
}

/** "snapshot-<pid>-<seq>.jsonl" -> {pid, seq}; null for any other name. */
export function parseSnapshotFileName(name: string): { pid: number; seq: number } | null {
  const m = /^snapshot-(\d+)-(\d+)\.jsonl$/.exec(name);
  return m ? { pid: Number(m[1]), seq: Number(m[2]) } : null;
}

function siteKey(s: { file: string; line: number }): string {
  return `${s.line}\0${s.file}`;
}

function sortGrowth(list: SiteGrowth[]): SiteGrowth[] {
  return list.sort((x, y) => y.bytesDelta - x.bytesDelta || x.file.localeCompare(y.file) || x.line - y.line);
}

function checkTop(top: number): void {
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`tracemalloc diff: top must be an integer >= 1, got ${top}`);
}

function parseJsonLine(line: string, source: string, lineNo: number): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw new Error(`${source}: line ${lineNo}: not JSON (${(err as Error).message}): ${shorten(line)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new Error(`${source}: line ${lineNo}: expected a JSON object, got ${shorten(line)}`);
  }
  return v as Record<string, unknown>;
}

function shorten(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
