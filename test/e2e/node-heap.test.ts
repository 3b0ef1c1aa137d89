// Node heap mode on real processes: the node-leak-objects example started with the inspector on,
// found from its stderr, driven with HTTP requests while the heap after a forced GC is sampled
// (and RssAnon read from /proc for comparison), then three heap snapshots compared; a child process
// joining and leaving the summed heap of its tree.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseStatus } from '../../src/sample/procfs.js';
import { compareSnapshots } from '../../src/runtime/heap-summary.js';
import { retainerPath } from '../../src/runtime/retainer-path.js';
import { heapMembership } from '../../src/runtime/heap-sum.js';
import { startHeapSumSampler, startNodeHeapSampler, takeHeapSnapshot, type HeapSample } from '../../src/runtime/node-heap.js';
import {
  connectInspector,
  findAppInspector,
  inspectedPid,
  inspectorEnv,
  isWaitingForDebuggerLine,
  isWrapperScript,
  parseInspectorUrl,
  type InspectorSession,
  type InspectorTarget,
} from '../../src/runtime/node-inspector.js';
import { ConfigError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import { EXAMPLES, freePort } from './helpers.js';
import { skipUnless } from '../support/tools.js';

const SERVER = join(EXAMPLES, 'node-leak-objects', 'server.js');
const PAYLOAD = 2048;
const SAMPLE_MS = 100;

interface App {
  proc: ChildProcess;
  pid: number;
  port: number;
  lines: string[];
  onLine(cb: (line: string) => void): () => void;
  /** Resolves with the first line (already printed or to come) matching re. */
  waitLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited and its output pipes are closed (every line read). */
  exited: Promise<void>;
}

const groups: number[] = [];
const sessions: InspectorSession[] = [];
const dirs: string[] = [];

after(async () => {
  // Close sessions first: an attached debugger can keep a node process alive at exit.
  await Promise.all(sessions.map((s) => s.close()));
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts `command` as the leader of its own process group with the inspector on, as leakgate would. */
function startApp(command: string, args: string[], env: Record<string, string>, port: number, cwd?: string): App {
  const proc = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...inspectorEnv(process.env.NODE_OPTIONS), ...env, PORT: String(port) },
  });
  if (proc.pid === undefined) throw new Error(`could not start ${command}`);
  groups.push(proc.pid);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const take = (line: string): void => {
    lines.push(line);
    for (const l of [...listeners]) l(line);
  };
  createInterface({ input: proc.stdout! }).on('line', take);
  createInterface({ input: proc.stderr! }).on('line', take);
  const exited = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const onLine = (cb: (line: string) => void): (() => void) => {
    listeners.add(cb);
    return () => listeners.delete(cb);
  };
  const waitLine = (re: RegExp, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      const found = lines.find((l) => re.test(l));
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no line matching ${re} within ${timeoutMs} ms; output:\n${lines.join('\n')}`));
      }, timeoutMs);
      const off = onLine((l) => {
        if (!re.test(l)) return;
        clearTimeout(timer);
        off();
        resolve(l);
      });
    });
  return { proc, pid: proc.pid, port, lines, onLine, waitLine, exited };
}

async function startExample(leak: boolean): Promise<{ app: App; session: InspectorSession }> {
  const port = await freePort();
  const app = startApp(process.execPath, [SERVER], { LEAK: leak ? '1' : '0', PAYLOAD_BYTES: String(PAYLOAD) }, port);
  const target = await findAppInspector({ onLine: app.onLine, lines: app.lines, exited: app.exited, timeoutMs: 10_000 });
  await app.waitLine(/^node-leak-objects listening on/);
  const session = await connectInspector(target.wsUrl, { onLine: app.onLine });
  sessions.push(session);
  return { app, session };
}

/** Sends `count` GET / requests over `connections` keep-alive connections; resolves with the count done. */
async function drive(port: number, count: number, counter: { done: number }, connections = 4): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let issued = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          counter.done++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('request timed out after 5 s')));
      req.on('error', reject);
    });
  const worker = async (): Promise<void> => {
    while (issued < count) {
      issued++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    agent.destroy();
  }
}

/** Least-squares line y = a + b x, the standard deviation of its residuals and their median absolute value. */
function linearFit(xs: number[], ys: number[]): { slope: number; residualStd: number; residualMedianAbs: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  const residuals = xs.map((x, i) => ys[i]! - (my + slope * (x - mx)));
  const ssr = residuals.reduce((sum, r) => sum + r * r, 0);
  return { slope, residualStd: Math.sqrt(ssr / (n - 2)), residualMedianAbs: median(residuals.map(Math.abs)) };
}

/** Reads RssAnon of pid every intervalMs, paired with the request count, until stopped. */
function sampleRssAnon(pid: number, counter: { done: number }, intervalMs: number): { stop(): Array<{ requests: number; anon: number }> } {
  const out: Array<{ requests: number; anon: number }> = [];
  const read = (): void => {
    try {
      out.push({ requests: counter.done, anon: parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8')).rssAnon });
    } catch {
      // the app exited: the test's other assertions report it
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return out;
    },
  };
}

const MIB = 1024 * 1024;
const fmt = (b: number): string => `${(b / 1024).toFixed(1)} KiB`;

describe('node heap mode', () => {
  it('measures a SessionRecord leak: heap after GC grows by the payload per request, with far less noise than RssAnon, and snapshots name the class and its container', async () => {
    const { app, session } = await startExample(true);
    const counter = { done: 0 };
    await drive(app.port, 500, counter);

    const first = await takeHeapSnapshot(session);
    assert.ok(first.summary.reachableCount > 1000, `a real snapshot has thousands of nodes, got ${first.summary.reachableCount}`);
    assert.equal(first.summary.constructors.find((c) => c.name === 'SessionRecord')?.count, 500);

    const t0 = performance.now();
    const heap = startNodeHeapSampler(session, { intervalMs: SAMPLE_MS, now: () => performance.now() - t0, requests: () => counter.done });
    const rss = sampleRssAnon(app.pid, counter, SAMPLE_MS);
    await drive(app.port, 6000, counter, 2);
    const samples: HeapSample[] = await heap.stop();
    const anon = rss.stop();

    const middle = await takeHeapSnapshot(session);
    await drive(app.port, 3000, counter);
    const last = await takeHeapSnapshot(session);

    assert.ok(samples.length >= 8, `expected at least 8 heap samples over the load, got ${samples.length}`);
    const heapFit = linearFit(samples.map((s) => s.requests), samples.map((s) => s.usedSize));
    const anonFit = linearFit(anon.map((s) => s.requests), anon.map((s) => s.anon));
    // Each request keeps a SessionRecord: the payload string plus the record, its headers and the Map entry.
    assert.ok(heapFit.slope >= PAYLOAD && heapFit.slope <= PAYLOAD + 1024, `heap slope ${heapFit.slope.toFixed(0)} B/request, expected ${PAYLOAD}-${PAYLOAD + 1024}`);
    const ratio = anonFit.residualStd / heapFit.residualStd;
    const robustRatio = anonFit.residualMedianAbs / heapFit.residualMedianAbs;
    console.log(
      `leak: ${samples.length} heap samples, slope ${heapFit.slope.toFixed(0)} B/req, residual std ${fmt(heapFit.residualStd)}; ` +
        `${anon.length} RssAnon samples, slope ${anonFit.slope.toFixed(0)} B/req, residual std ${fmt(anonFit.residualStd)}; ` +
        `noise ratio ${ratio.toFixed(1)} (std), ${robustRatio.toFixed(1)} (median |residual|); median forced GC ${median(samples.map((s) => s.gcMs)).toFixed(1)} ms; ` +
        `snapshots ${(last.chars / MIB).toFixed(1)} MiB of JSON, ${last.summary.nodeCount} nodes, ${last.ms.toFixed(0)} ms`,
    );
    assert.ok(ratio > 3, `heap-after-GC residual std ${fmt(heapFit.residualStd)} should be far below RssAnon's ${fmt(anonFit.residualStd)} (ratio ${ratio.toFixed(1)})`);

    const growing = compareSnapshots(first.summary, middle.summary, last.summary);
    const top = growing[0];
    assert.ok(top, 'some constructor grows');
    assert.equal(top.name, 'SessionRecord', `growing: ${growing.map((g) => g.name).join(', ')}`);
    assert.deepEqual(top.counts, [500, 6500, 9500]);
    assert.ok(top.bytesPerInstance > PAYLOAD && top.bytesPerInstance < PAYLOAD + 1024, `each SessionRecord retains ${top.bytesPerInstance} bytes`);
    const path = retainerPath(last.snapshot, 'SessionRecord');
    assert.ok(path, 'a SessionRecord is reachable');
    console.log(`retainer path: ${path.text}; growing: ${growing.slice(0, 5).map((g) => `${g.name} +${g.countGrowth}`).join(', ')}`);
    assert.match(path.text, /Map 'sessions' -> .*SessionRecord$/);

    await session.close();
    assert.equal(session.isClosed(), true);
    await assert.rejects(session.send('Runtime.getHeapUsage'), /inspector Runtime\.getHeapUsage: the connection to the app is closed/);
  });

  it('sees a flat heap, and no growing SessionRecord, when the server keeps only its last 100 sessions', async () => {
    const { app, session } = await startExample(false);
    const counter = { done: 0 };
    await drive(app.port, 500, counter);
    const first = await takeHeapSnapshot(session);
    const t0 = performance.now();
    const heap = startNodeHeapSampler(session, { intervalMs: SAMPLE_MS, now: () => performance.now() - t0, requests: () => counter.done });
    await drive(app.port, 3000, counter, 2);
    const samples = await heap.stop();
    const middle = await takeHeapSnapshot(session);
    await drive(app.port, 3000, counter);
    const last = await takeHeapSnapshot(session);

    assert.ok(samples.length >= 5, `expected at least 5 heap samples, got ${samples.length}`);
    assert.ok(samples.every((s, i) => i === 0 || s.t > samples[i - 1]!.t), 'samples are in time order');
    const fit = linearFit(samples.map((s) => s.requests), samples.map((s) => s.usedSize));
    console.log(`clean: ${samples.length} heap samples, slope ${fit.slope.toFixed(1)} B/req, residual std ${fmt(fit.residualStd)}`);
    // ~8 readings over 3000 requests with ~100 KiB of residual noise put the least-squares slope within about
    // ±150 B/req of zero; the leaking server's is ~2,300 B/req, so 15% of the payload still tells them apart.
    assert.ok(Math.abs(fit.slope) < PAYLOAD * 0.15, `clean heap slope ${fit.slope.toFixed(1)} B/request should be ~0`);
    assert.equal(last.summary.constructors.find((c) => c.name === 'SessionRecord')?.count, 100);
    const growing = compareSnapshots(first.summary, middle.summary, last.summary);
    assert.ok(!growing.some((g) => g.name === 'SessionRecord'), `growing: ${growing.map((g) => g.name).join(', ')}`);
  });

  it('rejects a protocol error with the method name, and lets an app that finished exit although a session is attached', async () => {
    const port = await freePort();
    // Exits by itself once asked to (an empty event loop): node would then wait for the debugger.
    const app = startApp(process.execPath, ['-e', "const keep = setInterval(() => {}, 1000); process.on('SIGUSR2', () => clearInterval(keep)); console.log('ready')"], {}, port);
    const target = await findAppInspector({ onLine: app.onLine, lines: app.lines, exited: app.exited });
    assert.match(target.title, /node\[\d+\]$/);
    const session = await connectInspector(target.wsUrl, { onLine: app.onLine, callTimeoutMs: 5000 });
    sessions.push(session);
    await app.waitLine(/^ready$/);
    await assert.rejects(session.send('Nope.method'), { message: "inspector Nope.method failed: 'Nope.method' wasn't found (code -32601)" });
    const usage = await session.send<{ usedSize: number }>('Runtime.getHeapUsage');
    assert.ok(usage.usedSize > 1e6);
    const warnings: string[] = [];
    const logger: Logger = { info() {}, debug() {}, warn: (m) => warnings.push(m) };
    let sampled!: () => void;
    const firstSample = new Promise<void>((resolve) => (sampled = resolve));
    const sampler = startNodeHeapSampler(session, { intervalMs: 20, now: () => Date.now(), requests: () => 0, logger, onSample: () => sampled() });
    await firstSample;
    process.kill(app.pid, 'SIGUSR2');
    // Bounded by the test's own timeout; the session closes itself on "Waiting for the debugger to disconnect...".
    await app.exited;
    await session.closed;
    assert.ok(app.lines.includes('Waiting for the debugger to disconnect...'), app.lines.join('\n'));
    // The sampler notices the closed session at its next tick (every 20 ms): wait for that, bounded.
    const stoppedWarning = (w: string) => /^heap sampling stopped after \d+ samples/.test(w);
    for (const deadline = Date.now() + 5000; !warnings.some(stoppedWarning) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    const samples = await sampler.stop();
    assert.ok(samples.length >= 1 && samples.every((x) => x.usedSize > 1e6 && x.totalSize >= x.usedSize), JSON.stringify(samples));
    assert.ok(warnings.some((w) => /^heap sampling stopped after \d+ samples: inspector .* the connection to the app (closed|is closed)/.test(w)), warnings.join('\n'));
  });

  it('connects to the app, not to npm, under `npm run`', { skip: skipUnless(['npm']) }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leakgate-npm-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0', private: true, scripts: { start: `node ${JSON.stringify(SERVER)}` } }));
    const port = await freePort();
    const app = startApp('npm', ['run', 'start', '--silent'], { LEAK: '1' }, port, dir);
    const target = await findAppInspector({ onLine: app.onLine, lines: app.lines, exited: app.exited, timeoutMs: 20_000 });
    assert.equal(isWrapperScript(target.scriptUrl), false);
    assert.match(target.scriptUrl, /node-leak-objects\/server\.js$/);
    const urls = app.lines.filter((l) => l.startsWith('Debugger listening on ws://'));
    assert.ok(urls.length >= 2, `npm and the app each print a URL:\n${app.lines.join('\n')}`);
    assert.notEqual(urls[0], `Debugger listening on ${target.wsUrl}`, 'the first URL (npm) was passed over');
  });
});

