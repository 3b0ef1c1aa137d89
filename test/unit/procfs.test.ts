// The parsers of kernel files (/proc and the cgroup filesystem) on text captured from a real Linux
// machine (test/fixtures/procfs/ and inline captures), plus the malformed input they must refuse
// with a message naming the file and the problem; and the pure decisions built on them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseChildren, parseCmdline, parseSmapsRollup, parseStat, parseStatus, parseStatusMemory } from '../../src/sample/procfs.js';
import { parseMeminfo } from '../../src/sample/meminfo.js';
import {
  cgroupDirOf,
  cgroupFiguresV1,
  cgroupFiguresV2,
  cgroupWrappedCommand,
  parseCgroupMounts,
  parseFlatKeyed,
  parseLimitBytes,
  parseProcCgroup,
} from '../../src/sample/cgroup.js';
import { diagnoseOom, parseMemoryEvents, parseOomControl } from '../../src/sample/oom.js';
import { fullReadEvery } from '../../src/sample/read-memory.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/procfs/${name}`, import.meta.url), 'utf8');
const KIB = 1024;

describe('parseSmapsRollup', () => {
  it('reads the figures of a node process, in bytes', () => {
    // node-smaps_rollup: Rss 56760, Pss 54948, Private_Clean 31476, Private_Dirty 22736,
    // Anonymous 22736, Swap 0 (kB)
    assert.deepEqual(parseSmapsRollup(fixture('node-smaps_rollup')), {
      rss: 56760 * KIB,
      pss: 54948 * KIB,
      uss: (31476 + 22736) * KIB,
      anon: 22736 * KIB,
      swap: 0,
    });
  });

  it('reads Swap when it is not zero', () => {
    const text = fixture('node-smaps_rollup').replace(/^Swap:\s+0 kB$/m, 'Swap:               1234 kB');
    assert.equal(parseSmapsRollup(text).swap, 1234 * KIB);
  });

  it('refuses empty text', () => {
    assert.throws(() => parseSmapsRollup(''), /^Error: smaps_rollup: no 'Key: value kB' lines found/);
  });

  it('names a missing field', () => {
    const text = fixture('node-smaps_rollup').replace(/^Anonymous:.*\n/m, '');
    assert.throws(() => parseSmapsRollup(text), { message: "smaps_rollup: field 'Anonymous' is missing" });
  });

  it('names a field whose value is not kB', () => {
    const text = fixture('node-smaps_rollup').replace(/^Pss:.*$/m, 'Pss:  lots');
    assert.throws(() => parseSmapsRollup(text), { message: "smaps_rollup: field 'Pss' is not a number of kB: 'lots'" });
  });

  it('refuses a status file passed by mistake', () => {
    assert.throws(() => parseSmapsRollup(fixture('node-status')), /^Error: smaps_rollup: field 'Rss' is missing/);
  });
});

describe('parseStatus', () => {
  it('reads name, parent and memory lines of a node process, in bytes', () => {
    assert.deepEqual(parseStatus(fixture('node-status')), {
      name: 'node',
      ppid: 3616,
      vmRss: 56828 * KIB,
      rssAnon: 22744 * KIB,
      rssFile: 34084 * KIB,
      rssShmem: 0,
      vmHwm: 56828 * KIB,
      vmSwap: 0,
    });
  });

  it('reads a kernel thread, which has no memory lines, as zero memory', () => {
    assert.deepEqual(parseStatus(fixture('kthread-status')), {
      name: 'kthreadd',
      ppid: 0,
      vmRss: 0,
      rssAnon: 0,
      rssFile: 0,
      rssShmem: 0,
      vmHwm: 0,
      vmSwap: 0,
    });
  });

  it('reads a zombie, which has no memory lines either', () => {
    const s = parseStatus(fixture('zombie-status'));
    assert.equal(s.name, 'sleep');
    assert.equal(s.ppid, 3651);
    assert.equal(s.vmRss, 0);
  });

  it('keeps spaces inside a name', () => {
    const text = fixture('node-status').replace(/^Name:.*$/m, 'Name:\tmy (weird) app');
    assert.equal(parseStatus(text).name, 'my (weird) app');
  });

  it('names a missing Name or PPid', () => {
    const status = fixture('node-status');
    assert.throws(() => parseStatus(status.replace(/^Name:.*\n/m, '')), { message: "status: field 'Name' is missing" });
    assert.throws(() => parseStatus(status.replace(/^PPid:.*\n/m, '')), { message: "status: field 'PPid' is missing" });
  });

  it('names a field whose value is not a number', () => {
    const status = fixture('node-status');
    assert.throws(() => parseStatus(status.replace(/^PPid:.*$/m, 'PPid:\t-1')), {
      message: "status: field 'PPid' is not a number: '-1'",
    });
    assert.throws(() => parseStatus(status.replace(/^VmRSS:.*$/m, 'VmRSS:\t12 MB')), {
      message: "status: field 'VmRSS' is not a number of kB: '12 MB'",
    });
  });
});

