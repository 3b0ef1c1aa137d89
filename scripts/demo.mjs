// `npm run demo`: runs leakgate on two example apps, one clean and one leaking 1 KiB per request,
// and shows both verdicts. Exits 0 when leakgate got both right.
import { spawnSync } from 'node:child_process';

const runs = [
  { config: 'examples/node-clean/leakgate.yml', expect: 0, what: 'a clean Node server (expect: pass, exit 0)' },
  { config: 'examples/node-leak/leakgate.yml', expect: 1, what: 'a Node server leaking 1 KiB per request (expect: leak, exit 1)' },
];
let ok = true;
for (const run of runs) {
  console.log(`\n=== leakgate on ${run.what}\n$ leakgate run --config ${run.config} --duration 20s\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', 'run', '--config', run.config, '--duration', '20s', '--report', `leakgate-demo-${run.expect}.json`], { stdio: 'inherit' });
  console.log(`exit code ${r.status}${r.status === run.expect ? ' (as expected)' : ` (expected ${run.expect})`}`);
  if (r.status !== run.expect) ok = false;
}
process.exit(ok ? 0 : 1);