// Runs until SIGUSR2, then starts a child node process (inheriting NODE_OPTIONS and stderr, so its inspector line
// comes out here) holding a 4 MiB Buffer, which runs until its own SIGUSR2 and then lets its event loop empty.
const CHILD = "const keep = setInterval(() => {}, 1000); process.on('SIGUSR2', () => clearInterval(keep)); globalThis.kept = Buffer.alloc(4 << 20, 1); console.log('child ' + process.pid)";
const PARENT = `const keep = setInterval(() => {}, 1000); process.on('SIGUSR2', () => require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(CHILD)}], { stdio: 'inherit' })); console.log('parent ready')`;

describe('node heap summed over processes', () => {
  it('a child process that starts mid-sampling joins the summed heap, and leaves it when it exits (only its own session closes)', async () => {
    const app = startApp(process.execPath, ['-e', PARENT], {}, await freePort());
    // Each wait resolves on a sample the sampler takes (every 50 ms), bounded by the test's own timeout.
    const waits: Array<{ test: (s: HeapSample) => boolean; resolve: (s: HeapSample) => void }> = [];
    const sampleWhere = (t: (s: HeapSample) => boolean): Promise<HeapSample> => new Promise((resolve) => waits.push({ test: t, resolve }));
    const onSample = (s: HeapSample): void => {
      for (const w of waits.splice(0)) (w.test(s) ? w.resolve(s) : waits.push(w));
    };
    // No process yet: the sampler waits for them (keepWhenEmpty).
    const sampler = startHeapSumSampler([], { intervalMs: 50, now: () => performance.now(), requests: () => 0, onSample, keepWhenEmpty: true });
    // Every non-wrapper process that prints an inspector URL joins, as in the node-heap probe.
    const joined: InspectorSession[] = [];
    const join = async (t: InspectorTarget): Promise<void> => {
      const session = await connectInspector(t.wsUrl, { closeWhenWaiting: true });
      sessions.push(session);
      joined.push(session);
      sampler.add({ pid: await inspectedPid(session, t.title), session });
    };
    const watching = new AbortController();
    await findAppInspector({ onLine: app.onLine, lines: app.lines, exited: app.exited, signal: watching.signal, each: (t) => void join(t) });
    const alone = await sampleWhere((s) => s.pids?.length === 1);
    assert.deepEqual(alone.pids, [app.pid]);

    process.kill(app.pid, 'SIGUSR2');
    const both = await sampleWhere((s) => s.pids?.length === 2);
    const child = both.pids!.find((p) => p !== app.pid)!;
    await app.waitLine(new RegExp(`^child ${child}$`));
    assert.ok(both.external - alone.external > 4 << 20, `the child's 4 MiB Buffer is in the sum: external ${alone.external} -> ${both.external}`);

    process.kill(child, 'SIGUSR2');
    const left = await sampleWhere((s) => s.pids?.length === 1);
    assert.deepEqual(left.pids, [app.pid], 'the parent stays in the sum');
    await app.waitLine(/^Waiting for the debugger to disconnect\.\.\.$/);
    assert.equal(joined[0]!.isClosed(), false, "the parent's session stays open");
    watching.abort();
    const samples = await sampler.stop();
    const notes = heapMembership(samples, 0).notes;
    assert.equal(notes[0], `heap summed over 2 node processes (pids ${[app.pid, child].sort((a, b) => a - b).join(', ')})`);
    assert.ok(notes.some((n) => new RegExp(`^pid ${child} joined the heap reading at reading \\d+`).test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => new RegExp(`^pid ${child} left the heap reading after \\d+ readings$`).test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => /changed after the warm-up/.test(n)), notes.join('\n'));
  });
});