describe('parseStat', () => {
  it('reads a node process', () => {
    assert.deepEqual(parseStat(fixture('node-stat')), { pid: 3619, comm: 'node', state: 'R', ppid: 3616, pgid: 3616 });
  });

  it('reads a zombie', () => {
    assert.deepEqual(parseStat(fixture('zombie-stat')), { pid: 3653, comm: 'sleep', state: 'Z', ppid: 3651, pgid: 3642 });
  });

  it('keeps spaces and parentheses inside comm (a real process named "my (weird) app")', () => {
    assert.deepEqual(parseStat(fixture('weird-comm-stat')), {
      pid: 3647,
      comm: 'my (weird) app',
      state: 'S',
      ppid: 3646,
      pgid: 3642,
    });
  });

  it('splits at the last ")" even when comm looks like the fields after it', () => {
    // handmade: comm is "x) Z 1 1 (y"; the real state is S, ppid 77, pgrp 4242.
    assert.deepEqual(parseStat(fixture('handmade-stat-paren-comm')), {
      pid: 4242,
      comm: 'x) Z 1 1 (y',
      state: 'S',
      ppid: 77,
      pgid: 4242,
    });
  });

  it('refuses text without "pid (comm)"', () => {
    assert.throws(() => parseStat(''), { message: "stat: expected 'pid (comm) state ppid pgrp ...', got ''" });
    assert.throws(() => parseStat('Name:\tnode\n'), /^Error: stat: expected 'pid \(comm\) state ppid pgrp \.\.\.'/);
  });

  it('names the field that is wrong', () => {
    assert.throws(() => parseStat('abc (node) S 1 1'), { message: "stat: pid is not a number: 'abc'" });
    assert.throws(() => parseStat('12 (node) 1 1 1'), /^Error: stat: state after comm is not one letter: '1'/);
    assert.throws(() => parseStat('12 (node) S x 1'), /^Error: stat: ppid is not a number: 'x'/);
    assert.throws(() => parseStat('12 (node) S 1'), /^Error: stat: pgrp is not a number: ''/);
  });
});

describe('parseStatus RssShmem', () => {
  it('reads shared memory, which is in VmRSS but in neither RssAnon nor RssFile', () => {
    const text = fixture('node-status').replace(/^RssShmem:.*$/m, 'RssShmem:\t    2048 kB');
    assert.equal(parseStatus(text).rssShmem, 2048 * KIB);
  });
});

describe('parseStatusMemory', () => {
  it('reads the same memory lines as parseStatus', () => {
    const full = parseStatus(fixture('node-status'));
    assert.deepEqual(parseStatusMemory(fixture('node-status')), {
      vmRss: full.vmRss,
      rssAnon: full.rssAnon,
      rssFile: full.rssFile,
      rssShmem: full.rssShmem,
      vmSwap: full.vmSwap,
    });
  });

  it('returns null for a process without an address space', () => {
    assert.equal(parseStatusMemory(fixture('kthread-status')), null);
    assert.equal(parseStatusMemory(fixture('zombie-status')), null);
  });

  it('names a malformed VmRSS and a missing RssAnon (kernels before 4.5)', () => {
    assert.throws(() => parseStatusMemory(fixture('node-status').replace(/^VmRSS:.*$/m, 'VmRSS:\t12 MB')), {
      message: "status: field 'VmRSS' is not a number of kB: '12 MB'",
    });
    assert.throws(() => parseStatusMemory(fixture('node-status').replace(/^RssAnon:.*\n/m, '')), {
      message: "status: field 'RssAnon' is missing or not a number of kB (it needs Linux 4.5 or later)",
    });
  });
});

