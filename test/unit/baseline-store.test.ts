// Unit tests of the baseline stores' pure parts (which entry is chosen, safe names, cache keys, git
// output parsing, token redaction) and of the file store on real temporary files, including the
// corrupt and foreign files it must refuse and leave byte-for-byte as they were.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../src/core/types.js';
import {
  BaselineSaveError,
  chooseBaseline,
  compactTime,
  parseStoredBaseline,
  slug,
  type StoredBaseline,
} from '../../src/baseline/store.js';
import { appendEntry, createFileStore, parseBaselineFile, type BaselineFile } from '../../src/baseline/file-store.js';
import { cacheKeyPrefix, cacheRestoreKeys, cacheSaveKey, createCacheStore, NOT_AVAILABLE, type CacheApi } from '../../src/baseline/cache-store.js';
import { entryDir, entryPath, isLostRace, parseLsTree, pickEntryFiles } from '../../src/baseline/branch-store.js';
import { authHeader, extraHeaderKey, gitEnv, redact } from '../../src/baseline/git.js';

function report(bytesPerRequest: number, name = 'api'): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: '0.1.0' },
    name,
    createdAt: '2025-01-01T00:00:00.000Z',
    trials: [{ samples: [], analysis: { bytesPerRequest } }],
  } as unknown as Report;
}

const SHA = (c: string): string => c.repeat(40);

function entry(sha: string, minute: number, over: Partial<StoredBaseline> = {}): StoredBaseline {
  return { report: report(minute), sha, branch: 'main', configName: 'api', savedAt: new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString(), ...over };
}

const tmp = mkdtempSync(join(tmpdir(), 'leakgate-store-unit-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('chooseBaseline', () => {
  const a = entry(SHA('a'), 1);
  const b = entry(SHA('b'), 2);
  const c = entry(SHA('c'), 3);

  it('says there is no baseline yet when nothing is stored', () => {
    assert.deepEqual(chooseBaseline([], { configName: 'api', branch: 'refs/heads/main' }), {
      entries: [],
      chosen: null,
      why: "no baseline yet for 'api' on main",
    });
  });

  it('chooses the newest by savedAt, whatever the input order, and lists history newest first', () => {
    const r = chooseBaseline([b, c, a], { configName: 'api', branch: 'main' });
    assert.equal(r.chosen, c);
    assert.deepEqual(r.entries, [c, b, a]);
    assert.match(r.why, /^newest of main \(ccccccc, saved 2025-01-01T00:03:00.000Z\)$/);
  });

  it('chooses the merge-base entry and puts it first', () => {
    const r = chooseBaseline([a, b, c], { configName: 'api', branch: 'main', mergeBase: SHA('a') });
    assert.equal(r.chosen, a);
    assert.deepEqual(r.entries, [a]);
    assert.equal(r.why, 'merge-base aaaaaaa of main');
  });

  it('pools the merge-base entry only with entries saved at or before it, never newer ones', () => {
    const older = entry(SHA('0'), 0);
    const sameTime = entry(SHA('9'), 2);
    const r = chooseBaseline([c, a, older, b, sameTime], { configName: 'api', branch: 'main', mergeBase: SHA('b') });
    assert.equal(r.chosen, b);
    assert.deepEqual(r.entries, [b, sameTime, a, older]);
    assert.ok(!r.entries.includes(c), 'c was saved after the merge base');
  });

  it('matches an abbreviated merge base (>= 7 hex digits), case-insensitively, but not a shorter one', () => {
    assert.equal(chooseBaseline([a, b, c], { configName: 'api', branch: 'main', mergeBase: 'BBBBBBB' }).chosen, b);
    assert.equal(chooseBaseline([a, b, c], { configName: 'api', branch: 'main', mergeBase: 'bbbbbb' }).chosen, c);
  });

  it('takes the newest of several entries of the merge-base commit (a re-run)', () => {
    const again = entry(SHA('a'), 5);
    assert.equal(chooseBaseline([a, again, b], { configName: 'api', branch: 'main', mergeBase: SHA('a') }).chosen, again);
  });

  it('falls back to the newest when the merge base is not stored, and says so', () => {
    const r = chooseBaseline([a, b], { configName: 'api', branch: 'main', mergeBase: SHA('d') });
    assert.equal(r.chosen, b);
    assert.match(r.why, /^newest of main \(bbbbbbb, .*\); merge-base ddddddd is not in the store$/);
  });

  it('keeps `limit` entries, the chosen one always included', () => {
    const r = chooseBaseline([a, b, c], { configName: 'api', branch: 'main', mergeBase: SHA('c'), limit: 2 });
    assert.deepEqual(r.entries, [c, b]);
    assert.deepEqual(chooseBaseline([a, b, c], { configName: 'api', branch: 'main', limit: 1 }).entries, [c]);
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => chooseBaseline([a], { configName: 'api', branch: 'main', limit }), /history limit must be a positive integer/);
    }
  });
});

