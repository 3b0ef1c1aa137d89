// app.attach: the config rules (exactly one of command and attach, what each target may be, the settings an
// attached run cannot honour), the engines' inspect output (recorded from real docker 20.10 and podman 4.3 runs on
// cgroup v1), and the pure steps that turn a pid file or a cgroup path into something to sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { parseCgroupMounts } from '../../src/sample/cgroup.js';
import { parseCgroupProcs, parsePidFile, parseStartTime, resolveCgroupDir, rootMember } from '../../src/target/attach-resolve.js';
import { notAttachable, parseContainerInspect } from '../../src/target/container-inspect.js';

const ROOT = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => readFileSync(join(ROOT, 'test', 'fixtures', 'inspect', name), 'utf8');
const ready = { url: 'http://127.0.0.1:3000/healthz' };

function load(app: Record<string, unknown>, rest: Record<string, unknown> = {}) {
  return loadConfig({ file: { app: { ready, ...app }, ...rest }, fileLabel: 'leakgate.yml', baseDir: '/tmp', overrides: {}, overrideLabels: {} });
}

function errorOf(app: Record<string, unknown>, rest: Record<string, unknown> = {}): string {
  try {
    load(app, rest);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail('expected the config to be rejected');
}

const accepted: { what: string; app: Record<string, unknown>; expected: unknown }[] = [
  { what: 'a pid', app: { attach: { pid: 4242 } }, expected: { kind: 'pid', pid: 4242 } },
  { what: 'a pid as a string', app: { attach: { pid: '4242' } }, expected: { kind: 'pid', pid: 4242 } },
  { what: 'a bare pid', app: { attach: 4242 }, expected: { kind: 'pid', pid: 4242 } },
  { what: 'a pid file', app: { attach: { 'pid-file': 'run/app.pid' } }, expected: { kind: 'pid-file', path: 'run/app.pid' } },
  { what: 'a v1 cgroup directory', app: { attach: { cgroup: '/sys/fs/cgroup/memory/app' } }, expected: { kind: 'cgroup', path: '/sys/fs/cgroup/memory/app' } },
  { what: 'a cgroup path', app: { attach: { cgroup: '/docker/abc' } }, expected: { kind: 'cgroup', path: '/docker/abc' } },
  { what: 'a container', app: { attach: { container: 'web' } }, expected: { kind: 'container', name: 'web', engine: 'auto' } },
  { what: 'a podman container', app: { attach: { container: 'proj-web-1', engine: 'podman' } }, expected: { kind: 'container', name: 'proj-web-1', engine: 'podman' } },
];

for (const row of accepted) {
  test(`app.attach accepts ${row.what}`, () => {
    const c = load(row.app);
    assert.deepEqual(c.app.attach, row.expected);
    assert.deepEqual(c.app.command, [], 'no command to start');
    assert.equal(c.runtime.kind, 'none', 'no runtime probe guessed from a command');
  });
}

const rejected: { what: string; app: Record<string, unknown>; rest?: Record<string, unknown>; expected: RegExp }[] = [
  { what: 'both command and attach', app: { command: ['node', 's.js'], attach: { pid: 42 } }, expected: /'app.command' in leakgate.yml cannot be set with app.attach: set one of them/ },
  { what: 'neither command nor attach', app: {}, expected: /'app.command' in leakgate.yml is required: .*or set app.attach/ },
  { what: 'a negative pid', app: { attach: { pid: -5 } }, expected: /'app.attach.pid' in leakgate.yml must be a positive whole number: the pid of a running process .*got '-5'/ },
  { what: 'a fractional pid', app: { attach: { pid: 4.5 } }, expected: /'app.attach.pid' .* must be a positive whole number/ },
  { what: 'pid 0', app: { attach: { pid: 0 } }, expected: /'app.attach.pid' .* must be a positive whole number/ },
  { what: 'pid 1', app: { attach: { pid: 1 } }, expected: /'app.attach.pid' .* must not be 1: pid 1 is the machine's \(or container's\) init/ },
  { what: 'two targets', app: { attach: { pid: 42, container: 'web' } }, expected: /'app.attach' .* must set only one of pid, pid-file, cgroup or container \(got pid, container\)/ },
  { what: 'no target', app: { attach: {} }, expected: /'app.attach' .* must set one of pid, pid-file, cgroup or container/ },
  { what: 'an unknown key', app: { attach: { pod: 'x' } }, expected: /unknown setting 'app.attach.pod'; valid keys under 'app.attach': pid, pid-file, cgroup, container, engine/ },
  { what: 'a relative cgroup', app: { attach: { cgroup: 'memory/app' } }, expected: /'app.attach.cgroup' .* must be an absolute path without '..'/ },
  { what: "a cgroup path with '..'", app: { attach: { cgroup: '/sys/fs/cgroup/memory/../cpu' } }, expected: /'app.attach.cgroup' .* must be an absolute path without '..'/ },
  { what: 'a container name that reads as an option', app: { attach: { container: '--privileged' } }, expected: /'app.attach.container' .* must be a container name or id/ },
  { what: 'an unknown engine', app: { attach: { container: 'web', engine: 'lxc' } }, expected: /'app.attach.engine' .* must be one of auto, docker, podman, got 'lxc'/ },
  { what: 'an engine without a container', app: { attach: { pid: 42, engine: 'docker' } }, expected: /'app.attach.engine' .* only applies with app.attach.container/ },
  { what: 'ready.log (no output to read)', app: { attach: { pid: 42 }, ready: { log: 'listening' } }, expected: /'app.ready.log' .* cannot be used with app.attach: leakgate does not see an attached app's output/ },
  { what: 'app.env', app: { attach: { pid: 42 }, env: { A: '1' } }, expected: /'app.env' .* only applies with app.command/ },
  { what: 'restart as a string', app: { attach: { pid: 42 }, restart: 'docker restart web' }, expected: /'app.restart' .* must be a non-empty list of arguments/ },
  { what: 'restart without attach', app: { command: ['node', 's.js'], restart: ['true'] }, expected: /'app.restart' .* only applies with app.attach/ },
  { what: 'a native tool', app: { attach: { pid: 42 } }, rest: { native: 'memcheck' }, expected: /'native.tool' .* cannot be used with app.attach: valgrind and heaptrack must start the app/ },
  { what: 'a runtime probe', app: { attach: { pid: 42 } }, rest: { runtime: 'node' }, expected: /'runtime' .* cannot be used with app.attach/ },
  { what: 'a fresh cgroup limit', app: { attach: { pid: 42 } }, rest: { cgroup: { limit: '256MiB' } }, expected: /'cgroup.limit' .* cannot be used with app.attach/ },
];

for (const row of rejected) {
  test(`app.attach rejects ${row.what}`, () => {
    assert.match(errorOf(row.app, row.rest), row.expected);
  });
}

test('app.restart is kept as an argument array', () => {
  const c = load({ attach: { container: 'web' }, restart: ['docker', 'compose', 'restart', 'web'] });
  assert.deepEqual(c.app.restart, ['docker', 'compose', 'restart', 'web']);
});

test('docker inspect of a running container gives its id, name and host pid', () => {
  const c = parseContainerInspect(fixture('docker-running.json'), 'wa-web');
  assert.equal(c.id, '84feb47a9228f48f0ccd30cda217b2dd694c566298924c8ab16789042826ab54');
  assert.equal(c.name, 'wa-web', "docker's leading '/' is dropped");
  assert.equal(c.status, 'running');
  assert.equal(c.running, true);
  assert.equal(c.pid, 22177);
  assert.equal(c.cgroupPath, undefined, 'docker does not say its cgroup path: it is read from /proc/PID/cgroup');
  assert.equal(notAttachable(c), null);
});

test('podman inspect of a running container also gives its cgroup path', () => {
  const c = parseContainerInspect(fixture('podman-running.json'), 'wa-probe');
  assert.equal(c.name, 'wa-probe');
  assert.equal(c.pid, 13057);
  assert.equal(c.running, true);
  assert.equal(c.cgroupPath, '/libpod_parent/libpod-f1a8128f103a5dafc0752b8b7af4d2bb018825ee02d5a04884abddd5416f69a0');
  assert.equal(notAttachable(c), null);
});

test('a stopped container is not attachable, and the reason says its status and exit code', () => {
  const docker = parseContainerInspect(fixture('docker-exited.json'), 'wa-web');
  assert.equal(docker.pid, 0);
  assert.equal(notAttachable(docker), "container 'wa-web' is not running: its status is 'exited' (exit code 137); start it (docker compose up -d) before leakgate runs");
  const podman = parseContainerInspect(fixture('podman-exited.json'), 'wa-probe');
  assert.match(notAttachable(podman) ?? '', /^container 'wa-probe' is not running: its status is 'exited'/);
});

test('inspect output that names no container, or is not inspect output, is an error saying so', () => {
  assert.throws(() => parseContainerInspect('[]', 'nosuch'), /no container named 'nosuch'/);
  assert.throws(() => parseContainerInspect('Error: no such object', 'x'), /inspect output for 'x' is not JSON/);
  assert.throws(() => parseContainerInspect('[{"Name":"img"}]', 'img'), /has no Id and State: not a container/);
});

test('a pid file holds one positive number', () => {
  assert.equal(parsePidFile('4242\n', '/run/app.pid'), 4242);
  assert.throws(() => parsePidFile('', '/run/app.pid'), /pid file \/run\/app.pid must hold one positive whole number \(a pid\), got ''/);
  assert.throws(() => parsePidFile('42 43', '/run/app.pid'), /got '42 43'/);
});

// This machine's layout: v1 controllers under a tmpfs, the cgroup2 tree at /sys/fs/cgroup/unified (hybrid).
const hybrid = [
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');
const unified = '30 22 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';

test('a cgroup directory is placed in the hierarchy it is under, v1 or v2', () => {
  assert.deepEqual(resolveCgroupDir('/sys/fs/cgroup/memory/app/', parseCgroupMounts(hybrid)), { version: 1, dir: '/sys/fs/cgroup/memory/app', mountPoint: '/sys/fs/cgroup/memory' });
  assert.deepEqual(resolveCgroupDir('/sys/fs/cgroup/unified/app', parseCgroupMounts(hybrid)), { version: 2, dir: '/sys/fs/cgroup/unified/app', mountPoint: '/sys/fs/cgroup/unified' });
  assert.deepEqual(resolveCgroupDir('/sys/fs/cgroup/system.slice/app.service', parseCgroupMounts(unified)), {
    version: 2,
    dir: '/sys/fs/cgroup/system.slice/app.service',
    mountPoint: '/sys/fs/cgroup',
  });
});

test('a cgroup path as /proc/PID/cgroup writes it goes under the memory mount (v1 first)', () => {
  assert.deepEqual(resolveCgroupDir('/docker/abc', parseCgroupMounts(hybrid)), { version: 1, dir: '/sys/fs/cgroup/memory/docker/abc', mountPoint: '/sys/fs/cgroup/memory' });
  assert.deepEqual(resolveCgroupDir('/docker/abc', parseCgroupMounts(unified)), { version: 2, dir: '/sys/fs/cgroup/docker/abc', mountPoint: '/sys/fs/cgroup' });
  assert.equal(resolveCgroupDir('/docker/abc', []), null);
});

test("a cgroup's app is its first process whose parent is outside it", () => {
  // conmon (outside) -> node 500 -> workers 510, 520; a stray 450 started by something outside too.
  assert.equal(rootMember([{ pid: 510, ppid: 500 }, { pid: 500, ppid: 90 }, { pid: 520, ppid: 500 }]), 500);
  assert.equal(rootMember([{ pid: 510, ppid: 500 }, { pid: 500, ppid: 90 }, { pid: 450, ppid: 1 }]), 450);
  assert.equal(rootMember([]), null);
  assert.deepEqual(parseCgroupProcs('12\n13\n12\n\n'), [12, 13]);
});

test("a process's start time is field 22 of its stat, whatever its name holds", () => {
  const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 2046 0 0 0 10 3 0 0 20 0 11 0 987654 1234567 3000 18446744073709551615';
  assert.equal(parseStartTime(stat), 987654);
  assert.equal(parseStartTime('garbage'), null);
});
