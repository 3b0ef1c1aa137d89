// The Python runtime probe (`runtime: python`): a sitecustomize hook (python-hook.ts) starts
// tracemalloc in every Python process of the app; after the warm-up and at the end of the load the
// probe asks each for a snapshot, then diffs them into the source lines whose live memory grew.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { TargetSpec } from '../target/index.js';
import { PYTHON_HOOK_FILE, PYTHON_HOOK_SOURCE } from '../runtime/python-hook.js';
import {
  diffTracemallocProcesses,
  parseSnapshotFileName,
  parseTracemallocSnapshot,
  siteName,
  type TracemallocSnapshot,
} from '../runtime/python-tracemalloc.js';
import type { RuntimeEvidence } from './evidence.js';
import { readAfterWarmup, type ProbeContext, type TrialProbe, type WarmupReading } from './probe.js';

export interface PythonProbeOptions {
  /** Sites listed in the evidence. Default 15. */
  top?: number;
  logger?: Logger;
  /** Frames per traceback tracemalloc keeps (1: the allocating line only, the cheapest). Default 1. */
  frames?: number;
  /** Sites that grew by less are left out, bytes. Default 1024. */
  minBytesDelta?: number;
  /** Sites that grew by less per request served between the snapshots are left out, bytes. Default 8. */
  minBytesPerRequest?: number;
  /** How long to wait for every Python process to write a snapshot. Default 30 s. */
  snapshotTimeoutMs?: number;
}

/** One request for snapshots and who answered. */
export interface SnapshotRound {
  seq: number;
  /** ms since the load started, when the probe asked (each process answers within ~200 ms). */
  t: number;
  /** Requests served when the probe asked. */
  requests: number;
  /** From asking until the last answer, ms. */
  ms: number;
  answered: number[];
  /** Processes that had loaded the hook, were alive, and did not answer in time. */
  missing: number[];
}

/** Sub-directory of ctx.outDir the hook writes into. */
export const TRACEMALLOC_SUBDIR = 'tracemalloc';
const POLL_MS = 100;

/**
 * Creates the probe. How it asks for snapshots: it writes a sequence number into <dir>/request, and
 * a daemon thread in each Python process polls that file every 200 ms and answers with
 * snapshot-<pid>-<n>.jsonl. No signal, because: a signal sent to the process group kills any
 * process without a handler for it (a shell wrapper, a non-Python sidecar); gunicorn and uWSGI
 * already use SIGUSR1, SIGUSR2, SIGHUP and SIGTTIN; Python runs signal handlers only in the main
 * thread between bytecodes; and a forked worker restarts its poller (os.register_at_fork), so
 * workers answer without being found first. A user's own sitecustomize, which ours shadows by
 * coming first on PYTHONPATH, is found on sys.path after ours and run by the hook. Python started
 * with -I, -E or -S, or a shell script that sets PYTHONPATH itself, does not load the hook: finish
 * then fails saying so. Tracing costs throughput (see the report); it runs from the app's start.
 */
