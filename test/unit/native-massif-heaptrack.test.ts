// Pure parts of native mode: the wrapped argv of each tool (exact, no shell), PATH lookup, heaptrack's
// layout, and the massif and heaptrack_print parsers on output captured from real runs (a C++ program
// under massif, a leaking C program under heaptrack), plus the malformed input they must refuse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  findExecutable, heaptrackPathsFromScript, NATIVE_TOOLS, outputFileForPid, requireNativeTool, wrapNativeCommand,
} from '../../src/native/wrap-command.js';
import { parseMassif } from '../../src/native/massif.js';
import { parseHeaptrackPrint, parseHeaptrackSize } from '../../src/native/heaptrack.js';

const OUT = '/tmp/leakgate-out';
const PRELOAD = '/usr/lib/heaptrack/libheaptrack_preload.so';

describe('wrapNativeCommand', () => {
  it('memcheck: full leak check, XML named after the pid, vgdb on, suppressions, then -- and the app', () => {
    const wrapped = wrapNativeCommand('memcheck', ['./server', '--port', '3906'], {
      outDir: OUT, suppressions: ['/etc/a.supp', '/etc/b.supp'], extraArgs: ['--track-fds=yes'],
    });
    assert.deepEqual(wrapped.command, [
      'valgrind', '--tool=memcheck', '--leak-check=full', '--show-leak-kinds=all', '--errors-for-leak-kinds=definite',
      '--xml=yes', '--xml-file=/tmp/leakgate-out/memcheck.%p.xml', '--vgdb=yes', '--num-callers=20',
      '--suppressions=/etc/a.supp', '--suppressions=/etc/b.supp', '--child-silent-after-fork=yes', '--track-fds=yes',
      '--', './server', '--port', '3906',
    ]);
    assert.equal(wrapped.outputFile, '/tmp/leakgate-out/memcheck.%p.xml');
    assert.equal(outputFileForPid(wrapped.outputFile, 4242), '/tmp/leakgate-out/memcheck.4242.xml');
    assert.deepEqual(wrapped.notes, []);
  });

  it('massif: ms time unit, every snapshot detailed, output named after the pid', () => {
    const wrapped = wrapNativeCommand('massif', ['/opt/app/bin/server'], { outDir: OUT, valgrind: '/usr/bin/valgrind' });
    assert.deepEqual(wrapped.command, [
      '/usr/bin/valgrind', '--tool=massif', '--massif-out-file=/tmp/leakgate-out/massif.out.%p', '--time-unit=ms',
      '--detailed-freq=1', '--max-snapshots=100', '--threshold=1.0', '--child-silent-after-fork=yes', '--', '/opt/app/bin/server',
    ]);
    assert.equal(outputFileForPid(wrapped.outputFile as string, 17), '/tmp/leakgate-out/massif.out.17');
  });

  it('heaptrack: the app itself runs with the preload library; an LD_PRELOAD it had is kept after it', () => {
    const wrapped = wrapNativeCommand('heaptrack', ['./server'], { outDir: OUT, heaptrack: { preloadLibrary: PRELOAD }, ldPreload: '/lib/libjemalloc.so' });
    assert.deepEqual(wrapped.command, [
      'env', `LD_PRELOAD=${PRELOAD}:/lib/libjemalloc.so`, 'DUMP_HEAPTRACK_OUTPUT=/tmp/leakgate-out/heaptrack.leakgate.raw', './server',
    ]);
    assert.equal(wrapped.outputFile, '/tmp/leakgate-out/heaptrack.leakgate.raw');
  });

  it('passes every argument through as one argv element: nothing is parsed by a shell', () => {
    const hostile = ['./server', 'a b', '$(touch /tmp/x)', "'; rm -rf / #", '%p', '--'];
    for (const mode of ['memcheck', 'massif', 'heaptrack'] as const) {
      const { command } = wrapNativeCommand(mode, hostile, { outDir: OUT, heaptrack: { preloadLibrary: PRELOAD } });
      assert.deepEqual(command.slice(-hostile.length), hostile);
      assert.ok(!command.includes('-c') && !command.includes('sh'), mode);
    }
  });

  it("'off' returns the command unchanged, as a copy", () => {
    const command = ['node', 'server.js'];
    const wrapped = wrapNativeCommand('off', command, { outDir: 'ignored' });
    assert.deepEqual(wrapped, { mode: 'off', command, outputFile: null, notes: [] });
    assert.notEqual(wrapped.command, command);
  });

  it('warns when the command starts the app through a shell, make or env', () => {
    const { notes } = wrapNativeCommand('memcheck', ['make', 'run'], { outDir: OUT });
    assert.equal(notes.length, 1);
    assert.match(notes[0], /starts with 'make', so valgrind memcheck profiles 'make' and not the app/);
    assert.match(wrapNativeCommand('heaptrack', ['/bin/sh', '-c', './server'], { outDir: OUT, heaptrack: { preloadLibrary: PRELOAD } }).notes[0], /heaptrack profiles 'sh'/);
  });

  it('notes suppressions that do not apply to massif or heaptrack', () => {
    assert.match(wrapNativeCommand('massif', ['./s'], { outDir: OUT, suppressions: ['/a.supp'] }).notes[0], /memcheck only/);
    assert.match(wrapNativeCommand('heaptrack', ['./s'], { outDir: OUT, suppressions: ['/a.supp'], heaptrack: { preloadLibrary: PRELOAD } }).notes[0], /LSan-format/);
  });

  it('refuses what would make the output land elsewhere or the argv meaningless', () => {
    assert.throws(() => wrapNativeCommand('massif', ['./s'], { outDir: 'out' }), { message: "native: outDir must be an absolute path (the app runs in its own working directory), got 'out'" });
    assert.throws(() => wrapNativeCommand('massif', ['./s'], { outDir: '/tmp/100%' }), /must not contain '%'/);
    assert.throws(() => wrapNativeCommand('memcheck', [], { outDir: OUT }), { name: 'ConfigError', message: 'native: the app command must be a non-empty list of strings, got []' });
    assert.throws(() => wrapNativeCommand('memcheck', [''], { outDir: OUT }), /first element \(the program\) is empty/);
    assert.throws(() => wrapNativeCommand('callgrind' as 'massif', ['./s'], { outDir: OUT }), { message: "native: unknown mode 'callgrind'; valid: memcheck, massif, heaptrack, jemalloc, tcmalloc, off" });
    assert.throws(() => wrapNativeCommand('memcheck', ['./s'], { outDir: OUT, suppressions: ['vg.supp'] }), /suppression file must be an absolute path, got 'vg.supp'/);
    assert.throws(() => wrapNativeCommand('heaptrack', ['./s'], { outDir: OUT, extraArgs: ['--x'], heaptrack: { preloadLibrary: PRELOAD } }), /heaptrack takes none \(got '--x'\)/);
    assert.throws(() => wrapNativeCommand('heaptrack', ['./s'], { outDir: OUT }), /needs the absolute path of libheaptrack_preload\.so/);
  });
});

