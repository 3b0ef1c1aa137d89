// Incremental leak checks of a program running under valgrind --vgdb=yes: the parser of what the
// monitor command `leak_check full reachable increased` prints (pure), and the thin I/O that runs
// `vgdb --pid=P leak_check full reachable increased` with a timeout.
import { runBounded, type BoundedResult } from '../process/run-bounded.js';
import { fingerprintLeak, type FingerprintOptions } from './fingerprint.js';
import type { LeakKind, LeakRecord, LeakSummary, LeakSummaryLine, StackFrame, VgdbLeakCheck } from './memcheck-types.js';

const KINDS_BY_TEXT: Record<string, LeakKind> = {
  'definitely lost': 'definitely-lost',
  'indirectly lost': 'indirectly-lost',
  'possibly lost': 'possibly-lost',
  'still reachable': 'still-reachable',
};

const NUM = String.raw`(\d[\d,]*)`;
const DELTA = String.raw`(?: \(([+-]\d[\d,]*)\))?`;
/** "1,024 (+512) [(8 (+8) direct, 40 (+40) indirect) ]bytes in 2 (+1) blocks are definitely lost in loss record 3 of 7" */
const RECORD = new RegExp(
  `^${NUM}${DELTA}(?: \\(${NUM}${DELTA} direct, ${NUM}${DELTA} indirect\\))? bytes in ${NUM}${DELTA} blocks? are ` +
    `(definitely lost|indirectly lost|possibly lost|still reachable) in loss record ${NUM} of ${NUM}$`,
);
/** Lines that look like a loss record; one that does not match RECORD is malformed. */
const RECORD_LIKE = /^\d[\d,]* .*bytes in .*loss record/;
/** "definitely lost: 320 (+320) bytes in 5 (+5) blocks" */
const SUMMARY = new RegExp(`^(definitely lost|indirectly lost|possibly lost|still reachable|suppressed): ${NUM}${DELTA} bytes in ${NUM}${DELTA} blocks?$`);
/** "at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)" */
const FRAME = /^(?:at|by) (0x[0-9A-Fa-f]+): (.*)$/;
const PREFIX = /^(==|--|\*\*)(\d+)\1 ?/;
const NO_LEAKS = 'All heap blocks were freed -- no leaks are possible';

export interface VgdbParseOptions {
  /** How leak fingerprints are computed: use the same options as for the XML. */
  fingerprint?: FingerprintOptions;
}

/**
 * Parses the text of a monitor `leak_check full reachable increased` (with or without the
 * `==PID==` prefixes): loss records with their (+N) deltas and stacks, and the LEAK SUMMARY.
 * Fingerprints are computed as for the XML, so both sources name a site the same way. Throws an
 * Error naming `source` and the line when a loss record, frame or summary line is malformed, or
 * when the text holds no leak check output at all.
 */
export function parseVgdbLeakCheck(text: string, source = 'vgdb leak_check output', opts: VgdbParseOptions = {}): VgdbLeakCheck {
  const result: VgdbLeakCheck = { records: [], noLeaks: false };
  const fail = (lineNo: number, message: string, line: string): never => {
    throw new Error(`${source}: ${message} at line ${lineNo}: '${preview(line)}'`);
  };
  let current: { kind: LeakKind; bytes: number; blocks: number; stack: StackFrame[]; indirectBytes?: number; bytesIncrease?: number; blocksIncrease?: number } | undefined;
  let inSummary = false;
  const finish = (): void => {
    if (current === undefined) return;
    const { fingerprint, label } = fingerprintLeak(current.kind, current.stack, opts.fingerprint);
    const record: LeakRecord = { kind: current.kind, bytes: current.bytes, blocks: current.blocks, stack: current.stack, fingerprint, label };
    if (current.indirectBytes !== undefined) record.indirectBytes = current.indirectBytes;
    if (current.bytesIncrease !== undefined) record.bytesIncrease = current.bytesIncrease;
    if (current.blocksIncrease !== undefined) record.blocksIncrease = current.blocksIncrease;
    result.records.push(record);
    current = undefined;
  };

  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\r$/, '');
    const prefix = PREFIX.exec(raw);
    if (prefix && result.pid === undefined) result.pid = Number(prefix[2]);
    const line = (prefix ? raw.slice(prefix[0].length) : raw).trim();
    const lineNo = n + 1;
    if (line === '') {
      finish();
      continue;
    }
    if (line === NO_LEAKS) {
      finish();
      result.noLeaks = true;
      continue;
    }
    if (line === 'LEAK SUMMARY:') {
      finish();
      inSummary = true;
      result.summary = {};
      continue;
    }
    const frame = FRAME.exec(line);
    if (frame) {
      // Frames of non-leak messages (e.g. an error report in the same log) are not ours.
      if (current !== undefined) current.stack.push(parseFrame(frame[1], frame[2]));
      continue;
    }
    if (RECORD_LIKE.test(line)) {
      finish();
      const m = RECORD.exec(line) ?? fail(lineNo, 'malformed loss record', raw);
      // Groups: 1 bytes, 2 (+bytes), 3-6 direct/indirect split, 7 blocks, 8 (+blocks), 9 kind.
      const kind = KINDS_BY_TEXT[m[9]];
      current = { kind, bytes: count(m[1]), blocks: count(m[7]), stack: [] };
      if (m[5] !== undefined) current.indirectBytes = count(m[5]);
      if (m[2] !== undefined) current.bytesIncrease = count(m[2]);
      if (m[8] !== undefined) current.blocksIncrease = count(m[8]);
      continue;
    }
    if (inSummary && result.summary !== undefined) {
      const s = SUMMARY.exec(line);
      if (s) {
        const entry: LeakSummaryLine = { bytes: count(s[2]), blocks: count(s[4]) };
        if (s[3] !== undefined) entry.bytesIncrease = count(s[3]);
        if (s[5] !== undefined) entry.blocksIncrease = count(s[5]);
        const key = s[1] === 'suppressed' ? 'suppressed' : KINDS_BY_TEXT[s[1]];
        (result.summary as LeakSummary)[key] = entry;
        continue;
      }
      if (/^(definitely lost|indirectly lost|possibly lost|still reachable|suppressed):/.test(line)) {
        fail(lineNo, 'malformed LEAK SUMMARY line', raw);
      }
    }
    // Anything else (hints, "Reachable blocks ... are not shown", heuristics, gdb banners) is not ours.
  }
  finish();
  if (!result.noLeaks && result.summary === undefined && result.records.length === 0) {
    throw new Error(`${source}: no leak check output (expected loss records, 'LEAK SUMMARY:' or '${NO_LEAKS}'): '${preview(text.trim())}'`);
  }
  return result;
}

