// Per-mapping memory: parseSmaps on /proc/PID/smaps captured from a node process (trimmed to six
// mappings), the kinds a pathname names, aggregation by region, and the diff of two snapshots.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mappingKind, parseSmaps, type Mapping } from '../../src/sample/smaps.js';
import { aggregateMappings, diffMappings, diffTreeMappings, mergeRegions } from '../../src/analyze/mappings.js';
import { trimDiffs } from '../../src/probes/mappings-probe.js';
import { renderEvidenceMarkdown, renderEvidenceText } from '../../src/report/index.js';
import { makeReport } from '../support/report-fixture.js';

const KIB = 1024;

// /proc/PID/smaps of `node -e` on Linux 6.18: two mappings of the binary, [heap], an unnamed
// anonymous mapping (a V8 space), the main stack and [vsyscall] (an address above 2^53).
const NODE_SMAPS = `00400000-00b6f000 r--p 00000000 fe:00 260689                             /usr/bin/node
Size:               7612 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                5936 kB
Pss:                 742 kB
Pss_Dirty:             0 kB
Shared_Clean:       5936 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:         0 kB
Referenced:         5936 kB
Anonymous:             0 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: rd mr mw me
00b6f000-00b71000 r-xp 0076f000 fe:00 260689                             /usr/bin/node
Size:                  8 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                   8 kB
Pss:                   1 kB
Pss_Dirty:             0 kB
Shared_Clean:          8 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:         0 kB
Referenced:            8 kB
Anonymous:             0 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: rd ex mr mw me
25cba000-25f7e000 rw-p 00000000 00:00 0                                  [heap]
Size:               2832 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                2708 kB
Pss:                2708 kB
Pss_Dirty:          2708 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:      2708 kB
Referenced:         2708 kB
Anonymous:          2708 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: rd wr mr mw me ac
6f9f1580000-6f9f15c0000 rw-p 00000000 00:00 0 
Size:                256 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                 248 kB
Pss:                 248 kB
Pss_Dirty:           248 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:       248 kB
Referenced:          248 kB
Anonymous:           248 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: rd wr mr mw me dc nr
7ffd4e9f5000-7ffd4ea16000 rw-p 00000000 00:00 0                          [stack]
Size:                132 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                  64 kB
Pss:                  64 kB
Pss_Dirty:            64 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:        64 kB
Referenced:           64 kB
Anonymous:            64 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: rd wr mr mw me gd ac
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
Size:                  4 kB
KernelPageSize:        4 kB
MMUPageSize:           4 kB
Rss:                   0 kB
Pss:                   0 kB
Pss_Dirty:             0 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:         0 kB
Private_Dirty:         0 kB
Referenced:            0 kB
Anonymous:             0 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
THPeligible:           0
VmFlags: ex
`;

/** A handmade mapping, for the aggregation and diff tests. */
function mapping(pathname: string, f: Partial<Mapping> = {}): Mapping {
  return {
    start: '1000', end: '2000', perms: 'rw-p', offset: '0', dev: '00:00', inode: 0, pathname, kind: mappingKind(pathname),
    size: 0, rss: 0, pss: 0, anonymous: 0, privateDirty: 0, swap: 0, ...f,
  };
}

describe('parseSmaps', () => {
  it('reads every mapping of a real node process, sizes in bytes', () => {
    const maps = parseSmaps(NODE_SMAPS);
    assert.equal(maps.length, 6);
    assert.deepEqual(maps[0], {
      start: '00400000', end: '00b6f000', perms: 'r--p', offset: '00000000', dev: 'fe:00', inode: 260689,
      pathname: '/usr/bin/node', kind: 'file',
      size: 7612 * KIB, rss: 5936 * KIB, pss: 742 * KIB, anonymous: 0, privateDirty: 0, swap: 0,
    });
    assert.deepEqual(maps.map((m) => [m.pathname, m.kind]), [
      ['/usr/bin/node', 'file'],
      ['/usr/bin/node', 'file'],
      ['[heap]', 'heap'],
      ['', 'anon'],
      ['[stack]', 'stack'],
      ['[vsyscall]', 'vdso'],
    ]);
    assert.equal(maps[2]!.anonymous, 2708 * KIB);
    assert.equal(maps[3]!.privateDirty, 248 * KIB);
    assert.equal(maps[5]!.start, 'ffffffffff600000', 'kept as hex: it does not fit a double');
  });

  it('keeps spaces in a pathname and the (deleted) mark', () => {
    const text = NODE_SMAPS.replace('[heap]', '/tmp/my lib.so (deleted)');
    assert.equal(parseSmaps(text)[2]!.pathname, '/tmp/my lib.so (deleted)');
  });

  it('says which line or mapping is wrong', () => {
    assert.deepEqual(parseSmaps(''), []);
    assert.throws(() => parseSmaps('Rss:  4 kB\n'), { message: "smaps: line 1 'Rss:  4 kB' comes before any mapping header" });
    assert.throws(() => parseSmaps(NODE_SMAPS.replace(/^Pss: .*\n/m, '')), {
      message: 'smaps: mapping 00400000-00b6f000 (line 1) lacks Pss',
    });
    assert.throws(() => parseSmaps(NODE_SMAPS.replace(/^Size: .*$/m, 'garbage here')), {
      message: "smaps: line 2 is neither a mapping header nor a 'Key: value' line: 'garbage here'",
    });
  });
});

