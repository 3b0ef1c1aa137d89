// A probe gathers evidence about one trial beyond the memory samples: where memory grows (mappings, processes),
// the container (cgroup, OOM), the runtime's heap (Node, JVM, Python), native leak sites (valgrind, heaptrack).
// The gate calls every probe at the same points of a trial, in order; a probe may adjust how the app is started,
// and returns what it found for the trial's report. A probe that fails records why and never fails the trial,
// except where its failure means the run cannot be measured at all (prepare throws).
import type { TargetSpec, Target } from '../target/index.js';
import type { Logger } from '../core/logger.js';
import type { CgroupHandle } from '../sample/cgroup.js';
import type { TrialEvidence } from './evidence.js';

export interface ProbeContext {
  logger: Logger;
  /** Monotonic ms. */
  now: () => number;
  /** Requests served so far in this trial's load. */
  requests: () => number;
  /** Load length (ms) for probes that act at fractions of it. */
  loadDurationMs: number;
  /** The share of the load treated as warm-up at least. */
  warmupFraction: number;
  /** Directory for tool output files (valgrind XML, massif, heaptrack), unique per trial. */
  outDir: string;
  /** Every pid of the app's tree the sampler has seen so far (none before sampling starts). */
  processesSeen?: () => Iterable<number>;
}

export interface TrialProbe {
  readonly name: string;
  /** Before the app starts: wrap the command, add environment variables. May throw a ConfigError/MeasureError. */
  prepare?(spec: TargetSpec, ctx: ProbeContext): TargetSpec | Promise<TargetSpec>;
  /** Right after the app was spawned (before readiness): subscribe to its output. */
  started?(target: Target, ctx: ProbeContext): void;
  /** The cgroup the sampler should read at each tick, if this probe owns one. */
  cgroup?(): CgroupHandle | null;
  /** When the load starts (the app is ready). */
  loadStarted?(target: Target, ctx: ProbeContext): Promise<void> | void;
  /** While the load runs: the evidence so far that a verdict can use (the heap readings), for early-stopping looks. */
  peekEvidence?(): Partial<TrialEvidence>;
  /** When the load has ended, the app still running. */
  loadEnded?(target: Target, ctx: ProbeContext): Promise<void>;
  /** After the app has stopped: read results, return the evidence for the report. */
  finish?(exit: { code: number | null; signal: string | null }, ctx: ProbeContext): Promise<Partial<TrialEvidence>>;
  /** Always called last, whatever happened. */
  dispose?(): Promise<void>;
}

/** The first of a before/after pair of readings, taken once the warm-up share of the load has passed. */
export interface WarmupReading<T> {
  /** At load end: the reading, or an Error saying the load ended before the warm-up did and `what` was not taken. */
  settle(what: string): Promise<T>;
  /** Drops a reading not taken yet. */
  cancel(): void;
}

/** Schedules `take` at the warm-up share of the load (ctx.warmupFraction of ctx.loadDurationMs after now). */
export function readAfterWarmup<T>(ctx: ProbeContext, take: () => Promise<T>): WarmupReading<T> {
  const at = Math.max(0, ctx.warmupFraction * ctx.loadDurationMs);
  let taken: Promise<T> | null = null;
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    timer = undefined;
    taken = take();
    taken.catch(() => undefined); // awaited by settle(); not an unhandled rejection meanwhile
  }, at);
  timer.unref();
  return {
    async settle(what) {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
        throw new Error(`the load ended before the warm-up did (${Math.round(at)} ms): no first ${what} was taken`);
      }
      return taken!;
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Runs one hook on every probe in order, logging (not throwing) a probe's failure, and collecting notes. */
export async function eachProbe(probes: readonly TrialProbe[], ctx: ProbeContext, what: string, fn: (p: TrialProbe) => unknown): Promise<string[]> {
  const notes: string[] = [];
  for (const p of probes) {
    try {
      await fn(p);
    } catch (e) {
      const message = `${p.name}: ${what} failed: ${e instanceof Error ? e.message : String(e)}`;
      ctx.logger.warn(message);
      notes.push(message);
    }
  }
  return notes;
}
