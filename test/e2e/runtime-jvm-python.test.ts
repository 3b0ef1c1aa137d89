// The JVM and Python runtime probes on real processes, hooks called as a trial would, bounded HTTP
// load in between: the evidence names the leaking class / source line, and not when the app is
// clean; also the JVM below a shell wrapper and a pre-forked Python server (gunicorn-style workers).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/logger.js';
import type { RuntimeEvidence } from '../../src/probes/evidence.js';
import type { ProbeContext, TrialProbe } from '../../src/probes/probe.js';
import { createJvmProbe } from '../../src/probes/jvm-probe.js';
import { createPythonProbe, TRACEMALLOC_SUBDIR } from '../../src/probes/python-probe.js';
import { PYTHON_HOOK_SOURCE } from '../../src/runtime/python-hook.js';
import { parseTracemallocSnapshot } from '../../src/runtime/python-tracemalloc.js';
import { startTarget, stopTarget, waitReady, type Target, type TargetSpec } from '../../src/target/index.js';
import { EXAMPLES, freePort } from './helpers.js';
import { skipUnless } from '../support/tools.js';

const dirs: string[] = [];
const targets: Target[] = [];

after(async () => {
  for (const t of targets) await stopTarget(t, { graceMs: 2000 });
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/** Sends GET / over `connections` keep-alive connections until `untilMs` (performance.now()); counts answers. */
async function drive(port: number, untilMs: number, counter: { done: number }, connections = 4): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) counter.done++;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('request timed out after 5 s')));
      req.on('error', reject);
    });
  const loop = async (): Promise<void> => {
    while (performance.now() < untilMs) await one();
  };
  try {
    await Promise.all(Array.from({ length: connections }, loop));
  } finally {
    agent.destroy();
  }
}

interface TrialResult {
  evidence: RuntimeEvidence | undefined;
  requests: number;
  target: Target;
  outDir: string;
  /** Wall time of loadEnded (the second histogram / snapshot round), ms. */
  loadEndedMs: number;
}

/** One trial as the gate runs it: prepare, start, ready, loadStarted, load, loadEnded, stop, finish, dispose. */
async function trial(probe: TrialProbe, spec: TargetSpec, port: number, loadMs: number, warmupFraction = 0.3): Promise<TrialResult> {
  const outDir = tmp('leakgate-probe-out-');
  const counter = { done: 0 };
  const ctx: ProbeContext = {
    logger: silentLogger,
    now: () => performance.now(),
    requests: () => counter.done,
    loadDurationMs: loadMs,
    warmupFraction,
    outDir,
  };
  try {
    const prepared = await probe.prepare!(spec, ctx);
    const target = startTarget(prepared, { marker: `leakgate-rt-${process.pid}-${randomBytes(4).toString('hex')}` });
    targets.push(target);
    probe.started?.(target, ctx);
    await waitReady(target, { port, timeoutMs: 20_000 });
    await probe.loadStarted!(target, ctx);
    await drive(port, performance.now() + loadMs, counter);
    const t0 = performance.now();
    await probe.loadEnded!(target, ctx);
    const loadEndedMs = performance.now() - t0;
    const exit = await stopTarget(target, { graceMs: 3000 });
    const found = await probe.finish!({ code: exit.code, signal: exit.signal }, ctx);
    return { evidence: found.runtime, requests: counter.done, target, outDir, loadEndedMs };
  } finally {
    await probe.dispose?.();
  }
}

const jvmSkip = skipUnless(['java', 'jcmd']);

