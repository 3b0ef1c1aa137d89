// Pure tests of the memcheck readers: the XML reader's edge cases, memcheck XML and vgdb leak_check
// text captured from real valgrind 3.19 runs (pasted below), fingerprints, merging, comparing
// against a baseline, and suppression files. No processes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { childElements, parseMemcheckXml, readXml, textOf, type XmlElement } from '../../src/native/memcheck-xml.js';
import {
  compareSites,
  fingerprintLeak,
  fingerprintScheme,
  frameKey,
  isAllocatorFrame,
  mergeSites,
  siteFrames,
} from '../../src/native/fingerprint.js';
import { generateSuppression, locationLine, parseSuppressionFile } from '../../src/native/suppressions.js';
import { parseVgdbLeakCheck, vgdbLeakCheckArgs } from '../../src/native/vgdb-leak-check.js';
import { memcheckTotals } from '../../src/native/native-evidence.js';
import type { LeakRecord, StackFrame } from '../../src/native/memcheck-types.js';

// ---------------------------------------------------------------------------------------------
// Fixtures, captured with valgrind-3.19.0 on Debian 12 (gcc/g++ 12.2, -g -O0).

/**
 * loop.c: leaks 64 bytes per stdin line in leak_one() (line 4) called by handle() (line 5); run with
 * --xml=yes --vgdb=yes, fed 5 lines, then SIGTERM: the complete XML valgrind wrote at SIGTERM.
 */
const LOOP_XML = `<?xml version="1.0"?>

<valgrindoutput>

<protocolversion>4</protocolversion>
<protocoltool>memcheck</protocoltool>

<preamble>
  <line>Memcheck, a memory error detector</line>
  <line>Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.</line>
  <line>Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info</line>
  <line>Command: ./loop</line>
</preamble>

<pid>16561</pid>
<ppid>1</ppid>
<tool>memcheck</tool>

<args>
  <vargv>
    <exe>/usr/bin/valgrind.bin</exe>
    <arg>--tool=memcheck</arg>
    <arg>--leak-check=full</arg>
    <arg>--xml=yes</arg>
    <arg>--xml-file=cap.xml</arg>
    <arg>--vgdb=yes</arg>
  </vargv>
  <argv>
    <exe>./loop</exe>
  </argv>
</args>

<status>
  <state>RUNNING</state>
  <time>00:00:00:00.068 </time>
</status>

<fatal_signal>
  <tid>1</tid>
  <signo>15</signo>
  <signame>SIGTERM</signame>
  <sicode>0</sicode>
  <stack>
    <frame>
      <ip>0x49532AD</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>read</fn>
      <dir>./io/../sysdeps/unix/sysv/linux</dir>
      <file>read.c</file>
      <line>26</line>
    </frame>
    <frame>
      <ip>0x48DD16D</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>_IO_file_underflow@@GLIBC_2.2.5</fn>
      <dir>./libio/./libio</dir>
      <file>fileops.c</file>
      <line>516</line>
    </frame>
    <frame>
      <ip>0x48DE151</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>_IO_default_uflow</fn>
      <dir>./libio/./libio</dir>
      <file>genops.c</file>
      <line>362</line>
    </frame>
    <frame>
      <ip>0x48D1F89</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>_IO_getline_info</fn>
      <dir>./libio/./libio</dir>
      <file>iogetline.c</file>
      <line>60</line>
    </frame>
    <frame>
      <ip>0x48D10CD</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>fgets</fn>
      <dir>./libio/./libio</dir>
      <file>iofgets.c</file>
      <line>53</line>
    </frame>
    <frame>
      <ip>0x109260</ip>
      <obj>/tmp/mc/loop</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>loop.c</file>
      <line>10</line>
    </frame>
  </stack>
</fatal_signal>


<status>
  <state>FINISHED</state>
  <time>00:00:00:01.368 </time>
</status>

<error>
  <unique>0x4</unique>
  <tid>1</tid>
  <kind>Leak_DefinitelyLost</kind>
  <xwhat>
    <text>320 bytes in 5 blocks are definitely lost in loss record 1 of 2</text>
    <leakedbytes>320</leakedbytes>
    <leakedblocks>5</leakedblocks>
  </xwhat>
  <stack>
    <frame>
      <ip>0x48417B4</ip>
      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>
      <fn>malloc</fn>
    </frame>
    <frame>
      <ip>0x1091A0</ip>
      <obj>/tmp/mc/loop</obj>
      <fn>leak_one</fn>
      <dir>/tmp/mc</dir>
      <file>loop.c</file>
      <line>4</line>
    </frame>
    <frame>
      <ip>0x1091D4</ip>
      <obj>/tmp/mc/loop</obj>
      <fn>handle</fn>
      <dir>/tmp/mc</dir>
      <file>loop.c</file>
      <line>5</line>
    </frame>
    <frame>
      <ip>0x10922B</ip>
      <obj>/tmp/mc/loop</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>loop.c</file>
      <line>10</line>
    </frame>
  </stack>
</error>

<errorcounts>
</errorcounts>

<suppcounts>
</suppcounts>

</valgrindoutput>

`;

/** The same run: `vgdb --pid=16561 leak_check full reachable increased` after 2 lines, then after 5. */
const LOOP_VGDB_1 = `==16561== 128 (+128) bytes in 2 (+2) blocks are definitely lost in loss record 1 of 2
==16561==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==16561==    by 0x1091A0: leak_one (loop.c:4)
==16561==    by 0x1091D4: handle (loop.c:5)
==16561==    by 0x10922B: main (loop.c:10)
==16561== 
==16561== 4,096 (+4,096) bytes in 1 (+1) blocks are still reachable in loss record 2 of 2
==16561==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==16561==    by 0x48D08CB: _IO_file_doallocate (filedoalloc.c:101)
==16561==    by 0x48DE09F: _IO_doallocbuf (genops.c:347)
==16561==    by 0x48DE09F: _IO_doallocbuf (genops.c:342)
==16561==    by 0x48DD203: _IO_file_underflow@@GLIBC_2.2.5 (fileops.c:485)
==16561==    by 0x48DE151: _IO_default_uflow (genops.c:362)
==16561==    by 0x48D1F89: _IO_getline_info (iogetline.c:60)
==16561==    by 0x48D10CD: fgets (iofgets.c:53)
==16561==    by 0x109260: main (loop.c:10)
==16561== 
==16561== LEAK SUMMARY:
==16561==    definitely lost: 128 (+128) bytes in 2 (+2) blocks
==16561==    indirectly lost: 0 (+0) bytes in 0 (+0) blocks
==16561==      possibly lost: 0 (+0) bytes in 0 (+0) blocks
==16561==    still reachable: 4,096 (+4,096) bytes in 1 (+1) blocks
==16561==         suppressed: 0 (+0) bytes in 0 (+0) blocks
==16561== 
`;
const LOOP_VGDB_2 = `==16561== 320 (+192) bytes in 5 (+3) blocks are definitely lost in loss record 1 of 2
==16561==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==16561==    by 0x1091A0: leak_one (loop.c:4)
==16561==    by 0x1091D4: handle (loop.c:5)
==16561==    by 0x10922B: main (loop.c:10)
==16561== 
==16561== LEAK SUMMARY:
==16561==    definitely lost: 320 (+192) bytes in 5 (+3) blocks
==16561==    indirectly lost: 0 (+0) bytes in 0 (+0) blocks
==16561==      possibly lost: 0 (+0) bytes in 0 (+0) blocks
==16561==    still reachable: 4,096 (+0) bytes in 1 (+0) blocks
==16561==         suppressed: 0 (+0) bytes in 0 (+0) blocks
==16561== 
`;

