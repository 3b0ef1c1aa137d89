// The git-branch baseline store against real git: a bare "origin" that refuses non-fast-forward
// updates (so a force-push would fail), several writers saving at once, a push that loses a race and
// is retried, corrupt entries, a missing branch, and token authentication seen by a real HTTP server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/errors.js';
import { createBranchStore, entryPath, type BranchStoreOptions } from '../../src/baseline/branch-store.js';
import { BaselineSaveError, type StoredBaseline } from '../../src/baseline/store.js';
import { git, GitError, gitOk } from '../../src/baseline/git.js';
import { REPORT_SCHEMA_VERSION, type Report } from '../../src/core/types.js';
import { freePort, tempDir } from './helpers.js';

const BRANCH = 'leakgate-baselines';
const root = tempDir('leakgate-branch-store-');
const home = join(root, 'home');
mkdirSync(home);
// No global or system git config, no inherited GIT_DIR and friends: the test sees only what it sets up.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
Object.assign(env, { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1' });

let originCount = 0;
/** A fresh bare origin that denies non-fast-forward updates and deletions. */
function makeOrigin(): string {
  const dir = join(root, `origin-${++originCount}.git`);
  execFileSync('git', ['init', '-q', '--bare', dir], { env });
  execFileSync('git', ['-C', dir, 'config', 'receive.denyNonFastForwards', 'true'], { env });
  execFileSync('git', ['-C', dir, 'config', 'receive.denyDeletes', 'true'], { env });
  return dir;
}

function gitIn(dir: string, args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { env, encoding: 'utf8', timeout: 20_000 });
}

function report(bytesPerRequest: number): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: '0.1.0' },
    name: 'api',
    createdAt: '2025-01-01T00:00:00.000Z',
    trials: [{ samples: [], analysis: { bytesPerRequest } }],
  } as unknown as Report;
}

let shaCounter = 0;
/** A stored entry with a distinct sha and a savedAt `minutes` after a fixed start. */
function entry(minutes: number, over: Partial<StoredBaseline> = {}): StoredBaseline {
  const sha = (++shaCounter).toString(16).padStart(8, '0').repeat(5);
  return {
    report: report(minutes),
    sha,
    branch: 'main',
    configName: 'api',
    savedAt: new Date(Date.UTC(2025, 0, 1, 0, minutes)).toISOString(),
    ...over,
  };
}

function store(remote: string, over: Partial<BranchStoreOptions> = {}) {
  return createBranchStore({ remote, env, workDir: root, backoffMs: 20, timeoutMs: 20_000, ...over });
}

/** Files of the baselines branch on the origin. */
function filesOn(origin: string): string[] {
  return gitIn(origin, ['ls-tree', '-r', '--name-only', BRANCH]).trim().split('\n').filter(Boolean);
}

/** Checks the branch is one linear chain (no merges) and returns its commit count. */
function linearCommits(origin: string): number {
  const lines = gitIn(origin, ['rev-list', '--parents', BRANCH]).trim().split('\n');
  for (const line of lines) assert.ok(line.split(' ').length <= 2, `merge commit on ${BRANCH}: ${line}`);
  return lines.length;
}

after(() => rmSync(root, { recursive: true, force: true }));

