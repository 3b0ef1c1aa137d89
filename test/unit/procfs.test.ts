// The /proc parsers on files captured from a real Linux machine (test/fixtures/procfs/), plus the
// malformed input they must refuse with a message naming the file and the problem.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSmapsRollup, parseStat, parseStatus } from '../../src/sample/procfs.js';

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
