// `npm run docs`: writes docs/configuration.md from the key table in src/config/schema.ts.
// With --check it writes nothing and exits 1 when the file is stale (the unit test does the same).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigDocs } from '../src/config/config-docs.js';

const path = 'docs/configuration.md';
const text = renderConfigDocs();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error(`${path} is stale: run npm run docs`);
    process.exit(1);
  }
  console.log(`${path} is up to date`);
} else {
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}
