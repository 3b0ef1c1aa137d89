// readEventContext on trimmed copies of real GitHub event payloads (pull_request from the same repo
// and from a fork, push, workflow_run), loadEventContext on real files, and the comment rules
// (shouldComment, commentMarker, stickyBody, Link parsing).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEventContext, readEventContext, runUrlOf } from '../../src/github/event-context.js';
import { commentMarker, MAX_COMMENT_CHARS, pickStickyComment, shouldComment, stickyBody, type CommentMode } from '../../src/github/sticky-comment.js';
import { isLoopbackUrl, linkHasNext } from '../../src/github/client.js';

const HEAD = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const MERGE = '0b2a7c1e3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b';

const repository = { id: 1296269, name: 'app', full_name: 'octo/app', owner: { login: 'octo', type: 'Organization' }, private: false, default_branch: 'main' };

/** pull_request "synchronize", head in the same repository. */
const prSameRepo = {
  action: 'synchronize',
  number: 42,
  pull_request: {
    url: 'https://api.github.com/repos/octo/app/pulls/42',
    number: 42,
    state: 'open',
    title: 'Cache parsed configs',
    user: { login: 'alice', type: 'User' },
    head: { label: 'octo:cache-configs', ref: 'cache-configs', sha: HEAD, repo: { ...repository, fork: false } },
    base: { label: 'octo:main', ref: 'main', sha: BASE, repo: { ...repository, fork: false } },
  },
  repository,
  sender: { login: 'alice', type: 'User' },
};

/** pull_request "opened" from a fork. */
const prFromFork = {
  ...prSameRepo,
  action: 'opened',
  pull_request: {
    ...prSameRepo.pull_request,
    head: { label: 'mallory:patch-1', ref: 'patch-1', sha: HEAD, repo: { ...repository, full_name: 'mallory/app', owner: { login: 'mallory', type: 'User' }, fork: true } },
  },
};

const prEnv = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_SHA: MERGE,
  GITHUB_REF: 'refs/pull/42/merge',
  GITHUB_REF_NAME: '42/merge',
};

const pushPayload = {
  ref: 'refs/heads/main',
  before: BASE,
  after: HEAD,
  repository,
  pusher: { name: 'alice', email: 'alice@example.com' },
  head_commit: { id: HEAD, message: 'Cache parsed configs (#42)' },
};

const workflowRunPayload = {
  action: 'completed',
  workflow_run: {
    id: 1234567890,
    name: 'leakgate',
    event: 'pull_request',
    status: 'completed',
    conclusion: 'failure',
    head_branch: 'cache-configs',
    head_sha: HEAD,
    run_attempt: 1,
    html_url: 'https://github.com/octo/app/actions/runs/1234567890',
    pull_requests: [{ number: 42, head: { ref: 'cache-configs', sha: HEAD, repo: { name: 'app' } }, base: { ref: 'main', sha: BASE, repo: { name: 'app' } } }],
    head_repository: { full_name: 'octo/app' },
    repository: { full_name: 'octo/app' },
  },
  repository,
};

