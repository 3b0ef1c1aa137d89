// The container view (what cAdvisor shows): with cgroup.limit, the app starts in a fresh memory cgroup with that
// limit (the sampler reads the cgroup's usage, anon, file and kernel memory at each tick, and the projection uses
// the limit); in every case an app that dies of SIGKILL is checked against the cgroup's OOM-kill counter, so an
// OOM kill is reported as the reason rather than as a crash. Where no counter is readable (no cgroup of its own,
// or a kernel without oom_kill), the kernel log's "Killed process PID" lines for the app's pids decide.
import { MeasureError } from '../core/errors.js';
import type { CgroupHandle, MemoryCgroup } from '../sample/cgroup.js';
import { cgroupWrappedCommand, createMemoryCgroup, detectCgroup } from '../sample/cgroup.js';
import { diagnoseOom, readOomKills } from '../sample/oom.js';
import { monotonicUs, oomKillsOf, parseKernelOomKills, readKernelLog } from '../sample/kernel-log.js';
import { isAttached, type TargetSpec } from '../target/index.js';
import type { TrialProbe } from './probe.js';

export interface CgroupProbeOptions {
  /** Start the app in a fresh cgroup with this limit; undefined = run where leakgate runs. */
  limitBytes?: number;
  /** Sample the app's own cgroup when no fresh one is made (off by default: on a runner it is the whole job's). */
  sampleOwn: boolean;
  /** Unique per trial. */
  name: string;
}

/** The command as an argument list, whatever form the config gave it in. */
export function argvOf(spec: TargetSpec): string[] {
  return typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : spec.command;
}

export function createCgroupProbe(opts: CgroupProbeOptions): TrialProbe {
  let fresh: MemoryCgroup | null = null;
  let own: CgroupHandle | null = null;
  let killsBefore: number | null = null;
  // The app's root pid and when it started: an OOM kill in the kernel log must name a pid of the app's tree (the
  // root, or one the sampler saw while it ran: a process killed is gone by finish()), after that time.
  let rootPid: number | null = null;
  let startedUs = 0;
  // An attached cgroup (app.attach cgroup or container) is always sampled and its OOM counter always read: its
  // processes may be OOM-killed without leakgate seeing an exit status.
  let attached = false;
  return {
    name: 'cgroup',
    prepare(spec) {
      if (opts.limitBytes === undefined) return spec;
      try {
        fresh = createMemoryCgroup({ limitBytes: opts.limitBytes, name: opts.name });
      } catch (e) {
        throw new MeasureError(`cgroup.limit: could not make a memory cgroup for the app: ${(e as Error).message}`);
      }
      killsBefore = fresh.oomKills();
      return { ...spec, command: cgroupWrappedCommand(fresh.dir, argvOf(spec)), shell: false };
    },
    started(target) {
      rootPid = target.pid;
      startedUs = monotonicUs();
      if (fresh) return;
      const theirs = isAttached(target) ? target.attached.cgroup : null;
      attached = theirs !== null;
      own = theirs ?? detectCgroup(target.pid);
      killsBefore = own ? readOomKills(own) : null;
    },
    cgroup() {
      return fresh ?? (opts.sampleOwn || attached ? own : null);
    },
    async finish(exit, ctx) {
      const cg = fresh ?? own;
      const killed = exit.signal === 'SIGKILL' || exit.code === 137;
      if (!fresh && !killed && !attached) return {};
      const after = cg ? (fresh ? fresh.oomKills() : readOomKills(cg)) : null;
      const counted = killsBefore !== null && after !== null;
      const kernel = killed && !counted ? await kernelOomLines(new Set([...(rootPid === null ? [] : [rootPid]), ...(ctx.processesSeen?.() ?? [])])) : undefined;
      const oom = diagnoseOom({
        exitSignal: exit.signal,
        exitCode: exit.code,
        ...(attached ? { attached } : {}),
        oomKillsBefore: killsBefore,
        oomKillsAfter: after,
        ...(kernel && 'lines' in kernel ? { kernelMessages: kernel.lines } : {}),
        ...(kernel && 'error' in kernel ? { kernelLogError: kernel.error } : {}),
      });
      return { oom, ...(opts.limitBytes !== undefined ? { cgroupLimitBytes: opts.limitBytes } : {}) };
    },
    async dispose() {
      if (fresh) await fresh.remove(10_000);
    },
  };

  /** The kernel log's OOM kills of the app's processes since it started, or why the log could not be read. */
  async function kernelOomLines(pids: ReadonlySet<number>): Promise<{ lines: string[] } | { error: string }> {
    const log = await readKernelLog();
    if ('error' in log) return log;
    return { lines: oomKillsOf(parseKernelOomKills(log.text), pids, startedUs).map((k) => k.message) };
  }
}