describe('branch store on a local bare origin', () => {
  const origin = makeOrigin();
  const writerA = store(origin);
  const first = entry(1);
  const second = entry(2);

  it('loads "no baseline yet" while the branch does not exist', async () => {
    const loaded = await writerA.load({ configName: 'api', branch: 'main' });
    assert.equal(loaded.chosen, null);
    assert.deepEqual(loaded.entries, []);
    assert.match(loaded.why, /^no baseline yet for 'api' on main \(branch leakgate-baselines of .* does not exist yet\)$/);
  });

  it('creates the branch on the first save, with a README and the entry file', async () => {
    const saved = await writerA.save(first);
    assert.equal(saved.saved, true);
    assert.equal(saved.attempts, 1);
    assert.match(saved.message, /created the branch/);
    assert.deepEqual(filesOn(origin).sort(), ['README.md', entryPath(first)].sort());
    assert.match(entryPath(first), /^baselines\/main\/api\/20250101T000100000Z-[0-9a-f]{12}\.json$/);
    assert.equal(gitIn(origin, ['log', '-1', '--format=%an <%ae>', BRANCH]).trim(), 'leakgate <leakgate@users.noreply.github.com>');
  });

  it('loads the saved entry', async () => {
    const loaded = await writerA.load({ configName: 'api', branch: 'refs/heads/main' });
    assert.equal(loaded.chosen?.sha, first.sha);
    assert.deepEqual(loaded.chosen?.report, first.report);
    assert.equal(loaded.entries.length, 1);
  });

  it('keeps history on a second save (from another writer) and chooses the newest', async () => {
    const writerB = store(origin);
    assert.equal((await writerB.save(second)).saved, true);
    const loaded = await writerA.load({ configName: 'api', branch: 'main' });
    assert.deepEqual(loaded.entries.map((e) => e.sha), [second.sha, first.sha]);
    assert.equal(loaded.chosen?.sha, second.sha);
    assert.match(loaded.why, /^newest of main/);
  });

  it('picks the merge-base entry when it is stored, says so, and pools no newer entry with it', async () => {
    const loaded = await writerA.load({ configName: 'api', branch: 'main', mergeBase: first.sha });
    assert.equal(loaded.chosen?.sha, first.sha);
    assert.deepEqual(loaded.entries.map((e) => e.sha), [first.sha], 'the second entry was saved after the merge base');
    assert.match(loaded.why, new RegExp(`^merge-base ${first.sha.slice(0, 7)} of main`));
    const later = await writerA.load({ configName: 'api', branch: 'main', mergeBase: second.sha });
    assert.deepEqual(later.entries.map((e) => e.sha), [second.sha, first.sha]);
    const limited = await writerA.load({ configName: 'api', branch: 'main', mergeBase: second.sha, limit: 1 });
    assert.deepEqual(limited.entries.map((e) => e.sha), [second.sha]);
  });

  it('falls back to the newest when the merge base is not stored, and says so', async () => {
    const loaded = await writerA.load({ configName: 'api', branch: 'main', mergeBase: 'abcdef1234567' });
    assert.equal(loaded.chosen?.sha, second.sha);
    assert.match(loaded.why, /merge-base abcdef1 is not in the store/);
  });

  it('keeps other configs and branches apart', async () => {
    const other = entry(3, { configName: 'web' });
    const otherBranch = entry(4, { branch: 'main-2' });
    await writerA.save(other);
    await writerA.save(otherBranch);
    const loaded = await writerA.load({ configName: 'api', branch: 'main' });
    assert.deepEqual(loaded.entries.map((e) => e.sha), [second.sha, first.sha]);
    assert.equal((await writerA.load({ configName: 'web', branch: 'main' })).chosen?.sha, other.sha);
  });

  it('saving the same entry twice does not add a commit', async () => {
    const before = gitIn(origin, ['rev-parse', BRANCH]).trim();
    const again = await writerA.save(first);
    assert.equal(again.saved, true);
    assert.match(again.message, /already saved/);
    assert.equal(gitIn(origin, ['rev-parse', BRANCH]).trim(), before);
  });
});