describe('mappingKind', () => {
  it('names what a pathname is', () => {
    assert.equal(mappingKind(''), 'anon');
    assert.equal(mappingKind('[anon:v8 heap]'), 'anon');
    assert.equal(mappingKind('[anon_shmem:buf]'), 'anon');
    assert.equal(mappingKind('[stack:1234]'), 'stack');
    assert.equal(mappingKind('[vvar]'), 'vdso');
    assert.equal(mappingKind('[vdso]'), 'vdso');
    assert.equal(mappingKind('/memfd:x (deleted)'), 'file');
    assert.equal(mappingKind('[uprobes]'), 'other');
  });
});

describe('aggregateMappings', () => {
  it('sums by region: a file by path, thread stacks with [stack], unnamed anonymous together, named apart', () => {
    const regions = aggregateMappings([
      ...parseSmaps(NODE_SMAPS),
      mapping('', { rss: 100 * KIB, anonymous: 100 * KIB }),
      mapping('[stack:77]', { rss: 8 * KIB, anonymous: 8 * KIB }),
      mapping('[anon:libc_malloc]', { rss: 50 * KIB, anonymous: 50 * KIB }),
    ]);
    assert.deepEqual(regions.map((r) => [r.name, r.kind, r.mappings, r.rss / KIB]), [
      ['/usr/bin/node', 'file', 2, 5944],
      ['[heap]', 'heap', 1, 2708],
      ['[anonymous]', 'anon', 2, 348],
      ['[stack]', 'stack', 2, 72],
      ['[anon:libc_malloc]', 'anon', 1, 50],
      ['[vsyscall]', 'vdso', 1, 0],
    ]);
    const node = regions[0]!;
    assert.equal(node.pss, (742 + 1) * KIB);
    assert.equal(node.size, (7612 + 8) * KIB);
  });

  it('merges the regions of several processes by name', () => {
    const a = aggregateMappings([mapping('[heap]', { rss: 10 }), mapping('/lib/x.so', { rss: 5 })]);
    const b = aggregateMappings([mapping('[heap]', { rss: 7 })]);
    assert.deepEqual(mergeRegions([a, b]).map((r) => [r.name, r.rss, r.mappings]), [
      ['[heap]', 17, 2],
      ['/lib/x.so', 5, 1],
    ]);
    assert.equal(a[0]!.rss, 10, 'the inputs are not changed');
  });
});

