// Every YAML file we ship must parse, and every example leakgate.yml must pass validation: these are
// what users paste first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/config.js';
import { readConfigFile } from '../../src/config/config-file.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(rel));
    else if (/\.ya?ml$/.test(e.name)) out.push(rel);
  }
  return out;
}

const shipped = ['action.yml', 'leakgate.yml', ...yamlFiles('examples'), ...yamlFiles('.github')];

for (const file of shipped) {
  test(`${file} is valid YAML`, () => {
    assert.doesNotThrow(() => parse(readFileSync(join(ROOT, file), 'utf8')));
  });
}

const configs = shipped.filter((f) => f === 'leakgate.yml' || (/^examples\/[^/]+\/leakgate\.yml$/.test(f) && !f.startsWith('examples/workflows/')));

test('there is a leakgate.yml for every example app', () => {
  assert.ok(configs.length >= 6, `found ${configs.join(', ')}`);
});

for (const file of configs) {
  test(`${file} passes validation`, () => {
    const f = readConfigFile(file, ROOT);
    const c = loadConfig({ file: f.raw, fileLabel: f.label, baseDir: f.baseDir, overrides: {}, overrideLabels: {} });
    assert.ok(c.load.durationMs <= 60_000, 'an example run takes at most a minute');
  });
}
