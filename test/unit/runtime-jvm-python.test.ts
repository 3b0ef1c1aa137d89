// The pure parts of the JVM and Python runtime probes (histogram and tracemalloc parsers, diffs,
// merge across workers, JVM choice, evidence), on excerpts of real output: examples/java-leak on
// Java 17.0.15 after 1000 and 4000 requests, examples/python-leak on Python 3.11.7 after 1001 and 3001.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeasureError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { chooseJvmProcess, diffHistograms, isAppClass, parseClassHistogram } from '../../src/runtime/jvm-histogram.js';
import { diffTracemalloc, diffTracemallocProcesses, parseSnapshotFileName, parseTracemallocSnapshot, siteName, type TracemallocSnapshot } from '../../src/runtime/python-tracemalloc.js';
import { createJvmProbe, findJcmd, jvmEvidence, keepHeapJavaOptions, type TakenHistogram } from '../../src/probes/jvm-probe.js';
import { pythonEvidence, pythonHookEnv, type SnapshotRound } from '../../src/probes/python-probe.js';
import { PYTHON_HOOK_SOURCE } from '../../src/runtime/python-hook.js';
import type { ProbeContext } from '../../src/probes/probe.js';

/** `jcmd 29168 GC.class_histogram` after 1000 requests with LEAK=1: rows 1-19, two hidden classes, the Total line (of 985 rows). */
const HIST_A = String.raw`29168:
 num     #instances         #bytes  class name (module)
-------------------------------------------------------
   1:         23509        1688072  [B (java.base@17.0.15)
   2:         21923         526152  java.lang.String (java.base@17.0.15)
   3:          3516         421416  java.lang.Class (java.base@17.0.15)
   4:          8147         260704  java.util.HashMap$Node (java.base@17.0.15)
   5:          7732         247424  com.sun.tools.javac.util.SharedNameTable$NameImpl (jdk.compiler@17.0.15)
   6:          2648         222648  [Ljava.lang.Object; (java.base@17.0.15)
   7:          2688         215592  [J (java.base@17.0.15)
   8:             1         131088  [Lcom.sun.tools.javac.util.SharedNameTable$NameImpl; (jdk.compiler@17.0.15)
   9:          3969         127008  java.util.concurrent.ConcurrentHashMap$Node (java.base@17.0.15)
  10:           391          89520  [Ljava.util.HashMap$Node; (java.base@17.0.15)
  11:          2670          85440  jdk.internal.jimage.ImageReader$Resource (java.base@17.0.15)
  12:          2670          64080  jdk.internal.jimage.ImageLocation (java.base@17.0.15)
  13:          1141          59016  [I (java.base@17.0.15)
  14:          1208          48320  java.util.LinkedHashMap$Entry (java.base@17.0.15)
  15:           862          41376  java.lang.invoke.MemberName (java.base@17.0.15)
  16:          1000          40000  Leak$SessionRecord
  17:            79          38384  [Ljava.util.concurrent.ConcurrentHashMap$Node; (java.base@17.0.15)
  18:           845          33800  java.lang.invoke.MethodType (java.base@17.0.15)
  19:             8          33080  [C (java.base@17.0.15)
 663:             1             24  Leak$$Lambda$225/0x00007fa3f4150428
 753:             1             16  Leak$$Lambda$224/0x00007fa3f4150208
Total        103146        4981648
`;
/** The same JVM after 3000 more requests. */
const HIST_B = String.raw`29168:
 num     #instances         #bytes  class name (module)
-------------------------------------------------------
   1:         29588        2579128  [B (java.base@17.0.15)
   2:         25002         600048  java.lang.String (java.base@17.0.15)
   3:          3517         421528  java.lang.Class (java.base@17.0.15)
   4:          8147         260704  java.util.HashMap$Node (java.base@17.0.15)
   5:          7732         247424  com.sun.tools.javac.util.SharedNameTable$NameImpl (jdk.compiler@17.0.15)
   6:          2648         234368  [Ljava.lang.Object; (java.base@17.0.15)
   7:          2688         215592  [J (java.base@17.0.15)
   8:          4000         160000  Leak$SessionRecord
   9:             1         131088  [Lcom.sun.tools.javac.util.SharedNameTable$NameImpl; (jdk.compiler@17.0.15)
  10:          3969         127008  java.util.concurrent.ConcurrentHashMap$Node (java.base@17.0.15)
  11:           391          89520  [Ljava.util.HashMap$Node; (java.base@17.0.15)
  12:          2670          85440  jdk.internal.jimage.ImageReader$Resource (java.base@17.0.15)
  13:          2670          64080  jdk.internal.jimage.ImageLocation (java.base@17.0.15)
  14:          1142          59032  [I (java.base@17.0.15)
  15:          1208          48320  java.util.LinkedHashMap$Entry (java.base@17.0.15)
  16:           862          41376  java.lang.invoke.MemberName (java.base@17.0.15)
  17:            79          38384  [Ljava.util.concurrent.ConcurrentHashMap$Node; (java.base@17.0.15)
  18:           845          33800  java.lang.invoke.MethodType (java.base@17.0.15)
  19:             8          33080  [C (java.base@17.0.15)
 663:             1             24  Leak$$Lambda$225/0x00007fa3f4150428
 753:             1             16  Leak$$Lambda$224/0x00007fa3f4150208
Total        115306        6078448
`;
/** Java 8 prints no module column (hand-written in that layout). */
const HIST_JAVA8 = ` num     #instances         #bytes  class name
----------------------------------------------
   1:          4022        1339144  [C
   2:           612         177920  [B
   3:          3995          95880  java.lang.String
   4:           100           4000  com.example.Session
Total          8729        1616944
`;

