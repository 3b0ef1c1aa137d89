// One-off: records real query_range responses from a real Prometheus into test/fixtures/prometheus/*.json, for the
// unit tests of the parser and the segmenter. Starts Prometheus on loopback scraping two metrics apps every second
// (one leaking 1 MiB/s, one clean), restarts the leaking one midway after a few seconds down (a restart and a gap),
// then queries. Run: node --import tsx scripts/record-prometheus-fixtures.ts
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMetricsApp, startPrometheus, waitForPoints } from '../test/support/prometheus-server.js';

const ROOT = resolve(import.meta.dirname, '..');
const APP = join(ROOT, 'test', 'support', 'metrics-app.mjs');
const OUT = join(ROOT, 'test', 'fixtures', 'prometheus');

const leaky = await startMetricsApp(APP, 1024 * 1024);
const clean = await startMetricsApp(APP, 0);
const prom = await startPrometheus([
  { job: 'leaky', port: leaky.port, labels: { track: 'canary' } },
  { job: 'clean', port: clean.port, labels: { track: 'stable' } },
]);
const started = Date.now() / 1000;
try {
  await waitForPoints(prom.url, 'process_resident_memory_bytes', 2, 25, 60_000);
  await leaky.stop();
  // Down for a few scrapes: Prometheus writes staleness markers, so the range query shows a gap.
  await new Promise((r) => setTimeout(r, 5000));
  const again = await startMetricsAppOnPort(leaky.port);
  // The window is shorter than the run before the gap plus the gap: it fills only with the restarted app's points.
  await waitForPoints(prom.url, 'process_resident_memory_bytes{job="leaky"}', 1, 15, 60_000, 16);
  const end = Date.now() / 1000;
  const range = { start: Math.floor(started), end: Math.ceil(end), step: 1 };
  const queries: Record<string, string> = {
    'multi-series-restart-gap': 'process_resident_memory_bytes',
    // 0/0 is NaN and x/0 is +Inf: half of each 10 s, the value is NaN, +Inf, or the memory figure.
    nan: 'process_resident_memory_bytes{job="clean"} * (time() % 10 > bool 5) / (time() % 10 > bool 5)',
    inf: 'process_resident_memory_bytes{job="clean"} / (time() % 10 > bool 5)',
    'bad-query': 'process_resident_memory_bytes[',
    empty: 'process_resident_memory_bytes{job="nothing"}',
  };
  for (const [name, query] of Object.entries(queries)) {
    const params = new URLSearchParams({ query, start: String(range.start), end: String(range.end), step: String(range.step) });
    const r = await fetch(`${prom.url}/api/v1/query_range?${params}`);
    const body = await r.json();
    writeFileSync(join(OUT, `${name}.json`), `${JSON.stringify({ request: { query, ...range }, status: r.status, body }, null, 1)}\n`);
    console.log(`${name}: HTTP ${r.status}`);
  }
  await again.stop();
} finally {
  await clean.stop();
  await leaky.stop();
  await prom.stop();
}

async function startMetricsAppOnPort(port: number) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--expose-gc', APP], { env: { ...process.env, PORT: String(port), LEAK_BYTES_PER_SECOND: String(1024 * 1024) }, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res) => child.stdout!.on('data', (d) => String(d).includes('listening') && res()));
  return {
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
