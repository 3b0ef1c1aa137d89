import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenersOn, parseProcNetTcp, socketInode, TCP_LISTEN } from '../../src/target/proc-net-tcp.js';
import { environValue, parseOwner, parseProcStat } from '../../src/target/marked-processes.js';
import { readyAddress } from '../../src/target/ready-owner.js';
import { describeHolder } from '../../src/target/port-holders.js';
import { Interrupted, interruptedBy, markInterrupted } from '../../src/pipeline/interrupt.js';
import { getExitCode } from '../../src/cli/exit-code.js';
import { makeReport } from '../support/report-fixture.js';

// Recorded on this machine: node listening on 127.0.0.1:18080 (one connection to it open), [::1]:18081 and [::]:18082.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'procnet');
const tcp = readFileSync(join(FIXTURES, 'tcp'), 'utf8');
const tcp6 = readFileSync(join(FIXTURES, 'tcp6'), 'utf8');

test('/proc/net/tcp: listeners, connections, addresses in the kernel byte order', () => {
  const rows = parseProcNetTcp(tcp, 4);
  assert.equal(rows.length, 4, 'the header is skipped, every socket row kept');
  const listen = listenersOn(rows, 18080);
  assert.deepEqual(listen.map((r) => [r.localAddress, r.localPort, r.inode, r.state]), [['127.0.0.1', 18080, 27511, TCP_LISTEN]]);
  const sshd = listenersOn(rows, 2024);
  assert.deepEqual(sshd.map((r) => [r.localAddress, r.inode, r.uid]), [['0.0.0.0', 1273, 0]]);
  const established = rows.filter((r) => r.state === 0x01);
  assert.equal(established.length, 2, 'both ends of the open connection');
  assert.deepEqual(established.map((r) => r.remotePort).sort(), [18080, 36922]);
  assert.equal(listenersOn(rows, 36922).length, 0, 'a connected port is not a listener');
});

test('/proc/net/tcp6: IPv6 words, :: compression', () => {
  const rows = parseProcNetTcp(tcp6, 6);
  assert.deepEqual(listenersOn(rows, 18081).map((r) => [r.localAddress, r.inode]), [['::1', 27866]]);
  assert.deepEqual(listenersOn(rows, 18082).map((r) => [r.localAddress, r.inode]), [['::', 27538]]);
});

test('/proc/net/tcp: malformed lines and the wrong family are skipped, never thrown on', () => {
  assert.deepEqual(parseProcNetTcp('garbage\n  0: XYZ:1 00000000:0000 0A\n', 4), []);
  assert.deepEqual(parseProcNetTcp(tcp6, 4), [], 'IPv6 addresses are not read as IPv4');
  const mapped = '   0: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 99 1 0 100 0 0 10 0';
  assert.deepEqual(parseProcNetTcp(mapped, 6).map((r) => [r.localAddress, r.localPort, r.uid]), [['::ffff:127.0.0.1', 8080, 1000]]);
});

test('socket inodes from /proc/PID/fd links', () => {
  assert.equal(socketInode('socket:[27511]'), 27511);
  assert.equal(socketInode('pipe:[27511]'), null);
  assert.equal(socketInode('/dev/null'), null);
});

test('owner token, environment values and stat start time', () => {
  assert.deepEqual(parseOwner('1234:987654'), { pid: 1234, startTime: 987654 });
  assert.equal(parseOwner('1234'), null);
  assert.equal(parseOwner('x:1'), null);
  const env = Buffer.from('A=1\0LEAKGATE_RUN_ID=x-1\0LEAKGATE_OWNER=5:6\0');
  assert.equal(environValue(env, 'LEAKGATE_OWNER'), '5:6');
  assert.equal(environValue(env, 'LEAKGATE'), null, 'a prefix of a name is not the name');
  const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777123 100 10';
  assert.equal(parseProcStat(stat)?.startTime, 777123);
  assert.equal(parseProcStat(stat)?.pgrp, 4242);
});

test('ready address: local ports and URLs only', () => {
  const rows: { ready: Parameters<typeof readyAddress>[0]; want: ReturnType<typeof readyAddress> }[] = [
    { ready: { port: 3000 }, want: { host: '127.0.0.1', port: 3000 } },
    { ready: { port: 3000, host: '::1' }, want: { host: '::1', port: 3000 } },
    { ready: { url: 'http://127.0.0.1:8080/healthz' }, want: { host: '127.0.0.1', port: 8080 } },
    { ready: { url: 'http://localhost/' }, want: { host: 'localhost', port: 80 } },
    { ready: { url: 'https://[::1]/' }, want: { host: '::1', port: 443 } },
    { ready: { url: 'http://example.com:8080/' }, want: null },
    { ready: { port: 3000, host: '10.0.0.5' }, want: null },
    { ready: { log: 'listening' }, want: null },
  ];
  for (const { ready, want } of rows) assert.deepEqual(readyAddress(ready), want, JSON.stringify(ready));
});

test('a port holder is described with its marker and whether its run still lives', () => {
  assert.equal(describeHolder({ pid: 7, command: 'node server.js' }), 'pid 7 (node server.js)');
  assert.match(describeHolder({ pid: 7, command: 'node server.js', marker: 'api-1', ownerAlive: false }), /left by an earlier leakgate run that is no longer running \(LEAKGATE_RUN_ID=api-1\)/);
  assert.match(describeHolder({ pid: 7, command: 'x', marker: 'api-1', ownerAlive: true }), /another leakgate run still going/);
});

test('an interrupted run: verdict interrupted, the gate fails with the reason, the samples stay, exit 130/143', () => {
  const report = makeReport([{ verdict: 'no-leak', slope: 0, samples: 12 }]);
  const marked = markInterrupted(report, 'SIGINT');
  assert.equal(marked.summary.verdict, 'interrupted');
  assert.equal(marked.gate.failed, true);
  const samples = report.trials[0]!.samples.length;
  assert.ok(samples > 0);
  assert.match(marked.gate.reasons[0] ?? '', new RegExp(`^interrupted: leakgate was stopped by SIGINT during trial 1, after ${samples} samples and ${report.trials[0]!.load.requests} requests`));
  assert.equal(marked.trials[0]?.samples.length, samples, 'what was measured is kept');
  assert.equal(getExitCode(marked), 130);
  assert.equal(getExitCode(markInterrupted(report, 'SIGTERM')), 143);
  assert.equal(getExitCode(report), 0, 'the same run not interrupted passes');
  const early = markInterrupted({ ...report, trials: [] }, 'SIGTERM');
  assert.equal(early.gate.reasons[0], 'interrupted: leakgate was stopped by SIGTERM before the first trial started; nothing was measured');
});

test('interruptedBy reads the signal from the abort reason', () => {
  assert.equal(interruptedBy(undefined), null);
  const c = new AbortController();
  assert.equal(interruptedBy(c.signal), null);
  c.abort(new Interrupted('SIGINT'));
  assert.equal(interruptedBy(c.signal), 'SIGINT');
});
