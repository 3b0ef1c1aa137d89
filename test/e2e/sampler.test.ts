// The memory sampler on real processes: a node app with a node grandchild, an orphan left in the
// app's process group, and the sampler's timer, plus a fake /proc for the paths a live machine
// cannot be made to take (no smaps_rollup, zombies, processes vanishing mid-listing).
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { Sample } from '../../src/core/types.js';
import { createTreeTracker, listProcessTree } from '../../src/sample/process-tree.js';
import { createTreeMemoryReader, readProcessMemory, readTreeMemory } from '../../src/sample/read-memory.js';
import { startSampler, type Sampler, type SamplerOptions } from '../../src/sample/sampler.js';

const MIB = 1024 * 1024;

// A node process that idles until killed; prints "up" so its parent knows it is running.
const IDLE = `setInterval(() => {}, 1 << 30); console.log('up');`;

// The app: a node process with a node grandchild. On "alloc" from stdin it allocates and keeps
// 64 MiB, filled so the pages are really resident (a zero-filled Buffer may stay untouched).
const APP_WITH_GRANDCHILD = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', ${JSON.stringify(IDLE)}], { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.once('data', () => console.log('ready ' + child.pid));
let kept;
process.stdin.on('data', (d) => {
  if (String(d).includes('alloc')) { kept = Buffer.alloc(64 * 1024 * 1024, 1); console.log('allocated ' + kept.length); }
});
`;

// Starts a grandchild in the same process group, prints its pid and exits: the grandchild is
// reparented away from the app's root pid but stays in its group.
const APP_LEAVING_ORPHAN = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', ${JSON.stringify(IDLE)}], { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.once('data', () => { console.log('orphan ' + child.pid); process.exit(0); });
`;