describe('inspector helpers', () => {
  it('appends the inspector to NODE_OPTIONS, keeping the user\'s options', () => {
    assert.deepEqual(inspectorEnv(undefined), { NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    assert.deepEqual(inspectorEnv('  --max-old-space-size=512 --require "./a b.js" '), { NODE_OPTIONS: '--max-old-space-size=512 --require "./a b.js" --inspect=127.0.0.1:0' });
  });

  it('keeps an inspector the user opened, with a warning, and refuses flags that would stop the app or hide the URL', () => {
    const warnings: string[] = [];
    const logger: Logger = { info() {}, debug() {}, warn: (m) => warnings.push(m) };
    assert.deepEqual(inspectorEnv('--inspect=9230', logger), { NODE_OPTIONS: '--inspect=9230' });
    assert.deepEqual(warnings, ["NODE_OPTIONS already has '--inspect=9230': leakgate uses that inspector instead of opening one on a free port"]);
    assert.throws(() => inspectorEnv('--inspect-brk'), (err: Error) => err instanceof ConfigError && /NODE_OPTIONS has '--inspect-brk', which stops the app until a debugger attaches/.test(err.message));
    assert.throws(() => inspectorEnv('--inspect-wait=0'), ConfigError);
    assert.throws(() => inspectorEnv('--inspect --inspect-publish-uid=http'), /will not print the inspector's URL/);
    assert.doesNotThrow(() => inspectorEnv('--inspect --inspect-publish-uid=stderr,http'));
  });

  it('reads the URL line and recognises wrappers by their script', () => {
    assert.equal(parseInspectorUrl('Debugger listening on ws://127.0.0.1:35353/378cbd19-7d25-43dd-80b8-01c1f1b3e04d'), 'ws://127.0.0.1:35353/378cbd19-7d25-43dd-80b8-01c1f1b3e04d');
    assert.equal(parseInspectorUrl('Debugger ending on ws://127.0.0.1:35353/378cbd19-7d25-43dd-80b8-01c1f1b3e04d'), null);
    assert.equal(parseInspectorUrl('For help, see: https://nodejs.org/en/docs/inspector'), null);
    assert.equal(isWaitingForDebuggerLine('Waiting for the debugger to disconnect...'), true);
    for (const wrapper of ['file:///usr/lib/node_modules/npm/bin/npm-cli.js', 'file:///usr/lib/node_modules/npm/bin/npx-cli.js', 'file:///usr/lib/node_modules/corepack/dist/pnpm.js', '/opt/yarn/bin/yarn.js', 'file:///app/node_modules/tsx/dist/cli.mjs', 'file:///app/node_modules/nodemon/bin/nodemon.js']) {
      assert.equal(isWrapperScript(wrapper), true, wrapper);
    }
    for (const app of ['file:///work/app/server.js', 'file://', 'file:///srv/npm-cli-clone/index.js', 'file:///srv/yarnball.js']) assert.equal(isWrapperScript(app), false, app);
  });
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}