describe('findExecutable', () => {
  const exists = (...files: string[]) => {
    const asked: string[] = [];
    return { asked, check: (f: string) => (asked.push(f), files.includes(f)) };
  };

  it('returns the first PATH directory that has it', () => {
    const fs = exists('/b/valgrind', '/c/valgrind');
    assert.equal(findExecutable('valgrind', '/a:/b:/c', fs.check), '/b/valgrind');
    assert.deepEqual(fs.asked, ['/a/valgrind', '/b/valgrind']);
  });

  it('skips empty entries instead of looking in the current directory', () => {
    const fs = exists('valgrind', '/c/valgrind');
    assert.equal(findExecutable('valgrind', ':/c:', fs.check), '/c/valgrind');
    assert.deepEqual(fs.asked, ['/c/valgrind']);
  });

  it('checks a name with a slash as it is, and returns null when nothing matches', () => {
    assert.equal(findExecutable('./valgrind', '/a', exists('./valgrind').check), './valgrind');
    assert.equal(findExecutable('heaptrack', '/a:/b', exists().check), null);
    assert.equal(findExecutable('heaptrack', undefined, exists('/heaptrack').check), null);
    assert.equal(findExecutable('', '/a', exists('/a/').check), null);
  });
});

describe('requireNativeTool without the tool on PATH', () => {
  it('says which executable is missing and how to install it', () => {
    assert.throws(() => requireNativeTool('heaptrack', { PATH: '' }), {
      name: 'ConfigError',
      message: "native: heaptrack needs 'heaptrack' on PATH; install it with: sudo apt-get install -y heaptrack (Debian/Ubuntu)",
    });
    assert.throws(() => requireNativeTool('massif', {}), /massif needs 'valgrind' on PATH; install it with: sudo apt-get install -y valgrind/);
  });
});

