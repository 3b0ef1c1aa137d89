// The kernel log's OOM kills, on lines as Linux prints them (dmesg and /dev/kmsg forms, 4.19+ and older kernels),
// and the OOM diagnosis they feed when no cgroup counter is readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oomKillsOf, parseKernelOomKills, readKernelLog } from '../../src/sample/kernel-log.js';
import { diagnoseOom } from '../../src/sample/oom.js';

// Copied from this machine's dmesg and /dev/kmsg (a leakgate OOM run), and from a 4.15 kernel (Ubuntu 18.04).
const DMESG = [
  '[  306.654190] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/leakgate/ev-1,task_memcg=/leakgate/ev-1,task=node,pid=4512,uid=0',
  '[  306.654224] Memory cgroup out of memory: Killed process 4512 (node) total-vm:1111268kB, anon-rss:97144kB, file-rss:41492kB, shmem-rss:0kB, UID:0 pgtables:732kB oom_score_adj:0',
  '[  657.991534] Out of memory: Killed process 8746 (python3) total-vm:985632kB, anon-rss:64768kB, file-rss:33816kB, shmem-rss:0kB, UID:1001 pgtables:572kB oom_score_adj:0',
].join('\n');
const KMSG = [
  '6,655,789769838,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/leakgate/ev-2,task_memcg=/leakgate/ev-2,task=node,pid=9380,uid=0',
  '3,656,789769903,-;Memory cgroup out of memory: Killed process 9380 (node) total-vm:1111372kB, anon-rss:97248kB, file-rss:41536kB, shmem-rss:0kB, UID:0 pgtables:720kB oom_score_adj:0',
  '6,657,789770001,-;oom_reaper: reaped process 9380 (node), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
].join('\n');
const OLD_KERNEL = [
  '[ 5012.345678] Memory cgroup out of memory: Kill process 2211 (java) score 1000 or sacrifice child',
  '[ 5012.346001] Killed process 2211 (java) total-vm:4012345kB, anon-rss:1048576kB, file-rss:12345kB, shmem-rss:0kB',
].join('\n');

test('reads the pid, the name, cgroup or machine, and the time of each OOM kill in dmesg output', () => {
  const kills = parseKernelOomKills(DMESG);
  assert.deepEqual(
    kills.map((k) => [k.pid, k.comm, k.cgroup, k.atUs]),
    [
      [4512, 'node', true, 306_654_224],
      [8746, 'python3', false, 657_991_534],
    ],
  );
  assert.match(kills[0]!.message, /^Memory cgroup out of memory: Killed process 4512 \(node\) total-vm/);
});

test('reads /dev/kmsg records, whose timestamp is microseconds', () => {
  assert.deepEqual(
    parseKernelOomKills(KMSG).map((k) => [k.pid, k.comm, k.cgroup, k.atUs]),
    [[9380, 'node', true, 789_769_903]],
    'the oom-kill: summary and the oom_reaper line are not kills of their own',
  );
});

test("an older kernel's 'Kill process ... sacrifice child' and its 'Killed process' are one kill", () => {
  const kills = parseKernelOomKills(OLD_KERNEL);
  assert.deepEqual(kills.map((k) => [k.pid, k.comm]), [[2211, 'java']]);
  assert.match(kills[0]!.message, /^Killed process 2211/);
});

test("only the app's pids count, from when it started", () => {
  const kills = parseKernelOomKills(`${DMESG}\n${KMSG}`);
  assert.deepEqual(oomKillsOf(kills, new Set([9380, 4512]), 500e6).map((k) => k.pid), [9380], '4512 was killed before this app started');
  assert.deepEqual(oomKillsOf(kills, new Set([1234]), 0), []);
});

test('a SIGKILL the kernel log names as an OOM kill is one; an unreadable log is said, not hidden', () => {
  const message = parseKernelOomKills(KMSG)[0]!.message;
  const base = { exitSignal: 'SIGKILL', exitCode: null, oomKillsBefore: null, oomKillsAfter: null } as const;
  const seen = diagnoseOom({ ...base, kernelMessages: [message] });
  assert.equal(seen.oom, true);
  assert.match(seen.evidence, /^OOM kill: the app was killed by SIGKILL and the kernel log says 'Memory cgroup out of memory: Killed process 9380 \(node\)/);
  const none = diagnoseOom({ ...base, kernelMessages: [] });
  assert.deepEqual(none, { oom: false, evidence: 'the app was killed by SIGKILL, which is what the OOM killer sends, but no cgroup oom_kill counter was readable and the kernel log names no OOM kill of it: cannot tell' });
  const unreadable = diagnoseOom({ ...base, kernelLogError: '/dev/kmsg: EACCES: permission denied' });
  assert.equal(unreadable.oom, false);
  assert.match(unreadable.evidence, /no cgroup oom_kill counter was readable and the kernel log was not readable \(\/dev\/kmsg: EACCES: permission denied\): cannot tell$/);
});

test('an unreadable kernel log is an error naming what was tried, not a throw', async () => {
  const log = await readKernelLog({ kmsgPath: '/nonexistent/kmsg', dmesg: '/nonexistent/dmesg' });
  assert.ok('error' in log);
  assert.match(log.error, /^\/nonexistent\/kmsg: ENOENT.*; \/nonexistent\/dmesg: .*ENOENT/);
});

test("this machine's kernel log reads and parses (skips where it is not readable)", async (t) => {
  const log = await readKernelLog();
  if ('error' in log) return t.skip(`the kernel log is not readable here: ${log.error}`);
  assert.ok(log.text.length > 0, 'the kernel log has records since boot');
  // Every kill parsed has a pid and a time on the boot clock, not in the future.
  const nowUs = Number(process.hrtime.bigint() / 1000n);
  for (const k of parseKernelOomKills(log.text)) assert.ok(k.pid > 0 && k.atUs !== null && k.atUs <= nowUs, JSON.stringify(k));
});