interface App {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching `re` (already printed or still to come). */
  line(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<void>;
}

const started: number[] = [];
const samplers: Sampler[] = [];

/** Starts a sampler that afterEach stops, even when an assertion failed before the test did. */
function sampling(opts: SamplerOptions): Sampler {
  const sampler = startSampler(opts);
  samplers.push(sampler);
  return sampler;
}

/** Spawns `node -e script` as the leader of its own process group, as leakgate starts apps. */
function startApp(script: string): App {
  const proc = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  if (proc.pid === undefined) throw new Error('spawn failed');
  const pid = proc.pid;
  started.push(pid);
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of waiters) w();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const line = (re: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        for (const l of lines) {
          const m = re.exec(l);
          if (m) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(m);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no line matching ${re} within ${timeoutMs} ms; got ${JSON.stringify(lines)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { proc, pid, line, exited };
}

/** Polls `cond` every 20 ms until it holds; fails after `timeoutMs`. */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Live (non-zombie) processes of a group. */
async function groupMembers(pgid: number): Promise<number[]> {
  return (await listProcessTree(pgid, { pgid })).map((p) => p.pid);
}

afterEach(async () => {
  for (const sampler of samplers.splice(0)) await sampler.stop();
  for (const pgid of started.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
    await waitFor(`process group ${pgid} to be gone`, async () => (await groupMembers(pgid)).length === 0);
    assert.deepEqual(await groupMembers(pgid), []);
  }
});

const sum = (samples: { anon: number }[]): number => samples.reduce((a, p) => a + p.anon, 0);

describe('readTreeMemory and the sampler on a real process tree', () => {
  it('sums the app and its grandchild, and sees 64 MiB of anonymous memory appear', async () => {
    const app = startApp(APP_WITH_GRANDCHILD);
    const grandchild = Number((await app.line(/^ready (\d+)$/))[1]);

    const before = await readTreeMemory(app.pid, { pgid: app.pid });
    assert.deepEqual(before.processes.map((p) => p.pid).sort((a, b) => a - b), [app.pid, grandchild].sort((a, b) => a - b));
    assert.equal(before.processes[0].pid, app.pid, 'root first');
    const gc = before.processes.find((p) => p.pid === grandchild)!;
    assert.equal(gc.ppid, app.pid);
    assert.equal(gc.comm, 'node');
    for (const p of before.processes) {
      assert.ok(p.anon > 1 * MIB, `pid ${p.pid} anon ${p.anon}`);
      assert.ok(p.rss >= p.anon && p.rss >= p.uss && p.rss >= p.pss, `pid ${p.pid} rss is the largest figure`);
    }
    for (const key of ['rss', 'pss', 'uss', 'anon', 'swap'] as const) {
      assert.equal(before.total[key], before.processes.reduce((a, p) => a + p[key], 0), `total.${key} is the sum`);
    }

    let served = 0;
    const sampler = sampling({
      rootPid: app.pid,
      pgid: app.pid,
      intervalMs: 60_000, // only tick 0 from the timer: this test drives the reads
      requests: () => served,
      now: () => performance.now(),
      origin: () => 0,
    });
    served = 5;
    const s1 = await sampler.sampleNow();
    assert.ok(s1);
    app.proc.stdin!.write('alloc\n');
    await app.line(/^allocated 67108864$/);
    served = 9;
    const s2 = await sampler.sampleNow();
    assert.ok(s2);

    assert.equal(s1.requests, 5);
    assert.equal(s2.requests, 9);
    const rise = s2.total.anon - s1.total.anon;
    assert.ok(rise >= 60 * MIB, `tree anon rose by ${(rise / MIB).toFixed(1)} MiB`);
    const rootRise = s2.processes.find((p) => p.pid === app.pid)!.anon - s1.processes.find((p) => p.pid === app.pid)!.anon;
    assert.ok(rootRise >= 60 * MIB, `the root, which allocated, rose by ${(rootRise / MIB).toFixed(1)} MiB`);
    const gcRise = s2.processes.find((p) => p.pid === grandchild)!.anon - s1.processes.find((p) => p.pid === grandchild)!.anon;
    assert.ok(Math.abs(gcRise) < 8 * MIB, `the grandchild, which did not, moved by ${(gcRise / MIB).toFixed(1)} MiB`);
    assert.equal(s2.total.anon, sum(s2.processes));
  });

  it('keeps a process of the group that was reparented after its parent exited', async () => {
    const app = startApp(APP_LEAVING_ORPHAN);
    const orphan = Number((await app.line(/^orphan (\d+)$/))[1]);
    await app.exited;

    const withGroup = await listProcessTree(app.pid, { pgid: app.pid });
    assert.deepEqual(withGroup.map((p) => p.pid), [orphan]);
    assert.notEqual(withGroup[0].ppid, app.pid, 'reparented');
    // Without the group, nothing links the orphan to the app any more.
    assert.deepEqual(await listProcessTree(app.pid), []);

    const tree = await readTreeMemory(app.pid, { pgid: app.pid });
    assert.deepEqual(tree.processes.map((p) => p.pid), [orphan]);
    assert.ok(tree.total.anon > 1 * MIB);
  });

  it('samples at a fixed interval, reads the request counter each time, and rebases t on origin', async () => {
    const app = startApp(IDLE);
    await app.line(/^up$/);
    let calls = 0;
    const start = performance.now();
    let origin = start;
    const seen: Sample[] = [];
    const errors: unknown[] = [];
    const sampler = sampling({
      rootPid: app.pid,
      pgid: app.pid,
      intervalMs: 100,
      requests: () => ++calls,
      now: () => performance.now(),
      origin: () => origin,
      onSample: (s) => seen.push(s),
      onError: (e) => errors.push(e),
    });
    await waitFor('5 samples', () => sampler.samples().length >= 5);
    const loadStart = performance.now();
    origin = loadStart; // load starts: t = 0 moves here once
    await waitFor('21 samples', () => sampler.samples().length >= 21, 6_000);
    const samples = await sampler.stop();
    const elapsed = performance.now() - start;

    assert.deepEqual(errors, []);
    assert.ok(samples.length >= 21);
    assert.deepEqual(samples, sampler.samples(), 'samples() after stop() returns the same');
    // Reads never overlap and missed ticks are not fired in bursts: at most one per tick so far.
    assert.ok(samples.length <= Math.floor(elapsed / 100) + 1, `${samples.length} samples in ${elapsed.toFixed(0)} ms`);
    // One requests() call per sample, in order.
    assert.deepEqual(samples.map((s) => s.requests), samples.map((_, i) => i + 1));
    assert.equal(seen.length, samples.length);

    const intervals = samples.slice(1).map((s, i) => s.t - samples[i].t);
    const sorted = [...intervals].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    assert.ok(median >= 80 && median <= 120, `median interval ${median.toFixed(1)} ms`);
    assert.ok(sorted[0] > 50, `shortest interval ${sorted[0].toFixed(1)} ms: no back-to-back reads`);

    // Before the origin moved, samples are negative in the returned series; onSample saw them
    // against the origin of their time, which was the start.
    const pre = samples.filter((s) => s.t < 0);
    assert.ok(pre.length >= 5, `${pre.length} samples before load`);
    assert.ok(samples.slice(pre.length).every((s) => s.t >= 0), 'all later samples are at or after load start');
    assert.ok(seen[0].t >= 0 && seen[0].t < 50, `first sample at ${seen[0].t.toFixed(1)} ms after the start`);
    assert.ok(Math.abs(samples[0].t - (seen[0].t - (loadStart - start))) < 1e-6);
    for (const s of samples) assert.deepEqual(s.processes.map((p) => p.pid), [app.pid]);
  });

  it('skips the ticks it missed instead of firing them in a burst', async () => {
    const app = startApp(IDLE);
    await app.line(/^up$/);
    // The clock jumps 175 ms after the third sample, as if that read or the event loop stalled
    // for three and a half ticks.
    let skew = 0;
    let count = 0;
    const now = (): number => performance.now() + skew;
    const origin = now();
    const sampler = sampling({
      rootPid: app.pid,
      intervalMs: 50,
      requests: () => 0,
      now,
      origin: () => origin,
      onSample: () => {
        if (++count === 3) skew = 175;
      },
    });
    await waitFor('8 samples', () => sampler.samples().length >= 8);
    const ts = (await sampler.stop()).map((s) => s.t);

    const intervals = ts.slice(1).map((t, i) => t - ts[i]);
    assert.ok(Math.min(...intervals) > 25, `intervals ${intervals.map((d) => d.toFixed(0)).join(', ')} ms`);
    assert.ok(intervals[2] > 175, `the stall shows as one long interval: ${intervals[2].toFixed(0)} ms`);
    // Every sample is taken at a tick of the grid origin + k * 50 (timers may fire a fraction of a
    // millisecond early or a few late), never between ticks.
    for (const t of ts) {
      const offGrid = Math.min(t % 50, 50 - (t % 50));
      assert.ok(offGrid < 15, `sample at ${t.toFixed(1)} ms is ${offGrid.toFixed(1)} ms off the 50 ms grid`);
    }
  });

  it('does not take the same tick twice when the timer fires early', async () => {
    const app = startApp(IDLE);
    await app.line(/^up$/);
    // A clock running at half speed: every timer fires well before now() reaches the tick it was
    // set for, as a real timer sometimes does by a fraction of a millisecond.
    const now = (): number => performance.now() * 0.5;
    const origin = now();
    const sampler = sampling({ rootPid: app.pid, intervalMs: 50, requests: () => 0, now, origin: () => origin });
    await waitFor('6 samples', () => sampler.samples().length >= 6);
    const ts = (await sampler.stop()).map((s) => s.t);
    const intervals = ts.slice(1).map((t, i) => t - ts[i]);
    // On this clock each timer fires after half its delay: the intervals go 25, 37.5, 43.75, ... toward
    // 50 when every tick is taken once, and 25, 12.5, 6.25, ... when an early timer takes its tick
    // again. The first is 25 by construction (less a timer firing up to 1 ms early, 0.5 ms here), so
    // the bound sits between the two sequences, away from both.
    assert.ok(Math.min(...intervals) > 20, `intervals ${intervals.map((d) => d.toFixed(1)).join(', ')} ms`);
    assert.ok(Math.min(...intervals.slice(1)) > 30, `intervals ${intervals.map((d) => d.toFixed(1)).join(', ')} ms`);
  });

  it('never overlaps reads; stop() waits for reads in progress; nothing is recorded once the app is gone', async () => {
    const app = startApp(IDLE);
    await app.line(/^up$/);
    // requests() is called when a read starts and onSample when it ends (the tree is not empty),
    // so the difference counts the reads in progress.
    let served = 0;
    let inProgress = 0;
    let mostInProgress = 0;
    const sampler = sampling({
      rootPid: app.pid,
      pgid: app.pid,
      intervalMs: 60_000,
      requests: () => {
        mostInProgress = Math.max(mostInProgress, ++inProgress);
        return ++served;
      },
      onSample: () => inProgress--,
      now: () => performance.now(),
      origin: () => 0,
    });
    // Three at once, on top of the timer's first read.
    const pending = [sampler.sampleNow(), sampler.sampleNow(), sampler.sampleNow()];
    const all = await sampler.stop();
    const taken = await Promise.all(pending);
    assert.equal(mostInProgress, 1, 'one read at a time');
    assert.equal(all.length, 4, "tick 0 and the three sampleNow() issued before stop()");
    assert.deepEqual(all.map((s) => s.requests), [1, 2, 3, 4]);
    assert.deepEqual(taken.map((s) => s?.requests), [2, 3, 4]);
    assert.equal(await sampler.sampleNow(), null, 'no reads after stop()');

    process.kill(-app.pid, 'SIGKILL');
    await app.exited;
    await waitFor('the app to be gone', async () => (await groupMembers(app.pid)).length === 0);
    const errors: unknown[] = [];
    const afterExit = sampling({
      rootPid: app.pid,
      pgid: app.pid,
      intervalMs: 60_000,
      requests: () => 0,
      now: () => performance.now(),
      origin: () => 0,
      onError: (e) => errors.push(e),
    });
    assert.equal(await afterExit.sampleNow(), null);
    assert.deepEqual(await afterExit.stop(), []);
    assert.deepEqual(errors, []);
  });
});

describe('on a fake /proc', () => {
  const fixture = (name: string): string =>
    readFileSync(new URL(`../fixtures/procfs/${name}`, import.meta.url), 'utf8');
  const stat = (pid: number, comm: string, state: string, ppid: number, pgid: number): string =>
    `${pid} (${comm}) ${state} ${ppid} ${pgid} ${pgid} 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 1 0 0\n`;

  function fakeProc(files: Record<string, string>, emptyDirs: string[] = []): string {
    const root = mkdtempSync(join(tmpdir(), 'leakgate-proc-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    for (const dir of emptyDirs) mkdirSync(join(root, dir), { recursive: true });
    return root;
  }

  it('walks children and the group, skips zombies and vanished processes, falls back to status', async () => {
    const rollup = fixture('node-smaps_rollup');
    const procRoot = fakeProc(
      {
        // root: no smaps_rollup (an old kernel), only status
        '100/stat': stat(100, 'app', 'S', 1, 100),
        '100/status': fixture('node-status'),
        '101/stat': stat(101, 'worker one', 'S', 100, 100),
        '101/smaps_rollup': rollup,
        '102/stat': stat(102, 'sleep', 'Z', 100, 100),
        '104/stat': stat(104, 'orphan', 'S', 1, 100),
        '104/smaps_rollup': rollup,
        '106/stat': stat(106, 'orphan (kid)', 'S', 104, 555),
        '106/smaps_rollup': rollup,
        '105/stat': stat(105, 'other', 'S', 1, 105),
        '105/smaps_rollup': rollup,
        'self/stat': 'not a pid directory',
      },
      ['103'], // listed, then gone before its stat was read
    );
    try {
      const tree = await listProcessTree(100, { procRoot, pgid: 100 });
      assert.equal(tree[0].pid, 100);
      assert.deepEqual(tree.map((p) => p.pid).sort(), [100, 101, 104, 106]);
      assert.deepEqual(tree.find((p) => p.pid === 106), { pid: 106, ppid: 104, comm: 'orphan (kid)' });
      assert.deepEqual((await listProcessTree(100, { procRoot })).map((p) => p.pid), [100, 101]);

      const KIB = 1024;
      assert.deepEqual(await readProcessMemory(100, procRoot), {
        rss: 56828 * KIB, // VmRSS
        pss: 56828 * KIB,
        uss: 56828 * KIB,
        anon: 22744 * KIB, // RssAnon
        swap: 0,
      });
      assert.equal(await readProcessMemory(103, procRoot), null);
      assert.equal(await readProcessMemory(999, procRoot), null);

      const memory = await readTreeMemory(100, { procRoot, pgid: 100 });
      assert.equal(memory.processes.length, 4);
      assert.equal(memory.total.anon, 22744 * KIB + 3 * 22736 * KIB);
      assert.equal(memory.total.uss, 56828 * KIB + 3 * (31476 + 22736) * KIB);
    } finally {
      rmSync(procRoot, { recursive: true, force: true });
    }
  });

  it('says which file of which process is malformed', async () => {
    const procRoot = fakeProc({
      '200/stat': stat(200, 'app', 'S', 1, 200),
      '200/smaps_rollup': fixture('node-smaps_rollup').replace(/^Rss:.*\n/m, ''),
      '300/stat': '300 node S 1 300',
    });
    try {
      await assert.rejects(readProcessMemory(200, procRoot), {
        message: `${join(procRoot, '200')}/smaps_rollup: field 'Rss' is missing`,
      });
      await assert.rejects(listProcessTree(200, { procRoot }), {
        message: `${join(procRoot, '300')}/stat: expected 'pid (comm) state ppid pgrp ...', got '300 node S 1 300'`,
      });
    } finally {
      rmSync(procRoot, { recursive: true, force: true });
    }
  });

  it('caches the tree: follows task/PID/children when a pid was created, rescans when due or after a process vanished', () => {
    const procRoot = fakeProc({
      loadavg: '0.00 0.00 0.00 1/100 101\n', // the 5th field is the last pid handed out
      '100/stat': stat(100, 'app', 'S', 1, 100),
      '100/task/100/children': '101 ',
      '101/stat': stat(101, 'worker', 'S', 100, 100),
      '101/task/101/children': '',
      '105/stat': stat(105, 'other', 'S', 1, 105),
    });
    const put = (path: string, text: string): void => {
      mkdirSync(join(procRoot, path, '..'), { recursive: true });
      writeFileSync(join(procRoot, path), text);
    };
    try {
      const tracker = createTreeTracker(100, { procRoot, pgid: 100, rescanEvery: 5 });
      assert.deepEqual(tracker.list().map((p) => p.pid), [100, 101]);
      assert.equal(tracker.stats().fullScans, 1);

      // A child of a known process: found through the children file, without a scan.
      put('107/stat', stat(107, 'grandchild', 'S', 101, 100));
      put('107/task/107/children', '');
      put('101/task/101/children', '107 ');
      put('loadavg', '0.00 0.00 0.00 1/100 107\n');
      assert.deepEqual(tracker.list().map((p) => p.pid), [100, 101, 107]);
      assert.deepEqual(tracker.stats(), { lists: 2, fullScans: 1, childrenFiles: true, childChecks: 1 });

      // A group member nothing known forked (its parent came and went): only a full scan finds it.
      put('108/stat', stat(108, 'stray', 'S', 1, 100));
      put('108/task/108/children', '');
      put('loadavg', '0.00 0.00 0.00 1/100 108\n');
      for (let i = 0; i < 3; i++) assert.ok(!tracker.list().some((p) => p.pid === 108), `list ${i + 3}: not scanned yet`);
      // Lists 3 and 4 read the children files (a new pid, and once more after it); list 5 did not:
      // no pid was handed out since.
      assert.equal(tracker.stats().childChecks, 3);
      assert.ok(tracker.list().some((p) => p.pid === 108), 'the 6th list rescans');
      assert.equal(tracker.stats().fullScans, 2);

      // A process that is gone makes the next list rescan.
      rmSync(join(procRoot, '107'), { recursive: true });
      put('101/task/101/children', '');
      tracker.gone(107);
      assert.deepEqual(tracker.list().map((p) => p.pid).sort(), [100, 101, 108]);
      assert.equal(tracker.stats().fullScans, 3);

      // No children files (a kernel without CONFIG_PROC_CHILDREN): every list is a full scan.
      unlinkSync(join(procRoot, '100/task/100/children'));
      put('loadavg', '0.00 0.00 0.00 1/100 110\n');
      tracker.list();
      tracker.list();
      assert.deepEqual(tracker.stats(), { lists: 9, fullScans: 5, childrenFiles: false, childChecks: 4 });
    } finally {
      rmSync(procRoot, { recursive: true, force: true });
    }
  });

  it('reads status every time and smaps_rollup within the budget, carrying pss and uss forward in between', () => {
    const KIB = 1024;
    const status = (anonKb: number): string => fixture('node-status').replace(/^RssAnon:.*$/m, `RssAnon:\t${anonKb} kB`);
    const rollup = (pssKb: number): string => fixture('node-smaps_rollup').replace(/^Pss:.*$/m, `Pss:  ${pssKb} kB`);
    const procRoot = fakeProc({
      '100/stat': stat(100, 'app', 'S', 1, 100),
      '100/task/100/children': '101 ',
      '100/status': status(1000),
      '100/smaps_rollup': rollup(2000),
      '100/cmdline': 'node\0server.js\0',
      '101/stat': stat(101, 'worker', 'S', 100, 100),
      '101/task/101/children': '',
      '101/status': status(1000),
      '101/smaps_rollup': rollup(2000),
    });
    const put = (path: string, text: string): void => {
      mkdirSync(join(procRoot, path, '..'), { recursive: true });
      writeFileSync(join(procRoot, path), text);
    };
    // Every smaps_rollup read "takes" 2.5 ms on this clock: 5 ms for two processes, so at 250 ms
    // and a 0.5% budget (1.25 ms per tick) the next full read comes 4 reads later.
    let clock = 0;
    try {
      const reader = createTreeMemoryReader(100, { procRoot, pgid: 100, intervalMs: 250, clock: () => (clock += 2.5) });
      const r0 = reader.read();
      assert.equal(r0.full, true);
      assert.equal(reader.stats().fullEvery, 4);
      assert.equal(r0.total.pss, 4000 * KIB);

      put('101/status', status(5000));
      put('101/smaps_rollup', rollup(9000));
      const r1 = reader.read();
      assert.equal(r1.full, false);
      const w1 = r1.processes.find((p) => p.pid === 101)!;
      assert.equal(w1.anon, 5000 * KIB, 'anon (RssAnon) is read every time');
      assert.equal(w1.pss, 2000 * KIB, 'pss is carried forward');

      // A new child: its smaps_rollup is read at once; the others are still carried.
      put('102/stat', stat(102, 'late', 'S', 100, 100));
      put('102/status', status(300));
      put('102/smaps_rollup', rollup(700));
      put('102/task/102/children', '');
      put('100/task/100/children', '101 102 ');
      const r2 = reader.read();
      assert.equal(r2.full, false);
      assert.equal(r2.processes.find((p) => p.pid === 102)!.pss, 700 * KIB);
      assert.equal(reader.read().full, false);

      const r4 = reader.read();
      assert.equal(r4.full, true);
      assert.equal(r4.processes.find((p) => p.pid === 101)!.pss, 9000 * KIB);
      assert.equal(r4.total.pss, (2000 + 9000 + 700) * KIB);
      assert.equal(r4.total.anon, (1000 + 5000 + 300) * KIB);
      assert.deepEqual(
        { ...reader.stats(), lastFullReadMs: Math.round(reader.stats().lastFullReadMs) },
        { lists: 5, fullScans: 1, childrenFiles: true, childChecks: 4, reads: 5, fullReads: 2, lastFullReadMs: 8, fullEvery: 6 },
      );
      const info = reader.processes();
      assert.deepEqual(info.get(100), { pid: 100, ppid: 1, comm: 'app', cmdline: 'node server.js', firstSeen: 0, lastSeen: 4 });
      assert.deepEqual(info.get(102), { pid: 102, ppid: 100, comm: 'late', cmdline: '', firstSeen: 2, lastSeen: 4 });
    } finally {
      rmSync(procRoot, { recursive: true, force: true });
    }
  });
});
