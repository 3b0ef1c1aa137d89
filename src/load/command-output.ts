// Parsers for what an arbitrary load command tells leakgate: wrk's end-of-run summary (totals, latency,
// errors), and request counters read from an endpoint, a file or the command's own progress lines.
// Pure: text in, numbers out; running the command and polling the counter is the driver's job.

/** The figures of wrk's end-of-run summary. Latency in milliseconds. */
export interface WrkSummary {
  /** "N requests in 20.00s": responses received, any status. */
  requests: number;
  durationMs: number;
  /** "Requests/sec:". */
  throughput: number;
  /** "X MB read", in bytes. */
  bytesRead: number;
  /** "Non-2xx or 3xx responses: N" (wrk counts status > 399 here). */
  non2xx: number;
  /** Sum of the "Socket errors:" figures (connect, read, write, timeout). */
  errors: number;
  timeouts: number;
  /** Thread Stats Latency Avg / Max; p50/p90/p99 from the --latency distribution, else 0. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** False without --latency: p50/p90/p99 are then unknown (0). */
  hasDistribution: boolean;
}

const TIME_UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const BYTE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5 };

function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** "220.33us" -> 0.22033 ms, "2.68ms", "1.00s", "1.50m". */
function wrkTimeMs(token: string, where: string): number {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(token);
  if (!m) throw new Error(`${where}: '${token}' is not a wrk time (like 220.33us, 2.68ms, 1.00s)`);
  return Number(m[1]) * TIME_UNITS_MS[m[2]!]!;
}

/**
 * Parses the summary wrk prints when it ends (also after SIGINT), e.g.
 * ```
 *   Thread Stats   Avg      Stdev     Max   +/- Stdev
 *     Latency   220.33us  583.59us  13.52ms   95.91%
 *   Latency Distribution            (only with --latency)
 *      50%  107.00us
 *      99%    2.68ms
 *   63033 requests in 2.00s, 7.45MB read
 *   Socket errors: connect 0, read 8, write 0, timeout 0
 *   Non-2xx or 3xx responses: 12
 * Requests/sec:  31476.52
 * ```
 * Throws an Error naming the line when a required line ("N requests in", "Requests/sec:", "Latency") is missing
 * or malformed.
 */
export function parseWrkSummary(text: string, source = 'wrk output'): WrkSummary {
  const lines = text.split(/\r?\n/);
  const find = (re: RegExp): { m: RegExpExecArray; line: number } | undefined => {
    // The last match wins: a Lua script may print lines before the summary.
    for (let i = lines.length - 1; i >= 0; i--) {
      const m = re.exec(lines[i]!);
      if (m) return { m, line: i + 1 };
    }
    return undefined;
  };
  const missing = (what: string) =>
    new Error(`${source}: no '${what}' line found; is this wrk's end-of-run summary? (last lines: ${shorten(lines.filter((l) => l.trim()).slice(-3).join(' | ') || '(empty)')})`);

  const total = find(/^\s*(\d+) requests in (\S+), (\d+(?:\.\d+)?)(B|KB|MB|GB|TB|PB) read\s*$/);
  if (!total) throw missing('N requests in T, X read');
  const rps = find(/^Requests\/sec:\s+(\S+)\s*$/);
  if (!rps) throw missing('Requests/sec:');
  const throughput = Number(rps.m[1]);
  if (!Number.isFinite(throughput)) throw new Error(`${source} line ${rps.line}: Requests/sec '${rps.m[1]}' is not a number`);
  const lat = find(/^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+\s*$/);
  if (!lat) throw missing('Latency  Avg  Stdev  Max');
  const latWhere = `${source} line ${lat.line}`;

  const dist = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(50|75|90|99)%\s+(\S+)\s*$/.exec(lines[i]!);
    if (m) dist.set(m[1]!, wrkTimeMs(m[2]!, `${source} line ${i + 1}`));
  }

  let errors = 0;
  let timeouts = 0;
  const sock = find(/^\s*Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*$/);
  if (sock) {
    errors = Number(sock.m[1]) + Number(sock.m[2]) + Number(sock.m[3]) + Number(sock.m[4]);
    timeouts = Number(sock.m[4]);
  }
  const non2xx = find(/^\s*Non-2xx or 3xx responses: (\d+)\s*$/);

  return {
    requests: Number(total.m[1]),
    durationMs: Math.round(wrkTimeMs(total.m[2]!, `${source} line ${total.line}`)),
    throughput,
    bytesRead: Math.round(Number(total.m[3]) * BYTE_UNITS[total.m[4]!]!),
    non2xx: non2xx ? Number(non2xx.m[1]) : 0,
    errors,
    timeouts,
    latency: {
      p50: dist.get('50') ?? 0,
      p90: dist.get('90') ?? 0,
      p99: dist.get('99') ?? 0,
      max: wrkTimeMs(lat.m[3]!, latWhere),
      mean: wrkTimeMs(lat.m[1]!, latWhere),
    },
    hasDistribution: dist.has('50') && dist.has('90') && dist.has('99'),
  };
}