describe('heaptrackPathsFromScript', () => {
  it("reads the library and libexec paths the script was built with, relative to the script's directory", () => {
    const debian = '#!/bin/sh\n# find preload library\nLIB_REL_PATH="../lib/heaptrack"\nLIBEXEC_REL_PATH="../lib/heaptrack/libexec"\n';
    assert.deepEqual(heaptrackPathsFromScript(debian, '/usr/bin/heaptrack'), {
      preloadLibrary: '/usr/lib/heaptrack/libheaptrack_preload.so',
      interpreter: '/usr/lib/heaptrack/libexec/heaptrack_interpret',
    });
    const fedora = 'LIB_REL_PATH="../lib64/heaptrack"\nLIBEXEC_REL_PATH="../libexec/heaptrack"\n';
    assert.deepEqual(heaptrackPathsFromScript(fedora, '/opt/ht/bin/heaptrack'), {
      preloadLibrary: '/opt/ht/lib64/heaptrack/libheaptrack_preload.so',
      interpreter: '/opt/ht/libexec/heaptrack/heaptrack_interpret',
    });
  });

  it("falls back to Debian's layout when the script does not say", () => {
    assert.equal(heaptrackPathsFromScript('', '/usr/local/bin/heaptrack').preloadLibrary, '/usr/local/lib/heaptrack/libheaptrack_preload.so');
  });
});