describe('parseClassHistogram', () => {
  it('reads the rows, their modules and the Total line of Java 17 output', () => {
    const h = parseClassHistogram(HIST_A);
    assert.equal(h.rows.length, 21);
    assert.deepEqual(h.rows[0], { name: '[B', module: 'java.base@17.0.15', instances: 23509, bytes: 1688072 });
    assert.deepEqual(h.rows[15], { name: 'Leak$SessionRecord', instances: 1000, bytes: 40000 });
    assert.deepEqual(h.rows[20], { name: 'Leak$$Lambda$224/0x00007fa3f4150208', instances: 1, bytes: 16 });
    assert.equal(h.rows.find((r) => r.name === '[Ljava.lang.Object;')?.module, 'java.base@17.0.15');
    assert.equal(h.totalInstances, 103146);
    assert.equal(h.totalBytes, 4981648);
  });

  it('reads Java 8 output, which has no module column', () => {
    const h = parseClassHistogram(HIST_JAVA8);
    assert.deepEqual(h.rows[3], { name: 'com.example.Session', instances: 100, bytes: 4000 });
    assert.equal(h.totalBytes, 1616944);
  });

  it("refuses jcmd's error output, quoting it", () => {
    const out = '12345:\njava.io.IOException: No such process\n\tat jdk.attach/sun.tools.attach.VirtualMachineImpl.sendQuitTo(Native Method)\n';
    assert.throws(() => parseClassHistogram(out, 'jcmd 12345 output'), {
      message: /^jcmd 12345 output: no histogram header .*output begins: 12345: \| java\.io\.IOException: No such process/,
    });
  });

  it('names the line of a malformed row', () => {
    const text = HIST_A.replace('  16:          1000          40000  Leak$SessionRecord', '  16:          1000  Leak$SessionRecord');
    assert.throws(() => parseClassHistogram(text), { message: /^jcmd GC\.class_histogram output: line 19: not a histogram row .*Leak\$SessionRecord/ });
  });

  it('refuses output cut short before the Total line', () => {
    const text = HIST_A.slice(0, HIST_A.indexOf('Total'));
    assert.throws(() => parseClassHistogram(text), { message: /no 'Total <instances> <bytes>' line after 21 rows/ });
  });
});

