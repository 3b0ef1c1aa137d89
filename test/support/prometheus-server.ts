// Starts a real Prometheus (Debian's package) on loopback for tests and fixture recording: a temporary config
// scraping the given targets every second, storage in a temporary directory, its own process group so stop() takes
// every process down. waitForPoints polls the HTTP API until a query has enough points: a condition, not a sleep.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

export interface ScrapeTarget {
  job: string;
  port: number;
  /** Extra target labels (e.g. { track: 'canary' }). */
  labels?: Record<string, string>;
}

export interface PrometheusServer {
  url: string;
  stop: () => Promise<void>;
}

export async function startPrometheus(targets: readonly ScrapeTarget[], scrapeSeconds = 1): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    `  scrape_interval: ${scrapeSeconds}s`,
    `  scrape_timeout: ${Math.round(Math.max(scrapeSeconds * 800, 500))}ms`,
    'scrape_configs:',
    ...targets.flatMap((t) => [
      `  - job_name: ${JSON.stringify(t.job)}`,
      '    static_configs:',
      `      - targets: ["127.0.0.1:${t.port}"]`,
      ...(t.labels ? ['        labels:', ...Object.entries(t.labels).map(([k, v]) => `          ${k}: ${JSON.stringify(v)}`)] : []),
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const child = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await killGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(async () => (await fetch(`${url}/-/ready`).then((r) => r.ok).catch(() => false)), 20_000, () => `prometheus not ready: ${stderr}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}

/** Polls until every series `query` returns over the last `rangeSeconds` holds `points` points, or fails after `limitMs`. */
export async function waitForPoints(url: string, query: string, series: number, points: number, limitMs: number, rangeSeconds = 300): Promise<void> {
  await until(
    async () => {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(`count_over_time((${query})[${rangeSeconds}s:1s])`)}`).catch(() => null);
      if (!r?.ok) return false;
      const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
      return body.data.result.length >= series && body.data.result.every((s) => Number(s.value[1]) >= points);
    },
    limitMs,
    () => `fewer than ${points} points of ${query} within ${limitMs} ms`,
  );
}

/** Starts the metrics app; resolves with its port once it listens. */
export async function startMetricsApp(script: string, leakBytesPerSecond: number): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', script], {
    env: { ...process.env, PORT: String(port), LEAK_BYTES_PER_SECOND: String(leakBytesPerSecond) },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((res, rej) => {
    child.once('exit', (code) => rej(new Error(`metrics app exited with ${code}`)));
    child.stdout!.on('data', (d) => {
      if (String(d).includes('listening')) res();
    });
  });
  return { port, child, stop: () => killGroup(child) };
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}

async function until(check: () => Promise<boolean>, limitMs: number, message: () => string): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((r) => setTimeout(r, 250));
  }
}
