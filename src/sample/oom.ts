// Tells whether the app was killed by the kernel's OOM killer: pure parsers of the cgroup's OOM
// counters (v1 memory.oom_control, v2 memory.events), a reader for them, and the pure diagnosis
// that weighs the exit status against the counter (and kernel messages, when the caller has them).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlatKeyed, type CgroupHandle } from './cgroup.js';

export interface OomControl {
  oomKillDisable: boolean;
  underOom: boolean;
  /** OOM kills in this cgroup so far; null on kernels before 4.13, which have no such line. */
  oomKill: number | null;
}

/** v1 memory.oom_control: "oom_kill_disable 0\nunder_oom 0\noom_kill 1". */
export function parseOomControl(text: string): OomControl {
  const f = parseFlatKeyed(text, 'memory.oom_control');
  const disable = f.get('oom_kill_disable');
  const under = f.get('under_oom');
  if (disable === undefined || under === undefined) {
    throw new Error(`memory.oom_control: expected 'oom_kill_disable' and 'under_oom' lines, got '${text.trim().slice(0, 80)}'`);
  }
  return { oomKillDisable: disable !== 0, underOom: under !== 0, oomKill: f.get('oom_kill') ?? null };
}

export interface MemoryEvents {
  low: number;
  high: number;
  max: number;
  /** Times the cgroup hit its limit and reclaim failed (an OOM situation). */
  oom: number;
  /** Processes the OOM killer killed in this cgroup (and, without memory_localevents, its children). */
  oomKill: number;
  /** Group kills (memory.oom.group), Linux 5.17+; 0 where absent. */
  oomGroupKill: number;
}

/** v2 memory.events: "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0". */
export function parseMemoryEvents(text: string): MemoryEvents {
  const f = parseFlatKeyed(text, 'memory.events');
  const need = (key: string): number => {
    const v = f.get(key);
    if (v === undefined) throw new Error(`memory.events: field '${key}' is missing, got '${text.trim().slice(0, 80)}'`);
    return v;
  };
  return {
    low: need('low'),
    high: need('high'),
    max: need('max'),
    oom: need('oom'),
    oomKill: need('oom_kill'),
    oomGroupKill: f.get('oom_group_kill') ?? 0,
  };
}