describe('diffHistograms', () => {
  const a = parseClassHistogram(HIST_A);
  const b = parseClassHistogram(HIST_B);

  it('lists the classes that grew, most bytes first, and the application classes apart', () => {
    const d = diffHistograms(a, b, 3);
    assert.deepEqual(d.growing.map((g) => g.name), ['[B', 'Leak$SessionRecord', 'java.lang.String']);
    assert.deepEqual(d.growingApp, [{ name: 'Leak$SessionRecord', countDelta: 3000, bytesDelta: 120000, countEnd: 4000, bytesEnd: 160000, app: true }]);
    assert.equal(d.growing[0]!.module, 'java.base@17.0.15');
    assert.equal(d.totalBytesDelta, 6078448 - 4981648);
    assert.equal(d.totalInstancesDelta, 115306 - 103146);
  });

  it('leaves out classes that did not grow (the hidden lambda classes, java.lang.Class)', () => {
    const names = diffHistograms(a, b, 100).growing.map((g) => g.name);
    assert.ok(!names.some((n) => n.includes('$$Lambda')), names.join(', '));
    assert.ok(names.includes('java.lang.Class'), 'java.lang.Class grew by one instance (112 bytes)');
    assert.ok(!names.includes('java.util.HashMap$Node'));
  });

  it('sums rows of one class loaded by several class loaders, and counts a new class from zero', () => {
    const one = parseClassHistogram(' num  #instances  #bytes  class name (module)\n   1:  10  160  com.x.A\nTotal 10 160\n');
    const two = parseClassHistogram(' num  #instances  #bytes  class name (module)\n   1:  10  160  com.x.A\n   2:  5  80  com.x.A\n   3:  2  64  com.x.B\nTotal 17 304\n');
    assert.deepEqual(
      diffHistograms(one, two, 5).growing.map((g) => [g.name, g.countDelta, g.bytesDelta]),
      [['com.x.A', 5, 80], ['com.x.B', 2, 64]],
    );
  });

  it('refuses a top that is not a positive integer', () => {
    assert.throws(() => diffHistograms(a, b, 0), /top must be an integer >= 1, got 0/);
  });
});

describe('isAppClass', () => {
  it('is true for class-path classes only', () => {
    assert.equal(isAppClass({ name: 'Leak$SessionRecord' }), true);
    assert.equal(isAppClass({ name: 'java.lang.String', module: 'java.base@17.0.15' }), false);
    assert.equal(isAppClass({ name: '[LLeak$SessionRecord;' }), false);
  });
});

describe('chooseJvmProcess', () => {
  const jvm = (...pids: number[]) => (pid: number) => pids.includes(pid);
  it('takes the root when it is the only JVM', () => {
    assert.equal(chooseJvmProcess([{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10 }], jvm(10)), 10);
  });
  it('takes the JVM below a shell wrapper', () => {
    assert.equal(chooseJvmProcess([{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10 }], jvm(11)), 11);
  });
  it("takes the app's JVM that a build tool's JVM started (mvn spring-boot:run)", () => {
    const tree = [{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10 }, { pid: 12, ppid: 11 }, { pid: 13, ppid: 12 }];
    assert.equal(chooseJvmProcess(tree, jvm(11, 13)), 13);
  });
  it('is null without a JVM', () => {
    assert.equal(chooseJvmProcess([{ pid: 10, ppid: 1 }], jvm()), null);
  });
});

