// massif, heaptrack and the native command wrapper against the real tools: small C programs compiled
// into a temp dir, the example C server built with make and driven over keep-alive connections (plain,
// under heaptrack and under massif, stopped with SIGTERM to its process group as leakgate stops apps),
// memcheck's argv accepted by valgrind, and the missing-tool errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { EXAMPLES, tempDir } from './helpers.js';
import { freePort } from '../support/net.js';
import { outputFileForPid, requireNativeTool, wrapNativeCommand, type NativeToolPaths } from '../../src/native/wrap-command.js';
import { parseMassif } from '../../src/native/massif.js';
import { readHeaptrackSummary } from '../../src/native/heaptrack.js';
import { skipUnless } from '../support/tools.js';

const skip = skipUnless(['valgrind', 'heaptrack', 'heaptrack_print', 'gcc', 'make']);
const LIMIT_MS = 20_000;
const SERVER_DIR = join(EXAMPLES, 'c-server');

/** Grows the heap in eight 100 kB steps, then frees it all: massif's peak is the last step. */
const GROW_C = `#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void *volatile kept[8];
__attribute__((noinline)) void grow_step(int i) { kept[i] = malloc(100000); memset(kept[i], i, 100000); }
int main(void) {
  for (int i = 0; i < 8; i++) { grow_step(i); usleep(5000); }
  for (int i = 0; i < 8; i++) free(kept[i]);
  return 0;
}
`;

/** 400 lost blocks of 1000 B from two callers, one reachable 50 kB block, 1000 temporary blocks. */
const LEAK_C = `#include <stdlib.h>
#include <string.h>
static void *volatile kept;
__attribute__((noinline)) void lose_block(size_t n) { void *volatile p = malloc(n); memset(p, 7, n); }
__attribute__((noinline)) void from_request(void) { lose_block(1000); }
__attribute__((noinline)) void from_timer(void) { lose_block(1000); }
__attribute__((noinline)) void keep_forever(void) { kept = malloc(50000); memset(kept, 1, 50000); }
int main(void) {
  for (int i = 0; i < 300; i++) from_request();
  for (int i = 0; i < 100; i++) from_timer();
  keep_forever();
  for (int i = 0; i < 1000; i++) { void *volatile q = malloc(64); free(q); }
  return 0;
}
`;

const work = tempDir('leakgate-native-mh-');
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(work, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts a command in its own process group (as leakgate starts apps), collecting its output. */
function start(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd ?? work, env: { ...process.env, ...opts.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const limit = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), LIMIT_MS);
  const finished = new Promise<Finished>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      res({ code, signal, stdout, stderr });
    });
  });
  /** Resolves once stdout holds `text`; rejects if the process ends first or the deadline passes. */
  const waitFor = (text: string, ms = 10_000): Promise<void> =>
    new Promise((res, rej) => {
      const timer = setTimeout(() => done(new Error(`no '${text}' within ${ms} ms; stdout: ${stdout} stderr: ${stderr.slice(-500)}`)), ms);
      const check = (): void => {
        if (stdout.includes(text)) done();
      };
      const onClose = (): void => done(new Error(`exited before printing '${text}'; stderr: ${stderr.slice(-500)}`));
      const done = (err?: Error): void => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.off('close', onClose);
        if (err) rej(err);
        else res();
      };
      child.stdout.on('data', check);
      child.on('close', onClose);
      check();
    });
  return { child, pid: child.pid as number, finished, waitFor };
}

function compile(name: string, source: string): string {
  writeFileSync(join(work, `${name}.c`), source);
  const r = spawnSync('gcc', ['-g', '-O1', '-Wall', '-Wextra', '-Werror', '-o', join(work, name), join(work, `${name}.c`)], { encoding: 'utf8', timeout: LIMIT_MS });
  assert.equal(r.status, 0, `gcc ${name}.c: ${r.stderr}`);
  return join(work, name);
}

interface Reply {
  status: number;
  body: string;
  socket: Socket;
}