describe('JVM probe on examples/java-leak', { skip: jvmSkip }, () => {
  const cwd = join(EXAMPLES, 'java-leak');

  it('names SessionRecord as the top growing application class, counting exactly the requests served', async () => {
    const port = await freePort();
    const probe = createJvmProbe({ top: 10 });
    const r = await trial(probe, { command: ['java', 'Leak.java'], shell: false, cwd, env: { PORT: String(port), LEAK: '1' } }, port, 4000, 0.25);
    const ev = r.evidence;
    assert.ok(ev, 'no runtime evidence');
    assert.equal(ev.kind, 'jvm');
    const app = ev.growing.filter((g) => g.detail === 'application class (class path)');
    assert.equal(app[0]?.name, 'Leak$SessionRecord', `growing: ${JSON.stringify(ev.growing.slice(0, 6))}`);
    const rec = app[0]!;
    assert.ok(rec.countDelta! > 0.3 * r.requests, `SessionRecord +${rec.countDelta} of ${r.requests} requests`);
    // The second histogram was taken after the load: it holds one record per request served, exactly.
    const instanceBytes = rec.bytesDelta / rec.countDelta!;
    assert.ok(Number.isInteger(instanceBytes) && instanceBytes >= 24 && instanceBytes <= 64, `instance size ${instanceBytes}`);
    assert.equal(rec.bytesEnd! / instanceBytes, r.requests);
    assert.match(ev.note ?? '', new RegExp(`class histograms of JVM pid ${r.target.pid} `));
    assert.match(ev.note ?? '', /top growing application class: Leak\$SessionRecord/);
    // The heap was kept from shrinking after the forced full GCs.
    assert.ok(r.target.tail().some((l) => l.includes('Picked up JDK_JAVA_OPTIONS: -XX:MaxHeapFreeRatio=100')), r.target.tail().join('\n'));
    // The histograms are kept for a human.
    assert.match(readFileSync(join(r.outDir, 'jvm-histogram-2.txt'), 'utf8'), /Leak\$SessionRecord/);
  });

  it('finds the JVM below a shell wrapper, and names no SessionRecord growth when the app does not leak', async () => {
    const port = await freePort();
    const probe = createJvmProbe({ top: 10 });
    // `; exit` keeps sh from exec-ing java: the JVM is the wrapper's child.
    const spec: TargetSpec = { command: ['/bin/sh', '-c', 'java Leak.java; exit $?'], shell: false, cwd, env: { PORT: String(port), LEAK: '0' } };
    const r = await trial(probe, spec, port, 3000, 0.25);
    const ev = r.evidence;
    assert.ok(ev, 'no runtime evidence');
    const pid = Number(/JVM pid (\d+)/.exec(ev.note ?? '')?.[1]);
    assert.ok(pid > 0 && pid !== r.target.pid, `the JVM, not the shell (${r.target.pid}): ${ev.note}`);
    assert.ok(r.requests > 100, `only ${r.requests} requests`);
    assert.equal(ev.growing.find((g) => g.name === 'Leak$SessionRecord'), undefined, JSON.stringify(ev.growing));
  });
});