describe('jvmEvidence', () => {
  const taken = (text: string, t: number, requests: number): TakenHistogram => ({ histogram: parseClassHistogram(text), pid: 29168, t, requests, ms: 300 });

  it('names the top growing application class, per request, and leaves small growth out', () => {
    const ev = jvmEvidence(taken(HIST_A, 1000, 1000), taken(HIST_B, 4000, 4000), { top: 10, minBytesDelta: 1024, minBytesPerRequest: 8 });
    assert.equal(ev.kind, 'jvm');
    // At least 3000 requests * 8 bytes: Object[] (+11720) and java.lang.Class (+112) are left out.
    assert.deepEqual(ev.growing.map((g) => g.name), ['[B', 'Leak$SessionRecord', 'java.lang.String']);
    assert.deepEqual(ev.growing[1], { name: 'Leak$SessionRecord', countDelta: 3000, bytesDelta: 120000, bytesEnd: 160000, detail: 'application class (class path)' });
    assert.equal(ev.growing[0]!.detail, 'module java.base@17.0.15');
    assert.match(ev.note!, /^class histograms of JVM pid 29168 .* at 1000 ms and 4000 ms into the load, 3000 requests apart; live heap 4981648 -> 6078448 bytes \(\+1096800\); top growing application class: Leak\$SessionRecord \(\+3000 instances, \+120000 bytes, 1\.00 per request\)/);
  });

  it('appends application classes that are below the top', () => {
    const ev = jvmEvidence(taken(HIST_A, 0, 0), taken(HIST_B, 1, 0), { top: 1, minBytesDelta: 1 });
    assert.deepEqual(ev.growing.map((g) => g.name), ['[B', 'Leak$SessionRecord']);
  });
});

describe('createJvmProbe', () => {
  const ctx: ProbeContext = { logger: silentLogger, now: () => 0, requests: () => 0, loadDurationMs: 1000, warmupFraction: 0.2, outDir: '/tmp' };
  it('fails prepare with a MeasureError naming the JDK package when jcmd is missing', () => {
    const probe = createJvmProbe({ jcmd: '/nonexistent/bin/jcmd' });
    assert.throws(() => probe.prepare!({ command: ['java', 'Leak.java'], shell: false, cwd: '/', env: {} }, ctx), (err: unknown) => {
      assert.ok(err instanceof MeasureError);
      assert.match(err.message, /needs jcmd.*openjdk-17-jdk-headless.*looked for \/nonexistent\/bin\/jcmd/);
      return true;
    });
  });
  it('keeps the heap from shrinking through JDK_JAVA_OPTIONS, before the user\'s own options', () => {
    assert.equal(keepHeapJavaOptions(undefined), '-XX:MaxHeapFreeRatio=100');
    assert.equal(keepHeapJavaOptions(' -Xmx512m '), '-XX:MaxHeapFreeRatio=100 -Xmx512m');
    const spec = { command: ['java', 'Leak.java'], shell: false, cwd: '/', env: { JDK_JAVA_OPTIONS: '-XX:MaxHeapFreeRatio=80' } };
    const jcmd = findJcmd(process.env) || process.execPath; // any executable will do for prepare
    const out = createJvmProbe({ jcmd }).prepare!(spec, ctx) as typeof spec;
    assert.equal(out.env.JDK_JAVA_OPTIONS, '-XX:MaxHeapFreeRatio=100 -XX:MaxHeapFreeRatio=80');
    assert.equal(spec.env.JDK_JAVA_OPTIONS, '-XX:MaxHeapFreeRatio=80', 'the spec given is not changed');
    assert.equal(createJvmProbe({ jcmd, keepHeap: false }).prepare!(spec, ctx), spec);
  });
  it('finds no jcmd on an empty PATH without JAVA_HOME', () => {
    assert.equal(findJcmd({ PATH: '/nonexistent' }), '');
  });
  it('refuses a bad top', () => {
    assert.throws(() => createJvmProbe({ top: 0 }), /top must be an integer >= 1, got 0/);
  });
});

