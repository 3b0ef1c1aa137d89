// The preload that gives cluster workers inspector ports the kernel picks: how it joins NODE_OPTIONS, and what it
// sets on a cluster primary (run here in-process through the same code node would require).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { clusterPreloadPath, withClusterPreload } from '../../src/runtime/cluster-preload.js';

test('the preload joins NODE_OPTIONS after the options already there, quoted when its path has a space', () => {
  assert.equal(withClusterPreload('', '/tmp/p/x.cjs'), '--require=/tmp/p/x.cjs');
  assert.equal(withClusterPreload('--inspect=127.0.0.1:0', '/tmp/p/x.cjs'), '--inspect=127.0.0.1:0 --require=/tmp/p/x.cjs');
  assert.equal(withClusterPreload('--max-old-space-size=64', '/tmp/a b/x.cjs'), '--max-old-space-size=64 --require "/tmp/a b/x.cjs"');
});

test('the preload file sets a primary\'s cluster inspectPort to 0 unless the app set one', () => {
  const path = clusterPreloadPath();
  assert.equal(clusterPreloadPath(), path, 'written once per process');
  const source = readFileSync(path, 'utf8');
  const run = (settings: Record<string, unknown>, isPrimary: boolean): Record<string, unknown> => {
    const cluster = { isPrimary, settings };
    new Function('require', source)((name: string) => {
      assert.equal(name, 'node:cluster');
      return cluster;
    });
    return cluster.settings;
  };
  assert.deepEqual(run({}, true), { inspectPort: 0 });
  assert.deepEqual(run({ inspectPort: 9300 }, true), { inspectPort: 9300 }, "the app's own port is kept");
  assert.deepEqual(run({}, false), {}, 'workers leave it alone');
});
