// Figure 3: the bundled CLI on the example apps, as a user runs it: a temporary config per run on a
// free loopback port, `node dist/cli.js run`, and the JSON report read back. Every run's app
// carries a marker in its environment, and anything still alive with that marker after the run
// (or after a timeout or Ctrl-C) is killed with its process group.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '../test/support/net.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import type { Report, Verdict } from '../src/core/types.js';
import { median } from './figures.js';
import { endAboveStart } from './naive-gates.js';

export const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const MARKER = 'LEAKGATE_BENCH_ID';

export interface RealCase {
  name: string;
  example: 'node-leak' | 'node-plateau' | 'python-leak';
  /** Bytes kept per request by the app; 0 for the clean and plateau apps. */
  leakBytes: number;
  /** True when the app does not leak: a 'leak' verdict is a false positive. */
  clean: boolean;
}

export const REAL_CASES: RealCase[] = [
  { name: 'node-leak 0 B', example: 'node-leak', leakBytes: 0, clean: true },
  { name: 'node-leak 64 B', example: 'node-leak', leakBytes: 64, clean: false },
  { name: 'node-leak 256 B', example: 'node-leak', leakBytes: 256, clean: false },
  { name: 'node-leak 1024 B', example: 'node-leak', leakBytes: 1024, clean: false },
  { name: 'node-leak 8192 B', example: 'node-leak', leakBytes: 8192, clean: false },
  { name: 'node-plateau', example: 'node-plateau', leakBytes: 0, clean: true },
  { name: 'python-leak 0 B', example: 'python-leak', leakBytes: 0, clean: true },
  { name: 'python-leak 1024 B', example: 'python-leak', leakBytes: 1024, clean: false },
];

export interface RealRun {
  exitCode: number | null;
  verdict: Verdict | 'error';
  bytesPerRequest: number;
  ciLow: number;
  ciHigh: number;
  pValue: number;
  throughput: number;
  requests: number;
  warmup: string;
  /** Naive gate (a) on the same samples. */
  naiveEnd: boolean;
  wallMs: number;
  error: string | null;
}

export interface RealCaseResult extends RealCase {
  runs: RealRun[];
  verdicts: Record<string, number>;
  medianBytesPerRequest: number;
  /** (estimate - LEAK_BYTES) / LEAK_BYTES, of the median; null for non-leaking apps. */
  relativeError: number | null;
  /** estimate / LEAK_BYTES: what the runtime retains per payload byte. */
  ratio: number | null;
  medianThroughput: number;
  naiveEndFlags: number;
  medianWallMs: number;
}

export interface RealOptions {
  runsPerCase: number;
  duration: string;
  /** Called after each run, for progress. */
  onRun?: (c: RealCase, i: number, run: RealRun) => void;
}

function configFor(c: RealCase, port: number, duration: string, marker: string): object {
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string | number> = { PORT: port, [MARKER]: marker };
  if (c.example === 'node-plateau') Object.assign(env, { CACHE_ENTRIES: 150000, ENTRY_BYTES: 256 });
  else env.LEAK_BYTES = c.leakBytes;
  const python = c.example === 'python-leak';
  return {
    name: `bench-${c.example}-${c.leakBytes}`,
    app: {
      command: python ? ['python3', 'server.py'] : ['node', 'server.js'],
      cwd: join(ROOT, 'examples', c.example),
      env,
      ready: python ? { port, timeout: '30s' } : { url: `${base}/healthz`, timeout: '30s' },
    },
    load: { url: `${base}/`, duration, connections: 10 },
    'fail-on': ['leak', 'inconclusive'],
  };
}