export function createPythonProbe(opts: PythonProbeOptions = {}): TrialProbe {
  const top = opts.top ?? 15;
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`python probe: top must be an integer >= 1, got ${top}`);
  const frames = opts.frames ?? 1;
  if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`python probe: frames must be an integer >= 1, got ${frames}`);
  const logger = opts.logger ?? silentLogger;
  const minBytesDelta = opts.minBytesDelta ?? 1024;
  const minBytesPerRequest = opts.minBytesPerRequest ?? 8;
  const timeoutMs = opts.snapshotTimeoutMs ?? 30_000;
  let hookDir: string | null = null;
  let dataDir = '';
  let appCwd = '';
  let loadStartedAt = 0;
  let reading: WarmupReading<SnapshotRound> | null = null;
  let first: SnapshotRound | null = null;
  let second: SnapshotRound | null = null;
  let disposed = false;

  const round = async (seq: number, ctx: ProbeContext): Promise<SnapshotRound> => {
    const t = ctx.now() - loadStartedAt;
    const requests = ctx.requests();
    const asked = performance.now();
    requestSnapshot(dataDir, seq);
    for (;;) {
      const { answered, waiting } = snapshotStatus(dataDir, seq);
      if (waiting.length === 0 || performance.now() - asked >= timeoutMs || disposed) {
        const r: SnapshotRound = { seq, t, requests, ms: performance.now() - asked, answered, missing: waiting };
        logger.debug(`python probe: snapshot ${seq} from ${answered.length} process(es)${waiting.length ? `, none from ${waiting.join(', ')} within ${timeoutMs} ms` : ''}`);
        return r;
      }
      await delay(POLL_MS);
    }
  };

  return {
    name: 'python',
    prepare(spec: TargetSpec, ctx: ProbeContext): TargetSpec {
      // A probe may serve several trials in turn: start clean.
      reading = null;
      first = null;
      second = null;
      disposed = false;
      dataDir = resolve(ctx.outDir, TRACEMALLOC_SUBDIR);
      mkdirSync(dataDir, { recursive: true });
      hookDir = mkdtempSync(join(tmpdir(), 'leakgate-pyhook-'));
      writeFileSync(join(hookDir, PYTHON_HOOK_FILE), PYTHON_HOOK_SOURCE);
      appCwd = resolve(spec.cwd);
      return { ...spec, env: { ...spec.env, ...pythonHookEnv(hookDir, dataDir, frames, spec.env.PYTHONPATH ?? process.env.PYTHONPATH) } };
    },
    loadStarted(_target, ctx) {
      loadStartedAt = ctx.now();
      reading = readAfterWarmup(ctx, () => round(1, ctx));
    },
    async loadEnded(_target, ctx) {
      if (reading === null) throw new Error('loadEnded without loadStarted: no tracemalloc snapshot was taken');
      first = await reading.settle('tracemalloc snapshot');
      second = await round(2, ctx);
    },
    async finish() {
      if (first === null || second === null) throw new Error('no tracemalloc snapshots to compare (see the earlier failure)');
      const a = first;
      const hooked = helloPids(dataDir);
      if (hooked.length === 0) {
        throw new Error(
          `no Python process loaded leakgate's tracemalloc hook (nothing in ${dataDir}): is the app Python 3.7+, ` +
            'started without -I, -E or -S, and does it keep PYTHONPATH?',
        );
      }
      const { snapshots, problems } = readSnapshots(dataDir);
      return { runtime: pythonEvidence(snapshots, a, second, { top, minBytesDelta, minBytesPerRequest, cwd: appCwd, notes: problems }) };
    },
    async dispose() {
      disposed = true;
      reading?.cancel();
      if (hookDir !== null) rmSync(hookDir, { recursive: true, force: true });
      hookDir = null;
    },
  };
}

/**
 * The environment that makes Python load the hook in `hookDir`: that directory first on
 * PYTHONPATH (the user's PYTHONPATH kept after it), where to write, and how many frames to trace.
 */
export function pythonHookEnv(hookDir: string, dataDir: string, frames: number, userPythonPath: string | undefined): Record<string, string> {
  return {
    PYTHONPATH: userPythonPath ? `${hookDir}:${userPythonPath}` : hookDir,
    LEAKGATE_TRACEMALLOC_DIR: dataDir,
    LEAKGATE_TRACEMALLOC_FRAMES: String(frames),
  };
}

