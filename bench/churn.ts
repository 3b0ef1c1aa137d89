// What connection churn (load.reconnect-every) costs in throughput: the node-leak example with LEAK_BYTES=0 (the
// node-clean config), one fresh app per round, leakgate's autocannon driver in this process as the gate runs it,
// each setting in turn within a round so drift on a shared machine spreads over all of them.
//
//   node --import tsx bench/run.ts --churn-only [--real-runs N] [--duration 10s]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { startAutocannon } from '../src/load/autocannon-driver.js';
import { freePort } from '../test/support/net.js';
import { num, pct, section, table } from './table.js';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER = join(ROOT, 'examples', 'node-leak', 'server.js');

export interface ChurnArm {
  /** load.reconnect-every; 0 = keep-alive for the whole load. */
  reconnectEvery: number;
  /** Throughput of each run, responses per second. */
  throughputs: number[];
  /** Median throughput / the keep-alive arm's median. */
  vsKeepAlive: number;
  connectionsPerSecond: number;
  /**
   * CPU time per request, µs: the load driver (this process) plus the app, the least of the runs. On a shared machine
   * throughput swings with the neighbours, and contention inflates CPU time too, so the least-disturbed run is the
   * estimate; where the load and the app saturate the CPUs, throughput goes as its inverse.
   */
  cpuUsPerRequest: number;
  /** 1 - keep-alive's CPU per request / this arm's: the throughput lost where the CPU is the limit. */
  cpuCost: number;
}

export async function runChurnBench(opts: { durationMs: number; rounds: number; settings: number[]; connections?: number }): Promise<ChurnArm[]> {
  const runs = new Map<number, { throughputs: number[]; connections: number; seconds: number; cpuPerRequest: number[] }>(
    opts.settings.map((s) => [s, { throughputs: [], connections: 0, seconds: 0, cpuPerRequest: [] }]),
  );
  for (let round = 0; round < opts.rounds; round++) {
    for (const every of opts.settings) {
      const port = await freePort();
      const app = spawn(process.execPath, [SERVER], { env: { ...process.env, PORT: String(port), LEAK_BYTES: '0' }, stdio: 'ignore', detached: true });
      try {
        await waitForPort(port, 10_000);
        const cpu0 = process.cpuUsage();
        const app0 = appCpuUs(app.pid!);
        const result = await startAutocannon({
          url: `http://127.0.0.1:${port}/`,
          durationMs: opts.durationMs,
          connections: opts.connections ?? 10,
          pipelining: 1,
          timeoutMs: 10_000,
          requests: [],
          reconnectEvery: every,
        }).done;
        const arm = runs.get(every)!;
        arm.throughputs.push(result.throughput);
        arm.connections += result.connectionsOpened;
        arm.seconds += result.durationMs / 1000;
        const cpu = process.cpuUsage(cpu0);
        arm.cpuPerRequest.push((cpu.user + cpu.system + appCpuUs(app.pid!) - app0) / Math.max(1, result.requests));
      } finally {
        if (app.pid !== undefined) process.kill(-app.pid, 'SIGKILL');
      }
    }
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const base = median(runs.get(0)?.throughputs ?? []);
  const baseCpu = runs.get(0) ? Math.min(...runs.get(0)!.cpuPerRequest) : NaN;
  return opts.settings.map((every) => {
    const r = runs.get(every)!;
    const cpuUsPerRequest = Math.min(...r.cpuPerRequest);
    return {
      reconnectEvery: every,
      throughputs: r.throughputs,
      vsKeepAlive: median(r.throughputs) / base,
      connectionsPerSecond: r.connections / r.seconds,
      cpuUsPerRequest,
      cpuCost: 1 - baseCpu / cpuUsPerRequest,
    };
  });
}

export function formatChurnBench(arms: ChurnArm[]): string {
  return [
    section('Connection churn: throughput on node-clean by load.reconnect-every'),
    table(
      ['reconnect-every', 'runs (req/s)', 'median vs keep-alive', 'connections/s', 'CPU µs/req (load + app, least)', 'CPU cost'],
      arms.map((a) => [
        a.reconnectEvery === 0 ? '0 (keep-alive)' : a.reconnectEvery,
        a.throughputs.map((t) => num(t)).join(', '),
        pct(a.vsKeepAlive),
        num(a.connectionsPerSecond),
        num(a.cpuUsPerRequest, 1),
        pct(a.cpuCost),
      ]),
    ),
  ].join('\n');
}

/** utime + stime of a process, µs (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms). */
function appCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (performance.now() > deadline) throw new Error(`the app did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