/** cpp.cpp: a template method leaking new T[4], a strdup leak, and an invalid read (C++ names need entities). */
const CPP_XML = `<?xml version="1.0"?>

<valgrindoutput>

<protocolversion>4</protocolversion>
<protocoltool>memcheck</protocoltool>

<preamble>
  <line>Memcheck, a memory error detector</line>
  <line>Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.</line>
  <line>Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info</line>
  <line>Command: ./cpp</line>
</preamble>

<pid>5466</pid>
<ppid>5457</ppid>
<tool>memcheck</tool>

<args>
  <vargv>
    <exe>/usr/bin/valgrind.bin</exe>
    <arg>--tool=memcheck</arg>
    <arg>--leak-check=full</arg>
    <arg>--xml=yes</arg>
    <arg>--xml-file=c.xml</arg>
  </vargv>
  <argv>
    <exe>./cpp</exe>
  </argv>
</args>

<status>
  <state>RUNNING</state>
  <time>00:00:00:00.030 </time>
</status>

<error>
  <unique>0x0</unique>
  <tid>1</tid>
  <kind>InvalidRead</kind>
  <what>Invalid read of size 4</what>
  <stack>
    <frame>
      <ip>0x1091A2</ip>
      <obj>/tmp/mc/cpp</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>cpp.cpp</file>
      <line>9</line>
    </frame>
  </stack>
  <auxwhat>Address 0x4d6ddf0 is 0 bytes after a block of size 16 alloc'd</auxwhat>
  <stack>
    <frame>
      <ip>0x48417B4</ip>
      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>
      <fn>malloc</fn>
    </frame>
    <frame>
      <ip>0x109199</ip>
      <obj>/tmp/mc/cpp</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>cpp.cpp</file>
      <line>9</line>
    </frame>
  </stack>
</error>


<status>
  <state>FINISHED</state>
  <time>00:00:00:00.586 </time>
</status>

<error>
  <unique>0x1</unique>
  <tid>1</tid>
  <kind>Leak_DefinitelyLost</kind>
  <xwhat>
    <text>6 bytes in 1 blocks are definitely lost in loss record 1 of 2</text>
    <leakedbytes>6</leakedbytes>
    <leakedblocks>1</leakedblocks>
  </xwhat>
  <stack>
    <frame>
      <ip>0x48417B4</ip>
      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>
      <fn>malloc</fn>
    </frame>
    <frame>
      <ip>0x4B139A9</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>strdup</fn>
      <dir>./string/./string</dir>
      <file>strdup.c</file>
      <line>42</line>
    </frame>
    <frame>
      <ip>0x10918B</ip>
      <obj>/tmp/mc/cpp</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>cpp.cpp</file>
      <line>8</line>
    </frame>
  </stack>
</error>

<error>
  <unique>0x2</unique>
  <tid>1</tid>
  <kind>Leak_DefinitelyLost</kind>
  <xwhat>
    <text>200 bytes in 1 blocks are definitely lost in loss record 2 of 2</text>
    <leakedbytes>200</leakedbytes>
    <leakedblocks>1</leakedblocks>
  </xwhat>
  <stack>
    <frame>
      <ip>0x484320F</ip>
      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>
      <fn>operator new[](unsigned long)</fn>
    </frame>
    <frame>
      <ip>0x109280</ip>
      <obj>/tmp/mc/cpp</obj>
      <fn>Box&lt;std::map&lt;int, std::vector&lt;int, std::allocator&lt;int&gt; &gt;, std::less&lt;int&gt;, std::allocator&lt;std::pair&lt;int const, std::vector&lt;int, std::allocator&lt;int&gt; &gt; &gt; &gt; &gt; &gt;::make()</fn>
      <dir>/tmp/mc</dir>
      <file>cpp.cpp</file>
      <line>5</line>
    </frame>
    <frame>
      <ip>0x10917C</ip>
      <obj>/tmp/mc/cpp</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>cpp.cpp</file>
      <line>7</line>
    </frame>
  </stack>
</error>

<errorcounts>
  <pair>
    <count>1</count>
    <unique>0x0</unique>
  </pair>
</errorcounts>

<suppcounts>
</suppcounts>

</valgrindoutput>

`;

