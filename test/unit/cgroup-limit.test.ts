import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryCgroupPath, parseLimit } from '../../src/sample/cgroup-limit.js';

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
