// Tears down the app's whole process tree: SIGTERM to its process group (and to descendants that
// left the group, found by the run marker), a grace period, then SIGKILL to whatever remains;
// then waits, bounded, until no process of the group or carrying the marker is left.
import { setTimeout as delay } from 'node:timers/promises';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ExitStatus } from '../core/types.js';
import { findGroupMembers, findMarkedProcesses } from './marked-processes.js';
import { killQuietly, type Target, type TargetExit } from './start-target.js';

export interface StopTargetOptions {
  /** How long the tree may take to exit after SIGTERM before it is SIGKILLed. */
  graceMs: number;
  logger?: Logger;
  /** How long to wait for the tree to disappear after SIGKILL. Default 5000 ms. */
  reapTimeoutMs?: number;
  /** For tests. Default '/proc'. */
  procRoot?: string;
}

const POLL_MS = 50;
/** After the tree is gone, how long to let the output pipes drain before closing them. */
const DRAIN_MS = 1000;

const stopping = new WeakMap<Target, Promise<ExitStatus>>();

/**
 * Stops the app and every process it started. Safe to call more than once (and concurrently):
 * later calls return the first call's result. `early` is true when the app had already exited
 * on its own when stop was first called.
 */
export function stopTarget(target: Target, opts: StopTargetOptions): Promise<ExitStatus> {
  let result = stopping.get(target);
  if (!result) {
    result = stop(target, opts);
    stopping.set(target, result);
  }
  return result;
}

async function stop(target: Target, opts: StopTargetOptions): Promise<ExitStatus> {
  const early = target.hasExited();
  const logger = opts.logger ?? silentLogger;
  const procRoot = opts.procRoot ?? '/proc';
  const { pgid, marker } = target;
  const remaining = async (): Promise<number[]> => {
    const [group, marked] = await Promise.all([findGroupMembers(pgid, procRoot), findMarkedProcesses(marker, procRoot)]);
    return [...new Set([...group, ...marked])].sort((a, b) => a - b);
  };

  let left: number[] = [];
  let clean = false;
  try {
    // 1. Ask: the group in one signal, and each descendant that left the group on its own, so a
    //    daemonised worker also gets its chance to shut down cleanly.
    const [group, marked] = await Promise.all([findGroupMembers(pgid, procRoot), findMarkedProcesses(marker, procRoot)]);
    killQuietly(-pgid, 'SIGTERM');
    const escaped = marked.filter((pid) => !group.includes(pid));
    for (const pid of escaped) killQuietly(pid, 'SIGTERM');
    logger.debug(
      `stopping ${target.command}: SIGTERM to process group ${pgid}` +
        (escaped.length > 0 ? ` and to ${escaped.length} process(es) outside it (${escaped.join(', ')})` : ''),
    );

    // 2. Grace: the leader's exit is an event; the rest of the tree is polled.
    const graceEnd = Date.now() + Math.max(0, opts.graceMs);
    await within(target.exited, opts.graceMs);
    left = await remaining();
    while (left.length > 0 && Date.now() < graceEnd) {
      await delay(Math.min(POLL_MS, Math.max(1, graceEnd - Date.now())));
      left = await remaining();
    }

    // 3. Force.
    if (left.length > 0 || !target.hasExited()) {
      logger.debug(`still running ${opts.graceMs} ms after SIGTERM: ${left.join(', ') || `pid ${target.pid}`}; sending SIGKILL`);
      killAll(pgid, left);
    }

    // 4. Reap, bounded: SIGKILL again anything that appears meanwhile (a fork in flight).
    const reapEnd = Date.now() + (opts.reapTimeoutMs ?? 5000);
    for (;;) {
      left = await remaining();
      if (left.length === 0 && target.hasExited()) break;
      if (Date.now() >= reapEnd) break;
      killAll(pgid, left);
      await delay(POLL_MS);
    }
    if (left.length > 0) {
      logger.warn(
        `could not stop every process of ${target.command}: ${left.join(', ')} still running ` +
          `(uninterruptible sleep? look at /proc/PID/stat)`,
      );
    }

    const exit: TargetExit = target.exitStatus() ?? (await within(target.exited, Math.max(0, reapEnd - Date.now()))) ?? { code: null, signal: null };
    if (!target.hasExited()) logger.warn(`${target.command} (pid ${target.pid}) did not exit after SIGKILL`);

    // Output may still sit in the pipes; read it, but do not wait on a pipe a survivor holds open.
    await within(target.outputEnded, DRAIN_MS);
    clean = left.length === 0 && target.hasExited();
    return { code: exit.code, signal: exit.signal, early };
  } finally {
    // Survivors stay covered by the exit-time safety kill.
    target.dispose({ keepExitKill: !clean });
  }
}

function killAll(pgid: number, pids: number[]): void {
  killQuietly(-pgid, 'SIGKILL');
  for (const pid of pids) killQuietly(pid, 'SIGKILL');
}

/** The promise's value if it settles within ms, else undefined. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const timeout = new AbortController();
  try {
    return await Promise.race([promise, delay(ms, undefined, { signal: timeout.signal }).catch(() => undefined)]);
  } finally {
    timeout.abort();
  }
}