/** snapshot-582-1.jsonl of examples/python-leak (LEAK_BYTES=4096) after 1001 requests: header, 6 top sites and 2 more (of 1000). */
const SNAP_1 = String.raw`{"leakgate": "tracemalloc", "version": 1, "pid": 582, "seq": 1, "tracedBytes": 7549171, "peakBytes": 7610416, "overheadBytes": 2432656, "filteredBytes": 5115280, "sites": 1285, "listed": 1000, "frames": 1, "snapshotMs": 17.97, "statisticsMs": 115.19, "totalMs": 256.07}
{"file": "/work/main/examples/python-leak/server.py", "line": 24, "size": 4137800, "count": 1001, "text": "retained.append(b\"\\x61\" * LEAK_BYTES)"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/html/entities.py", "line": 265, "size": 52368, "count": 3, "text": "html5 = {"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/enum.py", "line": 1788, "size": 37584, "count": 522, "text": "redirect = property()"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/enum.py", "line": 504, "size": 32050, "count": 128, "text": "return super().__new__(metacls, cls, bases, classdict, **kwds)"}
{"file": "<frozen abc>", "line": 106, "size": 30049, "count": 104, "text": ""}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/email/utils.py", "line": 162, "size": 22368, "count": 429, "text": "now = dt.timetuple()"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/http/server.py", "line": 417, "size": 16830, "count": 306, "text": "mname = 'do_' + self.command"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/email/message.py", "line": 511, "size": 336, "count": 6, "text": "self._headers.append((name, value))"}
`;
/** snapshot-582-2.jsonl after 2000 more requests. */
const SNAP_2 = String.raw`{"leakgate": "tracemalloc", "version": 1, "pid": 582, "seq": 2, "tracedBytes": 18640561, "peakBytes": 18705121, "overheadBytes": 3411024, "filteredBytes": 13396649, "sites": 1296, "listed": 1000, "frames": 1, "snapshotMs": 74.578, "statisticsMs": 438.884, "totalMs": 591.542}
{"file": "/work/main/examples/python-leak/server.py", "line": 24, "size": 12412984, "count": 3001, "text": "retained.append(b\"\\x61\" * LEAK_BYTES)"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/html/entities.py", "line": 265, "size": 52368, "count": 3, "text": "html5 = {"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/enum.py", "line": 1788, "size": 37584, "count": 522, "text": "redirect = property()"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/enum.py", "line": 504, "size": 32050, "count": 128, "text": "return super().__new__(metacls, cls, bases, classdict, **kwds)"}
{"file": "<frozen abc>", "line": 106, "size": 30049, "count": 104, "text": ""}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/email/utils.py", "line": 162, "size": 23460, "count": 450, "text": "now = dt.timetuple()"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/http/server.py", "line": 417, "size": 20240, "count": 368, "text": "mname = 'do_' + self.command"}
{"file": "/root/.pyenv/versions/3.11.7/lib/python3.11/re/_parser.py", "line": 552, "size": 896, "count": 16, "text": "subpatternappend((LITERAL, _ord(this)))"}
`;