/** "malloc (in /usr/lib/x.so)", "leak_one (loop.c:4)", "Box<int>::make() (/src/cpp.cpp:5)", "???". */
function parseFrame(ip: string, rest: string): StackFrame {
  const frame: StackFrame = { ip };
  let fn = rest;
  const inObj = /^(.*) \(in (.+)\)$/.exec(rest);
  const atLine = inObj ? null : /^(.*) \(([^()]+):(\d+)\)$/.exec(rest);
  if (inObj) {
    fn = inObj[1];
    frame.obj = inObj[2];
  } else if (atLine) {
    fn = atLine[1];
    const path = atLine[2];
    const slash = path.lastIndexOf('/');
    if (slash >= 0) {
      frame.dir = path.slice(0, slash);
      frame.file = path.slice(slash + 1);
    } else {
      frame.file = path;
    }
    frame.line = Number(atLine[3]);
  }
  if (fn !== '???' && fn !== '') frame.fn = fn;
  return frame;
}

/** "1,024" or "+1,024" or "-8" -> number. */
function count(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function preview(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

// ---------------------------------------------------------------------------------------------
// I/O

export interface RunVgdbOptions {
  /** Kill vgdb and reject after this long. */
  timeoutMs: number;
  /** Default 'vgdb' (from PATH). */
  vgdbPath?: string;
  /**
   * vgdb --wait=N: keep looking for the valgrind gdbserver of that pid for up to N seconds. Needed
   * right after valgrind starts: its gdbserver FIFOs appear only after its first messages (measured:
   * vgdb ran as soon as "(action at startup) vgdb me" was printed found no FIFO). Default: no wait.
   */
  waitSeconds?: number;
}

/** The arguments runVgdbLeakCheck passes to vgdb. */
export function vgdbLeakCheckArgs(pid: number, waitSeconds?: number): string[] {
  const wait = waitSeconds !== undefined ? [`--wait=${waitSeconds}`] : [];
  return [...wait, `--pid=${pid}`, 'leak_check', 'full', 'reachable', 'increased'];
}

/**
 * Runs `vgdb --pid=PID leak_check full reachable increased` and resolves with what it printed on
 * stdout (parse it with parseVgdbLeakCheck). Rejects with an Error naming the command when vgdb is
 * missing, exits non-zero (e.g. no valgrind with --vgdb=yes at that pid) or does not answer in time.
 */
export async function runVgdbLeakCheck(pid: number, opts: RunVgdbOptions): Promise<string> {
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new Error(`vgdb leak check: pid must be a positive whole number, got ${preview(String(pid))}`);
  }
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    throw new Error(`vgdb leak check: timeoutMs must be a positive number, got ${preview(String(opts.timeoutMs))}`);
  }
  if (opts.waitSeconds !== undefined && (!Number.isInteger(opts.waitSeconds) || opts.waitSeconds < 0)) {
    throw new Error(`vgdb leak check: waitSeconds must be a whole number >= 0, got ${preview(String(opts.waitSeconds))}`);
  }
  const vgdb = opts.vgdbPath ?? 'vgdb';
  const args = vgdbLeakCheckArgs(pid, opts.waitSeconds);
  const command = `${vgdb} ${args.join(' ')}`;
  let r: BoundedResult;
  try {
    r = await runBounded(vgdb, args, { timeoutMs: opts.timeoutMs });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(
      err.code === 'ENOENT' ? `${command}: vgdb not found at '${vgdb}' (install valgrind, or set the vgdb path)` : `${command}: could not start vgdb: ${err.message}`,
    );
  }
  const tail = lastLines(r.stderr, 5);
  if (r.timedOut) {
    throw new Error(
      `${command}: no answer within ${opts.timeoutMs} ms (valgrind answers only while the program runs, or when vgdb ` +
        `may ptrace it; is the process idle in a system call?)${tail ? `; vgdb said: ${tail}` : ''}`,
    );
  }
  if (r.code !== 0) throw new Error(`${command}: vgdb exited with ${r.code ?? r.signal}${tail ? `: ${tail}` : ''}`);
  return r.stdout;
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