describe('slug', () => {
  it('keeps ordinary branch names readable and drops refs/heads/', () => {
    assert.equal(slug('refs/heads/feature/x', 'branch'), 'feature/x');
    assert.equal(slug('release-1.2_rc', 'branch'), 'release-1.2_rc');
    assert.equal(slug('main', 'config'), 'main');
  });

  it('never yields .., a leading /, a dot segment or control characters', () => {
    for (const name of ['../../etc', '/abs/path', 'a/./b', '.git/config', 'x\ny\tz\u0000', 'a/../../b']) {
      const s = slug(name, 'branch');
      assert.ok(!s.split('/').some((seg) => seg.startsWith('.')), `${JSON.stringify(name)} -> ${s}`);
      assert.ok(!s.startsWith('/') && !/[\u0000-\u001f\u007f]/.test(s), `${JSON.stringify(name)} -> ${s}`);
    }
    assert.equal(slug('../../etc', 'branch'), '%2E./%2E./etc');
    assert.equal(slug('x\ny', 'config'), 'x%0Ay');
  });

  it('encodes / in a config name so it stays one path segment', () => {
    assert.equal(slug('api/v2', 'config'), 'api%2Fv2');
  });

  it('gives different names different slugs (encoding, not replacement)', () => {
    const names = ['a b', 'a_b', 'a%20b', 'a,b', 'ü', 'u', 'a:b', 'a-b'];
    const slugs = names.map((n) => slug(n, 'config'));
    assert.equal(new Set(slugs).size, names.length, slugs.join(' '));
    assert.ok(slugs.every((s) => /^[A-Za-z0-9._%-]+$/.test(s)));
  });

  it('cuts long names and keeps them distinct with a hash', () => {
    const long1 = `${'x'.repeat(300)}1`;
    const long2 = `${'x'.repeat(300)}2`;
    assert.ok(slug(long1, 'config').length <= 120);
    assert.notEqual(slug(long1, 'config'), slug(long2, 'config'));
  });

  it('refuses an empty name, naming the kind', () => {
    assert.throws(() => slug('', 'config'), /config name "" is empty/);
    assert.throws(() => slug('refs/heads/', 'branch'), /branch name "refs\/heads\/" is empty/);
  });
});

