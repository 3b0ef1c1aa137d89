import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseMemoryLimit, memoryCgroupPath, parseLimit } from '../../src/sample/cgroup-limit.js';

test('finds the memory controller path in v1 and the unified path in v2', () => {
  assert.deepEqual(memoryCgroupPath('12:pids:/x\n4:memory:/ci/job1\n0::/ignored\n'), { version: 1, path: '/ci/job1' });
  assert.deepEqual(memoryCgroupPath('0::/system.slice/runner.service\n'), { version: 2, path: '/system.slice/runner.service' });
  assert.equal(memoryCgroupPath('3:cpu:/a\n'), null);
});

test('reads limits, and no limit as null', () => {
  assert.equal(parseLimit('536870912\n'), 536870912);
  assert.equal(parseLimit('max\n'), null);
  assert.equal(parseLimit('9223372036854771712\n'), null);
  assert.equal(parseLimit('garbage'), null);
});

test('the projection aims at memory-limit, else the fresh cgroup limit, else the inherited cgroup, and says which', async () => {
  let reads = 0;
  const inherited = async () => {
    reads++;
    return 2 * 1024 ** 3;
  };
  assert.deepEqual(await chooseMemoryLimit({ memoryLimit: 512 * 1024 ** 2, cgroup: { limit: 96 * 1024 ** 2 } }, inherited), { bytes: 512 * 1024 ** 2, source: 'memory-limit' });
  assert.deepEqual(await chooseMemoryLimit({ cgroup: { limit: 96 * 1024 ** 2 } }, inherited), { bytes: 96 * 1024 ** 2, source: 'cgroup.limit' });
  assert.equal(reads, 0, 'the own cgroup is not read when a limit was configured');
  assert.deepEqual(await chooseMemoryLimit({ cgroup: {} }, inherited), { bytes: 2 * 1024 ** 3, source: 'inherited cgroup' });
  assert.equal(await chooseMemoryLimit({ cgroup: {} }, async () => null), null);
});