describe('parseChildren and parseCmdline', () => {
  it('reads the space-separated pids of task/TID/children, trailing space and all', () => {
    assert.deepEqual(parseChildren('5506 5507 '), [5506, 5507]);
    assert.deepEqual(parseChildren(''), []);
  });

  it('refuses anything but pids', () => {
    assert.throws(() => parseChildren('12 abc'), { message: "children: expected space-separated pids, got '12 abc'" });
  });

  it('joins NUL-separated arguments as ps does and caps the length', () => {
    assert.equal(parseCmdline('node\0server.js\0--port\x003000\0'), 'node server.js --port 3000');
    assert.equal(parseCmdline(''), '');
    assert.equal(parseCmdline(`node\0${'x'.repeat(300)}\0`, 20), 'node xxxxxxxxxxxx...');
  });
});

// /proc/meminfo captured on the test machine (first lines; the parser ignores the rest).
const MEMINFO = `MemTotal:       24684096 kB
MemFree:        23481576 kB
MemAvailable:   23738476 kB
Buffers:            6036 kB
Cached:           426532 kB
SwapCached:            0 kB
Active:           205860 kB
Active(anon):       1600 kB
SwapTotal:             0 kB
SwapFree:              0 kB
HugePages_Total:       0
`;

describe('parseMeminfo', () => {
  it('reads the figures free shows, in bytes', () => {
    assert.deepEqual(parseMeminfo(MEMINFO), {
      total: 24684096 * KIB,
      free: 23481576 * KIB,
      available: 23738476 * KIB,
      buffers: 6036 * KIB,
      cached: 426532 * KIB,
      swapTotal: 0,
      swapFree: 0,
    });
  });

  it('names a missing or malformed field', () => {
    assert.throws(() => parseMeminfo(MEMINFO.replace(/^MemAvailable:.*\n/m, '')), { message: "meminfo: field 'MemAvailable' is missing" });
    assert.throws(() => parseMeminfo(MEMINFO.replace(/^Cached:.*$/m, 'Cached: lots')), {
      message: "meminfo: field 'Cached' is not a number of kB: 'lots'",
    });
  });
});