describe('compactTime and parseStoredBaseline', () => {
  it('compacts an ISO time so names sort by time', () => {
    assert.equal(compactTime('2025-01-02T03:04:05.678Z'), '20250102T030405678Z');
    assert.equal(compactTime('2025-01-02T04:04:05+01:00'), '20250102T030405000Z');
    assert.throws(() => compactTime('yesterday'), /savedAt "yesterday" is not an ISO 8601 time/);
  });

  it('accepts a stored entry and refuses missing fields or a bad report, naming the label', () => {
    const ok = entry(SHA('a'), 1);
    assert.deepEqual(parseStoredBaseline(JSON.stringify(ok), 'x'), ok);
    const rows: [unknown, RegExp][] = [
      [{ ...ok, sha: undefined }, /^f\.json is not a stored baseline: field 'sha' is missing; it was left untouched$/],
      [{ ...ok, savedAt: 'soon' }, /savedAt "soon" is not an ISO 8601 time/],
      [{ ...ok, report: { tool: { name: 'k6' } } }, /f\.json \(its report\) is not a leakgate report/],
      [{ ...ok, report: { ...ok.report, schemaVersion: 7 } }, /schema version 7, this leakgate \(schema 1\) cannot compare/],
      [[1, 2], /is not a stored baseline \(expected an object/],
    ];
    for (const [value, message] of rows) {
      assert.throws(() => parseStoredBaseline(JSON.stringify(value), 'f.json'), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    }
    assert.throws(() => parseStoredBaseline('{"sha": ', 'f.json'), /^ConfigError: f\.json is not valid JSON \(.*\); it was left untouched$/);
  });
});

describe('cache keys', () => {
  const e = entry(SHA('a'), 1);

  it('builds the save key from config, branch, sha, run id and attempt', () => {
    const key = cacheSaveKey(e, '123456', '2');
    assert.match(key, /^leakgate-api-main-[0-9a-f]{8}-a{40}-123456-2$/);
    assert.ok(key.startsWith(cacheKeyPrefix(e)));
    assert.ok(key.startsWith(cacheRestoreKeys({ configName: 'api', branch: 'main', mergeBase: SHA('a') }).primaryKey));
  });

  it('restores by prefix, merge-base commit first', () => {
    const prefix = cacheKeyPrefix({ configName: 'api', branch: 'refs/heads/main' });
    assert.deepEqual(cacheRestoreKeys({ configName: 'api', branch: 'main' }), { primaryKey: prefix, restoreKeys: [prefix] });
    const withBase = cacheRestoreKeys({ configName: 'api', branch: 'main', mergeBase: 'ABCDEF1234' });
    assert.deepEqual(withBase, { primaryKey: `${prefix}abcdef1234`, restoreKeys: [`${prefix}abcdef1234`, prefix] });
    // Not a sha: only the branch prefix.
    assert.deepEqual(cacheRestoreKeys({ configName: 'api', branch: 'main', mergeBase: 'HEAD~1' }).restoreKeys, [prefix]);
  });

  it('keeps prefixes of different keys apart even when the names nest', () => {
    const pairs: [string, string][] = [['api', 'main'], ['api', 'main-2'], ['api-main', '2'], ['api-v2', 'main'], ['api', 'v2-main'], ['API', 'main']];
    const prefixes = pairs.map(([configName, branch]) => cacheKeyPrefix({ configName, branch }));
    for (const p of prefixes) {
      for (const q of prefixes) if (p !== q) assert.ok(!q.startsWith(p), `${q} starts with ${p}`);
    }
  });

  it('has no comma (refused by the cache service) and refuses a run id that would add one', () => {
    assert.ok(!cacheSaveKey(entry(SHA('a'), 1, { configName: 'a,b', branch: 'x,y' }), '1', '1').includes(','));
    assert.throws(() => cacheSaveKey(e, '1,2', '1'), /cache run id "1,2" must be letters, digits/);
  });
});

describe('cache store', () => {
  const key = { configName: 'api', branch: 'main' };
  const saved = entry(SHA('a'), 1);

  it('without the cache service, loads no baseline and does not save, saying why', async () => {
    const names = ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_SERVICE_V2'];
    const kept = names.map((n) => [n, process.env[n]] as const);
    for (const n of names) delete process.env[n];
    try {
      const store = createCacheStore({ file: join(tmp, 'cache-none', 'baseline.json') });
      const loaded = await store.load(key);
      assert.equal(loaded.chosen, null);
      assert.equal(loaded.why, `no baseline loaded: ${NOT_AVAILABLE}`);
      const result = await store.save(saved);
      assert.equal(result.saved, false);
      assert.match(result.message, /^baseline NOT saved: the Actions cache is not available here \(ACTIONS_CACHE_URL \/ ACTIONS_RESULTS_URL unset\)/);
      assert.ok(!existsSync(join(tmp, 'cache-none')), 'nothing written when the cache is unavailable');
    } finally {
      for (const [n, v] of kept) if (v !== undefined) process.env[n] = v;
    }
  });

  // A stand-in for the service with its documented rules (the real one cannot be reached here): keys are
  // never overwritten, and a restore returns the newest entry whose key starts with the first matching key.
  function memoryCache(): CacheApi & { keys: string[] } {
    const entries: { key: string; data: string; paths: string }[] = [];
    return {
      keys: [],
      isFeatureAvailable: () => true,
      async saveCache(paths, k) {
        if (entries.some((x) => x.key === k)) return -1;
        entries.push({ key: k, data: readFileSync(paths[0]!, 'utf8'), paths: paths.join('|') });
        this.keys.push(k);
        return entries.length;
      },
      async restoreCache(paths, primaryKey, restoreKeys = []) {
        for (const k of [primaryKey, ...restoreKeys]) {
          const hit = entries.filter((x) => x.key.startsWith(k) && x.paths === paths.join('|')).pop();
          if (hit) {
            writeFileSync(paths[0]!, hit.data);
            return hit.key;
          }
        }
        return undefined;
      },
    };
  }

  it('saves under a unique key and restores the newest entry, or the merge-base one', async () => {
    const api = memoryCache();
    const file = join(tmp, 'cache-mem', 'baseline.json');
    const store = createCacheStore({ api, file, runId: '77', runAttempt: '1' });
    assert.equal((await store.load(key)).chosen, null);
    const older = entry(SHA('b'), 2);
    const newer = entry(SHA('c'), 3);
    assert.equal((await store.save(older)).saved, true);
    const r = await createCacheStore({ api, file, runId: '78', runAttempt: '1' }).save(newer);
    assert.equal(r.location, api.keys[1]);
    assert.match(r.message, /\(2 entries of history\)$/);
    const plain = await store.load(key);
    assert.equal(plain.chosen?.sha, newer.sha);
    // The newest entry carries the one saved before it, so a single restore gives history.
    assert.deepEqual(plain.entries.map((e) => e.sha), [newer.sha, older.sha]);
    assert.match(plain.why, /^newest of main .*\(Actions cache key leakgate-api-main-/);
    const byBase = await store.load({ ...key, mergeBase: SHA('b') });
    assert.equal(byBase.chosen?.sha, older.sha);
    assert.deepEqual(byBase.entries.map((e) => e.sha), [older.sha], 'never the newer entry');
    assert.match(byBase.why, /^merge-base bbbbbbb of main/);
    assert.equal((await store.load({ configName: 'api', branch: 'main-2' })).chosen, null);
    await assert.rejects(store.save(older), (e: unknown) => e instanceof BaselineSaveError && /NOT saved: the Actions cache did not accept key/.test(e.message));
  });

  it('carries at most `history` entries, and restarts the history past an unreadable entry', async () => {
    const api = memoryCache();
    const file = join(tmp, 'cache-hist', 'baseline.json');
    for (const [i, c] of ['a', 'b', 'c', 'd'].entries()) {
      await createCacheStore({ api, file, runId: String(100 + i), runAttempt: '1', history: 3 }).save(entry(SHA(c), i + 1));
    }
    const loaded = await createCacheStore({ api, file }).load(key);
    assert.deepEqual(loaded.entries.map((e) => e.sha[0]), ['d', 'c', 'b']);
    // A corrupt newest entry (written by hand, or by another version) does not block the next save.
    writeFileSync(file, '{ not json');
    await api.saveCache([file], `${cacheKeyPrefix(key)}${'e'.repeat(40)}-999-1`);
    const warnings: string[] = [];
    const logger = { info() {}, debug() {}, warn: (m: string) => warnings.push(m) };
    const r = await createCacheStore({ api, file, runId: '200', runAttempt: '1', logger }).save(entry(SHA('f'), 9));
    assert.equal(r.saved, true);
    assert.match(r.message, /\(1 entry of history\)$/);
    assert.match(warnings.join('\n'), /unreadable, so the new baseline starts its history afresh/);
  });
});

describe('branch store layout and git output', () => {
  it('puts one file per entry under branch and config', () => {
    const e = entry(SHA('a'), 1, { branch: 'refs/heads/feature/x', configName: 'api/v2' });
    assert.equal(entryDir(e), 'baselines/feature/x/api%2Fv2');
    assert.equal(entryPath(e), `baselines/feature/x/api%2Fv2/20250101T000100000Z-${'a'.repeat(12)}.json`);
  });

  it('parses ls-tree -z output and names the offset of a malformed record', () => {
    const oid = 'f'.repeat(40);
    const text = `100644 blob ${oid}\tbaselines/main/api/a b.json\u0000040000 tree ${oid}\tbaselines/main/api/x\u0000`;
    assert.deepEqual(parseLsTree(text), [
      { mode: '100644', type: 'blob', oid, path: 'baselines/main/api/a b.json' },
      { mode: '040000', type: 'tree', oid, path: 'baselines/main/api/x' },
    ]);
    assert.deepEqual(parseLsTree(''), []);
    const bad = `100644 blob ${oid}\tok.json\u0000garbage\u0000`;
    assert.throws(() => parseLsTree(bad), /^Error: git ls-tree output is malformed at offset 61: "garbage"/);
  });

  it('reads the newest `limit` entry files plus the merge-base one, ignoring others', () => {
    const dir = 'baselines/main/api';
    const f = (name: string, type = 'blob') => ({ mode: '100644', type, oid: '0'.repeat(40), path: `${dir}/${name}` });
    const files = [
      f(`20250101T000100000Z-${'a'.repeat(12)}.json`),
      f(`20250101T000300000Z-${'c'.repeat(12)}.json`),
      f(`20250101T000200000Z-${'b'.repeat(12)}.json`),
      f('notes.txt'),
      f('nested', 'tree'),
    ];
    assert.deepEqual(pickEntryFiles(files, dir, 1).map((x) => x.path.slice(-17, -5)), ['c'.repeat(12)]);
    assert.deepEqual(pickEntryFiles(files, dir, 1, 'a'.repeat(40)).map((x) => x.path.slice(-17, -5)), ['c'.repeat(12), 'a'.repeat(12)]);
    assert.equal(pickEntryFiles(files, dir, 10).length, 3);
  });

  it('tells a lost race from a refusal', () => {
    assert.ok(isLostRace('!\tabc:refs/heads/b\t[rejected] (fetch first)'));
    assert.ok(isLostRace('!\tabc:refs/heads/b\t[remote rejected] (failed to update ref)'));
    assert.ok(isLostRace('! [rejected] abc -> b (non-fast-forward)'));
    assert.ok(!isLostRace('!\tabc:refs/heads/b\t[remote rejected] (protected branch hook declined)'));
    assert.ok(!isLostRace("remote: Permission to o/r.git denied to github-actions[bot].\nfatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403"));
  });
});

describe('git token handling', () => {
  const token = 'ghs_abcdefSECRET0123456789';

  it('builds the header actions/checkout uses and scopes it to the remote origin', () => {
    assert.equal(authHeader(token), `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
    assert.equal(extraHeaderKey('https://github.com/o/r.git'), 'http.https://github.com/.extraheader');
    assert.equal(extraHeaderKey('/srv/git/r.git'), 'http.extraheader');
  });

  it('passes the header in the environment, after any config entries already there', () => {
    const env = gitEnv({ env: { PATH: '/bin', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'a.b', GIT_CONFIG_VALUE_0: 'c' }, token, tokenUrl: 'https://github.com/o/r.git' });
    assert.equal(env.GIT_CONFIG_COUNT, '2');
    assert.equal(env.GIT_CONFIG_KEY_0, 'a.b');
    assert.equal(env.GIT_CONFIG_KEY_1, 'http.https://github.com/.extraheader');
    assert.equal(env.GIT_CONFIG_VALUE_1, authHeader(token));
    assert.equal(env.LC_ALL, 'C');
    assert.equal(gitEnv({ env: {} }).GIT_CONFIG_COUNT, undefined);
  });

  it('redacts the token, its base64 forms and URL credentials', () => {
    const text = `x ${token} y ${authHeader(token)} z https://user:${token}@github.com/o/r.git`;
    const out = redact(text, token);
    assert.ok(!out.includes(token) && !out.includes(Buffer.from(`x-access-token:${token}`).toString('base64')), out);
    assert.equal(out, 'x *** y AUTHORIZATION: basic *** z https://***@github.com/o/r.git');
  });
});

describe('file store', () => {
  let n = 0;
  const fresh = (): { dir: string; path: string } => {
    const dir = join(tmp, `file-${++n}`);
    return { dir, path: 'baselines/leakgate.json' };
  };

  it('loads "no baseline yet" from a missing file and does not create it', async () => {
    const { dir, path } = fresh();
    const loaded = await createFileStore({ path, cwd: dir }).load({ configName: 'api', branch: 'main' });
    assert.equal(loaded.chosen, null);
    assert.equal(loaded.why, "no baseline yet for 'api' on main (baselines/leakgate.json does not exist)");
    assert.ok(!existsSync(dir));
  });

  it('saves atomically, appends history, and loads the newest or the merge-base entry', async () => {
    const { dir, path } = fresh();
    const store = createFileStore({ path, cwd: dir });
    const a = entry(SHA('a'), 1);
    const b = entry(SHA('b'), 2);
    await store.save(a);
    const r = await store.save(b);
    assert.match(r.message, /^saved the baseline of 'api' on main to baselines\/leakgate\.json \(2 entries of history\)$/);
    assert.deepEqual(readdirSync(join(dir, 'baselines')), ['leakgate.json'], 'no temp file left behind');
    const file = JSON.parse(readFileSync(join(dir, path), 'utf8')) as BaselineFile;
    assert.equal(file.schema, 'leakgate-baselines');
    assert.equal(file.version, 1);
    assert.equal((await store.load({ configName: 'api', branch: 'main' })).chosen?.sha, b.sha);
    const byBase = await store.load({ configName: 'api', branch: 'main', mergeBase: SHA('a') });
    assert.equal(byBase.chosen?.sha, a.sha);
    assert.equal(byBase.why, 'merge-base aaaaaaa of main (file baselines/leakgate.json)');
  });

  it('caps history per branch + config and keeps other keys', () => {
    let file: BaselineFile = { schema: 'leakgate-baselines', version: 1, entries: [entry(SHA('f'), 0, { configName: 'web' })] };
    for (let i = 1; i <= 5; i++) file = appendEntry(file, entry(SHA(String(i)), i), 3);
    assert.deepEqual(file.entries.filter((e) => e.configName === 'api').map((e) => e.sha[0]), ['3', '4', '5']);
    assert.equal(file.entries.filter((e) => e.configName === 'web').length, 1);
  });

  it('reads a plain report as a one-entry store, and turns it into a store on save', async () => {
    const { dir, path } = fresh();
    const plain = report(5, 'old-name');
    rmSync(dir, { recursive: true, force: true });
    const full = join(dir, path);
    const store = createFileStore({ path, cwd: dir });
    await store.save(entry(SHA('0'), 0)); // makes the directory
    writeFileSync(full, JSON.stringify(plain));
    const loaded = await store.load({ configName: 'api', branch: 'main' });
    assert.deepEqual(loaded.chosen?.report, plain);
    assert.equal(loaded.chosen?.sha, '');
    assert.match(loaded.why, /^newest of main \(saved 2025-01-01T00:00:00.000Z\) \(file baselines\/leakgate\.json, a single report\)$/);
    await store.save(entry(SHA('b'), 9));
    const after = await store.load({ configName: 'api', branch: 'main' });
    assert.deepEqual(after.entries.map((e) => e.sha), [SHA('b'), '']);
  });

  it('refuses a corrupt, foreign or newer file, naming it, and leaves it byte-for-byte untouched', async () => {
    const rows: [string, RegExp][] = [
      ['{"schema": "leakgate-baselines", "version": 1, "entries": [', /^baseline store 'baselines\/leakgate\.json' is not valid JSON \(.*\); it was left untouched$/],
      ['{"schema": "leakgate-baselines", "version": 2, "entries": []}', /has version 2, this leakgate reads version 1; .*left untouched$/],
      ['{"schema": "other", "version": 1}', /has schema "other", expected 'leakgate-baselines'/],
      ['{"schema": "leakgate-baselines", "version": 1, "entries": [{"sha": 1}]}', /entry 0 is not a stored baseline: field 'sha' is not a string/],
      ['{"name": "not a report"}', /neither a 'leakgate-baselines' file nor a report\) is not a leakgate report/],
    ];
    for (const [text, message] of rows) {
      const { dir, path } = fresh();
      const store = createFileStore({ path, cwd: dir });
      await store.save(entry(SHA('0'), 0));
      const full = join(dir, path);
      writeFileSync(full, text);
      const check = (e: unknown): boolean => e instanceof ConfigError && message.test(e.message);
      await assert.rejects(store.load({ configName: 'api', branch: 'main' }), check);
      await assert.rejects(store.save(entry(SHA('1'), 1)), check);
      assert.equal(readFileSync(full, 'utf8'), text);
    }
  });

  it('accepts the parse of its own output', () => {
    const file: BaselineFile = { schema: 'leakgate-baselines', version: 1, entries: [entry(SHA('a'), 1)] };
    assert.deepEqual(parseBaselineFile(JSON.stringify(file), 'x'), { file, plain: false });
  });
});