/** "1,234" or "1_234" or " 1234 " -> 1234; undefined when not a non-negative number. */
function countOf(text: string): number | undefined {
  const cleaned = text.trim().replace(/(?<=\d)[,_](?=\d{3}\b)/g, '');
  if (!/^\d+(?:\.\d+)?(?:[eE]\+?\d+)?$/.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A request count from a counter's text: a plain number ("123\n"), or JSON holding a number at `field`
 * (dotted for nesting: "stats.requests"), or a bare JSON number. `source` names the URL or file in messages.
 */
export function parseCounterValue(text: string, field?: string, source = 'counter'): number {
  const trimmed = text.trim();
  if (field === undefined || field === '') {
    const n = countOf(trimmed);
    if (n !== undefined) return n;
    const hint = trimmed.startsWith('{') ? ' (it is a JSON object: set counter.field to the name of the count, e.g. "requests")' : '';
    throw new Error(`${source}: expected a request count (a non-negative number), got ${shorten(JSON.stringify(trimmed))}${hint}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (err) {
    throw new Error(`${source}: expected JSON with a numeric field '${field}', but it is not JSON (${(err as Error).message}): ${shorten(JSON.stringify(trimmed))}`);
  }
  let v: unknown = raw;
  for (const key of field.split('.')) {
    v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[key] : undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' ? countOf(v) : undefined;
  if (n === undefined || !Number.isFinite(n) || n < 0) {
    throw new Error(`${source}: field '${field}' must be a non-negative number, got ${shorten(JSON.stringify(v) ?? 'nothing')} in ${shorten(trimmed)}`);
  }
  return n;
}

/** Compiles a counter regex, checking it has a capturing group for the count. */
export function counterRegex(pattern: string | RegExp): RegExp {
  let re: RegExp;
  try {
    re = typeof pattern === 'string' ? new RegExp(pattern, 'g') : new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  } catch (err) {
    throw new Error(`counter regex ${JSON.stringify(String(pattern))} is not a valid regular expression: ${(err as Error).message}`);
  }
  const groups = (new RegExp(`${re.source}|`).exec('') ?? []).length - 1;
  if (groups < 1) throw new Error(`counter regex ${JSON.stringify(re.source)} has no capturing group: put one around the count, e.g. "done (\\d+)"`);
  return re;
}

/**
 * The count in the last match of `regex` in `text` (its first capturing group, thousands separators allowed),
 * e.g. lastRegexCount("done 100\ndone 200\n", "done (\\d+)") = 200. Matches whose group is not a number are
 * skipped; null when nothing matches.
 */
export function lastRegexCount(text: string, regex: string | RegExp): number | null {
  const re = counterRegex(regex);
  let last: number | null = null;
  for (const m of text.matchAll(re)) {
    const n = m[1] === undefined ? undefined : countOf(m[1]);
    if (n !== undefined) last = n;
  }
  return last;
}