describe('parseTracemallocSnapshot', () => {
  it('reads the header and the sites, with their source lines', () => {
    const s = parseTracemallocSnapshot(SNAP_1);
    assert.equal(s.pid, 582);
    assert.equal(s.seq, 1);
    assert.equal(s.tracedBytes, 7549171);
    assert.equal(s.overheadBytes, 2432656);
    assert.equal(s.filteredBytes, 5115280);
    assert.equal(s.siteCount, 1285);
    assert.equal(s.frames, 1);
    assert.equal(s.snapshotMs, 17.97);
    assert.equal(s.statisticsMs, 115.19);
    assert.equal(s.sites.length, 8);
    assert.deepEqual(s.sites[0], { file: '/work/main/examples/python-leak/server.py', line: 24, size: 4137800, count: 1001, text: 'retained.append(b"\\x61" * LEAK_BYTES)' });
    assert.equal(s.sites[4]!.file, '<frozen abc>');
    assert.equal(s.sites[4]!.text, '');
  });

  it('names the file and line of a line that is not JSON', () => {
    const text = SNAP_1.replace('"line": 265,', '"line": 265');
    assert.throws(() => parseTracemallocSnapshot(text, 'out/snapshot-582-1.jsonl'), { message: /^out\/snapshot-582-1\.jsonl: line 3: not JSON/ });
  });

  it('names a site field of the wrong type', () => {
    const text = SNAP_1.replace('"size": 52368', '"size": "52368"');
    assert.throws(() => parseTracemallocSnapshot(text, 'f'), { message: `f: line 3: 'size' must be an integer >= 0, got "52368"` });
  });

  it('refuses a file that is not a leakgate snapshot, and an empty one', () => {
    assert.throws(() => parseTracemallocSnapshot('{"pid": 1}\n', 'f'), { message: /^f: line 1: not a leakgate tracemalloc snapshot header/ });
    assert.throws(() => parseTracemallocSnapshot('', 'f'), { message: /^f: empty file/ });
    assert.throws(() => parseTracemallocSnapshot(SNAP_1.replace('"pid": 582', '"pid": -1'), 'f'), { message: "f: line 1: header field 'pid' must be a number >= 0, got -1" });
  });
});

describe('diffTracemalloc', () => {
  const a = parseTracemallocSnapshot(SNAP_1);
  const b = parseTracemallocSnapshot(SNAP_2);

  it('puts the leaking line first, with its growth in bytes and blocks', () => {
    const d = diffTracemalloc(a, b, 5);
    assert.deepEqual(d[0], {
      file: '/work/main/examples/python-leak/server.py',
      line: 24,
      text: 'retained.append(b"\\x61" * LEAK_BYTES)',
      bytesDelta: 12412984 - 4137800,
      countDelta: 2000,
      bytesEnd: 12412984,
      pids: [582],
    });
    // http/server.py:417 and email/utils.py:162 grew a little; re/_parser.py:552 is new (counted from 0);
    // email/message.py:511 is gone.
    assert.deepEqual(d.slice(1).map((g) => `${g.line}:${g.bytesDelta}`), ['417:3410', '162:1092', '552:896']);
  });

  it('refuses a bad top', () => {
    assert.throws(() => diffTracemalloc(a, b, 1.5), /top must be an integer >= 1, got 1\.5/);
  });
});

describe('diffTracemallocProcesses', () => {
  const snap = (pid: number, seq: number, sites: Array<[string, number, number, number]>): TracemallocSnapshot => ({
    pid, seq, tracedBytes: 0, peakBytes: 0, overheadBytes: 0, filteredBytes: 0, siteCount: sites.length, frames: 1, snapshotMs: 5, statisticsMs: 20, totalMs: 30,
    sites: sites.map(([file, line, size, count]) => ({ file, line, size, count, text: file === '/app/w.py' ? 'kept.append(x)' : '' })),
  });

  it('sums the growth of each line across workers, and leaves out a process without both snapshots', () => {
    const all = [
      snap(100, 1, [['/app/w.py', 7, 1000, 10]]),
      snap(100, 2, [['/app/w.py', 7, 3000, 30], ['/lib/x.py', 1, 500, 1]]),
      snap(101, 1, [['/app/w.py', 7, 2000, 20]]),
      snap(101, 2, [['/app/w.py', 7, 2500, 25]]),
      snap(102, 2, [['/app/w.py', 7, 9999, 99]]),
    ];
    const r = diffTracemallocProcesses(all, 1, 2, 10);
    assert.deepEqual(r.pairedPids, [100, 101]);
    assert.deepEqual(r.unpaired, [102]);
    assert.deepEqual(r.growing[0], { file: '/app/w.py', line: 7, text: 'kept.append(x)', bytesDelta: 2500, countDelta: 25, bytesEnd: 5500, pids: [100, 101] });
    assert.deepEqual(r.growing[1]!.pids, [100]);
  });
});