describe('diffMappings', () => {
  it('sorts regions by anonymous growth, marks new and gone ones, and totals the change', () => {
    const start = aggregateMappings([
      mapping('[heap]', { rss: 1000, anonymous: 1000 }),
      mapping('', { rss: 500, anonymous: 500 }),
      mapping('/lib/old.so', { rss: 300 }),
    ]);
    const end = aggregateMappings([
      mapping('[heap]', { rss: 1200, anonymous: 1200 }),
      mapping('', { rss: 9500, anonymous: 9500 }),
      mapping('/lib/new.so', { rss: 40 }),
    ]);
    const d = diffMappings(start, end);
    assert.deepEqual(d.regions.map((r) => [r.name, r.delta.anonymous, r.delta.rss, r.appeared, r.disappeared]), [
      ['[anonymous]', 9000, 9000, false, false],
      ['[heap]', 200, 200, false, false],
      ['/lib/new.so', 0, 40, true, false],
      ['/lib/old.so', 0, -300, false, true],
    ]);
    assert.deepEqual(d.totals.start.rss, 1800);
    assert.deepEqual(d.totals.end.rss, 10740);
    assert.deepEqual(d.totals.delta.anonymous, 9200);
    assert.deepEqual(d.regions[3]!.end, { size: 0, rss: 0, pss: 0, anonymous: 0, privateDirty: 0, swap: 0 });
  });

  it('totals the change per kind of region, as pmap -x would sum it: heap, anonymous, stack, file, other', () => {
    const start = aggregateMappings([
      mapping('[heap]', { rss: 1000, anonymous: 1000 }),
      mapping('', { rss: 500, anonymous: 500 }),
      mapping('[anon:v8]', { rss: 100, anonymous: 100 }),
      mapping('[stack]', { rss: 132, anonymous: 132 }),
      mapping('/usr/bin/node', { rss: 4000, anonymous: 8 }),
      mapping('[vdso]', { rss: 8 }),
    ]);
    const end = aggregateMappings([
      mapping('[heap]', { rss: 1200, anonymous: 1200 }),
      mapping('', { rss: 9500, anonymous: 9500 }),
      mapping('[anon:v8]', { rss: 300, anonymous: 300 }),
      mapping('[stack:1234]', { rss: 132, anonymous: 132 }),
      mapping('[stack]', { rss: 140, anonymous: 140 }),
      mapping('/usr/bin/node', { rss: 4100, anonymous: 8 }),
      mapping('/lib/new.so', { rss: 40 }),
      mapping('[vdso]', { rss: 8 }),
    ]);
    const d = diffMappings(start, end);
    const by = Object.fromEntries(Object.entries(d.byKind).map(([k, v]) => [k, [v.start.rss, v.end.rss, v.delta.rss, v.delta.anonymous]]));
    assert.deepEqual(by, {
      heap: [1000, 1200, 200, 200],
      anonymous: [600, 9800, 9200, 9200],
      stack: [132, 272, 140, 140],
      file: [4000, 4140, 140, 0],
      other: [8, 8, 0, 0],
    });
    const sum = Object.values(d.byKind).reduce((n, v) => n + v.end.rss, 0);
    assert.equal(sum, d.totals.end.rss, 'the kinds add up to the total');
    assert.deepEqual(trimDiffs([{ pid: 1, ppid: 0, comm: 'x', appeared: false, disappeared: false, diff: d }])[0]!.diff.byKind, d.byKind, 'trimming regions keeps the kind totals whole');
  });

  it('diffs tree snapshots process by process, the most grown first', () => {
    const regions = (anon: number) => aggregateMappings([mapping('[heap]', { anonymous: anon, rss: anon })]);
    const start = [
      { pid: 10, ppid: 1, comm: 'app', regions: regions(100) },
      { pid: 11, ppid: 10, comm: 'worker', regions: regions(100) },
      { pid: 12, ppid: 10, comm: 'gone', regions: regions(50) },
    ];
    const end = [
      { pid: 10, ppid: 1, comm: 'app', regions: regions(110) },
      { pid: 11, ppid: 10, comm: 'worker', regions: regions(900) },
      { pid: 13, ppid: 10, comm: 'new', regions: regions(30) },
    ];
    const d = diffTreeMappings(start, end);
    assert.deepEqual(d.map((p) => [p.pid, p.diff.totals.delta.anonymous, p.appeared, p.disappeared]), [
      [11, 800, false, false],
      [13, 30, true, false],
      [10, 10, false, false],
      [12, -50, false, true],
    ]);
  });
});

describe('the report of the mapping diff', () => {
  it('gives the RSS change per kind of region in the job summary and the terminal', () => {
    const start = aggregateMappings([mapping('[heap]', { rss: 1 << 20, anonymous: 1 << 20 }), mapping('', { rss: 4 << 20, anonymous: 4 << 20 }), mapping('/usr/bin/node', { rss: 40 << 20 })]);
    const end = aggregateMappings([mapping('[heap]', { rss: 3 << 20, anonymous: 3 << 20 }), mapping('', { rss: 44 << 20, anonymous: 44 << 20 }), mapping('/usr/bin/node', { rss: 41 << 20 })]);
    const report = makeReport([{ verdict: 'leak', slope: 600 }]);
    report.trials[0]!.evidence = { mappings: [{ pid: 42, ppid: 1, comm: 'node', appeared: false, disappeared: false, diff: diffMappings(start, end) }] };
    assert.match(renderEvidenceText(report), /^ {2}by kind {9}heap \+2\.0 MiB, anonymous \+40\.0 MiB, stack \+0 B, file \+1\.0 MiB \(pid 42\)$/m);
    assert.match(renderEvidenceMarkdown(report), /\| 42 \| \+2\.0 MiB \(3\.0 MiB\) \| \+40\.0 MiB \(44\.0 MiB\) \| \+0 B \(0 B\) \| \+1\.0 MiB \(41\.0 MiB\) \| \+0 B \(0 B\) \|/);
  });
});
