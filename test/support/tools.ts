// Optional system tools for tests. A test that needs one asks `skipUnless(...)`: where every tool is on the PATH it
// gets `false` (run), elsewhere a one-line reason naming the tools and how to install them, which it passes to
// node:test's `skip`. Each skip is also appended to LEAKGATE_SKIP_LOG (set by scripts/test.mjs), which prints them
// all at the end of the run; under LEAKGATE_REQUIRE_TOOLS=1 (set by .ci/run) a missing tool fails the run instead,
// so CI never silently loses coverage.
import { accessSync, appendFileSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to get each optional tool on Debian (the machines this project runs on). */
export const INSTALL: Record<string, string> = {
  wrk: 'apt-get install -y wrk',
  valgrind: 'apt-get install -y valgrind',
  vgdb: 'apt-get install -y valgrind',
  heaptrack: 'apt-get install -y heaptrack',
  heaptrack_print: 'apt-get install -y heaptrack',
  gcc: 'apt-get install -y gcc',
  'g++': 'apt-get install -y g++',
  make: 'apt-get install -y make',
  java: 'apt-get install -y openjdk-17-jdk-headless',
  javac: 'apt-get install -y openjdk-17-jdk-headless',
  jcmd: 'apt-get install -y openjdk-17-jdk-headless',
  python3: 'apt-get install -y python3',
  prometheus: 'apt-get install -y prometheus',
  chromium: 'apt-get install -y chromium',
  jeprof: 'apt-get install -y libjemalloc-dev',
  'google-pprof': 'apt-get install -y google-perftools',
  go: 'apt-get install -y golang-go',
  git: 'apt-get install -y git',
  podman: 'apt-get install -y podman',
  runc: 'apt-get install -y runc',
  npm: 'apt-get install -y npm',
};

/** Whether `name` is an executable file in a directory of PATH (or the given path list). */
export function onPath(name: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * `false` when every tool is there; else the skip reason ("needs wrk (apt-get install -y wrk)"), recorded for the
 * run's summary. `extra` names a requirement that is not a program on PATH (a shared library, say): pass
 * `{ name, present, install }` for each.
 */
export function skipUnless(tools: readonly string[], extra: readonly { name: string; present: boolean; install: string }[] = []): string | false {
  const missing = tools.filter((t) => !onPath(t)).map((t) => ({ name: t, install: INSTALL[t] ?? `install ${t}` }));
  for (const e of extra) if (!e.present) missing.push({ name: e.name, install: e.install });
  if (missing.length === 0) return false;
  const installs = [...new Set(missing.map((m) => m.install))].join('; ');
  const reason = `needs ${missing.map((m) => m.name).join(', ')} (${installs})`;
  if (process.env.LEAKGATE_REQUIRE_TOOLS === '1') {
    throw new Error(`LEAKGATE_REQUIRE_TOOLS=1 and a test ${reason}: CI must install it (.ci/run)`);
  }
  const log = process.env.LEAKGATE_SKIP_LOG;
  if (log) appendFileSync(log, `${reason}\n`);
  return reason;
}