describe('branch store with racing writers', () => {
  it('lands every entry when writers save at once, with a linear history and no force-push', async () => {
    const origin = makeOrigin();
    // In the first round each writer's first push waits until all three have fetched and committed on the same
    // tip, so the race is certain, not left to timing: one push lands and the other two must retry. The later
    // rounds race freely.
    let barrierOn = true;
    let arrived = 0;
    let openBarrier!: () => void;
    const allCommitted = new Promise<void>((resolve) => (openBarrier = resolve));
    const beforePush = async (attempt: number): Promise<void> => {
      if (!barrierOn || attempt !== 1) return;
      if (++arrived === 3) openBarrier();
      await allCommitted;
    };
    const writers = [store(origin, { beforePush }), store(origin, { beforePush }), store(origin, { beforePush })];
    const saved: StoredBaseline[] = [];
    const rounds = 4;
    let retried = 0;
    for (let round = 0; round < rounds; round++) {
      if (round === 1) {
        barrierOn = false;
        assert.equal(retried, 2, 'in the barrier round one push lands first and the other two are retried');
      }
      const batch = writers.map((_, i) => entry(10 + round * 3 + i));
      const results = await Promise.all(writers.map((w, i) => w.save(batch[i]!)));
      for (const r of results) assert.equal(r.saved, true);
      retried += results.filter((r) => r.attempts > 1).length;
      saved.push(...batch);
    }
    const files = filesOn(origin);
    for (const e of saved) assert.ok(files.includes(entryPath(e)), `entry ${entryPath(e)} was lost`);
    assert.equal(files.length, saved.length + 1, 'README plus one file per save');
    // One commit per save and no merges: every push was a fast-forward of the previous tip.
    assert.equal(linearCommits(origin), saved.length);
    assert.ok(retried >= 2, 'the barrier round retried two pushes');
  });

  it('retries a push rejected because another writer pushed between its fetch and its push', async () => {
    const origin = makeOrigin();
    const writerB = store(origin);
    const fromB = entry(31);
    const pushes: number[] = [];
    const writerA = store(origin, {
      beforePush: async (attempt) => {
        pushes.push(attempt);
        if (attempt === 1) await writerB.save(fromB);
      },
    });
    const fromA = entry(30);
    await writerB.save(entry(29));
    const result = await writerA.save(fromA);
    assert.equal(result.saved, true);
    assert.equal(result.attempts, 2);
    assert.deepEqual(pushes, [1, 2]);
    const files = filesOn(origin);
    assert.ok(files.includes(entryPath(fromA)) && files.includes(entryPath(fromB)));
    assert.equal(linearCommits(origin), 3);
  });

  it('gives up after the retries with an error saying the baseline was NOT saved', async () => {
    const origin = makeOrigin();
    const writerB = store(origin);
    let n = 40;
    const writerA = store(origin, { retries: 2, beforePush: async () => void (await writerB.save(entry(n++))) });
    const lost = entry(39);
    await assert.rejects(writerA.save(lost), (e: unknown) => {
      assert.ok(e instanceof BaselineSaveError);
      assert.match(e.message, /^baseline NOT saved: the push to branch leakgate-baselines of .* lost to other runs 3 times in a row \(last: .*(fetch first|non-fast-forward).*\); leakgate never force-pushes/);
      return true;
    });
    assert.ok(!filesOn(origin).includes(entryPath(lost)));
  });

  it('the origin used here really refuses a force-push (so the tests above would catch one)', () => {
    const origin = makeOrigin();
    const clone = join(root, 'force-clone');
    execFileSync('git', ['clone', '-q', origin, clone], { env, stdio: 'pipe' });
    const commit = (msg: string): void => void gitIn(clone, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', msg]);
    gitIn(clone, ['checkout', '-q', '-b', BRANCH]);
    commit('one');
    commit('two');
    gitIn(clone, ['push', '-q', 'origin', BRANCH]);
    assert.throws(() => execFileSync('git', ['-C', clone, 'push', '-q', '--force', 'origin', `${BRANCH}~1:refs/heads/${BRANCH}`], { env, stdio: 'pipe' }), /denying non-fast-forward/);
  });
});

describe('branch store refusing bad content', () => {
  it('names a corrupt entry and leaves the branch unchanged', async () => {
    const origin = makeOrigin();
    const writer = store(origin);
    const good = entry(50);
    await writer.save(good);
    // Another tool commits a truncated file as the newest entry, with a normal (non-force) push.
    const clone = join(root, 'corrupt-clone');
    execFileSync('git', ['clone', '-q', '--branch', BRANCH, origin, clone], { env });
    const bad = entryPath(entry(51));
    writeFileSync(join(clone, bad), '{"report": {"schemaVersion": 1, "tool": {"name": "leak');
    gitIn(clone, ['add', bad]);
    gitIn(clone, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'corrupt']);
    gitIn(clone, ['push', '-q', 'origin', BRANCH]);
    const tipBefore = gitIn(origin, ['rev-parse', BRANCH]).trim();

    await assert.rejects(writer.load({ configName: 'api', branch: 'main' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.ok(e.message.startsWith(`baseline entry '${bad}' on branch leakgate-baselines of `), e.message);
      assert.match(e.message, /is not valid JSON .*; the branch was left untouched$/);
      return true;
    });
    assert.equal(gitIn(origin, ['rev-parse', BRANCH]).trim(), tipBefore);
    assert.equal(gitIn(origin, ['cat-file', 'blob', `${BRANCH}:${bad}`]), '{"report": {"schemaVersion": 1, "tool": {"name": "leak');
  });

  it('refuses an entry whose report has another schema version, naming the file', async () => {
    const origin = makeOrigin();
    const writer = store(origin);
    const future = entry(60);
    (future.report as { schemaVersion: number }).schemaVersion = 2;
    // save() checks the report too, so write it through git directly.
    const clone = join(root, 'schema-clone');
    await writer.save(entry(59));
    execFileSync('git', ['clone', '-q', '--branch', BRANCH, origin, clone], { env });
    writeFileSync(join(clone, entryPath(future)), JSON.stringify(future));
    gitIn(clone, ['add', entryPath(future)]);
    gitIn(clone, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'future']);
    gitIn(clone, ['push', '-q', 'origin', BRANCH]);
    await assert.rejects(writer.load({ configName: 'api', branch: 'main' }), new RegExp(`'${entryPath(future)}'.*schema version 2, this leakgate \\(schema 1\\) cannot compare`));
  });

  it('refuses to save an entry without a commit sha, before touching the remote', async () => {
    const origin = makeOrigin();
    await assert.rejects(store(origin).save(entry(70, { sha: 'HEAD' })), /^BaselineSaveError: baseline NOT saved: baseline sha "HEAD" is not a commit sha/);
    assert.equal(gitIn(origin, ['for-each-ref']).trim(), '');
  });
});

