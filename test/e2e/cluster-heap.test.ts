// The Node heap signal of a clustered app through the real CLI: every node process of the tree (the primary and
// its 3 workers) is read after its own forced GC and the readings summed, so a worker keeping Buffers makes the
// heap signal leak (external memory counts), and the same app keeping nothing does not. Below the CLI: a child
// process that starts mid-sampling joins the sum, and one that exits leaves it (its own session closes, the
// parent's stays).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EXAMPLES, freePort, readJson, runCli, tempDir, writeConfig } from './helpers.js';
import type { Report } from '../../src/core/types.js';
import { heapMembership } from '../../src/runtime/heap-sum.js';
import { startHeapSumSampler, type HeapSample } from '../../src/runtime/node-heap.js';
import { connectInspector, findAppInspector, inspectedPid, inspectorEnv, type InspectorSession, type InspectorTarget } from '../../src/runtime/node-inspector.js';

const dir = tempDir('leakgate-cluster-heap-');

async function run(name: string, leakBytes: number) {
  const port = await freePort();
  const report = join(dir, `${name}.json`);
  const path = writeConfig(
    dir,
    {
      name,
      report,
      app: {
        command: ['node', 'server.js'],
        cwd: join(EXAMPLES, 'node-cluster'),
        env: { PORT: port, WORKERS: 3, LEAK_WORKER: 2, LEAK_BYTES: leakBytes },
        ready: { url: `http://127.0.0.1:${port}/healthz`, timeout: '20s' },
      },
      load: { url: `http://127.0.0.1:${port}/`, duration: '9s', connections: 12 },
      // runtime.kind stays auto (node, from the command); readings every 400 ms give the slope enough points in 9 s.
      runtime: { interval: '400ms' },
    },
    `${name}.yml`,
  );
  const r = await runCli(['run', '--config', path, '--no-progress'], { limitMs: 90_000 });
  const parsed = readJson<Report>(report);
  const trial = parsed.trials[0]!;
  const runtime = trial.evidence?.runtime;
  const heap = trial.analysis.signals?.find((s) => s.metric === 'heap');
  return { ...r, report: parsed, runtime, heap };
}