// Captured on the test machine (cgroup v1, kernel 6.18): /proc/self/cgroup, mountinfo lines, and
// the memory.stat of a cgroup with a few processes.
const PROC_CGROUP_V1 = '9:name=systemd:/\n8:pids:/\n4:memory:/process_api/76f0\n3:cpuset:/\n1:cpu:/\n0::/\n';
const MOUNTINFO = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 23 0:40 / /tmp/my\\040cgroups rw shared:9 - cgroup2 cgroup2 rw,nsdelegate
`;
const V1_STAT = `cache 856064
rss 1708032
rss_huge 0
shmem 0
mapped_file 4096
swap 0
hierarchical_memory_limit 9223372036854771712
hierarchical_memsw_limit 9223372036854771712
total_cache 856064
total_rss 1708032
total_swap 0
`;
// Handmade in the shape of a Linux 6.x v2 memory.stat (this machine has no v2 memory controller).
const V2_STAT = `anon 1294336
file 1003520
kernel 1601536
kernel_stack 65536
pagetables 200704
sec_pagetables 0
percpu 2880
sock 4096
vmalloc 0
shmem 0
file_mapped 503808
slab_reclaimable 1004544
slab_unreclaimable 312384
slab 1316928
pgfault 5318
`;

describe('cgroup files', () => {
  it('finds the v1 memory controller line, else the unified one', () => {
    assert.deepEqual(parseProcCgroup(PROC_CGROUP_V1), { version: 1, path: '/process_api/76f0' });
    assert.deepEqual(parseProcCgroup('0::/system.slice/runner.service\n'), { version: 2, path: '/system.slice/runner.service' });
    assert.equal(parseProcCgroup('3:cpu:/a\n'), null);
  });

  it('lists the memory v1 mount and every cgroup2 mount, unescaping spaces', () => {
    assert.deepEqual(parseCgroupMounts(MOUNTINFO), [
      { version: 1, mountPoint: '/sys/fs/cgroup/memory', root: '/' },
      { version: 2, mountPoint: '/sys/fs/cgroup/unified', root: '/' },
      { version: 2, mountPoint: '/tmp/my cgroups', root: '/' },
    ]);
    assert.throws(() => parseCgroupMounts('31 23 0:28 /\n'), /^Error: mountinfo: line 1 is not 'id parent/);
  });

  it('maps a cgroup path into a mount, also one whose root is a sub-tree', () => {
    const mount = { version: 1 as const, mountPoint: '/sys/fs/cgroup/memory', root: '/' };
    assert.equal(cgroupDirOf('/ci/job1', mount), '/sys/fs/cgroup/memory/ci/job1');
    assert.equal(cgroupDirOf('/', mount), '/sys/fs/cgroup/memory');
    const sub = { version: 2 as const, mountPoint: '/sys/fs/cgroup', root: '/docker/abc' };
    assert.equal(cgroupDirOf('/docker/abc/app', sub), '/sys/fs/cgroup/app');
    assert.equal(cgroupDirOf('/docker/abcd', sub), null, 'a sibling that merely shares the prefix');
  });

  it('reads v1 figures: total_ values, kmem, and the huge "unlimited" as null', () => {
    assert.deepEqual(cgroupFiguresV1({ usage: '3887104\n', stat: V1_STAT, limit: '9223372036854771712\n', kmem: '995328\n' }), {
      usage: 3887104,
      anon: 1708032,
      file: 856064,
      kernel: 995328,
      limit: null,
    });
    const limited = cgroupFiguresV1({ usage: '1\n', stat: V1_STAT.replace(/^total_rss .*$/m, 'total_rss 42'), limit: '67108864\n' });
    assert.equal(limited.limit, 67108864);
    assert.equal(limited.anon, 42, 'total_rss (hierarchy) wins over rss');
    assert.equal(limited.kernel, 0, 'no kmem file: 0');
    const parentLimit = V1_STAT.replace(/^hierarchical_memory_limit .*$/m, 'hierarchical_memory_limit 33554432');
    assert.equal(cgroupFiguresV1({ usage: '1', stat: parentLimit, limit: '67108864' }).limit, 33554432, "a parent's lower limit binds");
  });

  it('reads v2 figures: kernel from the kernel key, or summed from its parts on older kernels', () => {
    assert.deepEqual(cgroupFiguresV2({ current: '4194304\n', stat: V2_STAT, max: ['max\n'] }), {
      usage: 4194304,
      anon: 1294336,
      file: 1003520,
      kernel: 1601536,
      limit: null,
    });
    const old = cgroupFiguresV2({ current: '1', stat: V2_STAT.replace(/^kernel .*\n/m, ''), max: ['max', '536870912', 'max'] });
    assert.equal(old.kernel, 65536 + 200704 + 2880 + 1316928, 'stack + pagetables + percpu + slab, without sock');
    assert.equal(old.limit, 536870912, "an ancestor's memory.max binds");
  });

  it('names the cgroup file and line that is malformed', () => {
    assert.throws(() => parseFlatKeyed('anon 1\nfile x\n', 'memory.stat'), { message: "memory.stat: line 2 is not 'key number': 'file x'" });
    assert.throws(() => parseLimitBytes('lots', 'memory.max'), { message: "memory.max: expected a number of bytes or 'max', got 'lots'" });
    assert.throws(() => cgroupFiguresV2({ current: '1', stat: V1_STAT, max: [] }), { message: "memory.stat: field 'anon' is missing (not a v2 memory.stat?)" });
    assert.throws(() => cgroupFiguresV1({ usage: 'x', stat: V1_STAT, limit: 'max' }), { message: "memory.usage_in_bytes: expected a number of bytes, got 'x'" });
  });

  it('wraps a command so the shell never parses the path or the arguments', () => {
    const argv = cgroupWrappedCommand('/sys/fs/cgroup/memory/leakgate/t1', ['node', '-e', 'console.log("$HOME; rm -rf /")']);
    assert.deepEqual(argv.slice(0, 2), ['/bin/sh', '-c']);
    assert.deepEqual(argv.slice(3), ['leakgate-cgroup', '/sys/fs/cgroup/memory/leakgate/t1', 'node', '-e', 'console.log("$HOME; rm -rf /")']);
    assert.ok(!argv[2]!.includes('leakgate/t1') && !argv[2]!.includes('node'), 'nothing interpolated into the script');
    assert.throws(() => cgroupWrappedCommand('relative/dir', ['x']), /must be an absolute path, got 'relative\/dir'/);
    assert.throws(() => cgroupWrappedCommand('/x', []), /argv must name a command/);
  });
});

describe('OOM counters and the diagnosis', () => {
  it('reads v1 memory.oom_control (captured after an OOM kill) and v2 memory.events', () => {
    assert.deepEqual(parseOomControl('oom_kill_disable 0\nunder_oom 0\noom_kill 1\n'), { oomKillDisable: false, underOom: false, oomKill: 1 });
    assert.equal(parseOomControl('oom_kill_disable 0\nunder_oom 0\n').oomKill, null, 'kernels before 4.13');
    assert.deepEqual(parseMemoryEvents('low 0\nhigh 0\nmax 37\noom 2\noom_kill 2\noom_group_kill 0\n'), {
      low: 0,
      high: 0,
      max: 37,
      oom: 2,
      oomKill: 2,
      oomGroupKill: 0,
    });
    assert.throws(() => parseMemoryEvents('low 0\nhigh 0\nmax 1\n'), /^Error: memory.events: field 'oom' is missing/);
    assert.throws(() => parseOomControl('under_oom maybe'), { message: "memory.oom_control: line 1 is not 'key number': 'under_oom maybe'" });
  });

  it('calls it an OOM kill when the counter rose, and only a hint when it could not be read', () => {
    const base = { exitSignal: 'SIGKILL', exitCode: null, oomKillsBefore: 0, oomKillsAfter: 1 };
    const killed = diagnoseOom(base);
    assert.equal(killed.oom, true);
    assert.match(killed.evidence, /killed by SIGKILL and the cgroup's oom_kill counter rose from 0 to 1/);
    assert.equal(diagnoseOom({ ...base, exitSignal: null, exitCode: 137 }).oom, true, 'a shell reports SIGKILL as 137');

    const other = diagnoseOom({ ...base, oomKillsAfter: 0 });
    assert.deepEqual(other, { oom: false, evidence: "not the OOM killer: the app was killed by SIGKILL but the cgroup's oom_kill counter stayed at 0" });

    const child = diagnoseOom({ ...base, exitSignal: null, exitCode: 0, oomKillsAfter: 2 });
    assert.equal(child.oom, true);
    assert.match(child.evidence, /killed 2 processes in the app's cgroup \(oom_kill 0 -> 2\); the app itself exited with code 0/);

    const unknown = diagnoseOom({ ...base, oomKillsBefore: null, oomKillsAfter: null });
    assert.equal(unknown.oom, false);
    assert.match(unknown.evidence, /cannot tell/);

    const logged = diagnoseOom({ ...base, oomKillsBefore: null, oomKillsAfter: null, pid: 4242, kernelMessages: ['[ 1.0] Memory cgroup out of memory: Killed process 4242 (node)'] });
    assert.equal(logged.oom, true);
    assert.match(logged.evidence, /Killed process 4242/);
    assert.deepEqual(diagnoseOom({ exitSignal: null, exitCode: 0, oomKillsBefore: 3, oomKillsAfter: 3 }), {
      oom: false,
      evidence: "no OOM kill: the cgroup's oom_kill counter stayed at 3; the app exited with code 0",
    });
  });
});

describe('fullReadEvery', () => {
  it('spaces smaps_rollup reads so they cost at most the budget of a core', () => {
    // 250 ms interval, 0.5%: 1.25 ms of smaps_rollup per tick is the budget.
    assert.equal(fullReadEvery(0.7, 250), 1, '64 MiB resident: every tick');
    assert.equal(fullReadEvery(1.25, 250), 1);
    assert.equal(fullReadEvery(1.3, 250), 2);
    assert.equal(fullReadEvery(8, 250), 7, '1 GiB resident: every 7th tick');
    assert.equal(fullReadEvery(8, 250, 0.01), 4);
    assert.equal(fullReadEvery(0, 250), 1);
    assert.throws(() => fullReadEvery(1, 0), /intervalMs and budget must be positive, got 0 ms/);
  });
});
