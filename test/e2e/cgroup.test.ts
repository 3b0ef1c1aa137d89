// Memory cgroups for real: the cgroup this test runs in, a fresh 64 MiB cgroup whose app is
// OOM-killed (exit by SIGKILL, oom_kill counter, diagnosis), sampling that cgroup, and why a cgroup
// cannot be made (not root, not delegated), plus the v2 file sequence on a fake cgroup2 mount.
// Skips, saying why, where this machine cannot make cgroups.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  cgroupWrappedCommand,
  createMemoryCgroup,
  CgroupUnavailableError,
  detectCgroup,
  readCgroupMemory,
  type MemoryCgroup,
} from '../../src/sample/cgroup.js';
import { diagnoseOom } from '../../src/sample/oom.js';
import { monotonicUs, oomKillsOf, parseKernelOomKills, readKernelLog } from '../../src/sample/kernel-log.js';
import { readMeminfo } from '../../src/sample/meminfo.js';
import { startSampler } from '../../src/sample/sampler.js';
import type { Sample } from '../../src/core/types.js';
import { ROOT, tempDir } from './helpers.js';

const MIB = 1024 * 1024;
const groups: number[] = [];
const cgroups: MemoryCgroup[] = [];
const dirs: string[] = [];

after(async () => {
  for (const pgid of groups.splice(0)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const cg of cgroups.splice(0)) await cg.remove(5_000);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A cgroup for this test, or the reason this machine cannot make one. */
function tryCgroup(name: string, limitBytes: number): MemoryCgroup | string {
  try {
    const cg = createMemoryCgroup({ limitBytes, name: `${name}-${process.pid}` });
    cgroups.push(cg);
    return cg;
  } catch (err) {
    if (err instanceof CgroupUnavailableError) return `cannot make a memory cgroup here: ${err.message}`;
    throw err;
  }
}

/** Runs argv detached, resolves with how it exited; killed after `limitMs`. */
function run(argv: string[], limitMs = 15_000): Promise<{ code: number | null; signal: string | null; stderr: string; pid: number }> {
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  groups.push(child.pid!);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stderr, pid: child.pid! });
    });
  });
}

describe('the cgroup this test runs in', () => {
  it('is found and read', (t) => {
    const cg = detectCgroup('self');
    if (cg === null) {
      t.skip('no memory cgroup readable here (no memory controller, or the v2 root cgroup)');
      return;
    }
    assert.ok(cg.dir.startsWith(cg.mountPoint), `${cg.dir} is under ${cg.mountPoint}`);
    const f = readCgroupMemory(cg);
    assert.ok(f.usage > 0, `usage ${f.usage}`);
    assert.ok(f.anon > 0, `anon ${f.anon}: this node process alone has anonymous memory`);
    assert.ok(f.limit === null || f.limit > 0);
    const machine = readMeminfo();
    assert.ok(f.usage < machine.total, 'a cgroup uses less than the machine has');
    assert.ok(machine.available <= machine.total && machine.free <= machine.total);
  });
});

