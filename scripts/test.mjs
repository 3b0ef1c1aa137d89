// Runs the test suite with Node's own test runner. `node scripts/test.mjs unit` runs only the fast
// unit tests (no processes, no network); with no argument it runs unit then e2e. Tests that need an
// optional system tool skip visibly (test/support/tools.ts) and are listed again at the end; under
// LEAKGATE_REQUIRE_TOOLS=1 (as .ci/run sets it) such a test fails instead.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

// An argument with a slash is a directory of its own (test/e2e/optional-tools.test.ts runs a fixture that way).
const kinds = process.argv[2] ? [process.argv[2]] : ['unit', 'e2e'];
const filesOf = (kind) => {
  const files = [];
  const dir = kind.includes('/') ? kind : join('test', kind);
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.test.ts')) files.push(p);
    }
  };
  walk(dir);
  return files;
};
const groups = kinds.map((kind) => ({ kind, files: filesOf(kind) }));
if (groups.every((g) => g.files.length === 0)) {
  console.error(`no test files found under ${kinds.map((k) => (k.includes('/') ? k : 'test/' + k)).join(', ')}`);
  process.exit(1);
}
const scratch = mkdtempSync(join(tmpdir(), 'leakgate-skips-'));
const skipLog = join(scratch, 'skips.log');
let status = 0;
for (const { kind, files } of groups) {
  if (files.length === 0) continue;
  // Unit tests start no processes and open no sockets: they run in one process, through one entry module that
  // imports every file (a process per file cost ~0.7 s of start-up each: 74 s for the unit suite against 11 s).
  // e2e tests measure memory under load: a process per file, one at a time, so they do not steal each other's CPU
  // on a 2-core machine.
  let targets = files;
  if (kind === 'unit') {
    const entry = join(scratch, 'unit.test.mjs');
    writeFileSync(entry, files.map((f) => `import ${JSON.stringify(pathToFileURL(resolve(f)).href)};`).join('\n') + '\n');
    targets = [entry];
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...targets], {
    stdio: 'inherit',
    env: { ...process.env, LEAKGATE_SKIP_LOG: skipLog },
  });
  if (r.status !== 0) status = r.status ?? 1;
  // A failing unit suite stops here: e2e would only take minutes to say the build is broken.
  if (status !== 0 && kind === 'unit') break;
}
const skips = existsSync(skipLog) ? readFileSync(skipLog, 'utf8').split('\n').filter(Boolean) : [];
rmSync(scratch, { recursive: true, force: true });
if (skips.length > 0) {
  const counts = new Map();
  for (const s of skips) counts.set(s, (counts.get(s) ?? 0) + 1);
  console.log(`\nskipped for want of optional tools (${skips.length} test group(s)):`);
  for (const [reason, n] of counts) console.log(`  ${n} x ${reason}`);
  console.log('install them to run everything; .ci/run installs them and sets LEAKGATE_REQUIRE_TOOLS=1, under which a skip fails');
}
process.exit(status);