/** The evidence from the snapshots of two rounds, merged across processes. */
export function pythonEvidence(
  snapshots: readonly TracemallocSnapshot[],
  a: SnapshotRound,
  b: SnapshotRound,
  opts: { top: number; minBytesDelta: number; minBytesPerRequest?: number; cwd?: string; notes?: readonly string[] },
): RuntimeEvidence {
  const { growing, pairedPids, unpaired } = diffTracemallocProcesses(snapshots, a.seq, b.seq, Number.MAX_SAFE_INTEGER);
  const requests = b.requests - a.requests;
  const floor = Math.max(opts.minBytesDelta, requests > 0 ? requests * (opts.minBytesPerRequest ?? 0) : 0);
  const shown = growing.filter((g) => g.bytesDelta >= floor).slice(0, opts.top);
  const pick = (seq: number) => snapshots.filter((s) => s.seq === seq && pairedPids.includes(s.pid));
  const sum = (list: TracemallocSnapshot[], f: (s: TracemallocSnapshot) => number) => list.reduce((acc, s) => acc + f(s), 0);
  const [sa, sb] = [pick(a.seq), pick(b.seq)];
  const worst = (f: (s: TracemallocSnapshot) => number) => Math.round(Math.max(0, ...[...sa, ...sb].map(f)));
  const topSite = shown[0];
  const parts = [
    `tracemalloc snapshots of ${pairedPids.length} Python process(es) at ${Math.round(a.t)} ms and ${Math.round(b.t)} ms into the load` +
      (requests > 0 ? `, ${requests} requests apart` : ''),
    `traced ${sum(sa, (s) => s.filteredBytes)} -> ${sum(sb, (s) => s.filteredBytes)} bytes (tracing itself held ${sum(sb, (s) => s.overheadBytes)} more)`,
    topSite
      ? `top growing line: ${siteName(topSite, opts.cwd)} (+${topSite.bytesDelta} bytes, ${topSite.countDelta >= 0 ? '+' : ''}${topSite.countDelta} blocks` +
        (requests > 0 ? `, ${Math.round(topSite.bytesDelta / requests)} bytes per request` : '') +
        ')'
      : `no line grew by ${floor} bytes or more`,
    `a snapshot paused the app for up to ${worst((s) => s.snapshotMs)} ms, then shared its CPU for up to ${worst((s) => s.statisticsMs)} ms`,
  ];
  if (unpaired.length > 0) parts.push(`process(es) ${unpaired.join(', ')} answered only one of the two requests and were left out`);
  const missing = [...new Set([...a.missing, ...b.missing])];
  if (missing.length > 0) parts.push(`process(es) ${missing.join(', ')} did not answer in time`);
  parts.push(...(opts.notes ?? []));
  return {
    kind: 'python',
    growing: shown.map((g) => ({ name: siteName(g, opts.cwd), detail: g.text, bytesDelta: g.bytesDelta, countDelta: g.countDelta, bytesEnd: g.bytesEnd })),
    note: parts.join('; '),
  };
}

/** Writes the sequence number atomically (the hook must never read half a number). */
function requestSnapshot(dir: string, seq: number): void {
  const tmp = join(dir, `request.${process.pid}.tmp`);
  writeFileSync(tmp, `${seq}\n`);
  renameSync(tmp, join(dir, 'request'));
}

/** Pids that wrote hello-<pid>.json: every process that loaded the hook. */
function helloPids(dir: string): number[] {
  return listDir(dir)
    .map((name) => /^hello-(\d+)\.json$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((x, y) => x - y);
}

/** Processes that answered request `seq` (with a snapshot or an error file), and live ones still to answer. */
function snapshotStatus(dir: string, seq: number): { answered: number[]; waiting: number[] } {
  const names = new Set(listDir(dir));
  const answered: number[] = [];
  const waiting: number[] = [];
  for (const pid of helloPids(dir)) {
    if (names.has(`snapshot-${pid}-${seq}.jsonl`) || names.has(`error-${pid}-${seq}.txt`)) answered.push(pid);
    else if (isHookedProcess(pid, dir)) waiting.push(pid);
  }
  return { answered, waiting };
}

/** Every snapshot file in dir, parsed; files that fail to parse and hook errors become notes. */
function readSnapshots(dir: string): { snapshots: TracemallocSnapshot[]; problems: string[] } {
  const snapshots: TracemallocSnapshot[] = [];
  const problems: string[] = [];
  for (const name of listDir(dir).sort()) {
    const path = join(dir, name);
    if (/^error-\d+-\d+\.txt$/.test(name)) {
      problems.push(`the hook failed in ${name.replace(/\.txt$/, '')}: ${readText(path).trim().slice(0, 200)}`);
      continue;
    }
    const id = parseSnapshotFileName(name);
    if (!id) continue;
    try {
      const snap = parseTracemallocSnapshot(readText(path), path);
      if (snap.pid !== id.pid || snap.seq !== id.seq) throw new Error(`${path}: header says pid ${snap.pid} seq ${snap.seq}, the name says pid ${id.pid} seq ${id.seq}`);
      snapshots.push(snap);
    } catch (err) {
      problems.push(errorMessage(err));
    }
  }
  return { snapshots, problems };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    return `(unreadable: ${errorMessage(err)})`;
  }
}

/** Alive (not a zombie) and, when its environment is readable, carrying our directory (not a reused pid). */
function isHookedProcess(pid: number, dir: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X' || state === '') return false;
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`LEAKGATE_TRACEMALLOC_DIR=${dir}`);
  } catch {
    return true;
  }
}