describe('Python probe on examples/python-leak', { skip: skipUnless(['python3']) }, () => {
  const cwd = join(EXAMPLES, 'python-leak');
  const server = readFileSync(join(cwd, 'server.py'), 'utf8').split('\n');
  const leakLine = server.findIndex((l) => l.includes('retained.append(')) + 1;

  it('the hook source compiles', () => {
    const dir = tmp('leakgate-hook-');
    writeFileSync(join(dir, 'sitecustomize.py'), PYTHON_HOOK_SOURCE);
    execFileSync('python3', ['-m', 'py_compile', join(dir, 'sitecustomize.py')], { timeout: 10_000 });
  });

  it('names the leaking line of server.py with LEAK_BYTES=4096', async () => {
    assert.ok(leakLine > 0, 'server.py has no retained.append line');
    const port = await freePort();
    const r = await trial(createPythonProbe({ top: 10 }), { command: ['python3', 'server.py'], shell: false, cwd, env: { PORT: String(port), LEAK_BYTES: '4096' } }, port, 3000);
    const ev = r.evidence;
    assert.ok(ev, 'no runtime evidence');
    assert.equal(ev.kind, 'python');
    const top = ev.growing[0];
    assert.equal(top?.name, `server.py:${leakLine}`, JSON.stringify(ev.growing.slice(0, 5)));
    assert.equal(top!.detail, 'retained.append(b"\\x61" * LEAK_BYTES)');
    // Each leaked block is a 4096-byte bytes object (plus its header and a list slot).
    const perBlock = top!.bytesDelta / top!.countDelta!;
    assert.ok(perBlock >= 4096 && perBlock < 4096 + 100, `bytes per block ${perBlock}`);
    assert.ok(top!.countDelta! > 0.3 * r.requests && top!.countDelta! <= r.requests, `+${top!.countDelta} blocks of ${r.requests} requests`);
    assert.match(ev.note ?? '', /of 1 Python process\(es\)/);
    assert.match(ev.note ?? '', new RegExp(`top growing line: server\\.py:${leakLine} `));
  });

  it('does not name that line with LEAK_BYTES=0', async () => {
    const port = await freePort();
    const r = await trial(createPythonProbe({ top: 10 }), { command: ['python3', 'server.py'], shell: false, cwd, env: { PORT: String(port), LEAK_BYTES: '0' } }, port, 2500);
    const ev = r.evidence;
    assert.ok(ev, 'no runtime evidence');
    assert.ok(r.requests > 200, `only ${r.requests} requests`);
    assert.equal(ev.growing.find((g) => g.name === `server.py:${leakLine}`), undefined, JSON.stringify(ev.growing));
    const grown = ev.growing.reduce((s, g) => s + g.bytesDelta, 0);
    assert.ok(grown < 64 * 1024, `clean server grew ${grown} bytes: ${JSON.stringify(ev.growing)}`);
  });

  it('merges the growth of pre-forked workers by line, and keeps the user\'s own sitecustomize', async () => {
    const app = tmp('leakgate-prefork-');
    const userSite = tmp('leakgate-usersite-');
    writeFileSync(join(userSite, 'sitecustomize.py'), 'import os\nos.environ["USER_SITECUSTOMIZE_RAN"] = "yes"\n');
    writeFileSync(join(app, 'prefork.py'), PREFORK_SERVER);
    const port = await freePort();
    const spec: TargetSpec = { command: ['python3', 'prefork.py'], shell: false, cwd: app, env: { PORT: String(port), PYTHONPATH: userSite } };
    const r = await trial(createPythonProbe({ top: 10 }), spec, port, 3000);
    const ev = r.evidence;
    assert.ok(ev, 'no runtime evidence');
    assert.match(r.target.tail().join('\n'), /user sitecustomize: yes/);
    assert.match(ev.note ?? '', /of 3 Python process\(es\)/, ev.note);
    const top = ev.growing[0];
    assert.equal(top?.name, 'prefork.py:14', JSON.stringify(ev.growing.slice(0, 3)));
    assert.equal(top!.detail, 'kept.append(bytes(2048))');
    // Both workers served requests, and both snapshots show the line growing; the evidence is their sum.
    const dir = join(r.outDir, TRACEMALLOC_SUBDIR);
    const sizes = new Map<string, number>();
    for (const name of readdirSync(dir).filter((n) => n.startsWith('snapshot-'))) {
      const s = parseTracemallocSnapshot(readFileSync(join(dir, name), 'utf8'), name);
      const site = s.sites.find((x) => x.file.endsWith('prefork.py') && x.line === 14);
      if (site) sizes.set(`${s.pid}-${s.seq}`, site.size);
    }
    const workers = [...new Set([...sizes.keys()].map((k) => k.split('-')[0]))];
    assert.equal(workers.length, 2, `line 14 in the snapshots of ${[...sizes.keys()].join(', ')}`);
    const sum = workers.reduce((s, w) => s + (sizes.get(`${w}-2`) ?? 0) - (sizes.get(`${w}-1`) ?? 0), 0);
    assert.equal(top!.bytesDelta, sum);
    assert.ok(workers.every((w) => (sizes.get(`${w}-2`) ?? 0) > (sizes.get(`${w}-1`) ?? 0)), JSON.stringify([...sizes]));
  });
});

/** A gunicorn-style server: the parent listens, forks two workers that accept on the shared socket. */
const PREFORK_SERVER = `import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

kept = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def do_GET(self):
        kept.append(bytes(2048))
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass


class Shared(ThreadingHTTPServer):
    daemon_threads = True
    def server_bind(self):
        pass
    def server_activate(self):
        pass


sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(os.environ["PORT"])))
sock.listen(64)
print("user sitecustomize:", os.environ.get("USER_SITECUSTOMIZE_RAN", "no"), flush=True)
workers = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        srv = Shared(("127.0.0.1", 0), Handler, bind_and_activate=False)
        srv.socket = sock
        srv.serve_forever()
        os._exit(0)
    workers.append(pid)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
for w in workers:
    os.waitpid(w, 0)
`;