/** Live processes whose environment holds MARKER=marker. */
function markedPids(marker: string): number[] {
  const needle = `${MARKER}=${marker}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (env.includes(needle)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Kills whatever is left of a run: the CLI's group and any marked app process with its group. */
function sweep(cli: ChildProcess | null, marker: string): number {
  if (cli?.pid !== undefined) killGroup(cli.pid, 'SIGKILL');
  const left = markedPids(marker);
  for (const pid of left) {
    let pgid = pid;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    } catch {
      // gone
    }
    if (pgid > 1 && pgid !== process.pid) killGroup(pgid, 'SIGKILL');
    else killGroup(pid, 'SIGKILL');
  }
  return left.length;
}

let active: { cli: ChildProcess | null; marker: string } | null = null;

/** For the entry's signal handler: kill the run in progress, if any. */
export function abortRealRuns(): void {
  if (active) sweep(active.cli, active.marker);
}

async function runOnce(c: RealCase, duration: string, limitMs: number): Promise<RealRun> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-bench-'));
  const marker = `${process.pid}-${Date.now()}-${Math.floor(performance.now())}`;
  const started = performance.now();
  const run: RealRun = {
    exitCode: null,
    verdict: 'error',
    bytesPerRequest: NaN,
    ciLow: NaN,
    ciHigh: NaN,
    pValue: NaN,
    throughput: NaN,
    requests: 0,
    warmup: '',
    naiveEnd: false,
    wallMs: 0,
    error: null,
  };
  try {
    const port = await freePort();
    const config = join(dir, 'leakgate.yml');
    const reportPath = join(dir, 'report.json');
    writeFileSync(config, stringify(configFor(c, port, duration, marker)));
    const cli = spawn(process.execPath, [CLI, 'run', '--config', config, '--report', reportPath, '--no-progress', '-q'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    active = { cli, marker };
    let output = '';
    cli.stdout?.on('data', (d) => (output += d));
    cli.stderr?.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((res) => {
      const limit = setTimeout(() => {
        output += `\n[bench] killed after ${limitMs} ms`;
        killGroup(cli.pid!, 'SIGTERM');
        setTimeout(() => killGroup(cli.pid!, 'SIGKILL'), 5000).unref();
      }, limitMs);
      cli.on('error', (e) => {
        output += `\n${e.message}`;
        clearTimeout(limit);
        res(null);
      });
      cli.on('close', (code) => {
        clearTimeout(limit);
        res(code);
      });
    });
    run.exitCode = code;
    const leftovers = sweep(cli, marker);
    if (leftovers > 0) output += `\n[bench] ${leftovers} process(es) of the app outlived the CLI and were killed`;
    let report: Report | null = null;
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    } catch {
      report = null;
    }
    if (report === null || report.error !== null) {
      run.error = report?.error ?? `no report (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`;
    } else {
      const s = report.summary;
      const a = report.trials[0]?.analysis;
      Object.assign(run, {
        verdict: s.verdict,
        bytesPerRequest: s.bytesPerRequest,
        ciLow: s.ciLow,
        ciHigh: s.ciHigh,
        pValue: s.pValue,
        throughput: s.throughput,
        requests: s.requests,
        warmup: a ? `${a.warmupMethod} at ${Math.round(a.warmupEndMs)} ms` : '',
        naiveEnd: report.trials[0] ? endAboveStart(report.trials[0].samples) : false,
      });
    }
  } catch (err) {
    run.error = (err as Error).message;
  } finally {
    if (active) sweep(active.cli, active.marker);
    active = null;
    run.wallMs = performance.now() - started;
    rmSync(dir, { recursive: true, force: true });
  }
  return run;
}

function durationMs(duration: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(duration.trim());
  if (!m) throw new Error(`--duration: expected e.g. 30s, 500ms, 2m, got '${duration}'`);
  const v = Number(m[1]);
  return m[2] === 'ms' ? v : m[2] === 'm' ? v * 60_000 : v * 1000;
}

export function parseDuration(duration: string): number {
  return durationMs(duration);
}

export async function runRealApps(opts: RealOptions, cases: RealCase[] = REAL_CASES): Promise<RealCaseResult[]> {
  const limitMs = durationMs(opts.duration) + 90_000;
  const results: RealCaseResult[] = [];
  for (const c of cases) {
    const runs: RealRun[] = [];
    for (let i = 0; i < opts.runsPerCase; i++) {
      const run = await runOnce(c, opts.duration, limitMs);
      runs.push(run);
      opts.onRun?.(c, i, run);
    }
    const measured = runs.filter((r) => r.verdict !== 'error');
    const verdicts: Record<string, number> = {};
    for (const r of runs) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
    const bpr = median(measured.map((r) => r.bytesPerRequest));
    const hasLeak = c.leakBytes > 0 && measured.length > 0;
    results.push({
      ...c,
      runs,
      verdicts,
      medianBytesPerRequest: bpr,
      relativeError: hasLeak ? (bpr - c.leakBytes) / c.leakBytes : null,
      ratio: hasLeak ? bpr / c.leakBytes : null,
      medianThroughput: median(measured.map((r) => r.throughput)),
      naiveEndFlags: measured.filter((r) => r.naiveEnd).length,
      medianWallMs: median(runs.map((r) => r.wallMs)),
    });
  }
  return results;
}
