// Where memory grows, on real processes: the node-cluster example under load, sampled from before
// its workers exist (found through task/PID/children, not /proc scans), attributes the growth to
// the one leaking worker and the mapping diff shows it in that worker's [heap]; a process holding
// big buffers grows in [anonymous]; and status RssAnon is the same figure as smaps_rollup Anonymous.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { attributeProcesses, describeGrowth, topGrowingProcess } from '../../src/analyze/per-process.js';
import { diffTreeMappings } from '../../src/analyze/mappings.js';
import { readProcessMemory, readProcessStatus } from '../../src/sample/read-memory.js';
import { snapshotTreeMappings } from '../../src/sample/smaps.js';
import { startSampler, type Sampler } from '../../src/sample/sampler.js';
import { EXAMPLES, freePort } from './helpers.js';

const MIB = 1024 * 1024;
const groups: number[] = [];
const samplers: Sampler[] = [];

after(async () => {
  for (const s of samplers.splice(0)) await s.stop();
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

interface Started {
  proc: ChildProcess;
  /** Resolves with the first `count` stdout lines matching `re`; rejects after `timeoutMs`. */
  lines(re: RegExp, count: number, timeoutMs?: number): Promise<RegExpExecArray[]>;
}

/** Spawns a process as the leader of its own group, as leakgate starts apps. */
function start(argv: string[], env: NodeJS.ProcessEnv = {}): Started {
  const proc = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  groups.push(proc.pid!);
  const seen: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    seen.push(l);
    for (const w of waiters) w();
  });
  const lines = (re: RegExp, count: number, timeoutMs = 10_000): Promise<RegExpExecArray[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = seen.map((l) => re.exec(l)).filter((m): m is RegExpExecArray => m !== null);
        if (found.length >= count) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found.slice(0, count));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${count} lines matching ${re} within ${timeoutMs} ms; got ${JSON.stringify(seen)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { proc, lines };
}

/**
 * Keep-alive load: `connections` loops of sequential GETs until `ms` have passed. With round-robin
 * each connection sticks to one worker, so each worker serves about 1/WORKERS of the requests.
 */
async function drive(port: number, ms: number, connections: number, onResponse: () => void): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const deadline = performance.now() + ms;
  let done = 0;
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5_000 }, (res) => {
        res.resume();
        res.once('end', () => {
          done++;
          onResponse();
          resolve();
        });
      });
      req.once('timeout', () => req.destroy(new Error('request timed out after 5 s')));
      req.once('error', reject);
    });
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) await once();
  };
  try {
    await Promise.all(Array.from({ length: connections }, loop));
  } finally {
    agent.destroy();
  }
  return done;
}

