// Figure 4: what sampling costs. CPU time per read of the sampler's tree reader (createTreeMemoryReader) for trees of idle processes
// (one `sh` with `sleep` children, in its own process group, killed as a group afterwards), the
// share of one core that is at 4 samples/s, and the jitter of startSampler's 250 ms ticks.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { listProcessTree } from '../src/sample/process-tree.js';
import { createTreeMemoryReader } from '../src/sample/read-memory.js';
import { startSampler } from '../src/sample/sampler.js';
import { quantile } from './figures.js';

export const TREE_SIZES = [1, 10, 50] as const;
export const SAMPLES_PER_SECOND = 4;

export interface OverheadRow {
  /** What the tree is, e.g. '10 idle'. */
  tree: string;
  processes: number;
  /** Processes the sampler found in the tree (should equal `processes`). */
  found: number;
  reads: number;
  cpuMsPerSample: number;
  wallMsPerSample: number;
  /** Share of one core at SAMPLES_PER_SECOND, percent. */
  corePercent: number;
}

export interface JitterResult {
  intervalMs: number;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** How late ticks were against the t0 + k·interval grid, ms. */
  lateP50: number;
  lateP99: number;
}

export interface SamplerResult {
  /** Processes on the whole machine (a full rescan of the tree reads /proc/PID/stat of each). */
  systemProcesses: number;
  rows: OverheadRow[];
  jitter: JitterResult;
}

const live = new Set<ChildProcess>();

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  live.delete(child);
}

/** For the entry's signal handler. */
export function abortSampler(): void {
  for (const child of [...live]) killTree(child);
}

/** An idle tree of `size` processes in its own group: `sleep` alone, or `sh` with size-1 sleeps. */
function spawnIdleTree(size: number): Promise<ChildProcess> {
  const child =
    size === 1
      ? spawn('sleep', ['600'], { detached: true, stdio: 'ignore' })
      : spawn('sh', ['-c', `i=0; while [ $i -lt ${size - 1} ]; do sleep 600 & i=$((i+1)); done; wait`], {
          detached: true,
          stdio: 'ignore',
        });
  return settle(child, size, (comm) => comm === 'sleep' || comm === 'sh');
}

/** One idle Node process holding BIG_MIB MiB of filled buffers: the smaps_rollup walk of a real heap. */
const BIG_MIB = 200;
function spawnBigNode(): Promise<ChildProcess> {
  const script = `const a=[];for(let i=0;i<${BIG_MIB};i++)a.push(Buffer.alloc(1<<20,1));console.log('ready');setInterval(()=>a.length,1e6)`;
  const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((res, rej) => {
    live.add(child);
    const timer = setTimeout(() => {
      killTree(child);
      rej(new Error('the node process holding memory did not come up within 10 s'));
    }, 10_000);
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      child.stdout!.resume();
      res(child);
    });
  });
}

async function settle(child: ChildProcess, size: number, ok: (comm: string) => boolean): Promise<ChildProcess> {
  live.add(child);
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const tree = await listProcessTree(child.pid!, { pgid: child.pid! });
    if (tree.length >= size && tree.every((p) => ok(p.comm))) return child;
    await sleep(20);
  }
  killTree(child);
  throw new Error(`idle tree of ${size} processes did not come up within 10 s`);
}

async function measureTree(tree: string, size: number, reads: number, start: () => Promise<ChildProcess>): Promise<OverheadRow> {
  const child = await start();
  try {
    const pid = child.pid!;
    // The sampler's own reader (cached tree, status every read, smaps_rollup within its CPU budget), read at the
    // sampler's pace so the budget sees real intervals.
    const reader = createTreeMemoryReader(pid, { pgid: pid, intervalMs: 1000 / SAMPLES_PER_SECOND });
    let found = 0;
    for (let i = 0; i < 10; i++) found = reader.read().processes.length;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < reads; i++) reader.read();
    const wall = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / reads;
    return {
      tree,
      processes: size,
      found,
      reads,
      cpuMsPerSample: cpuMs,
      wallMsPerSample: wall / reads,
      corePercent: (cpuMs * SAMPLES_PER_SECOND * 100) / 1000,
    };
  } finally {
    killTree(child);
  }
}

async function measureJitter(intervalMs: number, seconds: number): Promise<JitterResult> {
  const child = await spawnIdleTree(1);
  try {
    const pid = child.pid!;
    const t0 = performance.now();
    const sampler = startSampler({
      rootPid: pid,
      pgid: pid,
      intervalMs,
      requests: () => 0,
      now: () => performance.now(),
      origin: () => t0,
    });
    await sleep(seconds * 1000 + intervalMs / 2);
    const samples = await sampler.stop();
    const t = samples.map((s) => s.t);
    const intervals = t.slice(1).map((v, i) => v - t[i]!);
    const late = t.map((v) => v - Math.round(v / intervalMs) * intervalMs);
    return {
      intervalMs,
      samples: samples.length,
      p50: quantile(intervals, 0.5),
      p99: quantile(intervals, 0.99),
      max: Math.max(...intervals),
      lateP50: quantile(late, 0.5),
      lateP99: quantile(late, 0.99),
    };
  } finally {
    killTree(child);
  }
}

export async function runSamplerOverhead(opts: { reads: number; jitterSeconds: number }): Promise<SamplerResult> {
  const rows: OverheadRow[] = [];
  for (const size of TREE_SIZES) rows.push(await measureTree(`${size} idle`, size, opts.reads, () => spawnIdleTree(size)));
  rows.push(await measureTree(`1 node, ${BIG_MIB} MiB`, 1, opts.reads, spawnBigNode));
  const jitter = await measureJitter(250, opts.jitterSeconds);
  return {
    systemProcesses: readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length,
    rows,
    jitter,
  };
}