describe('branch store token authentication', () => {
  let server: ReturnType<typeof createServer>;
  let port = 0;
  const seen: string[] = [];
  before(async () => {
    port = await freePort();
    server = createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ''));
      res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden for this test\n');
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the token as actions/checkout does and never shows it in errors', async () => {
    const token = 'ghs_secretTOKEN1234567890';
    const remote = `http://127.0.0.1:${port}/owner/repo.git`;
    await assert.rejects(store(remote, { token, retries: 0 }).save(entry(80)), (e: unknown) => {
      assert.ok(e instanceof BaselineSaveError);
      assert.match(e.message, /^baseline NOT saved to branch leakgate-baselines of http:\/\/127\.0\.0\.1:\d+\/owner\/repo\.git: git fetch .* exited with code 128/);
      const base64 = Buffer.from(`x-access-token:${token}`).toString('base64');
      assert.ok(!e.message.includes(token) && !e.message.includes(base64), e.message);
      return true;
    });
    const expected = `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    assert.ok(seen.length > 0 && seen.every((h) => h === expected), `headers seen: ${seen.join(', ')}`);
  });
});

describe('git runner', () => {
  it('resolves with the exit code, and gitOk turns a failure into a GitError with args and stderr', async () => {
    const r = await git(['rev-parse', '--verify', 'nope'], { cwd: root, env });
    assert.equal(r.code, 128);
    await assert.rejects(gitOk(['rev-parse', '--verify', 'nope'], { cwd: root, env }), (e: unknown) => {
      assert.ok(e instanceof GitError);
      assert.deepEqual(e.args, ['rev-parse', '--verify', 'nope']);
      assert.equal(e.code, 128);
      assert.match(e.message, /^git rev-parse --verify nope exited with code 128: fatal: /);
      return true;
    });
  });

  it('kills git and the processes it started when the time limit passes', async () => {
    const marker = `${process.pid}.${Date.now() % 100000}`;
    const started = Date.now();
    // An alias that runs a long sleep: git starts a shell, which starts sleep, all in git's process group.
    await assert.rejects(git(['-c', `alias.hang=!sleep 30 && : ${marker}`, 'hang'], { cwd: root, env, timeoutMs: 300 }), /did not finish within 300 ms and was killed/);
    assert.ok(Date.now() - started < 5000);
    const deadline = Date.now() + 3000;
    let alive = processesWith(marker);
    while (alive.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
      alive = processesWith(marker);
    }
    assert.deepEqual(alive, []);
  });
});

/** Pids whose command line mentions marker. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (cmd.includes(marker) && !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') && Number(pid) !== process.pid) found.push(Number(pid));
    } catch {
      // gone
    }
  }
  return found;
}
