// The kernel's own word on an OOM kill, for when no cgroup counter can say (the app is not in a fresh cgroup, or the
// kernel keeps no oom_kill count): the kernel log's "Killed process PID (comm)" lines, read from /dev/kmsg without
// blocking, else from `dmesg`. The parser is pure; readKernelLog does the I/O and says why when it cannot read.
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** One OOM kill the kernel logged. */
export interface KernelOomKill {
  pid: number;
  /** The process name in parentheses ("node"), '' in the oom-kill: summary line's absence. */
  comm: string;
  /** "Memory cgroup out of memory" (a cgroup's limit) rather than the whole machine's "Out of memory". */
  cgroup: boolean;
  /** Microseconds since boot (the record's timestamp, CLOCK_MONOTONIC); null when the line has none. */
  atUs: number | null;
  /** The message without its timestamp prefix. */
  message: string;
}

/** /dev/kmsg records: "priority,sequence,microseconds,flags[,...];message". */
const KMSG_PREFIX = /^(\d+),(\d+),(\d+),[^;]*;/;
/** dmesg lines: "[  306.654224] message". */
const DMESG_PREFIX = /^\[\s*(\d+)\.(\d{1,6})\]\s?/;
/**
 * "Killed process 4512 (node) total-vm:..." (Linux 4.19+, after "Out of memory: " or "Memory cgroup out of memory: "),
 * and older kernels' "Kill process 4512 (node) score 1000 or sacrifice child", which came before the kill itself.
 */
const KILLED = /\bKill(?:ed)? process (\d+) \(([^)]*)\)/;

/** The OOM kills in kernel log text (dmesg output or /dev/kmsg records, one per line), oldest first. */
export function parseKernelOomKills(text: string): KernelOomKill[] {
  const out: KernelOomKill[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trimEnd();
    let atUs: number | null = null;
    const kmsg = KMSG_PREFIX.exec(line);
    const dmesg = kmsg ? null : DMESG_PREFIX.exec(line);
    if (kmsg) atUs = Number(kmsg[3]);
    else if (dmesg) atUs = Number(dmesg[1]) * 1e6 + Number(dmesg[2]!.padEnd(6, '0'));
    line = line.slice((kmsg ?? dmesg)?.[0].length ?? 0);
    const m = KILLED.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    // "Kill process" and its "Killed process" are one kill on the kernels that print both.
    const previous = out.at(-1);
    if (previous && previous.pid === pid && !/\bKilled process/.test(previous.message)) out.pop();
    out.push({ pid, comm: m[2]!, cgroup: /Memory cgroup out of memory/i.test(line), atUs, message: line });
  }
  return out;
}

/**
 * The kills of processes in `pids` logged since `sinceUs` (microseconds since boot; a record without a timestamp
 * counts). A pid number is reused only after the kernel has gone through all others, so pid and time together
 * name the app's process, not an older one.
 */
export function oomKillsOf(kills: readonly KernelOomKill[], pids: ReadonlySet<number>, sinceUs: number): KernelOomKill[] {
  return kills.filter((k) => pids.has(k.pid) && (k.atUs === null || k.atUs >= sinceUs));
}

/** Microseconds since boot on the kernel log's clock: Node's hrtime is CLOCK_MONOTONIC on Linux, as printk's is. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The kernel log's text, or why it could not be read (not root, kernel.dmesg_restrict, no dmesg). */
export type KernelLog = { text: string } | { error: string };

/** Reads /dev/kmsg's records without blocking (each read returns one record; EAGAIN means no more). */
function readKmsg(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(16 * 1024);
    const records: string[] = [];
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        // The ring buffer overwrote records we had not read yet: the next read goes on with the oldest left.
        if (code === 'EPIPE') continue;
        throw err;
      }
      if (n === 0) break;
      records.push(buf.toString('utf8', 0, n).replace(/\n$/, ''));
    }
    return records.join('\n');
  } finally {
    closeSync(fd);
  }
}

/** /dev/kmsg, else `dmesg` (bounded by `timeoutMs`); never throws. */
export async function readKernelLog(opts: { kmsgPath?: string; dmesg?: string; timeoutMs?: number } = {}): Promise<KernelLog> {
  const kmsgPath = opts.kmsgPath ?? '/dev/kmsg';
  let kmsgError: string;
  try {
    return { text: readKmsg(kmsgPath) };
  } catch (err) {
    kmsgError = `${kmsgPath}: ${(err as Error).message}`;
  }
  const dmesg = opts.dmesg ?? 'dmesg';
  return new Promise((resolve) => {
    execFile(dmesg, [], { timeout: opts.timeoutMs ?? 5000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      if (err) resolve({ error: `${kmsgError}; ${dmesg}: ${String(stderr).trim() || err.message}` });
      else resolve({ text: stdout });
    });
  });
}
