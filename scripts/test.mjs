// Runs the test suite with Node's own test runner. `node scripts/test.mjs unit` runs only the fast
// unit tests (no processes, no network); with no argument it runs unit then e2e.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const kinds = process.argv[2] ? [process.argv[2]] : ['unit', 'e2e'];
const files = [];
for (const kind of kinds) {
  const dir = join('test', kind);
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.test.ts')) files.push(p);
    }
  };
  walk(dir);
}
if (files.length === 0) {
  console.error(`no test files found under ${kinds.map((k) => 'test/' + k).join(', ')}`);
  process.exit(1);
}
// e2e tests measure memory under load: run them one file at a time so they do not steal each
// other's CPU on a 2-core machine.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