// valgrind 3.19 massif on a C++ program (12 rounds of: a 40 kB block, two callers of one
// allocating function, small blocks, std::map<int, std::string> entries; then free the blocks):
//   valgrind --tool=massif --massif-out-file=massif.out.%p --time-unit=B --detailed-freq=5 --max-snapshots=20 ../fixture
const MASSIF = `desc: --massif-out-file=massif.out.%p --time-unit=B --detailed-freq=5 --max-snapshots=20
cmd: ../fixture
time_unit: B
#-----------
snapshot=0
#-----------
time=0
mem_heap_B=0
mem_heap_extra_B=0
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=1
#-----------
time=178032
mem_heap_B=177476
mem_heap_extra_B=236
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=2
#-----------
time=279760
mem_heap_B=279057
mem_heap_extra_B=383
mem_stacks_B=0
heap_tree=detailed
n4: 279057 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 160000 0x10923A: grow_step(int) (fixture.cpp:8)
  n0: 160000 0x1094DC: main (fixture.cpp:16)
 n1: 72704 0x48F87B9: ??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)
  n1: 72704 0x4004A1D: call_init (dl-init.c:74)
   n1: 72704 0x4004A1D: call_init (dl-init.c:26)
    n1: 72704 0x4004B03: _dl_init (dl-init.c:121)
     n0: 72704 0x401AB9F: ??? (in /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)
 n2: 45000 0x10928F: shared_alloc(unsigned long) (fixture.cpp:9)
  n1: 36000 0x1092B8: from_parser() (fixture.cpp:10)
   n0: 36000 0x1094E1: main (fixture.cpp:16)
  n1: 9000 0x1092CB: from_timer() (fixture.cpp:11)
   n0: 9000 0x1094E6: main (fixture.cpp:16)
 n0: 1353 in 6 places, all below massif's threshold (1.00%)
#-----------
snapshot=3
#-----------
time=384744
mem_heap_B=383585
mem_heap_extra_B=567
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=4
#-----------
time=533784
mem_heap_B=531840
mem_heap_extra_B=824
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=5
#-----------
time=703568
mem_heap_B=701200
mem_heap_extra_B=1248
mem_stacks_B=0
heap_tree=peak
n4: 701200 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 480000 0x10923A: grow_step(int) (fixture.cpp:8)
  n0: 480000 0x1094DC: main (fixture.cpp:16)
 n2: 144000 0x10928F: shared_alloc(unsigned long) (fixture.cpp:9)
  n1: 108000 0x1092B8: from_parser() (fixture.cpp:10)
   n0: 108000 0x1094E1: main (fixture.cpp:16)
  n1: 36000 0x1092CB: from_timer() (fixture.cpp:11)
   n0: 36000 0x1094E6: main (fixture.cpp:16)
 n1: 72704 0x48F87B9: ??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)
  n1: 72704 0x4004A1D: call_init (dl-init.c:74)
   n1: 72704 0x4004A1D: call_init (dl-init.c:26)
    n1: 72704 0x4004B03: _dl_init (dl-init.c:121)
     n0: 72704 0x401AB9F: ??? (in /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)
 n0: 4496 in 6 places, all below massif's threshold (1.00%)
#-----------
snapshot=6
#-----------
time=807728
mem_heap_B=597152
mem_heap_extra_B=1136
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=7
#-----------
time=912000
mem_heap_B=493050
mem_heap_extra_B=966
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=8
#-----------
time=1016240
mem_heap_B=388940
mem_heap_extra_B=836
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=9
#-----------
time=1120480
mem_heap_B=284822
mem_heap_extra_B=714
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=10
#-----------
time=1224720
mem_heap_B=180696
mem_heap_extra_B=600
mem_stacks_B=0
heap_tree=empty
#-----------
snapshot=11
#-----------
time=1329024
mem_heap_B=76562
mem_heap_extra_B=430
mem_stacks_B=0
heap_tree=detailed
n4: 76562 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 n1: 72704 0x48F87B9: ??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)
  n1: 72704 0x4004A1D: call_init (dl-init.c:74)
   n1: 72704 0x4004A1D: call_init (dl-init.c:26)
    n1: 72704 0x4004B03: _dl_init (dl-init.c:121)
     n0: 72704 0x401AB9F: ??? (in /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)
 n1: 2412 0x499295B: std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_construct(unsigned long, char) (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)
  n1: 2412 0x109350: basic_string<> (basic_string.h:659)
   n1: 2412 0x109350: name_it(int) (fixture.cpp:14)
    n0: 2412 0x1094FB: main (fixture.cpp:16)
 n1: 864 0x109A64: allocate (new_allocator.h:137)
  n1: 864 0x109A64: allocate (alloc_traits.h:464)
   n1: 864 0x109A64: _M_get_node (stl_tree.h:561)
    n1: 864 0x109A64: _M_create_node<const std::piecewise_construct_t&, std::tuple<int const&>, std::tuple<> > (stl_tree.h:611)
     n1: 864 0x109A64: _Auto_node<const std::piecewise_construct_t&, std::tuple<int const&>, std::tuple<> > (stl_tree.h:1636)
      n1: 864 0x109A64: std::_Rb_tree_iterator<std::pair<int const, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > > > std::_Rb_tree<int, std::pair<int const, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >, std::_Select1st<std::pair<int const, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > > >, std::less<int>, std::allocator<std::pair<int const, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > > > >::_M_emplace_hint_unique<std::piecewise_construct_t const&, std::tuple<int const&>, std::tuple<> >(std::_Rb_tree_const_iterator<std::pair<int const, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > > >, std::piecewise_construct_t const&, std::tuple<int const&>&&, std::tuple<>&&) (stl_tree.h:2461)
       n1: 864 0x1093BB: operator[] (stl_map.h:511)
        n1: 864 0x1093BB: name_it(int) (fixture.cpp:14)
         n0: 864 0x1094FB: main (fixture.cpp:16)
 n0: 582 in 6 places, all below massif's threshold (1.00%)
`;