describe('siteName and parseSnapshotFileName', () => {
  it('shortens a path inside the app directory only', () => {
    assert.equal(siteName({ file: '/work/app/server.py', line: 24 }, '/work/app'), 'server.py:24');
    assert.equal(siteName({ file: '/usr/lib/python3.11/json/encoder.py', line: 258 }, '/work/app'), '/usr/lib/python3.11/json/encoder.py:258');
    assert.equal(siteName({ file: '/work/application.py', line: 1 }, '/work/app'), '/work/application.py:1');
  });
  it('reads pid and sequence from a snapshot file name', () => {
    assert.deepEqual(parseSnapshotFileName('snapshot-29683-2.jsonl'), { pid: 29683, seq: 2 });
    assert.equal(parseSnapshotFileName('snapshot-29683-2.jsonl.29683.tmp'), null);
    assert.equal(parseSnapshotFileName('hello-29683.json'), null);
  });
});

describe('pythonEvidence', () => {
  const a = parseTracemallocSnapshot(SNAP_1);
  const b = parseTracemallocSnapshot(SNAP_2);
  const round = (seq: number, t: number, requests: number): SnapshotRound => ({ seq, t, requests, ms: 250, answered: [582], missing: [] });

  it('names the line relative to the app directory, with its source text and bytes per request', () => {
    const ev = pythonEvidence([a, b], round(1, 900, 1001), round(2, 3000, 3001), { top: 5, minBytesDelta: 1024, minBytesPerRequest: 8, cwd: '/work/main/examples/python-leak' });
    // 2000 requests * 8 bytes = 16000: only the leak is above it.
    assert.deepEqual(ev.growing, [{ name: 'server.py:24', detail: 'retained.append(b"\\x61" * LEAK_BYTES)', bytesDelta: 8275184, countDelta: 2000, bytesEnd: 12412984 }]);
    assert.match(ev.note!, /^tracemalloc snapshots of 1 Python process\(es\) at 900 ms and 3000 ms into the load, 2000 requests apart; traced 5115280 -> 13396649 bytes \(tracing itself held 3411024 more\); top growing line: server\.py:24 \(\+8275184 bytes, \+2000 blocks, 4138 bytes per request\); a snapshot paused the app for up to 75 ms, then shared its CPU for up to 439 ms$/);
  });

  it('says when no line grew enough, and which processes did not answer', () => {
    const ev = pythonEvidence([a, a], round(1, 900, 1001), { ...round(2, 3000, 3001), missing: [4242] }, { top: 5, minBytesDelta: 1024 });
    assert.deepEqual(ev.growing, []);
    assert.match(ev.note!, /no line grew by 1024 bytes or more; .*; process\(es\) 4242 did not answer in time$/);
  });
});

describe('pythonHookEnv and the hook source', () => {
  it("puts the hook first on PYTHONPATH and keeps the user's", () => {
    assert.deepEqual(pythonHookEnv('/tmp/hook', '/out/tracemalloc', 1, '/app/lib:/app/vendor'), {
      PYTHONPATH: '/tmp/hook:/app/lib:/app/vendor',
      LEAKGATE_TRACEMALLOC_DIR: '/out/tracemalloc',
      LEAKGATE_TRACEMALLOC_FRAMES: '1',
    });
    assert.equal(pythonHookEnv('/tmp/hook', '/o', 3, undefined).PYTHONPATH, '/tmp/hook');
    assert.equal(pythonHookEnv('/tmp/hook', '/o', 3, '').PYTHONPATH, '/tmp/hook');
  });
  it('keeps its escapes as Python needs them (the constant is String.raw)', () => {
    assert.ok(PYTHON_HOOK_SOURCE.includes('"\\n".join('), 'a newline escape for Python, not a newline');
    assert.ok(PYTHON_HOOK_SOURCE.includes('register_at_fork(after_in_child='));
  });
});