/** cppw.cpp: the template leak once per stdin line; its XML at SIGTERM and the vgdb check before. */
const CPPW_XML = `<?xml version="1.0"?>

<valgrindoutput>

<protocolversion>4</protocolversion>
<protocoltool>memcheck</protocoltool>

<preamble>
  <line>Memcheck, a memory error detector</line>
  <line>Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.</line>
  <line>Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info</line>
  <line>Command: ./cppw</line>
</preamble>

<pid>18363</pid>
<ppid>1</ppid>
<tool>memcheck</tool>

<args>
  <vargv>
    <exe>/usr/bin/valgrind.bin</exe>
    <arg>--tool=memcheck</arg>
    <arg>--leak-check=full</arg>
    <arg>--xml=yes</arg>
    <arg>--xml-file=cw.xml</arg>
    <arg>--vgdb=yes</arg>
  </vargv>
  <argv>
    <exe>./cppw</exe>
  </argv>
</args>

<status>
  <state>RUNNING</state>
  <time>00:00:00:00.025 </time>
</status>

<fatal_signal>
  <tid>1</tid>
  <signo>15</signo>
  <signame>SIGTERM</signame>
  <sicode>0</sicode>
  <stack>
    <frame>
      <ip>0x4B6D2AD</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>read</fn>
      <dir>./io/../sysdeps/unix/sysv/linux</dir>
      <file>read.c</file>
      <line>26</line>
    </frame>
    <frame>
      <ip>0x4AF716D</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>_IO_file_underflow@@GLIBC_2.2.5</fn>
      <dir>./libio/./libio</dir>
      <file>fileops.c</file>
      <line>516</line>
    </frame>
    <frame>
      <ip>0x4AF8151</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>_IO_default_uflow</fn>
      <dir>./libio/./libio</dir>
      <file>genops.c</file>
      <line>362</line>
    </frame>
    <frame>
      <ip>0x4AEBF89</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>_IO_getline_info</fn>
      <dir>./libio/./libio</dir>
      <file>iogetline.c</file>
      <line>60</line>
    </frame>
    <frame>
      <ip>0x4AEB0CD</ip>
      <obj>/usr/lib/x86_64-linux-gnu/libc.so.6</obj>
      <fn>fgets</fn>
      <dir>./libio/./libio</dir>
      <file>iofgets.c</file>
      <line>53</line>
    </frame>
    <frame>
      <ip>0x1091D2</ip>
      <obj>/tmp/mc/cppw</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>cppw.cpp</file>
      <line>9</line>
    </frame>
  </stack>
</fatal_signal>


<status>
  <state>FINISHED</state>
  <time>00:00:00:00.728 </time>
</status>

<error>
  <unique>0x3</unique>
  <tid>1</tid>
  <kind>Leak_DefinitelyLost</kind>
  <xwhat>
    <text>200 bytes in 1 blocks are definitely lost in loss record 1 of 3</text>
    <leakedbytes>200</leakedbytes>
    <leakedblocks>1</leakedblocks>
  </xwhat>
  <stack>
    <frame>
      <ip>0x484320F</ip>
      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>
      <fn>operator new[](unsigned long)</fn>
    </frame>
    <frame>
      <ip>0x109298</ip>
      <obj>/tmp/mc/cppw</obj>
      <fn>Box&lt;std::map&lt;int, std::vector&lt;int, std::allocator&lt;int&gt; &gt;, std::less&lt;int&gt;, std::allocator&lt;std::pair&lt;int const, std::vector&lt;int, std::allocator&lt;int&gt; &gt; &gt; &gt; &gt; &gt;::make()</fn>
      <dir>/tmp/mc</dir>
      <file>cppw.cpp</file>
      <line>4</line>
    </frame>
    <frame>
      <ip>0x1091AB</ip>
      <obj>/tmp/mc/cppw</obj>
      <fn>main</fn>
      <dir>/tmp/mc</dir>
      <file>cppw.cpp</file>
      <line>9</line>
    </frame>
  </stack>
</error>

<errorcounts>
</errorcounts>

<suppcounts>
</suppcounts>

</valgrindoutput>

`;
const CPPW_VGDB = `==18363== 200 (+200) bytes in 1 (+1) blocks are definitely lost in loss record 1 of 3
==18363==    at 0x484320F: operator new[](unsigned long) (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==18363==    by 0x109298: Box<std::map<int, std::vector<int, std::allocator<int> >, std::less<int>, std::allocator<std::pair<int const, std::vector<int, std::allocator<int> > > > > >::make() (cppw.cpp:4)
==18363==    by 0x1091AB: main (cppw.cpp:9)
==18363== 
==18363== 4,096 (+4,096) bytes in 1 (+1) blocks are still reachable in loss record 2 of 3
==18363==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==18363==    by 0x4AEA8CB: _IO_file_doallocate (filedoalloc.c:101)
==18363==    by 0x4AF809F: _IO_doallocbuf (genops.c:347)
==18363==    by 0x4AF809F: _IO_doallocbuf (genops.c:342)
==18363==    by 0x4AF7203: _IO_file_underflow@@GLIBC_2.2.5 (fileops.c:485)
==18363==    by 0x4AF8151: _IO_default_uflow (genops.c:362)
==18363==    by 0x4AEBF89: _IO_getline_info (iogetline.c:60)
==18363==    by 0x4AEB0CD: fgets (iofgets.c:53)
==18363==    by 0x1091D2: main (cppw.cpp:9)
==18363== 
==18363== 72,704 (+72,704) bytes in 1 (+1) blocks are still reachable in loss record 3 of 3
==18363==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==18363==    by 0x49007B9: ??? (in /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)
==18363==    by 0x4004A1D: call_init (dl-init.c:74)
==18363==    by 0x4004A1D: call_init (dl-init.c:26)
==18363==    by 0x4004B03: _dl_init (dl-init.c:121)
==18363==    by 0x401AB9F: ??? (in /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)
==18363== 
==18363== LEAK SUMMARY:
==18363==    definitely lost: 200 (+200) bytes in 1 (+1) blocks
==18363==    indirectly lost: 0 (+0) bytes in 0 (+0) blocks
==18363==      possibly lost: 0 (+0) bytes in 0 (+0) blocks
==18363==    still reachable: 76,800 (+76,800) bytes in 2 (+2) blocks
==18363==         suppressed: 0 (+0) bytes in 0 (+0) blocks
==18363== 
`;

/** kw.c: definite, indirect (lost struct -> block), possible and reachable leaks; the second vgdb check. */
const KW_VGDB_2 = `==7068== 120 (+80) bytes in 3 (+2) blocks are indirectly lost in loss record 3 of 7
==7068==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7068==    by 0x1091A8: indirect (kw.c:6)
==7068==    by 0x109236: main (kw.c:10)
==7068== 
==7068== 128 (+128) bytes in 2 (+2) blocks are definitely lost in loss record 4 of 7
==7068==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7068==    by 0x1091C7: possible (kw.c:7)
==7068==    by 0x10923B: main (kw.c:10)
==7068== 
==7068== 144 (+96) (24 (+16) direct, 120 (+80) indirect) bytes in 3 (+2) blocks are definitely lost in loss record 5 of 7
==7068==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7068==    by 0x10919A: indirect (kw.c:6)
==7068==    by 0x109236: main (kw.c:10)
==7068== 
==7068== 300 (+200) bytes in 3 (+2) blocks are definitely lost in loss record 6 of 7
==7068==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7068==    by 0x10917A: definite (kw.c:5)
==7068==    by 0x109231: main (kw.c:10)
==7068== 
==7068== LEAK SUMMARY:
==7068==    definitely lost: 452 (+344) bytes in 8 (+6) blocks
==7068==    indirectly lost: 120 (+80) bytes in 3 (+2) blocks
==7068==      possibly lost: 64 (+0) bytes in 1 (+0) blocks
==7068==    still reachable: 4,128 (+0) bytes in 2 (+0) blocks
==7068==         suppressed: 0 (+0) bytes in 0 (+0) blocks
==7068== 
`;

/** The same program stripped of symbols: frames are ??? (in OBJ). */
const KW_NODEBUG_VGDB_2 = `==7091== 120 (+80) bytes in 3 (+2) blocks are indirectly lost in loss record 3 of 7
==7091==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7091==    by 0x1091A8: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x109236: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x4882249: (below main) (libc_start_call_main.h:58)
==7091== 
==7091== 128 (+128) bytes in 2 (+2) blocks are definitely lost in loss record 4 of 7
==7091==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7091==    by 0x1091C7: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x10923B: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x4882249: (below main) (libc_start_call_main.h:58)
==7091== 
==7091== 144 (+96) (24 (+16) direct, 120 (+80) indirect) bytes in 3 (+2) blocks are definitely lost in loss record 5 of 7
==7091==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7091==    by 0x10919A: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x109236: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x4882249: (below main) (libc_start_call_main.h:58)
==7091== 
==7091== 300 (+200) bytes in 3 (+2) blocks are definitely lost in loss record 6 of 7
==7091==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==7091==    by 0x10917A: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x109231: ??? (in /tmp/mc/kw-nodebug)
==7091==    by 0x4882249: (below main) (libc_start_call_main.h:58)
==7091== 
==7091== LEAK SUMMARY:
==7091==    definitely lost: 452 (+344) bytes in 8 (+6) blocks
==7091==    indirectly lost: 120 (+80) bytes in 3 (+2) blocks
==7091==      possibly lost: 64 (+0) bytes in 1 (+0) blocks
==7091==    still reachable: 4,128 (+0) bytes in 2 (+0) blocks
==7091==         suppressed: 0 (+0) bytes in 0 (+0) blocks
==7091== 
`;

/** A vgdb check before the program allocated anything (stderr merged: the "sending command" line). */
const NO_LEAKS_VGDB = `sending command leak_check full reachable increased to pid 5670
==5670== All heap blocks were freed -- no leaks are possible
==5670== 
`;

// ---------------------------------------------------------------------------------------------
// Helpers

const frame = (fn: string | undefined, file?: string, line?: number, extra: Partial<StackFrame> = {}): StackFrame => {
  const f: StackFrame = { ...extra };
  if (fn !== undefined) f.fn = fn;
  if (file !== undefined) f.file = file;
  if (line !== undefined) f.line = line;
  return f;
};
const MALLOC: StackFrame = { ip: '0x48417B4', obj: '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so', fn: 'malloc' };
const record = (kind: LeakRecord['kind'], stack: StackFrame[], bytes = 64, blocks = 1, extra: Partial<LeakRecord> = {}): LeakRecord => ({
  kind,
  bytes,
  blocks,
  stack,
  ...fingerprintLeak(kind, stack),
  ...extra,
});
const el = (node: XmlElement | string | undefined): XmlElement => {
  assert.ok(node !== undefined && typeof node !== 'string', 'expected an element');
  return node;
};

