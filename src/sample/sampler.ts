// Samples the memory of the app's process tree at a fixed interval for the length of a trial,
// pairing each reading with the number of requests served so far, so the analysis can fit memory
// against requests. The clock and the request counter are passed in; the sampler owns only the
// timer and the order of reads. The reads themselves are cost-aware (see createTreeMemoryReader).

import type { CgroupFigures, Sample } from '../core/types.js';
import { readCgroupMemory, type CgroupHandle } from './cgroup.js';
import { createTreeMemoryReader, type ProcessInfo, type TreeReaderStats } from './read-memory.js';

export interface SamplerOptions {
  /** The process leakgate started. */
  rootPid: number;
  /** The app's process group (it is started in its own), to keep orphans in the tree. */
  pgid?: number;
  /** Also sample these processes (an attached cgroup's members), listed again at every full scan. */
  members?: () => readonly number[];
  /**
   * 'cgroup': the sample's total anon is the cgroup's anon (memory.stat, what cAdvisor reports) rather than the
   * processes' RssAnon summed; needs `cgroup`. For an attached cgroup, whose processes leakgate did not start.
   */
  anonFrom?: 'processes' | 'cgroup';
  intervalMs: number;
  /** Requests completed so far, read when each sample is taken. */
  requests: () => number;
  /** Monotonic milliseconds, e.g. performance.now. */
  now: () => number;
  /** The now() value at which t = 0 (load start); may change once, when load starts. */
  origin: () => number;
  procRoot?: string;
  /** Called with each sample as it is taken (t relative to origin() at that moment). */
  onSample?: (s: Sample) => void;
  /** Called with any error reading /proc or from the callbacks; that tick records nothing. */
  onError?: (e: unknown) => void;
  /** Also read this memory cgroup at every sample (Sample.cgroup); a failed cgroup read goes to onError. */
  cgroup?: CgroupHandle;
  /** Share of one core the smaps_rollup reads (pss, uss) may cost on average (default 0.005). */
  fullReadBudget?: number;
  /** Full /proc scan for the tree every this many samples (default 20). */
  rescanEvery?: number;
}

export interface Sampler {
  /** Stops the timer, waits for a read in progress, and returns every sample. */
  stop(): Promise<Sample[]>;
  /** The samples so far. */
  samples(): readonly Sample[];
  /** Takes a sample now, after any read in progress; null if the tree is empty or stopped. */
  sampleNow(): Promise<Sample | null>;
  /** Every process seen so far, with its command line (read when first seen, and again after an exec). */
  processes(): ReadonlyMap<number, ProcessInfo>;
  /** What the reads cost and how often the full reads came. */
  stats(): TreeReaderStats;
}

interface Reading {
  /** now() when the sample was taken: t is derived from it against the final origin(). */
  at: number;
  sample: Sample;
}

/**
 * Starts sampling at once (tick 0), then at t0 + k * intervalMs. A read that overruns its tick
 * makes the sampler skip the ticks it missed instead of catching up in a burst, and two reads
 * never overlap.
 *
 * Samples returned by samples() and stop() have t measured against origin() as it is when they
 * are returned, so samples taken before load started come out negative even though origin()
 * only moved to the load start later.
 */
export function startSampler(opts: SamplerOptions): Sampler {
  const { rootPid, pgid, members, intervalMs, requests, now, origin, procRoot, onSample, onError, cgroup } = opts;
  if (opts.anonFrom === 'cgroup' && !cgroup) throw new Error("sampler anonFrom 'cgroup' needs a cgroup");
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new RangeError(`sampler intervalMs must be a positive number of milliseconds, got ${intervalMs}`);
  }
  const reader = createTreeMemoryReader(rootPid, {
    procRoot,
    pgid,
    members,
    intervalMs,
    fullReadBudget: opts.fullReadBudget,
    rescanEvery: opts.rescanEvery,
  });
  const readings: Reading[] = [];
  const t0 = now();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Every read is chained on the previous one, so a sampleNow() during a timer read waits.
  let chain: Promise<unknown> = Promise.resolve();

  const report = (err: unknown): void => {
    try {
      onError?.(err);
    } catch {
      // An error handler that throws has nowhere else to go; a timer callback must not throw.
    }
  };

  const readOnce = async (): Promise<Sample | null> => {
    try {
      const at = now();
      const served = requests();
      const { total, processes, full } = reader.read();
      if (processes.length === 0) return null; // the app has exited: nothing to record
      const sample: Sample = { t: at - origin(), requests: served, total, processes, full };
      if (cgroup) {
        let figures: CgroupFigures | undefined;
        try {
          figures = readCgroupMemory(cgroup);
        } catch (err) {
          report(err); // the process figures are recorded all the same
        }
        if (figures) sample.cgroup = figures;
        // No cgroup reading, no sample: a total mixing the two sources would put a step in the series.
        if (opts.anonFrom === 'cgroup') {
          if (!figures) return null;
          sample.total = { ...total, anon: figures.anon };
        }
      }
      readings.push({ at, sample });
      try {
        onSample?.(sample);
      } catch (err) {
        report(err); // the sample is recorded all the same
      }
      return sample;
    } catch (err) {
      report(err);
      return null;
    }
  };

  const serialized = (): Promise<Sample | null> => {
    const read = chain.then(readOnce);
    chain = read;
    return read;
  };

  const tick = async (index: number): Promise<void> => {
    timer = undefined;
    await serialized();
    if (stopped) return;
    // Next tick after the one just run and after now: a late timer or a slow read skips the
    // ticks it missed rather than firing them back to back, and a timer that fires a little
    // early (timers round to whole ms) does not take the same tick twice.
    const next = Math.max(index + 1, Math.floor((now() - t0) / intervalMs) + 1);
    timer = setTimeout(() => void tick(next), Math.max(0, t0 + next * intervalMs - now()));
    // The sampler only watches: it must never be what keeps the process alive (a caller that
    // forgot stop() after an error would otherwise hang the CLI).
    timer.unref();
  };

  const snapshot = (): Sample[] => {
    const o = origin();
    return readings.map(({ at, sample }) => ({ ...sample, t: at - o }));
  };

  void tick(0);

  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await chain;
      return snapshot();
    },
    samples: snapshot,
    sampleNow() {
      if (stopped) return Promise.resolve(null);
      return serialized();
    },
    processes: () => reader.processes(),
    stats: () => reader.stats(),
  };
}
