import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configErrorOf, loadTestConfig } from '../support/config.js';
import { CONFIG_KEYS } from '../../src/config/schema.js';
import { fullExampleYaml, renderConfigDocs } from '../../src/config/config-docs.js';

const minimal = { app: { command: ['node', 'server.js'], ready: { url: 'http://127.0.0.1:3000/healthz' } } };

const load = loadTestConfig;
const messageOf = configErrorOf;

function withKey(base: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) {
    node[k] = (node[k] as Record<string, unknown> | undefined) ?? {};
    node = node[k] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return copy;
}

/**
 * The keys the validators accept, found by asking them: an unknown key in each mapping makes the validator list its
 * valid keys. The mapping-valued keys are then probed the same way, so a key added to any section shows up here.
 */
function acceptedKeys(): Set<string> {
  const probes: Array<{ prefix: string; file: unknown }> = [
    { prefix: '', file: { ...minimal, zzz: 1 } },
    { prefix: 'app', file: withKey(minimal, ['app', 'zzz'], 1) },
    { prefix: 'app.ready', file: withKey(minimal, ['app', 'ready', 'zzz'], 1) },
    { prefix: 'load', file: withKey(minimal, ['load', 'zzz'], 1) },
    { prefix: 'load.warmup', file: withKey(minimal, ['load', 'warmup'], { zzz: 1 }) },
    { prefix: 'load.abort', file: withKey(minimal, ['load', 'abort'], { zzz: 1, share: 0.1 }) },
    { prefix: 'load.requests[]', file: withKey(minimal, ['load', 'requests'], [{ zzz: 1 }]) },
    { prefix: 'load.counter', file: withKey(minimal, ['load'], { tool: 'command', run: ['true'], counter: { zzz: 1, url: 'http://127.0.0.1:1/' } }) },
    { prefix: 'sample', file: withKey(minimal, ['sample', 'zzz'], 1) },
    { prefix: 'analysis', file: withKey(minimal, ['analysis', 'zzz'], 1) },
    { prefix: 'baseline', file: withKey(minimal, ['baseline', 'zzz'], 1) },
    { prefix: 'runtime', file: withKey(minimal, ['runtime', 'zzz'], 1) },
    { prefix: 'native', file: withKey(minimal, ['native', 'zzz'], 1) },
    { prefix: 'cgroup', file: withKey(minimal, ['cgroup', 'zzz'], 1) },
    { prefix: 'accept', file: withKey(minimal, ['accept', 'zzz'], 1) },
    { prefix: 'history', file: withKey(minimal, ['history', 'zzz'], 1) },
  ];
  const keys = new Set<string>();
  for (const { prefix, file } of probes) {
    const where = prefix.replace('[]', '[0]');
    const re = new RegExp(`unknown setting '${(where ? `${where}.zzz` : 'zzz').replace(/[.[\]]/g, '\\$&')}'.*?valid keys[^:]*: ([^\\n]+)`);
    const m = re.exec(messageOf(file));
    assert.ok(m, `probing ${prefix || 'the top level'} should list its valid keys, got: ${messageOf(file)}`);
    for (const k of m[1]!.split(', ')) keys.add(prefix ? `${prefix}.${k}` : k);
  }
  return keys;
}

test('every key the validators accept is documented in src/config/schema.ts, and no documented key is refused', () => {
  const accepted = acceptedKeys();
  assert.ok(accepted.size > 60, `the probe found only ${accepted.size} keys`);
  const documented = new Set(CONFIG_KEYS.map((k) => k.key));
  // A mapping or list key is documented by its items (app.ready by app.ready.url, load.requests by load.requests[].path).
  const covered = (k: string) => documented.has(k) || [...documented].some((d) => d.startsWith(`${k}.`) || d.startsWith(`${k}[].`));
  const missing = [...accepted].filter((k) => !covered(k));
  assert.deepEqual(missing, [], `keys missing from CONFIG_KEYS in src/config/schema.ts (then run npm run docs): ${missing.join(', ')}`);
  const unknown = [...documented].filter((k) => !accepted.has(k));
  assert.deepEqual(unknown, [], `CONFIG_KEYS documents keys the validators refuse: ${unknown.join(', ')}`);
});

test('docs/configuration.md is what npm run docs generates from the schema table', () => {
  const current = readFileSync('docs/configuration.md', 'utf8');
  assert.ok(current === renderConfigDocs(), 'docs/configuration.md is stale: run npm run docs and commit it');
});

test("the docs' full example, with every key, is a valid leakgate.yml", () => {
  const config = load(parseYaml(fullExampleYaml()));
  assert.equal(config.name, 'my-api');
  assert.equal(config.native.tool, 'memcheck');
  assert.equal(config.load.requests.length, 1);
});

/** Keys whose documented default is not a value the config reaches by omission alone, with why. */
const DEFAULT_EXCEPTIONS: Record<string, string> = {
  'load.duration': 'giving it sets durationSet (k6 gets --duration only then)',
  'runtime.kind': "'auto' given explicitly is still auto; the default is reported as chosen: auto",
  'load.warmup.duration': 'setting it turns the warm-up phase on',
  'load.warmup.rate': 'setting it turns the warm-up phase on',
  'load.abort.after': 'setting it turns aborted requests on',
  'load.abort.from': 'setting it turns aborted requests on',
  'app.ready.host': 'the example sets ready.url',
};

/** The config a key's default is checked in: k6's and the load command's keys need their tool. */
function baseFor(key: string): unknown {
  if (['load.vus', 'load.max-duration'].includes(key)) return withKey(minimal, ['load'], { tool: 'k6', script: 'load.js' });
  if (key.startsWith('load.counter.')) return withKey(minimal, ['load'], { tool: 'command', run: ['true'] });
  if (['load.messages', 'load.per-session', 'load.sessions'].includes(key)) return withKey(minimal, ['load'], { tool: 'websocket', url: 'ws://127.0.0.1:3000/ws' });
  return minimal;
}

test('every documented default that is a plain value is what the validator defaults to', () => {
  let checked = 0;
  for (const k of CONFIG_KEYS) {
    if (k.key.includes('[]') || DEFAULT_EXCEPTIONS[k.key]) continue;
    let value: unknown;
    try {
      value = parseYaml(k.default);
    } catch {
      continue;
    }
    if (value === null || typeof value === 'string' && /\s|—/.test(value) && k.key !== 'fail-on') continue;
    const base = baseFor(k.key);
    const plain = load(base);
    const file = withKey(base, k.key.split('.'), value);
    let config;
    try {
      config = load(file);
    } catch (e) {
      assert.fail(`the documented default of ${k.key} (${k.default}) is refused: ${(e as Error).message}`);
    }
    assert.deepEqual(config, plain, `the documented default of ${k.key} (${k.default}) differs from the validator's`);
    checked += 1;
  }
  assert.ok(checked > 40, `only ${checked} defaults were plain values`);
});