// ---------------------------------------------------------------------------------------------

describe('readXml', () => {
  it('decodes the five entities and numeric references in text and attributes', () => {
    const { root } = readXml(`<a k="&lt;&amp;&gt;" q='&quot;'>&lt;x&gt; &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;</a>`);
    assert.equal(textOf(root), `<x> & "q" 's' AB\u{1F600}`);
    assert.deepEqual(root.attrs, { k: '<&>', q: '"' });
  });

  it('reads nested elements, self-closing ones, comments, the declaration and CDATA', () => {
    const xml = `\uFEFF<?xml version="1.0"?>\n<!-- head -->\n<r>\n  <a x = "1"><b>one</b><c/></a>\n  <!-- inner -->\n  <d><![CDATA[<not a tag> &amp;]]></d>\n</r>\n<!-- tail -->\n`;
    const { root, truncated } = readXml(xml);
    assert.equal(truncated, false);
    assert.deepEqual(childElements(root).map((e) => e.name), ['a', 'd']);
    const a = childElements(root, 'a')[0];
    assert.deepEqual(a.attrs, { x: '1' });
    assert.equal(textOf(childElements(a, 'b')[0]), 'one');
    assert.deepEqual(childElements(a, 'c')[0].children, []);
    assert.equal(textOf(childElements(root, 'd')[0]), '<not a tag> &amp;');
  });

  it('names the source, line and column of a mismatched end tag, and where the open one started', () => {
    assert.throws(() => readXml('<r>\n  <b>\n  </c>\n</r>', 'run.xml'), {
      message: 'run.xml: end tag </c> does not match <b> opened at line 2, column 3 (offset 6) at line 3, column 3 (offset 12)',
    });
  });

  for (const [name, xml, expected] of [
    ['an unknown entity', '<r>&nbsp;</r>', /^x: unknown entity '&nbsp;' \(valid: &lt; &gt; &amp; &quot; &apos; &#N; &#xH;\) at line 1, column 4/],
    ['a bare ampersand', '<r>a & b</r>', /^x: unterminated entity '&' at line 1, column 6/],
    ['an invalid character reference', '<r>&#0;</r>', /^x: character reference '&#0;' is not a valid character/],
    ['text outside the root', 'junk<r/>', /^x: text outside the root element: 'junk' at line 1, column 1/],
    ['a second root', '<r/><s/>', /^x: a second root element <s> after <\/r>/],
    ['a DOCTYPE', '<!DOCTYPE r><r/>', /^x: unsupported markup '<!DOCTYPE r>'/],
    ['a late declaration', '<r><?xml version="1.0"?></r>', /^x: the <\?xml \.\.\.\?> declaration must be at the very start/],
    ['a repeated attribute', '<r a="1" a="2"/>', /^x: attribute 'a' repeated in <r>/],
    ['an unquoted attribute', '<r a=1/>', /^x: attribute 'a' of <r> needs a quoted value/],
    ['attributes without space', '<r a="1"b="2"/>', /^x: expected whitespace, '>' or '\/>' in <r>/],
    ['an end tag without start', '<r></r></s>', /^x: a second root|^x: end tag <\/s> without a start tag/],
    ['an empty input', '  \n', /^x: input is empty/],
    ['a name that is not one', '<1r/>', /^x: expected a name in start tag, found '1r\/>'/],
  ] as const) {
    it(`refuses ${name}`, () => assert.throws(() => readXml(xml, 'x'), { message: expected }));
  }

  it('refuses input cut inside an element, naming the element and where it opened', () => {
    assert.throws(() => readXml('<r>\n<a>1</a>\n<b>2', 'cut.xml'), {
      message: 'cut.xml: input ends before </b> (element opened at line 3, column 1 (offset 13); truncated?) at line 3, column 5 (offset 17)',
    });
    assert.throws(() => readXml('<r><a>1</a><b', 'cut.xml'), { message: /^cut\.xml: input ends inside start tag <b>|^cut\.xml: expected a name/ });
    assert.throws(() => readXml('<r><a x="1', 'cut.xml'), { message: /^cut\.xml: input ends inside start tag <a>.*truncated\?/ });
    assert.throws(() => readXml('<r><!-- c', 'cut.xml'), { message: /^cut\.xml: input ends inside comment .*truncated\?/ });
  });

  it('with allowTruncated returns the complete elements and marks the cut ones incomplete', () => {
    const { root, truncated } = readXml('<r><a>1</a><b><c>2</c><d>3', 'cut.xml', { allowTruncated: true });
    assert.equal(truncated, true);
    assert.equal(root.complete, false);
    assert.deepEqual(childElements(root).map((e) => e.name), ['a']);
    const b = el(root.children[1]);
    assert.equal(b.complete, false);
    assert.deepEqual(childElements(b).map((e) => e.name), ['c']);
    // cut inside a tag or a comment: the partial markup is dropped
    for (const cut of ['<r><a>1</a><b', '<r><a>1</a><b x="', '<r><a>1</a></', '<r><a>1</a><!-- c', '<r><a>1</a>&am']) {
      const r = readXml(cut, 'cut.xml', { allowTruncated: true });
      assert.equal(r.truncated, true, cut);
      assert.deepEqual(childElements(r.root).map((e) => e.name), ['a'], cut);
    }
  });

  it('refuses even with allowTruncated when the root never started, or the markup is malformed', () => {
    assert.throws(() => readXml('<?xml version="1.0"?>\n<valgr', 'cut.xml', { allowTruncated: true }), /before the root element/);
    assert.throws(() => readXml('', 'cut.xml', { allowTruncated: true }), { message: /^cut\.xml: input is empty/ });
    assert.throws(() => readXml('<r><a></b>', 'cut.xml', { allowTruncated: true }), /does not match <a>/);
  });
});

describe('parseMemcheckXml', () => {
  it('reads the XML valgrind wrote at SIGTERM: pid, status, signal, argv and the leak record', () => {
    const r = parseMemcheckXml(LOOP_XML, 'loop.xml');
    assert.equal(r.source, 'loop.xml');
    assert.equal(r.tool, 'memcheck');
    assert.equal(r.protocolVersion, 4);
    assert.equal(r.pid, 16561);
    assert.equal(r.status, 'FINISHED');
    assert.deepEqual(r.fatalSignal, { signo: 15, signame: 'SIGTERM' });
    assert.deepEqual(r.argv, ['./loop']);
    assert.equal(r.truncated, false);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.errorCounts, {});
    assert.equal(r.leaks.length, 1);
    const leak = r.leaks[0];
    assert.equal(leak.kind, 'definitely-lost');
    assert.equal(leak.bytes, 320);
    assert.equal(leak.blocks, 5);
    assert.equal(leak.bytesIncrease, undefined);
    assert.deepEqual(leak.stack[1], { ip: '0x1091A0', obj: '/tmp/mc/loop', fn: 'leak_one', dir: '/tmp/mc', file: 'loop.c', line: 4 });
    assert.deepEqual(leak.stack.map((f) => f.fn), ['malloc', 'leak_one', 'handle', 'main']);
    assert.match(leak.fingerprint, /^[0-9a-f]{12}$/);
    assert.equal(leak.label, 'definitely-lost at leak_one (loop.c:4) <- handle (loop.c:5) <- main (loop.c:10)');
  });

  it('decodes C++ names and counts non-leak errors by kind', () => {
    const r = parseMemcheckXml(CPP_XML, 'cpp.xml');
    assert.deepEqual(r.errorCounts, { InvalidRead: 1 });
    assert.equal(r.errors[0].what, 'Invalid read of size 4');
    assert.equal(r.errors[0].unique, '0x0');
    assert.deepEqual(r.errors[0].stack.map((f) => `${f.fn}:${f.line}`), ['main:9']);
    assert.deepEqual(
      r.leaks.map((l) => [l.kind, l.bytes, l.label]),
      [
        ['definitely-lost', 6, 'definitely-lost at main (cpp.cpp:8)'],
        [
          'definitely-lost',
          200,
          'definitely-lost at Box<std::map<int, std::vector<int, std::allocator<int> >, std::less<int>, std::allocator<std::pair<int const, std::vector<int, std::allocator<int> > > > > >::make() (cpp.cpp:5) <- main (cpp.cpp:7)',
        ],
      ],
    );
    assert.equal(r.leaks[1].stack[0].fn, 'operator new[](unsigned long)');
  });

  it('counts occurrences from <errorcounts> and reads <suppcounts>', () => {
    const xml = CPP_XML.replace('<count>1</count>', '<count>7</count>').replace(
      '<suppcounts>\n</suppcounts>',
      '<suppcounts>\n  <pair>\n    <count>3</count>\n    <name>accepted &amp; known</name>\n  </pair>\n</suppcounts>',
    );
    const r = parseMemcheckXml(xml);
    assert.deepEqual(r.errorCounts, { InvalidRead: 7 });
    assert.equal(r.errors[0].count, 7);
    assert.deepEqual(r.suppressed, [{ name: 'accepted & known', count: 3 }]);
  });

  it('refuses a file cut by SIGKILL, naming the source; allowTruncated returns what was complete', () => {
    const cut = LOOP_XML.slice(0, LOOP_XML.indexOf('<fatal_signal>'));
    assert.throws(() => parseMemcheckXml(cut, '/tmp/run/memcheck.xml'), {
      message: /^\/tmp\/run\/memcheck\.xml: input ends before <\/valgrindoutput> \(element opened at line 3, column 1 \(offset 23\); truncated\?\) at line 38/,
    });
    const r = parseMemcheckXml(cut, '/tmp/run/memcheck.xml', { allowTruncated: true });
    assert.equal(r.truncated, true);
    assert.equal(r.status, 'RUNNING');
    assert.equal(r.pid, 16561);
    assert.deepEqual(r.leaks, []);
  });

  it('drops a leak record cut in the middle and keeps the status before it', () => {
    const cut = LOOP_XML.slice(0, LOOP_XML.indexOf('<fn>handle</fn>') + 5);
    assert.throws(() => parseMemcheckXml(cut, 'm.xml'), { message: /^m\.xml: input ends before <\/fn>/ });
    const r = parseMemcheckXml(cut, 'm.xml', { allowTruncated: true });
    assert.equal(r.truncated, true);
    assert.equal(r.status, 'FINISHED');
    assert.deepEqual(r.fatalSignal, { signo: 15, signame: 'SIGTERM' });
    assert.deepEqual(r.leaks, []);
  });

  it('refuses other tools, other roots and content memcheck does not write', () => {
    assert.throws(() => parseMemcheckXml(LOOP_XML.replace('<protocoltool>memcheck<', '<protocoltool>helgrind<'), 'h.xml'), {
      message: "h.xml: <valgrindoutput> at line 3: output of valgrind tool 'helgrind', expected 'memcheck'",
    });
    assert.throws(() => parseMemcheckXml('<?xml version="1.0"?>\n<html></html>', 'page.html'), { message: /^page\.html: <html> at line 2: root element is <html>, expected <valgrindoutput>/ });
    assert.throws(() => parseMemcheckXml(LOOP_XML.replace('<leakedbytes>320<', '<leakedbytes>3x0<'), 'b.xml'), {
      message: "b.xml: <leakedbytes> at line 107: not a whole number: '3x0'",
    });
    assert.throws(() => parseMemcheckXml(LOOP_XML.replace('Leak_DefinitelyLost', 'Leak_Mystery'), 'k.xml'), { message: /^k\.xml: <error> at line 101: unknown leak kind 'Leak_Mystery' \(valid: Leak_DefinitelyLost, / });
    assert.throws(() => parseMemcheckXml(LOOP_XML.replace('<state>FINISHED<', '<state>DONE<'), 's.xml'), { message: /^s\.xml: <status> at line 96: state is 'DONE', expected RUNNING or FINISHED$/ });
    assert.throws(() => parseMemcheckXml(LOOP_XML.replace('<line>4</line>', '<line>four</line>'), 'l.xml'), { message: /^l\.xml: <line> at line 122: not a whole number: 'four'$/ });
  });
});

describe('fingerprints', () => {
  const stack = parseMemcheckXml(LOOP_XML).leaks[0].stack;

  it('ignore addresses, directories, object paths of named frames, thread ids and loss-record numbers', () => {
    const base = fingerprintLeak('definitely-lost', stack).fingerprint;
    const moved = stack.map((f) => ({ ...f, ip: '0xDEADBEEF', dir: '/elsewhere', obj: f.obj?.replace('/tmp/mc', '/opt/build') }));
    assert.equal(fingerprintLeak('definitely-lost', moved).fingerprint, base);
    const xml = LOOP_XML.replace(/0x1091A0/g, '0x2091A0').replace('<tid>1</tid>', '<tid>7</tid>').replace('<unique>0x4</unique>', '<unique>0x9</unique>').replace('loss record 1 of 2', 'loss record 2 of 2');
    assert.equal(parseMemcheckXml(xml).leaks[0].fingerprint, base);
    assert.equal(frameKey({ fn: 'f', file: 'a/b/c.c', line: 3, ip: '0x1' }), 'f|c.c|3');
  });

  it('change with the kind, a function, a file or (by default) a line', () => {
    const base = fingerprintLeak('definitely-lost', stack).fingerprint;
    assert.notEqual(fingerprintLeak('possibly-lost', stack).fingerprint, base);
    const edit = (i: number, change: Partial<StackFrame>): StackFrame[] => stack.map((f, j) => (j === i ? { ...f, ...change } : f));
    assert.notEqual(fingerprintLeak('definitely-lost', edit(2, { fn: 'handle2' })).fingerprint, base);
    assert.notEqual(fingerprintLeak('definitely-lost', edit(2, { file: 'other.c' })).fingerprint, base);
    const shifted = edit(1, { line: 5 });
    assert.notEqual(fingerprintLeak('definitely-lost', shifted).fingerprint, base);
    // lines: false keeps function + file only
    assert.equal(fingerprintLeak('definitely-lost', shifted, { lines: false }).fingerprint, fingerprintLeak('definitely-lost', stack, { lines: false }).fingerprint);
    assert.notEqual(fingerprintLeak('definitely-lost', stack, { lines: false }).fingerprint, base);
  });

  it('use the top N frames below the allocators (default 5)', () => {
    const deep = [MALLOC, ...Array.from({ length: 8 }, (_, i) => frame(`f${i}`, 'd.c', i + 1))];
    assert.deepEqual(siteFrames(deep).map((f) => f.fn), ['f0', 'f1', 'f2', 'f3', 'f4']);
    const differsAt = (i: number): StackFrame[] => deep.map((f, j) => (j === i ? { ...f, fn: 'changed' } : f));
    assert.equal(fingerprintLeak('definitely-lost', differsAt(6)).fingerprint, fingerprintLeak('definitely-lost', deep).fingerprint);
    assert.notEqual(fingerprintLeak('definitely-lost', differsAt(5)).fingerprint, fingerprintLeak('definitely-lost', deep).fingerprint);
    assert.equal(fingerprintLeak('definitely-lost', differsAt(3), { frames: 2 }).fingerprint, fingerprintLeak('definitely-lost', deep, { frames: 2 }).fingerprint);
    assert.throws(() => siteFrames(deep, { frames: 0 }), { message: 'fingerprint frames: expected a whole number >= 1, got 0' });
  });

  it('skip leading allocator frames: malloc & co, operator new, strdup, anything in vgpreload_memcheck, and extra names', () => {
    for (const fn of ['malloc', 'calloc', 'realloc', 'strdup', 'memalign', 'posix_memalign', 'aligned_alloc', 'operator new(unsigned long)', 'operator new[](unsigned long)', 'operator new(unsigned long, std::nothrow_t const&)', '_Znwm', '_Znam']) {
      assert.equal(isAllocatorFrame({ fn }), true, fn);
    }
    assert.equal(isAllocatorFrame({ fn: 'whatever', obj: '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so' }), true);
    assert.equal(isAllocatorFrame({ fn: 'mallocator' }), false);
    assert.equal(isAllocatorFrame({ fn: 'operator delete(void*)' }), false);
    assert.equal(isAllocatorFrame({ fn: 'xmalloc' }, ['xmalloc']), true);
    const viaStrdup = [MALLOC, frame('strdup', 'strdup.c', 42, { obj: '/usr/lib/x86_64-linux-gnu/libc.so.6' }), frame('main', 'cpp.cpp', 8)];
    assert.deepEqual(siteFrames(viaStrdup).map((f) => f.fn), ['main']);
    const wrapper = [MALLOC, frame('xmalloc', 'util.c', 3), frame('handler', 'srv.c', 9)];
    assert.deepEqual(siteFrames(wrapper).map((f) => f.fn), ['xmalloc', 'handler']);
    assert.deepEqual(siteFrames(wrapper, { allocators: ['xmalloc'] }).map((f) => f.fn), ['handler']);
    // an allocator below application code is not skipped: only the allocation chain on top is
    assert.deepEqual(siteFrames([MALLOC, frame('a', 'a.c', 1), frame('realloc')]).map((f) => f.fn), ['a', 'realloc']);
    // a stack of allocators only keeps them rather than fingerprint nothing
    assert.deepEqual(siteFrames([MALLOC]).map((f) => f.fn), ['malloc']);
  });

  it('fall back to the object base name for frames without a function, never to the address', () => {
    const a = [MALLOC, { ip: '0x1091C7', obj: '/tmp/mc/kw-nodebug' }, { ip: '0x10923B', obj: '/tmp/mc/kw-nodebug' }];
    const b = [MALLOC, { ip: '0x2000', obj: '/other/dir/kw-nodebug' }, { ip: '0x3000', obj: '/other/dir/kw-nodebug' }];
    assert.equal(fingerprintLeak('definitely-lost', a).fingerprint, fingerprintLeak('definitely-lost', b).fingerprint);
    assert.equal(frameKey(a[1]), 'obj:kw-nodebug');
    assert.equal(frameKey({ ip: '0x1' }), '???');
    assert.equal(fingerprintLeak('definitely-lost', a).label, 'definitely-lost at ??? (in kw-nodebug) <- ??? (in kw-nodebug)');
  });

  it('are 12 hex characters with a label like "KIND at fn (file:line) <- caller (file:line)"', () => {
    const r = fingerprintLeak('definitely-lost', [MALLOC, frame('leak_handler', '/src/server.c', 42), frame('handle', 'server.c', 88)]);
    assert.match(r.fingerprint, /^[0-9a-f]{12}$/);
    assert.equal(r.label, 'definitely-lost at leak_handler (server.c:42) <- handle (server.c:88)');
    assert.deepEqual(r.topFrames, [frame('leak_handler', '/src/server.c', 42), frame('handle', 'server.c', 88)]);
    assert.equal(fingerprintLeak('still-reachable', []).label, 'still-reachable at (no stack)');
  });

  it('have a scheme string that changes with the options', () => {
    assert.equal(fingerprintScheme(), 'leakgate-memcheck-v1 frames=5 lines=yes');
    assert.equal(fingerprintScheme({ frames: 3, lines: false, allocators: ['xmalloc', 'g_malloc'] }), 'leakgate-memcheck-v1 frames=3 lines=no allocators=g_malloc,xmalloc');
  });
});

describe('mergeSites', () => {
  it('merges records of one site that differ only below the top frames, summing bytes, blocks and increases', () => {
    const top = [MALLOC, frame('leak_one', 'loop.c', 4), frame('handle', 'loop.c', 5), frame('a', 'x.c', 1), frame('b', 'x.c', 2), frame('c', 'x.c', 3)];
    const r1 = record('definitely-lost', [...top, frame('deep1', 'x.c', 9)], 64, 1, { bytesIncrease: 64, blocksIncrease: 1 });
    const r2 = record('definitely-lost', [...top, frame('deep2', 'x.c', 9)], 128, 2, { bytesIncrease: 128, blocksIncrease: 2 });
    const other = record('definitely-lost', [MALLOC, frame('other', 'o.c', 1)], 1000, 1);
    const reach = record('still-reachable', [MALLOC, frame('init', 'o.c', 2)], 5000, 1);
    assert.equal(r1.fingerprint, r2.fingerprint);
    const sites = mergeSites([reach, r1, other, r2]);
    assert.deepEqual(sites.map((s) => [s.kind, s.bytes, s.blocks, s.records]), [
      ['definitely-lost', 1000, 1, 1],
      ['definitely-lost', 192, 3, 2],
      ['still-reachable', 5000, 1, 1],
    ]);
    const merged = sites[1];
    assert.equal(merged.fingerprint, r1.fingerprint);
    assert.equal(merged.bytesIncrease, 192);
    assert.equal(merged.blocksIncrease, 3);
    assert.deepEqual(merged.topFrames.map((f) => f.fn), ['leak_one', 'handle', 'a', 'b', 'c']);
    assert.equal(merged.stack[0].fn, 'malloc');
    assert.equal(merged.stack[0].ip, undefined, 'sites carry no addresses');
    assert.equal(sites[0].bytesIncrease, undefined);
  });
});

describe('compareSites', () => {
  const a = mergeSites([record('definitely-lost', [MALLOC, frame('a', 'a.c', 1)])])[0];
  const b = mergeSites([record('definitely-lost', [MALLOC, frame('b', 'b.c', 2)])])[0];
  const c = mergeSites([record('definitely-lost', [MALLOC, frame('c', 'c.c', 3)])])[0];
  const r = mergeSites([record('still-reachable', [MALLOC, frame('r', 'r.c', 4)])])[0];

  it('splits new, known and fixed sites against baseline fingerprints', () => {
    const cmp = compareSites([a, c, r], [a.fingerprint, b.fingerprint, r.fingerprint]);
    assert.deepEqual(cmp.newSites.map((s) => s.fingerprint), [c.fingerprint]);
    assert.deepEqual(cmp.knownSites.map((s) => s.fingerprint), [a.fingerprint, r.fingerprint]);
    assert.deepEqual(cmp.fixedSites, [{ fingerprint: b.fingerprint }]);
  });

  it('takes a previous report\'s sites, reports fixed ones with their label, and filters by kind', () => {
    const cmp = compareSites([a, c, r], [b, a, a], { kinds: ['definitely-lost'] });
    assert.deepEqual(cmp.newSites.map((s) => s.label), ['definitely-lost at c (c.c:3)']);
    assert.deepEqual(cmp.knownSites.map((s) => s.label), ['definitely-lost at a (a.c:1)']);
    assert.equal(cmp.fixedSites.length, 1);
    assert.equal(cmp.fixedSites[0].label, 'definitely-lost at b (b.c:2)');
    // a still-reachable site in the baseline is not "fixed" when only definite leaks are compared
    const onlyDefinite = compareSites([a], [r], { kinds: ['definitely-lost'] });
    assert.deepEqual(onlyDefinite.fixedSites, []);
    assert.deepEqual(onlyDefinite.newSites.map((s) => s.fingerprint), [a.fingerprint]);
  });

  it('refuses a baseline entry without a fingerprint', () => {
    assert.throws(() => compareSites([a], [{ label: 'x' } as never]), { message: 'baseline leak sites: an entry has no fingerprint: {"label":"x"}' });
  });
});

describe('parseVgdbLeakCheck', () => {
  it('reads loss records with their (+N) increases and the LEAK SUMMARY', () => {
    const first = parseVgdbLeakCheck(LOOP_VGDB_1, 'vgdb');
    assert.equal(first.pid, 16561);
    assert.equal(first.noLeaks, false);
    assert.deepEqual(first.records.map((r) => [r.kind, r.bytes, r.bytesIncrease, r.blocks, r.blocksIncrease]), [
      ['definitely-lost', 128, 128, 2, 2],
      ['still-reachable', 4096, 4096, 1, 1],
    ]);
    const second = parseVgdbLeakCheck(LOOP_VGDB_2, 'vgdb');
    assert.deepEqual(second.records.map((r) => [r.kind, r.bytes, r.bytesIncrease, r.blocks, r.blocksIncrease]), [['definitely-lost', 320, 192, 5, 3]]);
    assert.deepEqual(second.records[0].stack[1], { ip: '0x1091A0', fn: 'leak_one', file: 'loop.c', line: 4 });
    assert.deepEqual(second.records[0].stack[0], { ip: '0x48417B4', fn: 'malloc', obj: '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so' });
    assert.deepEqual(second.summary, {
      'definitely-lost': { bytes: 320, blocks: 5, bytesIncrease: 192, blocksIncrease: 3 },
      'indirectly-lost': { bytes: 0, blocks: 0, bytesIncrease: 0, blocksIncrease: 0 },
      'possibly-lost': { bytes: 0, blocks: 0, bytesIncrease: 0, blocksIncrease: 0 },
      'still-reachable': { bytes: 4096, blocks: 1, bytesIncrease: 0, blocksIncrease: 0 },
      suppressed: { bytes: 0, blocks: 0, bytesIncrease: 0, blocksIncrease: 0 },
    });
  });

  it('gives a site the same fingerprint as the XML of the same run (C and C++)', () => {
    const xmlLeak = parseMemcheckXml(LOOP_XML).leaks[0];
    const vgdbLeak = parseVgdbLeakCheck(LOOP_VGDB_2).records[0];
    assert.equal(vgdbLeak.fingerprint, xmlLeak.fingerprint);
    assert.equal(vgdbLeak.label, xmlLeak.label);
    assert.equal(parseVgdbLeakCheck(LOOP_VGDB_2, 'v', { fingerprint: { lines: false } }).records[0].fingerprint, parseMemcheckXml(LOOP_XML, 'x', { fingerprint: { lines: false } }).leaks[0].fingerprint);
    const cppXml = parseMemcheckXml(CPPW_XML).leaks.find((l) => l.kind === 'definitely-lost');
    const cppVgdb = parseVgdbLeakCheck(CPPW_VGDB).records.find((l) => l.kind === 'definitely-lost');
    assert.ok(cppXml && cppVgdb);
    assert.equal(cppVgdb.stack[0].fn, 'operator new[](unsigned long)');
    assert.match(cppVgdb.stack[1].fn ?? '', /^Box<std::map<int, .*>::make\(\)$/);
    assert.equal(cppVgdb.stack[1].fn, cppXml.stack[1].fn);
    assert.equal(cppVgdb.fingerprint, cppXml.fingerprint);
    // and the still-reachable libstdc++ pool, whose frames include ???, parses too
    const pool = parseVgdbLeakCheck(CPPW_VGDB).records.find((l) => l.bytes === 72704);
    assert.deepEqual(pool?.stack[1], { ip: '0x49007B9', obj: '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30' });
  });

  it('reads the (direct, indirect) split of a definitely-lost record as its total', () => {
    const r = parseVgdbLeakCheck(KW_VGDB_2, 'kw');
    assert.deepEqual(r.records.map((x) => [x.label, x.bytes, x.bytesIncrease, x.blocks, x.blocksIncrease]), [
      ['indirectly-lost at indirect (kw.c:6) <- main (kw.c:10)', 120, 80, 3, 2],
      ['definitely-lost at possible (kw.c:7) <- main (kw.c:10)', 128, 128, 2, 2],
      ['definitely-lost at indirect (kw.c:6) <- main (kw.c:10)', 144, 96, 3, 2],
      ['definitely-lost at definite (kw.c:5) <- main (kw.c:10)', 300, 200, 3, 2],
    ]);
    assert.equal(r.summary?.['definitely-lost']?.bytes, 452);
  });

  it("totals the kinds as valgrind's LEAK SUMMARY: a definitely-lost record counts its direct bytes only", () => {
    const r = parseVgdbLeakCheck(KW_VGDB_2, 'kw');
    assert.equal(r.records.find((x) => x.bytes === 144)?.indirectBytes, 120);
    const totals = memcheckTotals(mergeSites(r.records));
    assert.equal(totals.definitelyLostBytes, r.summary?.['definitely-lost']?.bytes);
    assert.equal(totals.indirectlyLostBytes, r.summary?.['indirectly-lost']?.bytes);
  });

  it('reads ??? frames of a stripped binary as object-only frames; their sites collapse into one', () => {
    const r = parseVgdbLeakCheck(KW_NODEBUG_VGDB_2, 'nodebug');
    assert.equal(r.pid, 7091);
    assert.deepEqual(r.records[1].stack.slice(1), [
      { ip: '0x1091C7', obj: '/tmp/mc/kw-nodebug' },
      { ip: '0x10923B', obj: '/tmp/mc/kw-nodebug' },
      { ip: '0x4882249', fn: '(below main)', file: 'libc_start_call_main.h', line: 58 },
    ]);
    const definite = mergeSites(r.records).filter((s) => s.kind === 'definitely-lost');
    assert.equal(definite.length, 1, 'without symbols three definite sites are indistinguishable');
    assert.equal(definite[0].records, 3);
  });

  it('reports "no leaks are possible", ignoring other lines', () => {
    const r = parseVgdbLeakCheck(NO_LEAKS_VGDB);
    assert.equal(r.noLeaks, true);
    assert.deepEqual(r.records, []);
    assert.equal(r.summary, undefined);
  });

  it('reads text without the ==PID== prefixes and with directories in file names', () => {
    const text = LOOP_VGDB_2.replace(/^==16561== ?/gm, '').replace('(loop.c:4)', '(/home/u/src/loop.c:4)');
    const r = parseVgdbLeakCheck(text);
    assert.equal(r.pid, undefined);
    assert.deepEqual(r.records[0].stack[1], { ip: '0x1091A0', fn: 'leak_one', dir: '/home/u/src', file: 'loop.c', line: 4 });
    assert.equal(r.records[0].fingerprint, parseVgdbLeakCheck(LOOP_VGDB_2).records[0].fingerprint);
  });

  it('refuses malformed loss records and summary lines, naming the line, and text with no leak check', () => {
    assert.throws(() => parseVgdbLeakCheck(LOOP_VGDB_2.replace('are definitely lost', 'are probably lost'), 'vgdb --pid=1'), {
      message: "vgdb --pid=1: malformed loss record at line 1: '==16561== 320 (+192) bytes in 5 (+3) blocks are probably lost in loss record 1 of 2'",
    });
    assert.throws(() => parseVgdbLeakCheck(LOOP_VGDB_2.replace('definitely lost: 320 (+192) bytes', 'definitely lost: lots of bytes'), 'v'), { message: /^v: malformed LEAK SUMMARY line at line 8: / });
    assert.throws(() => parseVgdbLeakCheck('vgdb error: no FIFO found matching pid 6100\n', 'v'), { message: /^v: no leak check output \(expected loss records, 'LEAK SUMMARY:' or 'All heap blocks were freed -- no leaks are possible'\): 'vgdb error: no FIFO/ });
  });

  it('passes vgdb an argument array, never a shell string', () => {
    assert.deepEqual(vgdbLeakCheckArgs(42), ['--pid=42', 'leak_check', 'full', 'reachable', 'increased']);
    assert.deepEqual(vgdbLeakCheckArgs(42, 5), ['--wait=5', '--pid=42', 'leak_check', 'full', 'reachable', 'increased']);
  });
});

describe('suppressions', () => {
  it('parses entries with comments, match-leak-kinds, Param lines, wildcards and "..."', () => {
    const text = [
      '# accepted leaks',
      '{',
      '   cache-init',
      '   Memcheck:Leak',
      '   match-leak-kinds: definite,possible',
      '   fun:malloc',
      '   ...',
      '   fun:cache_*',
      '}',
      '',
      '{',
      '   <insert_a_suppression_name_here>',
      '   Memcheck:Param',
      '   write(buf)',
      '   obj:/usr/lib/libz.so*',
      '}',
      '{',
      '  all-kinds',
      '  Memcheck:Leak',
      '  match-leak-kinds: all',
      '  src:a.c:12',
      '}',
    ].join('\n');
    const entries = parseSuppressionFile(text, 'app.supp');
    assert.deepEqual(entries[0], { name: 'cache-init', tools: ['Memcheck'], kind: 'Leak', leakKinds: ['definitely-lost', 'possibly-lost'], frames: ['fun:malloc', '...', 'fun:cache_*'], line: 2 });
    assert.deepEqual(entries[1], { name: '<insert_a_suppression_name_here>', tools: ['Memcheck'], kind: 'Param', param: 'write(buf)', frames: ['obj:/usr/lib/libz.so*'], line: 11 });
    assert.deepEqual(entries[2].leakKinds, ['definitely-lost', 'indirectly-lost', 'possibly-lost', 'still-reachable']);
    assert.deepEqual(parseSuppressionFile('# nothing\n\n'), []);
  });

  for (const [name, text, expected] of [
    ['text outside an entry', 'cache\n{\n', "app.supp: line 1: expected '{' to start a suppression: 'cache'"],
    ['a bad location', '{\n x\n Memcheck:Leak\n bogus:foo\n}', "app.supp: line 4: location should be '...', or start with 'fun:', 'obj:' or 'src:': 'bogus:foo'"],
    ['a missing Tool:Kind', '{\n x\n fun:malloc\n}', "app.supp: line 3: expected 'Tool:Kind', e.g. 'Memcheck:Leak': 'fun:malloc'"],
    ['an entry without locations', '{\n x\n Memcheck:Leak\n}', "app.supp: line 4: suppression 'x' has no location lines: '}'"],
    ['an unknown leak kind', '{\n x\n Memcheck:Leak\n match-leak-kinds: definite,lost\n fun:f\n}', "app.supp: line 4: unknown leak kind 'lost' (valid: definite, indirect, possible, reachable, or all, none): 'match-leak-kinds: definite,lost'"],
    ['a file cut inside an entry', '{\n x\n Memcheck:Leak\n fun:malloc\n', "app.supp: line 6: file ends inside the suppression opened at line 1, expected a location or '}'"],
    ['a missing name', '{\n}\n', "app.supp: line 2: expected the suppression name: '}'"],
  ] as const) {
    it(`refuses ${name}`, () => assert.throws(() => parseSuppressionFile(text, 'app.supp'), { message: expected }));
  }

  it('generates a Memcheck:Leak block for a C site that parses back', () => {
    const site = mergeSites(parseMemcheckXml(LOOP_XML).leaks)[0];
    const text = generateSuppression(site, 'leakgate-accepted-loop');
    assert.equal(
      text,
      [
        `# definitely-lost at leak_one (loop.c:4) <- handle (loop.c:5) <- main (loop.c:10) [leakgate ${site.fingerprint}]`,
        '{',
        '   leakgate-accepted-loop',
        '   Memcheck:Leak',
        '   match-leak-kinds: definite',
        '   fun:malloc',
        '   fun:leak_one',
        '   fun:handle',
        '   fun:main',
        '}',
        '',
      ].join('\n'),
    );
    assert.deepEqual(parseSuppressionFile(text)[0].frames, ['fun:malloc', 'fun:leak_one', 'fun:handle', 'fun:main']);
    assert.deepEqual(parseSuppressionFile(generateSuppression(site, 'x', { frames: 1 }))[0].frames, ['fun:malloc', 'fun:leak_one']);
  });

  it('writes demangled C++ frames as src:file:line and operator new as a mangled wildcard', () => {
    const sites = mergeSites(parseMemcheckXml(CPP_XML).leaks);
    const box = sites.find((s) => s.bytes === 200);
    const dup = sites.find((s) => s.bytes === 6);
    assert.ok(box && dup);
    assert.deepEqual(parseSuppressionFile(generateSuppression(box, 'box'))[0].frames, ['fun:_Zna*', 'src:cpp.cpp:5', 'fun:main']);
    assert.deepEqual(parseSuppressionFile(generateSuppression(dup, 'dup'))[0].frames, ['fun:malloc', 'fun:strdup', 'fun:main']);
    assert.equal(locationLine({ fn: 'operator new(unsigned long)' }), 'fun:_Znw*');
    assert.equal(locationLine({ fn: 'ns::f(int)' }), 'fun:*');
    assert.equal(locationLine({ obj: '/tmp/mc/kw-nodebug', ip: '0x1' }), 'obj:/tmp/mc/kw-nodebug');
    assert.equal(locationLine({ fn: '(below main)' }), 'fun:(below main)');
    assert.equal(locationLine({}), '...');
  });

  it('refuses a name that would break the block', () => {
    const site = mergeSites(parseMemcheckXml(LOOP_XML).leaks)[0];
    for (const bad of ['', '  ', 'two\nlines', '}']) {
      assert.throws(() => generateSuppression(site, bad), { message: /^suppression name: expected one non-empty line other than '\{' or '\}', got/ });
    }
  });
});
