// leakgate's own cost, so its overhead is a figure: peak memory (VmHWM of the leakgate process at exit) and
// CPU time (user + system, from process.resourceUsage() at exit) for one trial at full load (autocannon,
// 10 connections, no rate limit) on examples/node-clean, and on an app that also prints 10 MB/s of output
// (test/fixtures/apps/faulty-server.mjs, FAULT=flood) that leakgate reads and keeps only a tail of.
// autocannon runs inside leakgate's process: its CPU is part of the figure, and is most of it.
//
//   node --import tsx bench/run.ts --self-only [--duration 30s]

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../test/support/net.js';
import { num, table } from './table.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

// Loaded with --import into the leakgate process: at exit it writes its own figures where SELF_FIGURES says.
const HOOK = `
import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  const u = process.resourceUsage();
  writeFileSync(process.env.SELF_FIGURES, JSON.stringify({ vmHwmBytes: Number(hwm?.[1] ?? 0) * 1024, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
});
`;

export interface SelfOverheadRow {
  app: string;
  durationS: number;
  requests: number;
  throughput: number;
  /** Output the app printed (and leakgate read: stdout to a pipe blocks) per second of its life; 0 when not counted. */
  appOutputBytesPerS: number;
  vmHwmBytes: number;
  cpuMs: number;
  /** CPU of leakgate per second of trial, as a share of one core. */
  corePercent: number;
  exitCode: number | null;
}

export async function runSelfOverhead(opts: { durationS: number }): Promise<SelfOverheadRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-self-'));
  const hook = join(dir, 'hook.mjs');
  writeFileSync(hook, HOOK);
  try {
    const rows: SelfOverheadRow[] = [];
    rows.push(await runOne(dir, hook, 'node-clean', [process.execPath, join(ROOT, 'examples', 'node-leak', 'server.js')], { LEAK_BYTES: '0' }, opts.durationS));
    rows.push(await runOne(dir, hook, 'node app printing 10 MB/s', [process.execPath, join(ROOT, 'test', 'fixtures', 'apps', 'faulty-server.mjs')], { FAULT: 'flood', FLOOD_BYTES_PER_S: '10000000', FLOOD_COUNT_FILE: join(dir, 'flood.json') }, opts.durationS));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOne(dir: string, hook: string, app: string, command: string[], env: Record<string, string>, durationS: number): Promise<SelfOverheadRow> {
  const port = await freePort();
  const tag = app.replace(/\W+/g, '-');
  const report = join(dir, `${tag}.json`);
  const figures = join(dir, `${tag}-self.json`);
  const config = join(dir, `${tag}.yml`);
  writeFileSync(
    config,
    stringify({
      name: `self-${tag}`,
      app: { command, env: { PORT: String(port), ...env }, ready: { url: `http://127.0.0.1:${port}/` } },
      load: { duration: `${durationS}s`, connections: 10 },
      'fail-on': ['none'],
      report,
    }),
  );
  const exitCode = await new Promise<number | null>((res, rej) => {
    const child = spawn(process.execPath, ['--import', hook, CLI, 'run', '--no-progress', '-q', '-c', config], {
      cwd: dir,
      env: { ...process.env, SELF_FIGURES: figures, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', rej);
    child.on('close', (code) => res(code));
  });
  const self = JSON.parse(readFileSync(figures, 'utf8')) as { vmHwmBytes: number; userMs: number; systemMs: number };
  const r = JSON.parse(readFileSync(report, 'utf8')) as { trials: { load: { requests: number; throughput: number; durationMs: number } }[] };
  const load = r.trials[0]?.load;
  const cpuMs = self.userMs + self.systemMs;
  return {
    app,
    durationS,
    requests: load?.requests ?? 0,
    throughput: load?.throughput ?? 0,
    appOutputBytesPerS: floodRate(env.FLOOD_COUNT_FILE),
    vmHwmBytes: self.vmHwmBytes,
    cpuMs,
    corePercent: (100 * cpuMs) / (durationS * 1000),
    exitCode,
  };
}

function floodRate(file: string | undefined): number {
  if (!file) return 0;
  try {
    const { bytes, ms } = JSON.parse(readFileSync(file, 'utf8')) as { bytes: number; ms: number };
    return ms > 0 ? (bytes * 1000) / ms : 0;
  } catch {
    return 0;
  }
}

export function formatSelfOverhead(rows: SelfOverheadRow[]): string {
  return table(
    ['app', 'load', 'requests', 'req/s', 'app output read', 'leakgate peak RSS (VmHWM)', 'leakgate CPU', 'share of one core over the load'],
    rows.map((r) => [
      r.app,
      `${r.durationS} s, 10 connections`,
      num(r.requests, 0),
      num(r.throughput, 0),
      r.appOutputBytesPerS > 0 ? `${num(r.appOutputBytesPerS / 1e6, 1)} MB/s` : '-',
      `${num(r.vmHwmBytes / 1048576, 0)} MiB`,
      `${num(r.cpuMs / 1000, 1)} s`,
      `${num(r.corePercent, 0)}%`,
    ]),
  );
}