describe('a fresh cgroup with a 64 MiB limit', () => {
  it('OOM-kills an app that allocates without bound, and the diagnosis says so', async (t) => {
    const cg = tryCgroup('oom', 64 * MIB);
    if (typeof cg === 'string') {
      t.skip(cg);
      return;
    }
    assert.deepEqual(readCgroupMemory(cg), { usage: 0, anon: 0, file: 0, kernel: 0, limit: 64 * MIB });
    const before = cg.oomKills();
    assert.equal(before, 0);
    // 2 MiB filled every 10 ms: over the limit in well under a second, slowly enough to sample.
    const hog = `const k=[];setInterval(()=>{k.push(Buffer.alloc(2<<20,1))},10)`;
    const started = performance.now();
    const startedUs = monotonicUs();
    const child = run(cgroupWrappedCommand(cg.dir, [process.execPath, '-e', hog]));
    // The wrapper moved itself before exec: the app (same pid) is in the cgroup from its start.
    let samplerPid = 0;
    const deadline = performance.now() + 5_000;
    while (samplerPid === 0 && performance.now() < deadline) {
      samplerPid = cg.pids()[0] ?? 0;
      if (samplerPid === 0) await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(samplerPid > 0, 'the app appeared in the cgroup');
    const samples: Sample[] = [];
    const errors: unknown[] = [];
    const sampler = startSampler({
      rootPid: samplerPid,
      pgid: samplerPid,
      intervalMs: 50,
      requests: () => 0,
      now: () => performance.now(),
      origin: () => started,
      cgroup: cg,
      onSample: (s) => samples.push(s),
      onError: (e) => errors.push(e),
    });
    const exit = await child;
    await sampler.stop();
    const ms = performance.now() - started;

    assert.equal(exit.pid, samplerPid, 'exec kept the pid the wrapper moved');
    assert.equal(exit.signal, 'SIGKILL', `exit ${exit.code}/${exit.signal}, stderr ${exit.stderr}`);
    const afterKills = cg.oomKills();
    assert.ok(afterKills !== null && afterKills >= 1, `oom_kill ${afterKills}`);
    const diagnosis = diagnoseOom({ exitSignal: exit.signal, exitCode: exit.code, oomKillsBefore: before, oomKillsAfter: afterKills, pid: exit.pid });
    assert.equal(diagnosis.oom, true, diagnosis.evidence);
    assert.match(diagnosis.evidence, /killed by SIGKILL and the cgroup's oom_kill counter rose from 0 to \d/);

    // The kernel's own record of the kill (what leakgate reads when no counter is there), in its real format.
    const log = await readKernelLog();
    if ('error' in log) {
      t.diagnostic(`kernel log not readable here, its check skipped: ${log.error}`);
    } else {
      const kills = oomKillsOf(parseKernelOomKills(log.text), new Set([exit.pid]), startedUs);
      assert.deepEqual(kills.map((k) => [k.pid, k.comm, k.cgroup]), [[exit.pid, 'node', true]], `kernel log OOM lines: ${log.text.split('\n').filter((l) => /Killed process/.test(l)).slice(-3).join(' | ')}`);
      const fromLog = diagnoseOom({ exitSignal: exit.signal, exitCode: exit.code, oomKillsBefore: null, oomKillsAfter: null, kernelMessages: kills.map((k) => k.message) });
      assert.equal(fromLog.oom, true, fromLog.evidence);
    }

    const withCgroup = samples.filter((s) => s.cgroup !== undefined);
    assert.ok(withCgroup.length >= 2, `${withCgroup.length} samples with cgroup figures in ${ms.toFixed(0)} ms; errors ${errors.map(String).join('; ')}`);
    for (const s of withCgroup) {
      assert.equal(s.cgroup!.limit, 64 * MIB);
      assert.ok(s.cgroup!.usage <= 64 * MIB, `usage ${s.cgroup!.usage} within the limit`);
    }
    const last = withCgroup[withCgroup.length - 1]!;
    const first = withCgroup[0]!;
    assert.ok(last.cgroup!.anon > first.cgroup!.anon, 'the cgroup anon grew');
    // The whole app is charged to the cgroup: its anon is the process's RssAnon, within a few MiB
    // (the two reads are microseconds apart while the app allocates 2 MiB per 10 ms).
    const gap = Math.abs(last.cgroup!.anon - last.total.anon);
    assert.ok(gap < 8 * MIB, `cgroup anon ${(last.cgroup!.anon / MIB).toFixed(1)} MiB vs process ${(last.total.anon / MIB).toFixed(1)} MiB`);

    await cg.remove(5_000);
    cgroups.splice(cgroups.indexOf(cg), 1);
    assert.throws(() => readFileSync(join(cg.dir, 'cgroup.procs')), /ENOENT/, 'removed');
  });

  it('refuses a name that is taken or unsafe, and a bad limit', (t) => {
    const cg = tryCgroup('dup', 64 * MIB);
    if (typeof cg === 'string') {
      t.skip(cg);
      return;
    }
    assert.throws(() => createMemoryCgroup({ limitBytes: 64 * MIB, name: `dup-${process.pid}` }), (err: unknown) => {
      assert.ok(err instanceof CgroupUnavailableError);
      assert.equal(err.reason, 'exists');
      assert.match(err.message, /left over from an earlier run\? remove it with rmdir/);
      return true;
    });
    assert.throws(() => createMemoryCgroup({ limitBytes: 64 * MIB, name: '../escape' }), {
      message: "cgroup name must be 1-64 letters, digits, '.', '_' or '-', got '../escape'",
    });
    assert.throws(() => createMemoryCgroup({ limitBytes: 1000, name: 'small' }), /at least 1 MiB, got 1000/);
  });

  it('moves a running process in with addPid; the wrapper exits 126 when it cannot move', async (t) => {
    const cg = tryCgroup('move', 256 * MIB);
    if (typeof cg === 'string') {
      t.skip(cg);
      return;
    }
    const idle = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    groups.push(idle.pid!);
    cg.addPid(idle.pid!);
    assert.deepEqual(cg.pids(), [idle.pid]);
    assert.match(readFileSync(`/proc/${idle.pid}/cgroup`, 'utf8'), new RegExp(`memory:.*/move-${process.pid}\\n`));
    process.kill(-idle.pid!, 'SIGKILL');
    await new Promise((r) => idle.once('exit', r));

    const missing = await run(cgroupWrappedCommand(join(cg.dir, 'no-such-child'), ['true']));
    assert.equal(missing.code, 126);
    assert.match(missing.stderr, /leakgate: cannot move into cgroup .*no-such-child/);
  });

  it('says "not permitted" to a user who is not root', async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('not root: the check needs to drop to another user');
      return;
    }
    // As nobody (65534): mkdir under the memory controller fails with EACCES/EPERM.
    const script = `
      import('${join(ROOT, 'src/sample/cgroup.ts')}').then((m) => {
        try { m.createMemoryCgroup({ limitBytes: 64 << 20, name: 'nobody-${process.pid}' }); console.error('made'); process.exit(1); }
        catch (e) { console.error(e.reason + ': ' + e.message); process.exit(e.reason === 'not-permitted' || e.reason === 'no-memory-controller' ? 0 : 3); }
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { uid: 65534, gid: 65534, cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.once('close', r));
    if (/EACCES: permission denied, open.*(node_modules|\.ts)|Cannot find module/.test(stderr)) {
      t.skip(`nobody cannot read the repository here: ${stderr.slice(0, 120)}`);
      return;
    }
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^(not-permitted: cannot make .*making cgroups needs root|no-memory-controller)/);
  });
});

describe('cgroup v2 on a fake cgroup2 mount', () => {
  function fakeMount(subtreeControl: string): { root: string; mountinfo: string } {
    const root = tempDir('leakgate-cg2-');
    dirs.push(root);
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    writeFileSync(join(root, 'cgroup.subtree_control'), subtreeControl);
    return { root, mountinfo: `41 31 0:38 / ${root} rw,relatime - cgroup2 cgroup2 rw\n` };
  }

  it('enables +memory in the parent, writes memory.max, and adds pids to cgroup.procs', async () => {
    const { root, mountinfo } = fakeMount('cpu memory pids\n');
    const cg = createMemoryCgroup({ limitBytes: 64 * MIB, name: 'fake', mountinfo });
    assert.equal(cg.version, 2);
    assert.equal(cg.dir, join(root, 'leakgate', 'fake'));
    assert.equal(readFileSync(join(root, 'leakgate', 'cgroup.subtree_control'), 'utf8'), '+memory');
    assert.equal(readFileSync(join(cg.dir, 'memory.max'), 'utf8'), `${64 * MIB}\n`);
    cg.addPid(4242);
    assert.deepEqual(cg.pids(), [4242]);
    await assert.rejects(cg.remove(50), { message: `cannot remove ${cg.dir}: processes 4242 are still in it after 50 ms; kill them first` });

    // What the kernel shows once the app has run: read as v2 figures, the mount's limit included.
    writeFileSync(join(cg.dir, 'memory.current'), '5242880\n');
    writeFileSync(join(cg.dir, 'memory.stat'), 'anon 4194304\nfile 8192\nkernel 1048576\n');
    writeFileSync(join(cg.dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
    assert.deepEqual(readCgroupMemory(cg), { usage: 5242880, anon: 4194304, file: 8192, kernel: 1048576, limit: 64 * MIB });
    assert.equal(cg.oomKills(), 1);
  });

  it('says the controller is not delegated when the parent does not offer memory', () => {
    const { root, mountinfo } = fakeMount('cpu pids\n');
    assert.throws(() => createMemoryCgroup({ limitBytes: 64 * MIB, name: 'fake', mountinfo }), (err: unknown) => {
      assert.ok(err instanceof CgroupUnavailableError);
      assert.equal(err.reason, 'not-delegated');
      assert.equal(err.message, `${join(root, 'cgroup.subtree_control')} does not enable memory for its children ('cpu pids'): the memory controller is not delegated to ${join(root, 'leakgate')}`);
      return true;
    });
  });

  it('says there is no memory controller when no mount offers one', () => {
    const root = tempDir('leakgate-cg2-');
    dirs.push(root);
    mkdirSync(join(root, 'x'));
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu pids\n');
    assert.throws(
      () => createMemoryCgroup({ limitBytes: 64 * MIB, name: 'fake', mountinfo: `41 31 0:38 / ${root} rw - cgroup2 cgroup2 rw\n` }),
      { name: 'CgroupUnavailableError', message: /^no memory cgroup controller here/ },
    );
  });
});