/** The cgroup's OOM-kill counter now; null where the kernel keeps none (v1 before 4.13). */
export function readOomKills(cg: Pick<CgroupHandle, 'version' | 'dir'>): number | null {
  const file = cg.version === 1 ? 'memory.oom_control' : 'memory.events';
  let text: string;
  try {
    text = readFileSync(join(cg.dir, file), 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${join(cg.dir, file)}: ${(err as Error).message}`, { cause: err });
  }
  return cg.version === 1 ? parseOomControl(text).oomKill : parseMemoryEvents(text).oomKill;
}

export interface OomEvidence {
  /** Signal the app died of ('SIGKILL'), or null. */
  exitSignal: string | null;
  /** Exit code; 137 is how a shell reports a child killed by SIGKILL (128 + 9). */
  exitCode: number | null;
  /** The cgroup's oom_kill counter before the run and after it; null when unreadable. */
  oomKillsBefore: number | null;
  oomKillsAfter: number | null;
  /** Kernel log lines (dmesg), when the caller could read them: only those about the app's processes. */
  kernelMessages?: readonly string[];
  /** Why the kernel log could not be read, when the caller tried; said in a diagnosis that cannot tell. */
  kernelLogError?: string;
  /** The app's pid, to find "Killed process PID" in kernel messages. */
  pid?: number;
  /** The app was attached to (app.attach), not started: without an exit status it may have gone all the same. */
  attached?: boolean;
}

export interface OomDiagnosis {
  /** True when the evidence shows the OOM killer killed a process of the app. */
  oom: boolean;
  /** One sentence: what was seen. */
  evidence: string;
}

const KERNEL_OOM = /Out of memory|oom-kill|Memory cgroup out of memory|Killed process \d+/;

/**
 * Whether the app was OOM-killed. The cgroup counter is the evidence: it rose during the run. A
 * SIGKILL (or exit 137) alone is only a hint: anything may send SIGKILL, and without a counter the
 * diagnosis says it cannot tell. Kernel messages naming the pid (or any OOM line) count too.
 */
export function diagnoseOom(e: OomEvidence): OomDiagnosis {
  const killed = e.exitSignal === 'SIGKILL' || e.exitCode === 137;
  const how =
    e.exitSignal !== null ? `killed by ${e.exitSignal}` : e.exitCode !== null ? `exited with code ${e.exitCode}` : e.attached ? 'was attached to, not started, so its exit status is unknown' : 'still running';
  const before = e.oomKillsBefore;
  const after = e.oomKillsAfter;
  const counted = before !== null && after !== null;
  const kills = counted ? after - before : 0;
  const lines = (e.kernelMessages ?? []).filter((l) => KERNEL_OOM.test(l));
  const ours = e.pid !== undefined ? lines.find((l) => new RegExp(`Killed process ${e.pid}\\b`).test(l)) : undefined;

  if (counted && kills > 0) {
    const plural = kills === 1 ? '1 process' : `${kills} processes`;
    return killed
      ? { oom: true, evidence: `OOM kill: the app was ${how} and the cgroup's oom_kill counter rose from ${before} to ${after}` }
      : { oom: true, evidence: `the OOM killer killed ${plural} in the app's cgroup (oom_kill ${before} -> ${after}); the app itself ${how}` };
  }
  if (ours !== undefined) return { oom: true, evidence: `OOM kill: the kernel log says '${ours.trim().slice(0, 160)}'` };
  if (killed && lines.length > 0) return { oom: true, evidence: `OOM kill: the app was ${how} and the kernel log says '${lines[0]!.trim().slice(0, 160)}'` };
  if (counted) {
    return {
      oom: false,
      evidence: killed
        ? `not the OOM killer: the app was ${how} but the cgroup's oom_kill counter stayed at ${after}`
        : `no OOM kill: the cgroup's oom_kill counter stayed at ${after}; the app ${how}`,
    };
  }
  const kernelSaid =
    e.kernelLogError !== undefined ? ` and the kernel log was not readable (${e.kernelLogError})` : e.kernelMessages !== undefined ? ' and the kernel log names no OOM kill of it' : '';
  return {
    oom: false,
    evidence: killed
      ? `the app was ${how}, which is what the OOM killer sends, but no cgroup oom_kill counter was readable${kernelSaid}: cannot tell`
      : `no sign of an OOM kill (no cgroup counter readable); the app ${how}`,
  };
}

/** What a runtime prints when it runs out of memory, per runtime. */
const RUNTIME_OOM: ReadonlyArray<{ source: 'node' | 'jvm' | 'python'; pattern: RegExp }> = [
  // V8: "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", then SIGABRT.
  { source: 'node', pattern: /JavaScript heap out of memory|FATAL ERROR: .*Allocation failed/ },
  // JVM: "java.lang.OutOfMemoryError: Java heap space" (the JVM may live on, its threads dying one by one).
  { source: 'jvm', pattern: /java\.lang\.OutOfMemoryError|^Exception in thread .* OutOfMemoryError/ },
  // Python: a traceback's last line "MemoryError" (alone or with a message).
  { source: 'python', pattern: /^(?:\w+\.)*MemoryError(?::|$)/ },
];

/**
 * The runtime's own out-of-memory message among the lines the app printed, or null. Pure: the lines are the app's
 * output tail. Only whole lines of the runtime's wording count, so an app that logs the word "memory" does not.
 */
export function findRuntimeOom(lines: readonly string[]): { source: 'node' | 'jvm' | 'python'; line: string } | null {
  for (const line of lines) {
    const text = line.trim();
    for (const r of RUNTIME_OOM) if (r.pattern.test(text)) return { source: r.source, line: text.slice(0, 300) };
  }
  return null;
}
