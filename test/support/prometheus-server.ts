// Starts a real Prometheus (Debian's package) on loopback for tests and fixture recording: a temporary config
// scraping the given targets every second, storage in a temporary directory, its own process group so stop() takes
// every process down. waitForPoints polls the HTTP API until a query has enough points: a condition, not a sleep.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
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

/** TLS with a fresh private CA (the CA's PEM at caFile) and basic auth: Prometheus's --web.config.file. */
export interface SecureOptions {
  user: string;
  /** bcrypt hash of `password`, as Prometheus's basic_auth_users wants it. */
  hash: string;
  password: string;
}

export interface SecurePrometheus extends PrometheusServer {
  caFile: string;
}

export async function startPrometheus(targets: readonly ScrapeTarget[], scrapeSeconds = 1): Promise<PrometheusServer> {
  return start(targets, scrapeSeconds);
}

/** A Prometheus behind TLS (a certificate for 127.0.0.1 from a private CA, made with openssl) and basic auth. */
export async function startSecurePrometheus(secure: SecureOptions): Promise<SecurePrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-prom-tls-'));
  const f = (name: string): string => join(dir, name);
  const openssl = (args: string[]): void => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=leakgate test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '1', '-extfile', f('san.ext')]);
  const web = ['tls_server_config:', `  cert_file: ${f('server.pem')}`, `  key_file: ${f('server.key')}`, 'basic_auth_users:', `  ${secure.user}: ${JSON.stringify(secure.hash)}`].join('\n');
  writeFileSync(f('web.yml'), `${web}\n`);
  const ca = readFileSync(f('ca.pem'));
  const auth = `Basic ${Buffer.from(`${secure.user}:${secure.password}`).toString('base64')}`;
  const ready = (url: string): Promise<boolean> =>
    new Promise((res) => {
      const req = request(`${url}/-/ready`, { ca, headers: { authorization: auth } }, (r) => {
        r.resume();
        res(r.statusCode === 200);
      });
      req.on('error', () => res(false));
      req.end();
    });
  const server = await start([], 1, { webConfig: f('web.yml'), scheme: 'https', ready });
  return { ...server, caFile: f('ca.pem'), stop: async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

async function start(
  targets: readonly ScrapeTarget[],
  scrapeSeconds: number,
  web: { webConfig: string; scheme: 'https'; ready: (url: string) => Promise<boolean> } | null = null,
): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    `  scrape_interval: ${scrapeSeconds}s`,
    `  scrape_timeout: ${Math.round(Math.max(scrapeSeconds * 800, 500))}ms`,
    `scrape_configs:${targets.length === 0 ? ' []' : ''}`,
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
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      ...(web ? [`--web.config.file=${web.webConfig}`] : []),
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const url = `${web?.scheme ?? 'http'}://127.0.0.1:${port}`;
  const ready = web?.ready ?? ((u: string) => fetch(`${u}/-/ready`).then((r) => r.ok).catch(() => false));
  const stop = async (): Promise<void> => {
    await killGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until(() => ready(url), 20_000, () => `prometheus not ready: ${stderr}`);
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
