// What one sample costs, before and after cost-aware sampling: CPU per sample of readTreeMemory (a
// full /proc scan and smaps_rollup of every process: the sampler before) and of the cost-aware
// reader (cached tree, status every tick, smaps_rollup within a 0.5% budget: the sampler now), for
// idle trees of 1, 10 and 50 processes and 10 idle node processes, as a share of one core at 4/s.
//
//   node --import tsx bench/run.ts --sampler-only

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { scanProcessTree } from '../src/sample/process-tree.js';
import { createTreeMemoryReader, readTreeMemory } from '../src/sample/read-memory.js';
import { table } from './table.js';

export const SAMPLER_INTERVAL_MS = 250;
const PER_SECOND = 1000 / SAMPLER_INTERVAL_MS;

export interface CostFigures {
  cpuMsPerSample: number;
  /** Share of one core at 4 samples/s, percent. */
  corePercent: number;
}

export interface SamplerBenchRow {
  tree: string;
  processes: number;
  /** Processes the reader found (should equal `processes`). */
  found: number;
  reads: number;
  /** readTreeMemory: what the sampler did before. */
  before: CostFigures;
  /** createTreeMemoryReader: what the sampler does now. */
  after: CostFigures & { fullReads: number; fullEvery: number; lastFullReadMs: number; fullScans: number };
}

export interface SamplerBenchResult {
  intervalMs: number;
  /** Processes on the machine: a full scan reads the stat file of each. */
  systemProcesses: number;
  rows: SamplerBenchRow[];
}

const live = new Set<ChildProcess>();

/** Kills every tree the bench started (for the entry's signal handler). */
export function abortSamplerBench(): void {
  for (const child of [...live]) kill(child);
}

function kill(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  live.delete(child);
}

/** Spawns `size - 1` idle node children with argument arrays, then idles itself. */
const NODE_PARENT = `const { spawn } = require('node:child_process');
for (let i = 0; i < Number(process.argv[1]); i++) spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
setInterval(() => {}, 1e6);`;

/** `size` processes in their own group: `sleep` alone, `sh` with size-1 sleeps, or node with size-1 nodes. */
async function spawnTree(size: number, node: boolean): Promise<ChildProcess> {
  const child = node
    ? spawn(process.execPath, ['-e', NODE_PARENT, String(size - 1)], { detached: true, stdio: 'ignore' })
    : size === 1
      ? spawn('sleep', ['600'], { detached: true, stdio: 'ignore' })
      : // Only a number goes into the script, as in sampler-overhead.ts.
        spawn('sh', ['-c', `i=0; while [ $i -lt ${size - 1} ]; do sleep 600 & i=$((i+1)); done; wait`], { detached: true, stdio: 'ignore' });
  live.add(child);
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    const tree = scanProcessTree(child.pid!, { pgid: child.pid! });
    if (tree.length >= size && tree.every((p) => p.comm === 'sleep' || p.comm === 'sh' || p.comm === 'node')) {
      if (!node) return child;
      // Idle node processes are ready when their heap has settled; 1 s is plenty.
      await sleep(1_000);
      return child;
    }
    await sleep(20);
  }
  kill(child);
  throw new Error(`tree of ${size} processes did not come up within 15 s`);
}

function cost(reads: number, run: () => void): CostFigures {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < reads; i++) run();
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerSample = (cpu.user + cpu.system) / 1000 / reads;
  return { cpuMsPerSample, corePercent: (cpuMsPerSample * PER_SECOND * 100) / 1000 };
}

async function measure(tree: string, size: number, node: boolean, reads: number): Promise<SamplerBenchRow> {
  const child = await spawnTree(size, node);
  try {
    const pid = child.pid!;
    const found = (await readTreeMemory(pid, { pgid: pid })).processes.length;
    // readTreeMemory is async in name only (its reads are synchronous), so awaiting is not needed
    // to time it; the promise is dropped after the synchronous work is done.
    const before = cost(reads, () => void readTreeMemory(pid, { pgid: pid }));
    const reader = createTreeMemoryReader(pid, { pgid: pid, intervalMs: SAMPLER_INTERVAL_MS });
    const after = cost(reads, () => reader.read());
    const s = reader.stats();
    return {
      tree,
      processes: size,
      found,
      reads,
      before,
      after: { ...after, fullReads: s.fullReads, fullEvery: s.fullEvery, lastFullReadMs: s.lastFullReadMs, fullScans: s.fullScans },
    };
  } finally {
    kill(child);
  }
}

/** CPU per sample before and after, per tree; `reads` samples of each (default 200). */
export async function runSamplerBench(reads = 200): Promise<SamplerBenchResult> {
  const rows: SamplerBenchRow[] = [];
  for (const size of [1, 10, 50]) rows.push(await measure(`${size} idle (sleep)`, size, false, reads));
  rows.push(await measure('10 idle node', 10, true, reads));
  return { intervalMs: SAMPLER_INTERVAL_MS, systemProcesses: readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length, rows };
}

/** The result as a table, for the bench's output. */
export function formatSamplerBench(r: SamplerBenchResult): string {
  const pct = (c: CostFigures): string => `${c.cpuMsPerSample.toFixed(3)} ms  ${c.corePercent.toFixed(3)}%`;
  return [
    `Sampler cost per sample at ${r.intervalMs} ms (${PER_SECOND}/s), ${r.systemProcesses} processes on this machine:`,
    table(
      ['tree', 'found', 'reads', 'before: CPU, % core', 'after: CPU, % core', 'full reads', 'full every', 'last full', 'full scans'],
      r.rows.map((x) => [
        x.tree,
        x.found,
        x.reads,
        pct(x.before),
        pct(x.after),
        x.after.fullReads,
        x.after.fullEvery,
        `${x.after.lastFullReadMs.toFixed(2)} ms`,
        x.after.fullScans,
      ]),
    ),
    'before: readTreeMemory (scan all of /proc + smaps_rollup of each process every sample);',
    'after: createTreeMemoryReader (cached tree + status every sample, smaps_rollup within 0.5% of a core).',
  ].join('\n');
}
