// The gate on real apps with default analysis settings: the realistic Express example leaking ~64 B per request in
// JS objects fails on the live heap after GC (anonymous memory alone cannot see it through the GC sawtooth), leaking
// Buffers fails too (external memory counts), clean passes; a Node app that dies of "heap out of memory" under load
// gets the verdict oom (exit 1) with a slope from the samples it left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EXAMPLES, freePort, readJson, runCli, tempDir, writeConfig } from './helpers.js';
import type { Report } from '../../src/core/types.js';
import { skipUnless } from '../support/tools.js';
import { HOLD_RATIO } from '../../src/analyze/sequential.js';

const dir = tempDir('leakgate-signals-');

async function run(name: string, config: (port: number) => Record<string, unknown>) {
  const port = await freePort();
  const report = join(dir, `${name}.json`);
  const path = writeConfig(dir, { name, report, ...config(port) }, `${name}.yml`);
  const r = await runCli(['run', '--config', path, '--no-progress'], { limitMs: 120_000 });
  return { ...r, report: readJson<Report>(report) };
}

const express = (env: Record<string, number>, duration = '20s') => (port: number) => ({
  app: { command: ['node', 'server.js'], cwd: join(EXAMPLES, 'express-app'), env: { PORT: port, ...env }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
  load: { url: `http://127.0.0.1:${port}/`, duration },
});

test('the Express example keeping 64 B per request in JS objects fails on the live heap after GC', async () => {
  const r = await run('express-objects', express({ LEAK_BYTES: 64 }));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const a = r.report.trials[0]!.analysis;
  assert.ok(a.leakingSignals?.includes('heap'), JSON.stringify(a.signals?.map((s) => [s.metric, s.verdict, s.reason])));
  assert.equal(r.report.summary.metric, 'heap', 'the verdict stands on the heap signal');
  const heap = a.signals!.find((s) => s.metric === 'heap')!;
  assert.ok(heap.bytesPerRequest > 40 && heap.bytesPerRequest < 400, `heap slope ${heap.bytesPerRequest} B/req for 64 B kept`);
  assert.match(r.report.gate.reasons.join('\n'), /^leak: live heap after GC grows/m);
  assert.match(r.stdout, /live heap after GC/);
  const pauses = r.report.trials[0]!.evidence?.runtime?.gcPauses;
  assert.ok(pauses && pauses.count >= 10, `forced GCs: ${JSON.stringify(pauses)}`);
});

test('the Express example keeping Buffers fails: external memory is in the live-heap signal', async () => {
  // 1 KiB Buffers: 12 s is plenty (the 64 B case above is the one that needs 20 s).
  const r = await run('express-buffers', express({ LEAK_BUFFER_BYTES: 1024 }, '12s'));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const series = r.report.trials[0]!.evidence?.runtime?.heapSeries ?? [];
  const external = series.map((h) => h.externalBytes ?? 0);
  assert.ok(external.at(-1)! - external[0]! > 256 * 1000, `external grew ${external.at(-1)! - external[0]!} B`);
  assert.ok((r.report.trials[0]!.analysis.leakingSignals ?? []).length > 0);
});

test('the clean Express example passes on every signal', async () => {
  const r = await run('express-clean', express({}, '12s'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const a = r.report.trials[0]!.analysis;
  assert.deepEqual(a.leakingSignals, []);
  assert.deepEqual(a.signals?.map((s) => s.metric).sort(), ['anon', 'heap']);
});

test('with analysis.stop-early, a loud leak stops the load once two looks in a row find it, long before the budget', async () => {
  const r = await run('stop-early-leak', (port) => ({
    app: { command: ['node', 'server.js'], cwd: join(EXAMPLES, 'node-leak'), env: { PORT: port, LEAK_BYTES: 2048 }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
    load: { url: `http://127.0.0.1:${port}/`, duration: '30s' },
    analysis: { 'stop-early': true },
  }));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const stopping = r.report.trials[0]!.stopping!;
  assert.equal(stopping.why, 'leak', JSON.stringify(stopping.looks));
  // Looks at 10, 15, 20 and 25 s of the 30 s budget: the first leak look cannot stop the load, the second in a row
  // does. (With a 60 s budget each look's level is smaller, alpha being spent by share of the budget, and the
  // Mann-Kendall p-value of a steady rise moves between 4e-6 and 7e-4 from look to look: such a run stopped at 35 s.)
  assert.ok(stopping.stoppedAtMs! < 26_000, `stopped at ${stopping.stoppedAtMs} ms of a 30 s budget`);
  const decisions = stopping.looks.map((l) => l.decision);
  assert.equal(decisions.at(-1), 'leak');
  assert.ok(stopping.looks.length >= 2, JSON.stringify(decisions));
  assert.ok(r.report.trials[0]!.load.durationMs < 27_000, `load lasted ${r.report.trials[0]!.load.durationMs} ms`);
  assert.equal(r.report.summary.verdict, 'leak');
  assert.match(r.stdout, /stopped early|load stopped/i);
});

test('with analysis.stop-early, a bounded cache that fills after the first look is not stopped as a leak', async () => {
  // 24,000 entries at 2,000 req/s: the cache grows until ~12 s of load, past the first look (10 s), then stays full.
  // At the look at 15 s the window from the warm-up still rises significantly; its newest quarter is flat. A 20 s
  // budget has looks at 10 and 15 s, then the final analysis.
  const r = await run('stop-early-cache', (port) => ({
    app: { command: ['node', 'server.js'], cwd: join(EXAMPLES, 'node-plateau'), env: { PORT: port, CACHE_ENTRIES: 24000 }, ready: { url: `http://127.0.0.1:${port}/healthz` } },
    load: { url: `http://127.0.0.1:${port}/`, duration: '20s', rate: 2000 },
    analysis: { 'stop-early': true },
  }));
  const stopping = r.report.trials[0]!.stopping!;
  const looks = JSON.stringify(stopping.looks.map((l) => [l.ms, l.decision, Math.round(l.bytesPerRequest), l.newestBytesPerRequest === null ? null : Math.round(l.newestBytesPerRequest)]));
  assert.notEqual(stopping.why, 'leak', looks);
  assert.ok(!stopping.looks.some((l) => l.decision === 'leak'), looks);
  // The case the rule is for: a look whose whole window grew far past the floor while its newest readings had stopped.
  assert.ok(stopping.looks.some((l) => l.bytesPerRequest > 100 && l.newestBytesPerRequest !== null && l.newestBytesPerRequest < HOLD_RATIO * l.bytesPerRequest), looks);
  assert.ok(stopping.looks.some((l) => l.held === true), looks);
  assert.match(r.stderr + r.stdout, /look at 1\d\.\d s: heap grows [\d.]+ B\/req over the window but [\d.-]+ B\/req in its newest readings/);
  assert.equal(r.report.summary.verdict, 'no-leak', `${looks}\n${r.stdout}`);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});

test('a Node app that dies of "heap out of memory" under load gets the verdict oom and a slope', async () => {
  const r = await run('node-heap-oom', (port) => ({
    app: {
      command: ['node', '--max-old-space-size=48', 'server.js'],
      cwd: join(EXAMPLES, 'node-leak-objects'),
      env: { PORT: port, LEAK: 1, PAYLOAD_BYTES: 16384 },
      ready: { url: `http://127.0.0.1:${port}/healthz` },
    },
    load: { url: `http://127.0.0.1:${port}/`, duration: '30s' },
  }));
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.report.error, null);
  assert.equal(r.report.summary.verdict, 'oom');
  const a = r.report.trials[0]!.analysis;
  assert.equal(a.oom?.source, 'node');
  assert.match(a.oom?.evidence ?? '', /heap out of memory|Allocation failed/);
  assert.ok(a.oom!.requests > 0 && a.oom!.ms > 0 && a.oom!.ms < 30_000, JSON.stringify(a.oom));
  assert.ok(a.bytesPerRequest > 4096, `slope ${a.bytesPerRequest} B/req from the samples before the death (16 KiB kept per request)`);
  assert.match(r.report.gate.reasons.join('\n'), /^oom: /m);
  assert.match(r.stdout, /out of memory/);
});

test('a JVM app leaking under -Xmx is caught by the heap after a full GC', { skip: skipUnless(['java', 'jcmd']) }, async () => {
  const r = await run('jvm-heap-signal', (port) => ({
    app: { command: ['java', '-Xmx256m', 'Leak.java'], cwd: join(EXAMPLES, 'java-leak'), env: { PORT: port, LEAK: 1, PAYLOAD_BYTES: 256 }, ready: { url: `http://127.0.0.1:${port}/healthz`, timeout: '60s' } },
    load: { url: `http://127.0.0.1:${port}/`, duration: '25s' },
  }));
  assert.equal((r.report.config as { runtime: { kind: string } }).runtime.kind, 'jvm', 'runtime guessed from the command');
  const heap = r.report.trials[0]!.evidence?.runtime?.heapSeries ?? [];
  assert.ok(heap.length >= 12, `${heap.length} heap readings`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const a = r.report.trials[0]!.analysis;
  assert.ok(a.leakingSignals?.includes('heap'), JSON.stringify(a.signals?.map((s) => [s.metric, s.verdict, s.reason])));
});