describe('readEventContext', () => {
  it('reads a pull_request from the same repository', () => {
    const ctx = readEventContext(prEnv, prSameRepo);
    assert.deepEqual(ctx, {
      eventName: 'pull_request',
      repo: { owner: 'octo', name: 'app' },
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runUrl: 'https://github.com/octo/app/actions/runs/9876543210',
      sha: MERGE,
      ref: 'refs/pull/42/merge',
      refName: '42/merge',
      defaultBranch: 'main',
      hasPayload: true,
      pr: { number: 42, baseRef: 'main', baseSha: BASE, headRef: 'cache-configs', headSha: HEAD, headRepo: 'octo/app', isFork: false },
      workflowRun: null,
      push: null,
    });
  });

  it('marks a pull request from a fork, and one whose fork was deleted (head.repo null)', () => {
    const fork = readEventContext({ ...prEnv, GITHUB_EVENT_NAME: 'pull_request_target' }, prFromFork);
    assert.equal(fork.pr?.isFork, true);
    assert.equal(fork.pr?.headRepo, 'mallory/app');
    assert.equal(fork.pr?.headRef, 'patch-1');
    const deleted = { ...prFromFork, pull_request: { ...prFromFork.pull_request, head: { ...prFromFork.pull_request.head, repo: null } } };
    const ctx = readEventContext(prEnv, deleted);
    assert.equal(ctx.pr?.isFork, true);
    assert.equal(ctx.pr?.headRepo, null);
  });

  it('tolerates a sparse pull_request payload: absent fields read as null, not a fork', () => {
    const ctx = readEventContext({ GITHUB_EVENT_NAME: 'pull_request' }, { pull_request: { number: 7, head: { sha: 'abc' }, base: { ref: 'main' } } });
    assert.deepEqual(ctx.pr, { number: 7, baseRef: 'main', baseSha: null, headRef: null, headSha: 'abc', headRepo: null, isFork: false });
    assert.equal(ctx.repo, null);
    assert.equal(ctx.runUrl, null);
    assert.equal(ctx.apiUrl, 'https://api.github.com');
  });

  it('refuses a pull_request payload without a number, naming the field', () => {
    assert.throws(
      () => readEventContext(prEnv, { pull_request: { number: '42' } }),
      { message: `event payload: field 'pull_request.number' is not a positive integer: "42"` },
    );
    assert.throws(() => readEventContext(prEnv, { action: 'opened' }), { message: "event payload: field 'pull_request' is missing or not an object" });
  });

  it('reads a push to the default branch and to another branch', () => {
    const env = { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo/app', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_SHA: HEAD };
    const main = readEventContext(env, pushPayload);
    assert.deepEqual(main.push, { branch: 'main', isDefaultBranch: true });
    assert.equal(main.pr, null);
    assert.equal(main.sha, HEAD);
    const other = readEventContext({ ...env, GITHUB_REF: 'refs/heads/feature/x', GITHUB_REF_NAME: 'feature/x' }, { ...pushPayload, ref: 'refs/heads/feature/x' });
    assert.deepEqual(other.push, { branch: 'feature/x', isDefaultBranch: false });
    const tag = readEventContext({ ...env, GITHUB_REF: 'refs/tags/v1.2.0', GITHUB_REF_NAME: 'v1.2.0' }, pushPayload);
    assert.deepEqual(tag.push, { branch: null, isDefaultBranch: false });
  });

  it('derives refName from the ref when GITHUB_REF_NAME is absent', () => {
    const ctx = readEventContext({ GITHUB_EVENT_NAME: 'push' }, { ...pushPayload, ref: 'refs/heads/release/2' });
    assert.equal(ctx.ref, 'refs/heads/release/2');
    assert.equal(ctx.refName, 'release/2');
    assert.deepEqual(ctx.repo, { owner: 'octo', name: 'app' });
  });

  it('reads the triggering run of a workflow_run event', () => {
    const ctx = readEventContext({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REPOSITORY: 'octo/app', GITHUB_REF: 'refs/heads/main' }, workflowRunPayload);
    assert.deepEqual(ctx.workflowRun, {
      id: 1234567890,
      event: 'pull_request',
      headSha: HEAD,
      headBranch: 'cache-configs',
      headRepo: 'octo/app',
      conclusion: 'failure',
      htmlUrl: 'https://github.com/octo/app/actions/runs/1234567890',
      prNumbers: [42],
    });
    assert.equal(ctx.pr, null);
  });

  it('gives no PR numbers for a workflow_run from a fork (GitHub leaves pull_requests empty)', () => {
    const fromFork = { ...workflowRunPayload, workflow_run: { ...workflowRunPayload.workflow_run, pull_requests: [], head_repository: { full_name: 'mallory/app' } } };
    const ctx = readEventContext({ GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REPOSITORY: 'octo/app' }, fromFork);
    assert.deepEqual(ctx.workflowRun?.prNumbers, []);
    assert.equal(ctx.workflowRun?.headRepo, 'mallory/app');
  });

  it('links a re-run to its attempt, and honours GitHub Enterprise URLs', () => {
    const ctx = readEventContext(
      { ...prEnv, GITHUB_RUN_ATTEMPT: '3', GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_API_URL: 'https://ghe.example.com/api/v3' },
      prSameRepo,
    );
    assert.equal(ctx.runUrl, 'https://ghe.example.com/octo/app/actions/runs/9876543210/attempts/3');
    assert.equal(ctx.apiUrl, 'https://ghe.example.com/api/v3');
    assert.equal(runUrlOf('https://github.com', 'o/r', '5', 'x'), 'https://github.com/o/r/actions/runs/5');
  });

  it('works without any payload or variables (a local CLI run)', () => {
    const ctx = readEventContext({}, undefined);
    assert.equal(ctx.hasPayload, false);
    assert.equal(ctx.eventName, '');
    assert.deepEqual([ctx.repo, ctx.pr, ctx.push, ctx.workflowRun, ctx.sha], [null, null, null, null, null]);
    assert.equal(ctx.serverUrl, 'https://github.com');
  });

  it('refuses a malformed GITHUB_REPOSITORY and a payload that is not an object', () => {
    assert.throws(() => readEventContext({ GITHUB_REPOSITORY: 'just-a-name' }, undefined), {
      message: "GITHUB_REPOSITORY: 'just-a-name' is not a repository of the form 'owner/name'",
    });
    assert.throws(() => readEventContext({}, [1, 2]), { message: 'event payload: expected a JSON object, got an array' });
  });
});

describe('loadEventContext', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-event-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads the payload file named by GITHUB_EVENT_PATH', () => {
    const path = write('pr.json', JSON.stringify(prSameRepo));
    const ctx = loadEventContext({ ...prEnv, GITHUB_EVENT_PATH: path });
    assert.equal(ctx.hasPayload, true);
    assert.equal(ctx.pr?.number, 42);
  });

  it('gives a context without payload when the variable or the file is missing', () => {
    assert.equal(loadEventContext({ GITHUB_EVENT_NAME: 'push' }).hasPayload, false);
    const ctx = loadEventContext({ ...prEnv, GITHUB_EVENT_PATH: join(dir, 'absent.json') });
    assert.equal(ctx.hasPayload, false);
    assert.equal(ctx.pr, null);
  });

  it('names the path for invalid JSON and for a malformed payload', () => {
    const bad = write('bad.json', '{"pull_request": {');
    assert.throws(() => loadEventContext({ ...prEnv, GITHUB_EVENT_PATH: bad }), (err: Error) => {
      assert.ok(err.message.startsWith(`GITHUB_EVENT_PATH ${bad}: the event payload is not valid JSON: `), err.message);
      return true;
    });
    const noNumber = write('nonumber.json', '{"pull_request": {}}');
    assert.throws(() => loadEventContext({ ...prEnv, GITHUB_EVENT_PATH: noNumber }), {
      message: `GITHUB_EVENT_PATH ${noNumber}: event payload: field 'pull_request.number' is not a positive integer: undefined`,
    });
  });

  it('names the path when it is not a readable file', () => {
    assert.throws(() => loadEventContext({ ...prEnv, GITHUB_EVENT_PATH: dir }), new RegExp(`^Error: GITHUB_EVENT_PATH ${dir}: cannot read the event payload: EISDIR`));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('shouldComment', () => {
  const clean = { failed: false, regression: false, leak: false, existing: false };
  const cases: [CommentMode, Partial<typeof clean>, boolean][] = [
    ['always', {}, true],
    ['always', { failed: true }, true],
    ['never', { failed: true, existing: true }, false],
    ['on-regression', {}, false],
    ['on-regression', { failed: true }, true],
    ['on-regression', { regression: true }, true],
    ['on-regression', { leak: true }, true],
    // Passing again after a failing run: update the stale comment rather than leave it.
    ['on-regression', { existing: true }, true],
  ];
  for (const [mode, facts, expected] of cases) {
    it(`${mode} ${JSON.stringify(facts)} -> ${expected}`, () => {
      assert.equal(shouldComment(mode, { ...clean, ...facts }), expected);
    });
  }

  it('refuses an unknown mode, listing the valid ones', () => {
    assert.throws(() => shouldComment('sometimes' as CommentMode, clean), { message: "comment mode 'sometimes' is not one of always, on-regression, never" });
  });
});

describe('commentMarker and stickyBody', () => {
  it('marks a plain name readably', () => {
    assert.equal(commentMarker('api'), '<!-- leakgate:name=api -->');
    assert.equal(commentMarker('web_1.2'), '<!-- leakgate:name=web_1.2 -->');
  });

  it('cannot be closed early by the name, nor confused with a longer name', () => {
    for (const name of ['-->', 'a--!>b', 'x\n-->\n<script>', ' api ']) {
      const marker = commentMarker(name);
      assert.equal(marker.indexOf('-->'), marker.length - 3, marker);
      assert.doesNotMatch(marker.slice(5, -4), /[<>\s]/, marker);
    }
    assert.ok(!commentMarker('api-v2').includes(commentMarker('api')));
  });

  it('refuses an empty name', () => {
    assert.throws(() => commentMarker(''), /sticky comment name is empty/);
  });

  it('puts the marker first once, and cuts bodies over GitHub\'s limit', () => {
    assert.equal(stickyBody('api', 'hello'), '<!-- leakgate:name=api -->\nhello');
    assert.equal(stickyBody('api', 'x <!-- leakgate:name=api --> y'), 'x <!-- leakgate:name=api --> y');
    const long = stickyBody('api', '😀'.repeat(40_000));
    assert.ok(long.length <= MAX_COMMENT_CHARS, `${long.length}`);
    assert.match(long, /comment cut: \d+ more characters/);
    assert.doesNotMatch(long, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no lone high surrogate');
  });

  it('picks the own comment first, else the oldest marked one', () => {
    const m = commentMarker('api');
    const c = (id: number, login: string, body: string) => ({ id, body, user: { login, type: 'User' }, html_url: '' });
    const list = [c(1, 'alice', 'no marker'), c(2, 'bob', `${m} bob`), c(3, 'github-actions[bot]', `${m} bot`)];
    assert.equal(pickStickyComment(list, m, 'GitHub-Actions[bot]')?.id, 3);
    assert.equal(pickStickyComment(list, m, 'someone-else')?.id, 2);
    assert.equal(pickStickyComment(list.slice(0, 1), m, 'bob'), null);
  });
});

describe('linkHasNext and isLoopbackUrl', () => {
  it('reads rel="next" from a GitHub Link header', () => {
    const u = (n: number) => `<https://api.github.com/repositories/1/issues/3/comments?per_page=100&page=${n}>`;
    assert.equal(linkHasNext(`${u(2)}; rel="next", ${u(2)}; rel="last"`), true);
    assert.equal(linkHasNext(`${u(1)}; rel="prev", ${u(1)}; rel="first"`), false);
    assert.equal(linkHasNext(undefined), false);
    assert.equal(linkHasNext(''), false);
  });

  it('knows loopback API URLs', () => {
    assert.equal(isLoopbackUrl('http://127.0.0.1:4000'), true);
    assert.equal(isLoopbackUrl('http://localhost/api/v3'), true);
    assert.equal(isLoopbackUrl('http://[::1]:8080'), true);
    assert.equal(isLoopbackUrl('https://api.github.com'), false);
    assert.equal(isLoopbackUrl('not a url'), false);
  });
});
