// The target stage on real processes: readiness by URL, port and log line; the failure messages;
// and teardown of whole trees, including processes that ignore SIGTERM or leave the group.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MeasureError } from '../../src/core/errors.js';
import { findGroupMembers, findMarkedProcesses, startTarget, stopTarget, waitReady, type Target, type TargetSpec } from '../../src/target/index.js';
import { readProcStat } from '../../src/target/marked-processes.js';

const NODE = process.execPath;
const started: Target[] = [];
const markers: string[] = [];

function newMarker(): string {
  const marker = `leakgate-test-${process.pid}-${markers.length}-${randomBytes(4).toString('hex')}`;
  markers.push(marker);
  return marker;
}

function start(command: string[] | string, spec: Partial<TargetSpec> = {}): Target {
  const target = startTarget({ command, shell: false, cwd: process.cwd(), env: {}, ...spec }, { marker: newMarker() });
  started.push(target);
  return target;
}

/** A Node one-liner as an argument array: no shell, no quoting. */
const nodeApp = (code: string): string[] => [NODE, '-e', code];

/** Resolves with the first line matching `re`, including lines already printed. */
function lineMatching(target: Target, re: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const off = target.onLine((line) => {
      if (re.test(line)) {
        off();
        resolve(line);
      }
    });
    const seen = target.tail().find((line) => re.test(line));
    if (seen !== undefined) {
      off();
      resolve(seen);
    }
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Alive and not a zombie. */
async function alive(pid: number): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

afterEach(async () => {
  for (const target of started.splice(0)) await stopTarget(target, { graceMs: 1000 });
  for (const marker of markers.splice(0)) {
    assert.deepEqual(await findMarkedProcesses(marker), [], `processes with marker ${marker} remain`);
  }
});

describe('waitReady', () => {
  it('waits for a URL to answer below 500, polling past refused connections and 503s', async () => {
    const port = await freePort();
    const target = start(
      nodeApp(`
        const http = require('http');
        let n = 0;
        const server = http.createServer((req, res) => {
          n += 1;
          res.statusCode = n < 3 ? 503 : 200;
          res.end(String(n));
        });
        setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1'), 200);
      `),
      { env: { PORT: String(port) } },
    );
    await waitReady(target, { url: `http://127.0.0.1:${port}/health`, timeoutMs: 5000 });
    // Had a 503 counted as ready, this would be the server's second answer, also a 503.
    const after = await get(`http://127.0.0.1:${port}/`);
    assert.equal(after.status, 200);
    assert.ok(Number(after.body) >= 4, `expected at least 3 probe requests before ours, got body ${after.body}`);
  });

  it('waits for a TCP port to accept connections', async () => {
    const port = await freePort();
    const target = start(
      nodeApp(`
        setTimeout(() => require('net').createServer((s) => s.end()).listen(Number(process.env.PORT), '127.0.0.1',
          () => console.log('listening')), 200);
      `),
      { env: { PORT: String(port) } },
    );
    await waitReady(target, { port, timeoutMs: 5000 });
    assert.equal(target.hasExited(), false);
  });

  it('waits for a line of output matching a regex, on stdout or stderr', async () => {
    const target = start(nodeApp(`console.log('booting'); setTimeout(() => console.error('Server ready on port 1234'), 100); setInterval(() => {}, 1000);`));
    await waitReady(target, { log: 'ready on port \\d+', timeoutMs: 5000 });
    assert.deepEqual(target.tail(), ['booting', 'Server ready on port 1234']);
  });

  it('counts lines printed before waitReady was called', async () => {
    const target = start(nodeApp(`console.log('READY NOW'); setInterval(() => {}, 1000);`));
    await lineMatching(target, /READY NOW/);
    await waitReady(target, { log: '^READY NOW$', timeoutMs: 1000 });
  });

  it('times out within the timeout when the app never becomes ready, quoting its last lines', async () => {
    const port = await freePort();
    const target = start(nodeApp(`let i = 0; setInterval(() => console.log('tick ' + i++), 20);`));
    await lineMatching(target, /tick 2/);
    const t0 = Date.now();
    await assert.rejects(waitReady(target, { port, timeoutMs: 1000 }), (err: unknown) => {
      const elapsed = Date.now() - t0;
      assert.ok(err instanceof MeasureError, String(err));
      assert.match(err.message, /did not become ready within 1 s/);
      assert.match(err.message, new RegExp(`TCP connection to 127\\.0\\.0\\.1:${port} \\(last attempt: ECONNREFUSED\\)`));
      assert.match(err.message, /still running/);
      assert.match(err.message, /Its last lines of output \(20\):\n {2}\| tick \d+/);
      assert.equal(err.message.match(/\| tick/g)?.length, 20);
      assert.ok(elapsed >= 950 && elapsed < 1600, `rejected after ${elapsed} ms`);
      return true;
    });
  });

  it('fails at once when the app exits before it is ready, with its exit code and last lines', async () => {
    const target = start(nodeApp(`console.log('starting'); console.error('fatal: config file missing'); process.exit(3);`));
    const t0 = Date.now();
    await assert.rejects(waitReady(target, { log: 'never printed', timeoutMs: 10_000 }), (err: unknown) => {
      assert.ok(err instanceof MeasureError, String(err));
      assert.match(err.message, /exited before it became ready: exit code 3\./);
      assert.match(err.message, /waiting up to 10 s for a line of output matching \/never printed\//);
      assert.match(err.message, /\| starting\n {2}\| fatal: config file missing/);
      return true;
    });
    assert.ok(Date.now() - t0 < 2000);
    assert.deepEqual(await stopTarget(target, { graceMs: 1000 }), { code: 3, signal: null, early: true });
  });

  it('stops waiting when its abort signal fires', async () => {
    const target = start(nodeApp(`setInterval(() => console.log('tick'), 20);`));
    const abort = new AbortController();
    target.onLine(() => abort.abort(new MeasureError('cancelled by the user')));
    await assert.rejects(waitReady(target, { url: 'http://127.0.0.1:9/', timeoutMs: 10_000 }, { signal: abort.signal }), /cancelled by the user/);
  });
});

describe('startTarget', () => {
  it('reports a missing executable as a MeasureError, not an error event', () => {
    const marker = newMarker();
    assert.throws(
      () => startTarget({ command: ['nodex-leakgate-missing'], shell: false, cwd: process.cwd(), env: {} }, { marker }),
      (err: unknown) => err instanceof MeasureError && /could not start the app .*'nodex-leakgate-missing' was not found on PATH/.test(err.message),
    );
  });

  it('reports a file that is not executable, and a missing working directory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'leakgate-target-'));
    try {
      writeFileSync(path.join(dir, 'app.sh'), '#!/bin/sh\necho hi\n');
      chmodSync(path.join(dir, 'app.sh'), 0o644);
      assert.throws(
        () => startTarget({ command: ['./app.sh'], shell: false, cwd: dir, env: {} }, { marker: newMarker() }),
        (err: unknown) => err instanceof MeasureError && /'\.\/app\.sh' is not executable/.test(err.message),
      );
      assert.throws(
        () => startTarget({ command: [NODE], shell: false, cwd: path.join(dir, 'nope'), env: {} }, { marker: newMarker() }),
        (err: unknown) => err instanceof MeasureError && /working directory '.*nope' does not exist/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes arguments verbatim without a shell, and sets the marker in the environment', async () => {
    const target = start([NODE, '-e', 'console.log(JSON.stringify([process.argv[1], process.env.LEAKGATE_RUN_ID]))', '$HOME; echo `id`']);
    const status = await target.exited;
    assert.deepEqual(status, { code: 0, signal: null });
    await target.outputEnded;
    assert.deepEqual(JSON.parse(target.tail()[0] ?? 'null'), ['$HOME; echo `id`', target.marker]);
    assert.equal(target.pgid, target.pid);
  });

  it('runs a string command with /bin/sh -c when shell is true, in cwd, with env merged', async () => {
    const cwd = realpathSync(os.tmpdir());
    const target = start('echo "hello $GREETING from $(pwd) path=${PATH:+set}"; exec sleep 1000', {
      shell: true,
      cwd,
      env: { GREETING: 'world $HOME `x`' },
    });
    const line = await lineMatching(target, /^hello/);
    assert.equal(line, `hello world $HOME \`x\` from ${cwd} path=set`);
  });
});

describe('stopTarget', () => {
  it('takes down a whole tree: a shell, its background sleeps and a node grandchild', async () => {
    const target = start(
      ['/bin/sh', '-c', 'sleep 1000 & sleep 1000 & "$NODE" -e \'console.log("grandchild up"); setInterval(() => {}, 1000)\' & wait'],
      { env: { NODE } },
    );
    await waitReady(target, { log: '^grandchild up$', timeoutMs: 5000 });
    const tree = await findMarkedProcesses(target.marker);
    assert.equal(tree.length, 4, `expected sh, 2 sleeps and node, got ${tree.join(', ')}`);
    assert.deepEqual(await findGroupMembers(target.pgid), tree);

    const [first, second] = await Promise.all([stopTarget(target, { graceMs: 2000 }), stopTarget(target, { graceMs: 2000 })]);
    assert.deepEqual(first, { code: null, signal: 'SIGTERM', early: false });
    assert.equal(second, first);
    assert.deepEqual(await stopTarget(target, { graceMs: 2000 }), first);
    for (const pid of tree) assert.equal(await alive(pid), false, `pid ${pid} survived`);
  });

  it('SIGKILLs an app that ignores SIGTERM once the grace period is over', async () => {
    const target = start(nodeApp(`process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000);`));
    await waitReady(target, { log: '^up$', timeoutMs: 5000 });
    const t0 = Date.now();
    const status = await stopTarget(target, { graceMs: 300 });
    const elapsed = Date.now() - t0;
    assert.deepEqual(status, { code: null, signal: 'SIGKILL', early: false });
    assert.ok(elapsed >= 290 && elapsed < 2000, `stopped after ${elapsed} ms`);
    assert.ok(target.tail().includes('ignoring SIGTERM'), target.tail().join('\n'));
  });

  it('finds and kills a child that left the process group with setsid', async () => {
    const target = start(['/bin/sh', '-c', 'setsid sleep 1000 & echo "escaped $!"; exec sleep 1000']);
    const line = await lineMatching(target, /^escaped \d+$/);
    const escaped = Number(line.split(' ')[1]);
    // The escapee leads its own session, so a signal to the app's group would miss it.
    await waitFor(async () => (await readProcStat(escaped))?.session === escaped);
    assert.notEqual((await readProcStat(escaped))?.pgrp, target.pgid);
    assert.ok((await findMarkedProcesses(target.marker)).includes(escaped));

    await stopTarget(target, { graceMs: 1000 });
    assert.equal(await alive(escaped), false);
  });

  it('cleans up after an app that exited on its own, leaving a daemon behind (early: true)', async () => {
    const target = start(['/bin/sh', '-c', 'setsid sleep 1000 & echo "daemon $!"; exit 4']);
    const line = await lineMatching(target, /^daemon \d+$/);
    const daemon = Number(line.split(' ')[1]);
    assert.deepEqual(await target.exited, { code: 4, signal: null });
    assert.equal(await alive(daemon), true);

    assert.deepEqual(await stopTarget(target, { graceMs: 1000 }), { code: 4, signal: null, early: true });
    assert.equal(await alive(daemon), false);
  });
});

describe('findMarkedProcesses on a fake /proc', () => {
  it('matches the whole variable, skips zombies and unreadable entries, and reads groups', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'leakgate-proc-'));
    try {
      const proc = (pid: number, environ: string, stat: string) => {
        mkdirSync(path.join(root, String(pid)));
        writeFileSync(path.join(root, String(pid), 'environ'), environ);
        writeFileSync(path.join(root, String(pid), 'stat'), stat);
      };
      proc(101, 'A=1\0LEAKGATE_RUN_ID=m1\0B=2\0', '101 (my (odd) app) S 1 101 101 0 -1');
      proc(102, 'LEAKGATE_RUN_ID=m1\0', '102 (sleep) Z 101 101 101 0 -1');
      proc(103, 'LEAKGATE_RUN_ID=m10\0', '103 (sleep) S 101 101 101 0 -1');
      proc(104, 'XLEAKGATE_RUN_ID=m1\0', '104 (sleep) S 1 104 104 0 -1');
      proc(105, 'LEAKGATE_RUN_ID=m1', '105 (daemon) S 1 105 105 0 -1');
      mkdirSync(path.join(root, 'self'));
      mkdirSync(path.join(root, '106')); // exited while we looked: no files
      assert.deepEqual(await findMarkedProcesses('m1', root), [101, 105]);
      assert.deepEqual(await findGroupMembers(101, root), [101, 103]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** Bounded condition poll, for state that no event announces (another process's session). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