describe('parseMassif', () => {
  it('reads the header and every snapshot', () => {
    const profile = parseMassif(MASSIF, 'massif.out.27504');
    assert.equal(profile.desc, '--massif-out-file=massif.out.%p --time-unit=B --detailed-freq=5 --max-snapshots=20');
    assert.equal(profile.cmd, '../fixture');
    assert.equal(profile.timeUnit, 'B');
    assert.equal(profile.snapshots.length, 12);
    assert.deepEqual(profile.snapshots.map((s) => s.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(profile.snapshots.map((s) => s.kind).join(' '), 'empty empty detailed empty empty peak empty empty empty empty empty detailed');
    assert.deepEqual(profile.snapshots[5], { index: 5, time: 703568, heapBytes: 701200, extraBytes: 1248, stacksBytes: 0, kind: 'peak' });
    assert.equal(profile.peakIndex, 5);
  });

  it('lists the sites at the peak, largest first, following the largest caller down', () => {
    const { peakSites, belowThresholdBytes } = parseMassif(MASSIF);
    assert.deepEqual(peakSites, [
      { bytes: 480000, fn: 'grow_step(int)', file: 'fixture.cpp', line: 8, frames: ['grow_step(int) (fixture.cpp:8)', 'main (fixture.cpp:16)'] },
      {
        bytes: 144000, fn: 'shared_alloc(unsigned long)', file: 'fixture.cpp', line: 9,
        frames: ['shared_alloc(unsigned long) (fixture.cpp:9)', 'from_parser() (fixture.cpp:10)', 'main (fixture.cpp:16)'],
      },
      {
        bytes: 72704, fn: '???', object: '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
        frames: [
          '??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)', 'call_init (dl-init.c:74)', 'call_init (dl-init.c:26)',
          '_dl_init (dl-init.c:121)', '??? (in /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)',
        ],
      },
    ]);
    assert.equal(belowThresholdBytes, 4496);
  });

  it('reads C++ names with spaces and parentheses', () => {
    // Make the last snapshot the peak: its tree holds std::string and std::map frames.
    const text = MASSIF.replace('heap_tree=peak', 'heap_tree=detailed').replace(/heap_tree=detailed(\nn4: 76562)/, 'heap_tree=peak$1');
    const { peakIndex, peakSites } = parseMassif(text);
    assert.equal(peakIndex, 11);
    assert.deepEqual(peakSites[1], {
      bytes: 2412,
      fn: 'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_construct(unsigned long, char)',
      object: '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30',
      frames: [
        'std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_construct(unsigned long, char) (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)',
        'basic_string<> (basic_string.h:659)', 'name_it(int) (fixture.cpp:14)', 'main (fixture.cpp:16)',
      ],
    });
    assert.equal(peakSites[2].fn, 'allocate');
    assert.equal(peakSites[2].frames.length, 9);
    assert.match(peakSites[2].frames[5], /^std::_Rb_tree_iterator<.*>::_M_emplace_hint_unique<.*>\(.*\) \(stl_tree\.h:2461\)$/);
  });

  it('without a peak-marked tree, takes the largest snapshot and the largest detailed tree', () => {
    const unmarked = MASSIF.replace('heap_tree=peak', 'heap_tree=detailed');
    assert.equal(parseMassif(unmarked).peakIndex, 5);
    assert.equal(parseMassif(unmarked).peakSites[0].bytes, 480000);
    // Drop the peak's tree altogether: the sites come from snapshot 2, the largest that has one.
    const lines = MASSIF.split('\n');
    const start = lines.indexOf('heap_tree=peak');
    lines.splice(start, 15, 'heap_tree=empty'); // the marker and its 14 tree lines
    const treeless = parseMassif(lines.join('\n'));
    assert.equal(treeless.peakIndex, 5);
    assert.equal(treeless.peakSites[0].bytes, 160000);
  });

  it('reads a file with no snapshots', () => {
    const profile = parseMassif('desc: (none)\ncmd: ./x\ntime_unit: ms\n');
    assert.deepEqual([profile.snapshots, profile.peakIndex, profile.peakSites], [[], null, []]);
  });

  it('refuses other text, naming the source and line', () => {
    assert.throws(() => parseMassif('', 'massif.out.1'), { message: "massif.out.1 line 1: expected the 'desc: ...' header line (is this a massif.out file?), got the end of the file" });
    assert.throws(() => parseMassif(HEAPTRACK, 'x'), /^Error: x line 1: expected the 'desc: \.\.\.' header line/);
  });

  it('refuses a snapshot field that is not a number', () => {
    const text = MASSIF.replace('mem_heap_B=177476', 'mem_heap_B=lots');
    assert.throws(() => parseMassif(text, 'm'), { message: "m line 16: expected 'mem_heap_B=<integer>', got 'mem_heap_B=lots'" });
  });

  it('refuses a tree whose node announces more children than follow', () => {
    const text = MASSIF.replace(' n2: 144000', ' n3: 144000');
    const line = MASSIF.split('\n').indexOf(' n1: 72704 0x48F87B9: ??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)', 45) + 1;
    assert.throws(() => parseMassif(text, 'm'), new RegExp(`^Error: m line ${line}: expected a tree node indented by 2 space\\(s\\)`));
  });

  it('refuses a file cut off inside a tree', () => {
    const lines = MASSIF.split('\n');
    const parent = lines.findIndex((l) => l.startsWith(' n2: 45000 '));
    const cut = lines.slice(0, parent + 1).join('\n');
    assert.throws(() => parseMassif(cut, 'm'), { message: `m line ${parent + 2}: expected a tree node '  n<children>: <bytes> <site>', got the end of the file` });
  });

  it('refuses snapshot numbers that skip', () => {
    const line = MASSIF.split('\n').indexOf('snapshot=3') + 1;
    assert.throws(() => parseMassif(MASSIF.replace('snapshot=3\n', 'snapshot=4\n'), 'm'), { message: `m line ${line}: snapshot numbers must count up by one (previous 2), got 'snapshot=4'` });
  });
});

// heaptrack 1.4 on a C program that loses 300 + 100 blocks of 1000 B (from two callers of
// lose_block), keeps one 50 kB block in a global and frees 1000 temporary ones; recorded with the
// preload library, interpreted, then:
//   heaptrack_print --file heaptrack.gz --print-peaks=1 --print-leaks=1 --print-allocators=0 --print-temporary=0
//                   --peak-limit=3 --sub-peak-limit=1 --merge-backtraces=1 --shorten-templates=1
const HEAPTRACK = `reading file "t4/heaptrack.gz" - please wait, this might take some time...
Debuggee command was: ./leak
finished reading file, now analyzing data:

PEAK MEMORY CONSUMERS
400.00K peak memory consumed over 400 calls from
lose_block
  at /tmp/h2/leak.c:4
  in /tmp/h2/leak
300.00K consumed over 300 calls from:
    from_request
      at /tmp/h2/leak.c:5
      in /tmp/h2/leak
    main
      at /tmp/h2/leak.c:9
      in /tmp/h2/leak
  and 100.00K from 1 other places

72.70K peak memory consumed over 1 calls from
0x7f7cfbaa57b9
  in /lib/x86_64-linux-gnu/libstdc++.so.6
72.70K consumed over 1 calls from:
    call_init
      at ./elf/dl-init.c:74
      in /lib64/ld-linux-x86-64.so.2
    call_init
      at ./elf/dl-init.c:26
    _dl_init
      at ./elf/dl-init.c:121
      in /lib64/ld-linux-x86-64.so.2
    0x7f7cfbfa4b9f
      at ./elf/rtld.c:0
      in /lib64/ld-linux-x86-64.so.2

50.00K peak memory consumed over 1 calls from
keep_forever
  at /tmp/h2/leak.c:7
  in /tmp/h2/leak
50.00K consumed over 1 calls from:
    main
      at /tmp/h2/leak.c:11
      in /tmp/h2/leak


MEMORY LEAKS
400.00K leaked over 400 calls from
lose_block
  at /tmp/h2/leak.c:4
  in /tmp/h2/leak
300.00K leaked over 300 calls from:
    from_request
      at /tmp/h2/leak.c:5
      in /tmp/h2/leak
    main
      at /tmp/h2/leak.c:9
      in /tmp/h2/leak
  and 100.00K from 1 other places

50.00K leaked over 1 calls from
keep_forever
  at /tmp/h2/leak.c:7
  in /tmp/h2/leak
50.00K leaked over 1 calls from:
    main
      at /tmp/h2/leak.c:11
      in /tmp/h2/leak


total runtime: 0.00s.
calls to allocation functions: 1402 (1402000/s)
temporary memory allocations: 1001 (1001000/s)
peak heap memory consumption: 522.77K
peak RSS (including heaptrack overhead): 4.34M
total memory leaked: 450.00K
`;

describe('parseHeaptrackPrint', () => {
  it('reads the totals and the top leak and peak sites', () => {
    const summary = parseHeaptrackPrint(HEAPTRACK);
    const lose = {
      bytes: 400000, calls: 400, fn: 'lose_block', location: '/tmp/h2/leak.c:4', module: '/tmp/h2/leak',
      stack: ['lose_block (/tmp/h2/leak.c:4)', 'from_request (/tmp/h2/leak.c:5)', 'main (/tmp/h2/leak.c:9)'],
    };
    const keep = {
      bytes: 50000, calls: 1, fn: 'keep_forever', location: '/tmp/h2/leak.c:7', module: '/tmp/h2/leak',
      stack: ['keep_forever (/tmp/h2/leak.c:7)', 'main (/tmp/h2/leak.c:11)'],
    };
    assert.deepEqual(summary, {
      debuggee: './leak',
      runtimeSeconds: 0,
      totalAllocations: 1402,
      temporaryAllocations: 1001,
      peakHeapBytes: 522770,
      peakRssBytes: 4340000,
      leakedBytes: 450000,
      topLeaks: [lose, keep],
      topPeak: [
        lose,
        {
          bytes: 72700, calls: 1, fn: '0x7f7cfbaa57b9', module: '/lib/x86_64-linux-gnu/libstdc++.so.6',
          stack: [
            '0x7f7cfbaa57b9 (in /lib/x86_64-linux-gnu/libstdc++.so.6)', 'call_init (./elf/dl-init.c:74)',
            'call_init (./elf/dl-init.c:26)', '_dl_init (./elf/dl-init.c:121)', '0x7f7cfbfa4b9f (./elf/rtld.c:0)',
          ],
        },
        keep,
      ],
    });
  });

  it('reads suppressed leaks and ignores the suppression table after them', () => {
    const text = HEAPTRACK.replace('total memory leaked: 450.00K\n', 'total memory leaked: 0B\nsuppressed leaks: 450.00K\nSuppressions used:\n         matches           leaked pattern\n               3         450.00KB \n');
    const summary = parseHeaptrackPrint(text);
    assert.deepEqual([summary.leakedBytes, summary.suppressedLeakBytes], [0, 450000]);
  });

  it('reads the empty summary of a recording without allocations', () => {
    const empty = 'reading file "x" - please wait, this might take some time...\nfinished reading file, now analyzing data:\n\nPEAK MEMORY CONSUMERS\n\nMEMORY LEAKS\n\ntotal runtime: 0.001000s.\ncalls to allocation functions: 0 (0/s)\ntemporary memory allocations: 0 (0/s)\npeak heap memory consumption: 0B\npeak RSS (including heaptrack overhead): 0B\ntotal memory leaked: 0B\n';
    const summary = parseHeaptrackPrint(empty);
    assert.deepEqual([summary.totalAllocations, summary.leakedBytes, summary.topLeaks, summary.runtimeSeconds], [0, 0, [], 0.001]);
  });

  it('refuses output without the summary lines', () => {
    const cut = HEAPTRACK.slice(0, HEAPTRACK.indexOf('total runtime'));
    assert.throws(() => parseHeaptrackPrint(cut, 'heaptrack_print h.gz'), {
      message: "heaptrack_print h.gz: no 'calls to allocation functions:' line; heaptrack_print did not finish its summary (truncated or not heaptrack_print output)",
    });
  });

  it('refuses a site size it cannot read, naming the line', () => {
    const text = HEAPTRACK.replace('50.00K leaked over 1 calls from\n', '50.00Q leaked over 1 calls from\n');
    const line = HEAPTRACK.split('\n').indexOf('50.00K leaked over 1 calls from') + 1;
    assert.throws(() => parseHeaptrackPrint(text, 'p'), new RegExp(`^Error: p line ${line}: heaptrack size '50.00Q' is not a number`));
  });

  it('refuses a site line with no function after it', () => {
    const text = HEAPTRACK.replace('50.00K leaked over 1 calls from\nkeep_forever\n', '50.00K leaked over 1 calls from\n\n');
    assert.throws(() => parseHeaptrackPrint(text, 'p'), /^Error: p line \d+: expected the allocating function after the site line, got ''/);
  });
});

describe('parseHeaptrackSize', () => {
  it("reads heaptrack's decimal units into bytes", () => {
    const cases: [string, number][] = [
      ['0B', 0], ['512B', 512], ['999B', 999], ['12.34K', 12340], ['1.23M', 1230000], ['55.01M', 55010000],
      ['2.00G', 2e9], ['1.50T', 1.5e12], ['450.00KB', 450000], ['-1.50K', -1500], ['4.10K', 4100],
    ];
    for (const [text, bytes] of cases) assert.equal(parseHeaptrackSize(text), bytes, text);
  });

  it('refuses anything else, saying what would be valid', () => {
    for (const bad of ['', 'K', '12 K', '1.2X', '12', '1,5M', 'NaNM']) {
      assert.throws(() => parseHeaptrackSize(bad), { message: `heaptrack size '${bad}' is not a number with a unit B, K, M, G or T (like '12.34K')` }, bad);
    }
  });
});