test('a cluster worker keeping Buffers makes the heap signal, summed over the primary and 3 workers, leak', async () => {
  const r = await run('cluster-buffers', 2048);
  const series = r.runtime?.heapSeries ?? [];
  assert.ok(series.length >= 10, `${series.length} heap readings\n${r.stdout}${r.stderr}`);
  assert.ok(series.every((h) => h.processes === 4), `processes per reading: ${series.map((h) => h.processes).join(' ')}\n${r.runtime?.note}`);
  assert.match(r.runtime?.note ?? '', /^heap summed over 4 node processes \(pids \d+, \d+, \d+, \d+\)/);
  assert.doesNotMatch(r.runtime?.note ?? '', /left the heap reading|changed after the warm-up/);
  // ~2048 B per request on a third of the requests (round-robin over 3 workers), plus the Buffers' bookkeeping.
  assert.equal(r.heap?.verdict, 'leak', JSON.stringify(r.heap));
  assert.ok(r.heap!.bytesPerRequest > 300 && r.heap!.bytesPerRequest < 2000, `heap slope ${r.heap!.bytesPerRequest} B/req`);
  // The Buffers are external memory: it grew by at least a third of what the requests kept.
  const external = series.map((h) => h.externalBytes ?? 0);
  const served = series.at(-1)!.requests - series[0]!.requests;
  assert.ok(external.at(-1)! - external[0]! > (served * 2048) / 3 / 2, `external grew ${external.at(-1)! - external[0]!} B over ${served} requests`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
});

test('the same cluster keeping nothing has no heap leak, its slope a small fraction of the leaking one', async () => {
  const r = await run('cluster-clean', 0);
  const series = r.runtime?.heapSeries ?? [];
  assert.ok(series.length >= 10 && series.every((h) => h.processes === 4), `processes per reading: ${series.map((h) => h.processes).join(' ')}\n${r.stdout}${r.stderr}`);
  assert.ok(r.heap, JSON.stringify(r.report.trials[0]!.analysis.signals?.map((s) => s.metric)));
  assert.equal(r.heap.verdict, 'no-leak', r.heap.reason);
  // Four processes still warming up (JIT code, caches) after 9 s on a busy machine: ~17 B/req measured, its
  // interval reaching below the 8 B/req floor; the leaking worker above makes ~700.
  assert.ok(r.heap.bytesPerRequest < 60, `heap slope ${r.heap.bytesPerRequest} B/req`);
  assert.ok(r.heap.ciLow < 8, `heap slope CI ${r.heap.ciLow}..${r.heap.ciHigh} B/req clears the 8 B/req floor`);
});

const groups: number[] = [];
const sessions: InspectorSession[] = [];
after(async () => {
  await Promise.all(sessions.map((x) => x.close()));
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

// Runs until SIGUSR2, then starts a child node process (inheriting NODE_OPTIONS and stderr, so its inspector line
// comes out here) that runs until its own SIGUSR2 and then lets its event loop empty.
const CHILD = "const keep = setInterval(() => {}, 1000); process.on('SIGUSR2', () => clearInterval(keep)); globalThis.kept = Buffer.alloc(4 << 20, 1); console.log('child ' + process.pid)";
const PARENT = `const keep = setInterval(() => {}, 1000); process.on('SIGUSR2', () => require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}], { stdio: 'inherit' })); console.log('parent ready')`;

test('a child process that starts mid-sampling joins the summed heap, and leaves it when it exits', async () => {
  const proc = spawn(process.execPath, ['-e', PARENT], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...inspectorEnv(undefined) } });
  groups.push(proc.pid!);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const take = (line: string): void => {
    lines.push(line);
    for (const l of [...listeners]) l(line);
  };
  createInterface({ input: proc.stdout! }).on('line', take);
  createInterface({ input: proc.stderr! }).on('line', take);
  const onLine = (cb: (line: string) => void): (() => void) => {
    listeners.add(cb);
    return () => listeners.delete(cb);
  };
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));

  // Each wait resolves on a sample the sampler takes (every 50 ms), bounded by the test's own timeout.
  const waits: Array<{ test: (s: HeapSample) => boolean; resolve: (s: HeapSample) => void }> = [];
  const sampleWhere = (t: (s: HeapSample) => boolean): Promise<HeapSample> => new Promise((resolve) => waits.push({ test: t, resolve }));
  const onSample = (s: HeapSample): void => {
    for (const w of waits.splice(0)) (w.test(s) ? w.resolve(s) : waits.push(w));
  };
  // No process yet: the sampler waits for them (keepWhenEmpty), as the probe's does not need to.
  const sampler = startHeapSumSampler([], { intervalMs: 50, now: () => performance.now(), requests: () => 0, onSample, keepWhenEmpty: true });
  // Every non-wrapper process that prints an inspector URL joins, as in the probe.
  const join = async (t: InspectorTarget): Promise<void> => {
    const session = await connectInspector(t.wsUrl, { closeWhenWaiting: true });
    sessions.push(session);
    sampler.add({ pid: await inspectedPid(session, t.title), session });
  };
  const watching = new AbortController();
  await findAppInspector({ onLine, lines, exited, signal: watching.signal, each: (t) => void join(t) });
  const alone = await sampleWhere((s) => s.pids?.length === 1);
  assert.deepEqual(alone.pids, [proc.pid]);

  process.kill(proc.pid!, 'SIGUSR2');
  const both = await sampleWhere((s) => s.pids?.length === 2);
  const child = both.pids!.find((p) => p !== proc.pid)!;
  assert.ok(lines.includes(`child ${child}`), lines.join('\n'));
  // The child's 4 MiB Buffer is in the sum.
  assert.ok(both.external - alone.external > 4 << 20, `external ${alone.external} -> ${both.external}`);

  process.kill(child, 'SIGUSR2');
  const left = await sampleWhere((s) => s.pids?.length === 1);
  assert.deepEqual(left.pids, [proc.pid], 'the parent stays in the sum, its session open');
  assert.ok(lines.includes('Waiting for the debugger to disconnect...'), lines.join('\n'));
  assert.equal(sessions[0]!.isClosed(), false);
  watching.abort();
  const samples = await sampler.stop();
  const notes = heapMembership(samples, 0).notes;
  assert.equal(notes[0], `heap summed over 2 node processes (pids ${[proc.pid!, child].sort((a, b) => a - b).join(', ')})`);
  assert.ok(notes.some((n) => new RegExp(`^pid ${child} joined the heap reading at reading \\d+`).test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => new RegExp(`^pid ${child} left the heap reading after \\d+ readings$`).test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => /changed after the warm-up/.test(n)), notes.join('\n'));
});
