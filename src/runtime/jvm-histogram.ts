// Pure logic of the JVM runtime probe: parses the class histogram `jcmd <pid> GC.class_histogram`
// prints, diffs two of them by class, and picks the JVM out of the app's process tree. No I/O.

/** One row of a class histogram. */
export interface HistogramRow {
  /** As printed: `java.lang.String`, `[B`, `Leak$SessionRecord`, `[Ljava.lang.Object;`. */
  name: string;
  /** `java.base@17.0.15`; absent for classes of the class path (the unnamed module) and on Java 8. */
  module?: string;
  instances: number;
  bytes: number;
}

export interface ClassHistogram {
  rows: HistogramRow[];
  totalInstances: number;
  totalBytes: number;
}

/** Growth of one class between two histograms. */
export interface ClassGrowth {
  name: string;
  module?: string;
  countDelta: number;
  bytesDelta: number;
  countEnd: number;
  bytesEnd: number;
  /** A class of the class path (the app or its libraries), not of the JDK's modules nor an array. */
  app: boolean;
}

export interface HistogramDiff {
  /** Classes whose bytes grew, most first, at most `top`. */
  growing: ClassGrowth[];
  /** Application classes (see ClassGrowth.app) whose bytes grew, most first, at most `top`. */
  growingApp: ClassGrowth[];
  totalBytesDelta: number;
  totalInstancesDelta: number;
}

const ROW = /^\s*(\d+):\s+(\d+)\s+(\d+)\s+(\S+)(?:\s+\(([^()]*)\))?\s*$/;
const TOTAL = /^\s*Total\s+(\d+)\s+(\d+)\s*$/;
const HEADER = /^\s*num\s+#instances\s+#bytes\s+class name/;

/**
 * Parses the output of `jcmd <pid> GC.class_histogram` (Java 9+, rows with a `(module)` suffix) or
 * of Java 8's (no module). The leading `<pid>:` line is allowed. Rows of one class name loaded by
 * several class loaders stay separate rows. `source` names the output in error messages; throws
 * an Error naming the line when the table or its Total line is missing or malformed.
 */
export function parseClassHistogram(text: string, source = 'jcmd GC.class_histogram output'): ClassHistogram {
  const lines = text.split(/\r?\n/);
  const headerAt = lines.findIndex((l) => HEADER.test(l));
  if (headerAt < 0) {
    const first = lines.filter((l) => l.trim() !== '').slice(0, 3).join(' | ');
    throw new Error(`${source}: no histogram header (' num  #instances  #bytes  class name') found; output begins: ${shorten(first || '(empty)')}`);
  }
  const rows: HistogramRow[] = [];
  let total: { instances: number; bytes: number } | null = null;
  for (let i = headerAt + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || /^-+$/.test(line.trim())) continue;
    const t = TOTAL.exec(line);
    if (t) {
      total = { instances: Number(t[1]), bytes: Number(t[2]) };
      break;
    }
    const m = ROW.exec(line);
    if (!m) throw new Error(`${source}: line ${i + 1}: not a histogram row ('  <num>:  <instances>  <bytes>  <class> (<module>)'): ${shorten(line)}`);
    const row: HistogramRow = { name: m[4]!, instances: Number(m[2]), bytes: Number(m[3]) };
    if (m[5] !== undefined) row.module = m[5];
    rows.push(row);
  }
  if (total === null) throw new Error(`${source}: no 'Total <instances> <bytes>' line after ${rows.length} rows (output cut short?)`);
  return { rows, totalInstances: total.instances, totalBytes: total.bytes };
}

/** True for a class of the class path: no module (named modules are the JDK's) and not an array. */
export function isAppClass(row: { name: string; module?: string }): boolean {
  return row.module === undefined && !row.name.startsWith('[');
}

/**
 * Growth per class (name and module; rows of several class loaders summed) from histogram `a` to
 * `b`: only classes whose bytes grew, most bytes first, then by name.
 */
export function diffHistograms(a: ClassHistogram, b: ClassHistogram, top: number): HistogramDiff {
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`class histogram diff: top must be an integer >= 1, got ${top}`);
  const before = sumByClass(a.rows);
  const grown: ClassGrowth[] = [];
  for (const [key, end] of sumByClass(b.rows)) {
    const start = before.get(key);
    const bytesDelta = end.bytes - (start?.bytes ?? 0);
    if (bytesDelta <= 0) continue;
    const g: ClassGrowth = {
      name: end.name,
      countDelta: end.instances - (start?.instances ?? 0),
      bytesDelta,
      countEnd: end.instances,
      bytesEnd: end.bytes,
      app: isAppClass(end),
    };
    if (end.module !== undefined) g.module = end.module;
    grown.push(g);
  }
  grown.sort((x, y) => y.bytesDelta - x.bytesDelta || x.name.localeCompare(y.name));
  return {
    growing: grown.slice(0, top),
    growingApp: grown.filter((g) => g.app).slice(0, top),
    totalBytesDelta: b.totalBytes - a.totalBytes,
    totalInstancesDelta: b.totalInstances - a.totalInstances,
  };
}

/**
 * Which process of the app's tree (root first, as scanProcessTree lists it) to ask for histograms:
 * the first JVM that has no JVM below it. So the root when it is the only JVM; the app's JVM when a
 * build tool's JVM (mvn spring-boot:run, gradle run) started it as a child. Null when there is none.
 */
export function chooseJvmProcess(tree: ReadonlyArray<{ pid: number; ppid: number }>, isJvm: (pid: number) => boolean): number | null {
  const jvms = tree.filter((p) => isJvm(p.pid));
  if (jvms.length === 0) return null;
  const parentOf = new Map(tree.map((p) => [p.pid, p.ppid]));
  const hasJvmBelow = new Set<number>();
  for (const j of jvms) {
    // Walk up from each JVM, marking the JVMs above it; bounded by the tree's size against cycles.
    let up = parentOf.get(j.pid);
    for (let steps = 0; up !== undefined && steps < tree.length; steps++) {
      if (isJvm(up)) hasJvmBelow.add(up);
      up = parentOf.get(up);
    }
  }
  return jvms.find((j) => !hasJvmBelow.has(j.pid))?.pid ?? null;
}

function sumByClass(rows: readonly HistogramRow[]): Map<string, HistogramRow> {
  const map = new Map<string, HistogramRow>();
  for (const r of rows) {
    const key = `${r.name}\0${r.module ?? ''}`;
    const sum = map.get(key);
    if (sum) {
      sum.instances += r.instances;
      sum.bytes += r.bytes;
    } else {
      map.set(key, { ...r });
    }
  }
  return map;
}

function shorten(s: string, max = 160): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