function get(agent: Agent, port: number, path = '/', method = 'GET'): Promise<Reply> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (d: string) => (body += d));
      response.on('end', () => res({ status: response.statusCode ?? 0, body, socket: req.socket as Socket }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no response within 5 s`)));
    req.on('error', rej);
    req.end();
  });
}

/** n GETs over an agent of `sockets` keep-alive connections; returns the replies. */
async function load(port: number, n: number, sockets = 2): Promise<Reply[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  try {
    return await Promise.all(Array.from({ length: n }, () => get(agent, port)));
  } finally {
    agent.destroy();
  }
}

function rssAnonKb(pid: number): number {
  const m = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, `no RssAnon in /proc/${pid}/status`);
  return Number(m[1]);
}

describe('native tools on real programs', { skip }, () => {
  let heaptrack: NativeToolPaths;
  before(() => {
    heaptrack = requireNativeTool('heaptrack');
    const r = spawnSync('make', ['-C', SERVER_DIR], { encoding: 'utf8', timeout: LIMIT_MS });
    assert.equal(r.status, 0, `make: ${r.stdout}${r.stderr}`);
  });

  it('builds the example server without a warning, and make builds it in place', () => {
    assert.ok(existsSync(join(SERVER_DIR, 'server')));
    const r = spawnSync('gcc', ['-g', '-O1', '-Wall', '-Wextra', '-Werror', '-o', join(work, 'server-check'), join(SERVER_DIR, 'server.c')], { encoding: 'utf8', timeout: LIMIT_MS });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('massif: the snapshots grow step by step and the peak names the allocating function', async () => {
    const grow = compile('grow', GROW_C);
    const outDir = join(work, 'massif-grow');
    mkdirSync(outDir);
    const wrapped = wrapNativeCommand('massif', [grow], { outDir });
    const run = start(wrapped.command);
    const done = await run.finished;
    assert.equal(done.code, 0, done.stderr);
    const file = outputFileForPid(wrapped.outputFile as string, run.pid);
    const profile = parseMassif(readFileSync(file, 'utf8'), file);
    assert.equal(profile.timeUnit, 'ms');
    assert.equal(profile.cmd, grow);
    assert.notEqual(profile.peakIndex, null);
    const peak = profile.snapshots.find((s) => s.index === profile.peakIndex);
    assert.ok(peak && peak.heapBytes >= 8 * 100_000, `peak ${JSON.stringify(peak)}`);
    const upToPeak = profile.snapshots.filter((s) => s.index <= (profile.peakIndex as number)).map((s) => s.heapBytes);
    assert.ok(upToPeak.length >= 4, `only ${upToPeak.length} snapshots before the peak`);
    for (let i = 1; i < upToPeak.length; i++) assert.ok(upToPeak[i] >= upToPeak[i - 1], `heap shrank before the peak: ${upToPeak.join(', ')}`);
    assert.equal(profile.snapshots.at(-1)?.heapBytes, 0, 'everything is freed at the end');
    assert.equal(profile.peakSites[0].fn, 'grow_step');
    assert.equal(profile.peakSites[0].bytes, 8 * 100_000);
    assert.equal(profile.peakSites[0].file, 'grow.c');
    assert.match(profile.peakSites[0].frames[1], /^main \(grow\.c:\d+\)$/);
  });

  it('heaptrack: leaked bytes and the leaking function, from the raw recording of a single process', async () => {
    const leak = compile('leak', LEAK_C);
    const outDir = join(work, 'heaptrack-leak');
    mkdirSync(outDir);
    const wrapped = wrapNativeCommand('heaptrack', [leak], { outDir, heaptrack: heaptrack.heaptrack });
    const done = await start(wrapped.command).finished;
    assert.equal(done.code, 0, done.stderr);
    const summary = await readHeaptrackSummary(wrapped.outputFile as string, heaptrack.heaptrack);
    assert.equal(summary.totalAllocations, 400 + 1 + 1000 + 1, 'the program, plus one allocation of libstdc++ heaptrack pulls in');
    assert.equal(summary.temporaryAllocations! >= 1000, true);
    // heaptrack counts what was not freed at exit: the lost blocks and the reachable one.
    assert.equal(summary.leakedBytes, 400 * 1000 + 50_000);
    assert.deepEqual(summary.topLeaks.map((s) => [s.fn, s.bytes, s.calls]), [['lose_block', 400_000, 400], ['keep_forever', 50_000, 1]]);
    assert.match(summary.topLeaks[0].stack[1], /^from_request \(.*leak\.c:5\)$/);
    assert.equal(existsSync(wrapped.outputFile as string), false, 'the raw recording is removed once interpreted');
    assert.ok(summary.file.endsWith('heaptrack.leakgate.gz') && existsSync(summary.file));
  });

  it('memcheck: valgrind accepts the wrapped argv and writes the XML named after the pid', async () => {
    const leak = compile('leak-mc', LEAK_C);
    const outDir = join(work, 'memcheck');
    mkdirSync(outDir);
    const wrapped = wrapNativeCommand('memcheck', [leak], { outDir });
    const run = start(wrapped.command);
    const done = await run.finished;
    assert.equal(done.code, 0, done.stderr);
    const xml = readFileSync(outputFileForPid(wrapped.outputFile as string, run.pid), 'utf8');
    assert.match(xml, /<kind>Leak_DefinitelyLost<\/kind>/);
    assert.match(xml, /<fn>lose_block<\/fn>/);
    assert.match(xml, /<state>FINISHED<\/state>/);
  });

  it('the C server answers GETs over keep-alive connections, leaks LEAK_BYTES a request, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = start(['./server'], { cwd: SERVER_DIR, env: { PORT: String(port), LEAK_BYTES: '512' } });
    await server.waitFor(`listening on ${port}`);
    const before = rssAnonKb(server.pid);
    const replies = await load(port, 2000, 2);
    assert.equal(replies.filter((r) => r.status === 200 && r.body === 'ok\n').length, 2000);
    assert.ok(new Set(replies.map((r) => r.socket)).size <= 2, 'requests reuse the two keep-alive connections');
    const grown = rssAnonKb(server.pid) - before;
    assert.ok(grown * 1024 >= 0.8 * 2000 * 512, `anonymous memory grew by ${grown} kB for 2000 x 512 B`);
    const agent = new Agent({ keepAlive: true });
    const post = await get(agent, port, '/', 'POST');
    agent.destroy();
    assert.equal(post.status, 405);
    process.kill(-server.pid, 'SIGTERM');
    const done = await server.finished;
    assert.deepEqual([done.code, done.signal], [0, null]);
    assert.match(done.stderr, /stopped/);
  });

  it('heaptrack on the server stopped with SIGTERM to its group: names leak_request_buffer and cache_request', async () => {
    const port = await freePort();
    const outDir = join(work, 'heaptrack-server');
    mkdirSync(outDir);
    const wrapped = wrapNativeCommand('heaptrack', ['./server'], { outDir, heaptrack: heaptrack.heaptrack });
    const server = start(wrapped.command, { cwd: SERVER_DIR, env: { PORT: String(port), LEAK_BYTES: '512', CACHE_BYTES: '256' } });
    await server.waitFor(`listening on ${port}`);
    const replies = await load(port, 300);
    assert.equal(replies.filter((r) => r.status === 200).length, 300);
    process.kill(-server.pid, 'SIGTERM');
    const done = await server.finished;
    assert.equal(done.code, 0, done.stderr);
    const summary = await readHeaptrackSummary(wrapped.outputFile as string, heaptrack.heaptrack);
    const site = (fn: string) => summary.topLeaks.find((s) => s.fn === fn);
    // heaptrack prints sizes with two decimals in decimal units: 300 x 512 = 153600 B reads "153.60K".
    assert.deepEqual([site('leak_request_buffer')?.calls, site('leak_request_buffer')?.bytes], [300, 153_600]);
    assert.equal(site('cache_request')?.calls, 300, 'reachable at exit, so heaptrack lists it too');
    assert.match(site('leak_request_buffer')?.location ?? '', /server\.c:\d+$/);
  });

  it('massif on the server stopped with SIGTERM to its group: the peak names leak_request_buffer', async () => {
    const port = await freePort();
    const outDir = join(work, 'massif-server');
    mkdirSync(outDir);
    const wrapped = wrapNativeCommand('massif', ['./server'], { outDir });
    const server = start(wrapped.command, { cwd: SERVER_DIR, env: { PORT: String(port), LEAK_BYTES: '4096' } });
    await server.waitFor(`listening on ${port}`);
    const replies = await load(port, 200);
    assert.equal(replies.filter((r) => r.status === 200).length, 200);
    process.kill(-server.pid, 'SIGTERM');
    const done = await server.finished;
    assert.equal(done.code, 0, done.stderr);
    const file = outputFileForPid(wrapped.outputFile as string, server.pid);
    const profile = parseMassif(readFileSync(file, 'utf8'), file);
    const top = profile.peakSites[0];
    assert.equal(top.fn, 'leak_request_buffer');
    assert.ok(top.bytes >= 0.95 * 200 * 4096, `peak site holds ${top.bytes} B`);
    assert.match(top.frames.join(' < '), /^leak_request_buffer \(server\.c:\d+\) < handle_requests/);
  });

  it('a missing tool fails with the install command', () => {
    const empty = join(work, 'empty-path');
    mkdirSync(empty);
    assert.throws(() => requireNativeTool('memcheck', { PATH: empty }), {
      name: 'ConfigError',
      message: "native: memcheck needs 'valgrind' on PATH; install it with: sudo apt-get install -y valgrind (Debian/Ubuntu)",
    });
    assert.throws(() => requireNativeTool('heaptrack', { PATH: empty }), /apt-get install -y heaptrack/);
    // valgrind alone is not enough for memcheck: leakgate runs vgdb for its leak checks.
    writeFileSync(join(empty, 'valgrind'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(empty, 'valgrind'), 0o755);
    assert.throws(() => requireNativeTool('memcheck', { PATH: empty }), /needs 'vgdb' on PATH/);
    // a heaptrack script without its library next to it
    writeFileSync(join(empty, 'heaptrack'), '#!/bin/sh\nLIB_REL_PATH="../lib/heaptrack"\n');
    writeFileSync(join(empty, 'heaptrack_print'), '#!/bin/sh\n');
    chmodSync(join(empty, 'heaptrack'), 0o755);
    chmodSync(join(empty, 'heaptrack_print'), 0o755);
    assert.throws(() => requireNativeTool('heaptrack', { PATH: empty }), (err: Error) => {
      assert.match(err.message, /heaptrack's preload library is not at .*\/lib\/heaptrack\/libheaptrack_preload\.so/);
      assert.match(err.message, /apt-get install -y heaptrack/);
      return true;
    });
    assert.equal(requireNativeTool('massif', { PATH: empty }).executable, join(empty, 'valgrind'));
  });
});
