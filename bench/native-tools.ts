// The native tools side by side on the C example losing 512 B per request, at the same load (same connections,
// same duration): the throughput the app reached under none, jemalloc, tcmalloc, heaptrack and memcheck, whether
// the leaking function (leak_request_buffer) was named, and the bytes per request the tool put on that site against
// the known 512. Runs the bundled CLI (dist/cli.js) once per tool, one at a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Report } from '../src/core/types.js';
import { ROOT } from './real-apps.js';
import { num, pct, table } from './table.js';

export const NATIVE_BENCH_TOOLS = ['none', 'jemalloc', 'tcmalloc', 'heaptrack', 'memcheck'] as const;
export type NativeBenchTool = (typeof NATIVE_BENCH_TOOLS)[number];
const LEAK = 512;
const LEAK_FN = 'leak_request_buffer';

export interface NativeToolRow {
  tool: NativeBenchTool;
  requests: number;
  throughput: number;
  /** Whether a site the tool reported has the leaking function at the top of its stack. */
  named: boolean;
  /** Bytes per request the tool gave the leaking site (none: the process's anon slope). */
  bytesPerRequest: number | null;
  /** How: growth between profiles, lost at exit / requests, or the RSS slope. */
  basis: string;
  error?: string;
}

let running: ChildProcess | null = null;

export function abortNativeToolsBench(): void {
  if (running?.pid) {
    try {
      process.kill(running.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function runCli(config: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'run', '--config', config], { stdio: 'ignore' });
    running = child;
    child.on('error', reject);
    child.on('close', () => {
      running = null;
      resolve();
    });
  });
}

/** What one tool's report says about the known leak. */
export function rowOf(tool: NativeBenchTool, report: Report): NativeToolRow {
  const t = report.trials[0];
  if (!t) return { tool, requests: 0, throughput: 0, named: false, bytesPerRequest: null, basis: '', error: report.error ?? 'no trial' };
  const base = { tool, requests: t.load.requests, throughput: t.load.throughput };
  if (tool === 'none') return { ...base, named: false, bytesPerRequest: t.analysis.bytesPerRequest, basis: 'anon slope of the process' };
  const sites = t.evidence?.native?.sites ?? [];
  const site = sites.find((s) => s.stack[0]?.startsWith(LEAK_FN) || s.label.includes(LEAK_FN));
  if (!site) return { ...base, named: false, bytesPerRequest: null, basis: 'leaking site not reported', ...(report.error ? { error: report.error } : {}) };
  if (site.bytesPerRequest !== undefined) return { ...base, named: true, bytesPerRequest: site.bytesPerRequest, basis: tool === 'memcheck' ? 'vgdb leak checks during the load' : 'growth between heap profiles' };
  return { ...base, named: true, bytesPerRequest: t.load.requests > 0 ? site.bytes / t.load.requests : null, basis: 'not freed at exit / requests' };
}

export async function runNativeToolsBench(opts: { durationS: number; connections: number; tools?: readonly NativeBenchTool[] }): Promise<NativeToolRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-bench-native-'));
  const rows: NativeToolRow[] = [];
  try {
    for (const tool of opts.tools ?? NATIVE_BENCH_TOOLS) {
      const port = await freePort();
      const reportPath = join(dir, `${tool}.json`);
      const duration = `${opts.durationS}s`;
      const config = {
        name: `bench-${tool}`,
        report: reportPath,
        // dump-every 1 MiB: the server allocates only its leak, so at a few thousand req/s the 4 MiB default gives
        // too few heap profiles in 10 s to diff.
        ...(tool === 'none' ? {} : { native: { tool, duration, connections: opts.connections, ...(tool === 'jemalloc' || tool === 'tcmalloc' ? { 'dump-every': '1MiB' } : {}) } }),
        app: { command: ['./server'], cwd: join(ROOT, 'examples', 'c-server'), env: { PORT: port, LEAK_BYTES: LEAK }, ready: { url: `http://127.0.0.1:${port}/healthz`, timeout: '10s' } },
        load: { url: `http://127.0.0.1:${port}/`, duration, connections: opts.connections },
        'fail-on': ['none'],
      };
      const file = join(dir, `${tool}.yml`);
      writeFileSync(file, stringify(config));
      await runCli(file);
      try {
        rows.push(rowOf(tool, JSON.parse(readFileSync(reportPath, 'utf8')) as Report));
      } catch (e) {
        rows.push({ tool, requests: 0, throughput: 0, named: false, bytesPerRequest: null, basis: '', error: (e as Error).message });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function formatNativeTools(rows: readonly NativeToolRow[]): string {
  const plain = rows.find((r) => r.tool === 'none')?.throughput ?? 0;
  return table(
    ['tool', 'req/s', 'of plain', 'requests', 'leak named', 'B/req at the site', 'error vs 512', 'how'],
    rows.map((r) => [
      r.tool,
      num(r.throughput),
      plain > 0 ? pct(r.throughput / plain, 0) : '-',
      num(r.requests),
      r.tool === 'none' ? '-' : r.named ? 'yes' : 'no',
      r.bytesPerRequest === null ? '-' : num(r.bytesPerRequest, 0),
      r.bytesPerRequest === null ? '-' : pct((r.bytesPerRequest - LEAK) / LEAK, 0),
      r.error ? `error: ${r.error.split('\n')[0]!.slice(0, 60)}` : r.basis,
    ]),
  );
}