describe('the node-cluster example under load', () => {
  it('grows in the leaking worker: attribution names its pid and the mapping diff its [heap]', async (t) => {
    const port = await freePort();
    const app = start([process.execPath, join(EXAMPLES, 'node-cluster', 'server.js')], {
      PORT: String(port),
      WORKERS: '3',
      LEAK_WORKER: '2',
      LEAK_BYTES: '4096',
    });
    const root = app.proc.pid!;
    let served = 0;
    // Started before any worker exists, with no periodic rescan: the workers can only be found
    // through the primary's task/PID/children file.
    const sampler = startSampler({
      rootPid: root,
      pgid: root,
      intervalMs: 100,
      rescanEvery: 10_000,
      requests: () => served,
      now: () => performance.now(),
      origin: () => 0,
    });
    samplers.push(sampler);
    const workers = await app.lines(/^worker (\d) pid (\d+) (leaking|clean)$/, 3);
    await app.lines(/^primary pid \d+: 3 workers/, 1);
    const leaking = Number(workers.find((m) => m[3] === 'leaking')![2]);
    const workerPids = workers.map((m) => Number(m[2])).sort((a, b) => a - b);

    await drive(port, 800, 6, () => served++); // warm-up
    const warmupEndIndex = sampler.samples().length;
    const startMaps = await snapshotTreeMappings(root, { pgid: root });
    const requests = await drive(port, 3_500, 6, () => served++);
    const endMaps = await snapshotTreeMappings(root, { pgid: root });
    const samples = await sampler.stop();
    samplers.splice(samplers.indexOf(sampler), 1);

    assert.ok(requests > 1_000, `${requests} requests in 3.5 s`);
    const last = samples[samples.length - 1]!;
    assert.deepEqual(last.processes.map((p) => p.pid).sort((a, b) => a - b), [root, ...workerPids].sort((a, b) => a - b));
    const stats = sampler.stats();
    assert.equal(stats.fullScans, 1, 'the workers were found without scanning /proc again');
    assert.ok(samples.every((s) => typeof s.full === 'boolean'));

    const growth = attributeProcesses(samples, { warmupEndIndex, metric: 'anon', cmdlines: sampler.processes() });
    const top = topGrowingProcess(growth)!;
    assert.equal(top.pid, leaking, `grows most: ${JSON.stringify(growth.map((g) => [g.pid, Math.round(g.slopeBytesPerRequest)]))}`);
    assert.equal(top.ppid, root);
    assert.ok(top.share > 0.7, `share ${top.share.toFixed(2)}`);
    // It keeps 4 KiB for each request it serves. Keep-alive connections stick to a worker, so its share of the
    // tree's requests is about a third but not exactly: between half a third and all of them (plus ~25% of
    // Buffer and allocator overhead).
    const third = 4096 / 3;
    assert.ok(top.slopeBytesPerRequest > 0.5 * third && top.slopeBytesPerRequest < 1.25 * 4096, `${top.slopeBytesPerRequest.toFixed(0)} B/req`);
    assert.match(top.cmdline ?? '', /node-cluster\/server\.js$/);
    assert.match(describeGrowth(growth, root)!, new RegExp(`^grows in pid ${leaking} \\(.*server\\.js, child of pid ${root}\\): `));

    const maps = diffTreeMappings(startMaps, endMaps);
    assert.equal(maps[0]!.pid, leaking, 'most anonymous growth in the leaking worker');
    const region = maps[0]!.diff.regions[0]!;
    // 4 KiB buffers come from malloc's main arena, which grows the brk heap; when another mapping sits right above
    // the heap, glibc's main arena goes on in anonymous mmaps instead, so either is right.
    assert.ok(['[heap]', '[anonymous]'].includes(region.name), `top regions ${JSON.stringify(maps[0]!.diff.regions.slice(0, 3).map((r) => [r.name, r.delta.anonymous]))}`);
    assert.ok(region.delta.anonymous > 2 * MIB, `[heap] grew by ${(region.delta.anonymous / MIB).toFixed(1)} MiB`);
    t.diagnostic(
      `${requests} requests, ${samples.length} samples (${stats.fullReads} full), ${describeGrowth(growth, root)}; ` +
        `[heap] of pid ${leaking} +${(region.delta.anonymous / MIB).toFixed(1)} MiB`,
    );
    for (const other of maps.filter((p) => p.pid !== leaking)) {
      assert.ok(other.diff.totals.delta.anonymous < region.delta.anonymous / 2, `pid ${other.pid} grew less`);
    }
  });
});

describe('mappings and anon on single processes', () => {
  it('shows big buffers as growth of [anonymous] (each 1 MiB buffer is its own mmap)', async () => {
    const app = start([
      process.execPath,
      '-e',
      `let k=[];process.stdin.on('data',()=>{for(let i=0;i<48;i++)k.push(Buffer.alloc(1<<20,1));console.log('grown')});console.log('up')`,
    ]);
    const pid = app.proc.pid!;
    await app.lines(/^up$/, 1);
    const before = await snapshotTreeMappings(pid, { pgid: pid });
    app.proc.stdin!.write('go\n');
    await app.lines(/^grown$/, 1);
    const afterMaps = await snapshotTreeMappings(pid, { pgid: pid });
    const [p] = diffTreeMappings(before, afterMaps);
    assert.equal(p!.pid, pid);
    const top = p!.diff.regions[0]!;
    assert.equal(top.name, '[anonymous]');
    assert.equal(top.kind, 'anon');
    assert.ok(top.delta.anonymous >= 46 * MIB, `grew ${(top.delta.anonymous / MIB).toFixed(1)} MiB`);
    assert.ok(Math.abs(p!.diff.totals.delta.anonymous - top.delta.anonymous) < 4 * MIB, 'nearly all of it there');
  });

  it('reads the same anonymous memory from status (RssAnon) as from smaps_rollup (Anonymous)', async () => {
    // A process that keeps allocating: the rollup read must fall between the status reads around it.
    const app = start([process.execPath, '-e', `const k=[];setInterval(()=>k.push(Buffer.alloc(64<<10,1)),2);console.log('up')`]);
    const pid = app.proc.pid!;
    await app.lines(/^up$/, 1);
    let equal = 0;
    for (let i = 0; i < 50; i++) {
      const a = readProcessStatus(pid)!.rssAnon;
      const rollup = (await readProcessMemory(pid))!.anon;
      const b = readProcessStatus(pid)!.rssAnon;
      assert.ok(rollup >= Math.min(a, b) && rollup <= Math.max(a, b), `read ${i}: RssAnon ${a} / ${b}, Anonymous ${rollup}`);
      if (a === rollup && rollup === b) equal++;
    }
    assert.ok(equal > 0, 'and exactly equal when nothing changed in between');
  });
});
