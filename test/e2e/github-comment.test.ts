// The sticky PR comment through the real octokit client against a local fake of the GitHub REST API:
// one comment per config name however many runs, found across pages, left alone when identical,
// 'forbidden' (not thrown) for a read-only token, real errors thrown with their status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGitHubClient, GitHubApiError, type GitHubClient } from '../../src/github/client.js';
import { commentMarker, shouldComment, upsertStickyComment, type UpsertParams } from '../../src/github/sticky-comment.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../support/fake-github.js';
import { createServer, type Socket } from 'node:net';
import { freePort } from '../support/net.js';

const OWNER = 'octo';
const REPO = 'app';

async function withFake(opts: FakeGitHubOptions, fn: (gh: FakeGitHub, client: GitHubClient) => Promise<void>): Promise<void> {
  const gh = await startFakeGitHub(opts);
  try {
    await fn(gh, createGitHubClient({ token: 'write-token', apiUrl: gh.url, timeoutMs: 5000 }));
  } finally {
    await gh.close();
  }
}

const params = (issueNumber: number, name: string, body: string, extra: Partial<UpsertParams> = {}): UpsertParams => ({
  owner: OWNER,
  repo: REPO,
  issueNumber,
  name,
  body,
  ...extra,
});

const marked = (gh: FakeGitHub, name: string, issue?: number) =>
  gh.comments.filter((c) => c.body.includes(commentMarker(name)) && (issue === undefined || c.issue === issue));

const writes = (gh: FakeGitHub) => gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('upsertStickyComment against the fake GitHub API', () => {
  it('creates the comment once, then updates the same comment in place', async () => {
    await withFake({}, async (gh, client) => {
      const first = await upsertStickyComment(client, params(7, 'api', 'run 1: no leak'));
      assert.equal(first.status, 'created');
      assert.match(first.url ?? '', /^https:\/\/github\.com\/octo\/app\/pull\/7#issuecomment-\d+$/);
      const second = await upsertStickyComment(client, params(7, 'api', 'run 2: leak of 3 MB'));
      const third = await upsertStickyComment(client, params(7, 'api', 'run 3: fixed'));
      assert.deepEqual([second.status, third.status], ['updated', 'updated']);
      assert.equal(second.id, first.id);
      assert.equal(third.id, first.id);
      assert.equal(marked(gh, 'api').length, 1);
      assert.equal(gh.comments.length, 1);
      assert.equal(gh.comments[0]!.body, `${commentMarker('api')}\nrun 3: fixed`);
      assert.deepEqual(writes(gh), [
        'POST /repos/octo/app/issues/7/comments',
        `PATCH /repos/octo/app/issues/comments/${first.id}`,
        `PATCH /repos/octo/app/issues/comments/${first.id}`,
      ]);
      // Octokit sends the token as `token X`, and asks for 100 per page.
      assert.equal(gh.requests[0]!.authorization, 'token write-token');
      assert.deepEqual(gh.requests[0]!.query, { per_page: '100', page: '1' });
    });
  });

  it('finds the marker on page 2 of 2 and updates it, never duplicating it', async () => {
    const comments = Array.from({ length: 150 }, (_, i) => ({ issue: 3, body: `unrelated comment ${i}`, author: `user${i % 7}` }));
    comments[120] = { issue: 3, body: `${commentMarker('api')}\nold report`, author: 'github-actions[bot]' };
    await withFake({ comments }, async (gh, client) => {
      const seededId = gh.comments[120]!.id;
      const result = await upsertStickyComment(client, params(3, 'api', 'new report'));
      assert.equal(result.status, 'updated');
      assert.equal(result.id, seededId);
      const pages = gh.requests.filter((r) => r.method === 'GET').map((r) => r.query.page);
      assert.deepEqual(pages, ['1', '2']);
      assert.equal(marked(gh, 'api').length, 1);
      assert.equal(gh.comments.length, 150);
      assert.deepEqual(writes(gh), [`PATCH /repos/octo/app/issues/comments/${seededId}`]);
    });
  });

  it("prefers the token's own comment when several carry the marker", async () => {
    const m = commentMarker('api');
    const comments = [
      { issue: 4, body: `${m}\ncopied by a human`, author: 'alice' },
      { issue: 4, body: `${m}\nthe bot's comment`, author: 'github-actions[bot]' },
    ];
    await withFake({ comments }, async (gh, client) => {
      const result = await upsertStickyComment(client, params(4, 'api', 'new'));
      assert.equal(result.status, 'updated');
      assert.equal(result.id, gh.comments[1]!.id);
      assert.equal(gh.comments[0]!.body, `${m}\ncopied by a human`);
    });
  });

  it('keeps one comment per config name, even when one name is a prefix of another', async () => {
    await withFake({}, async (gh, client) => {
      const api = await upsertStickyComment(client, params(9, 'api', 'api report'));
      const apiV2 = await upsertStickyComment(client, params(9, 'api-v2', 'api-v2 report'));
      const apiAgain = await upsertStickyComment(client, params(9, 'api', 'api report 2'));
      const apiV2Again = await upsertStickyComment(client, params(9, 'api-v2', 'api-v2 report 2'));
      assert.deepEqual([api.status, apiV2.status, apiAgain.status, apiV2Again.status], ['created', 'created', 'updated', 'updated']);
      assert.notEqual(api.id, apiV2.id);
      assert.equal(apiAgain.id, api.id);
      assert.equal(apiV2Again.id, apiV2.id);
      assert.equal(gh.comments.length, 2);
      assert.equal(marked(gh, 'api').length, 1);
      assert.equal(marked(gh, 'api-v2').length, 1);
      assert.match(gh.comments.find((c) => c.id === api.id)!.body, /api report 2$/);
    });
  });

  it("answers 'unchanged' and sends no PATCH when the body is identical", async () => {
    await withFake({}, async (gh, client) => {
      const first = await upsertStickyComment(client, params(5, 'api', '| metric | Δ |\n|---|---|\n| anon | +0 B |'));
      const again = await upsertStickyComment(client, params(5, 'api', '| metric | Δ |\n|---|---|\n| anon | +0 B |'));
      assert.equal(again.status, 'unchanged');
      assert.equal(again.id, first.id);
      assert.equal(gh.requests.filter((r) => r.method === 'PATCH').length, 0);
      assert.equal(gh.comments[0]!.updated_at, gh.comments[0]!.created_at);
    });
  });

  it("returns 'forbidden' with advice, not an exception, for a read-only token (fork PR)", async () => {
    await withFake({}, async (gh) => {
      const readOnly = createGitHubClient({ token: 'read-token', apiUrl: gh.url, timeoutMs: 5000 });
      const result = await upsertStickyComment(readOnly, params(11, 'api', 'report'));
      assert.equal(result.status, 'forbidden');
      assert.match(result.message ?? '', /Cannot create the leakgate comment on octo\/app#11: GitHub answered 403 "Resource not accessible by integration"/);
      assert.match(result.message ?? '', /workflow_run/);
      assert.match(result.message ?? '', /pull-requests: write/);
      assert.equal(gh.comments.length, 0);
      assert.deepEqual(gh.requests.map((r) => r.status), [200, 403]);
    });
  });

  it("returns 'forbidden' naming the PR for a 404 on listing", async () => {
    await withFake({}, async (gh, client) => {
      gh.failNext({ status: 404, message: 'Not Found', method: 'GET' });
      const result = await upsertStickyComment(client, params(12, 'api', 'report'));
      assert.equal(result.status, 'forbidden');
      assert.match(result.message ?? '', /Cannot read the leakgate comment on octo\/app#12: GitHub answered 404 "Not Found"/);
      assert.equal(gh.comments.length, 0);
    });
  });

  it('throws GitHubApiError with the status and the API message for a 500', async () => {
    await withFake({}, async (gh, client) => {
      gh.failNext({ status: 500, message: 'Server Error', method: 'POST' });
      await assert.rejects(upsertStickyComment(client, params(13, 'api', 'report')), (err: unknown) => {
        assert.ok(err instanceof GitHubApiError);
        assert.equal(err.status, 500);
        assert.equal(err.apiMessage, 'Server Error');
        assert.equal(err.message, 'POST /repos/octo/app/issues/13/comments: HTTP 500: Server Error');
        return true;
      });
    });
  });

  it('throws on bad credentials (401) rather than hiding them as forbidden', async () => {
    await withFake({}, async (gh) => {
      const bad = createGitHubClient({ token: 'nope', apiUrl: gh.url, timeoutMs: 5000 });
      await assert.rejects(upsertStickyComment(bad, params(14, 'api', 'x')), { name: 'GitHubApiError', status: 401, apiMessage: 'Bad credentials' });
    });
  });

  it('throws status 0 when nothing answers at the API URL', async () => {
    const port = await freePort();
    const client = createGitHubClient({ token: 'write-token', apiUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 });
    await assert.rejects(upsertStickyComment(client, params(1, 'api', 'x')), (err: unknown) => {
      assert.ok(err instanceof GitHubApiError);
      assert.equal(err.status, 0);
      assert.match(err.message, /^GET \/repos\/octo\/app\/issues\/1\/comments page 1: no response from GitHub: /);
      return true;
    });
  });

  it('gives up after timeoutMs when the API accepts the connection but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const client = createGitHubClient({ token: 'write-token', apiUrl: `http://127.0.0.1:${port}`, timeoutMs: 300 });
      const started = Date.now();
      await assert.rejects(upsertStickyComment(client, params(1, 'api', 'x')), { name: 'GitHubApiError', status: 0 });
      const ms = Date.now() - started;
      assert.ok(ms >= 250 && ms < 3000, `timed out after ${ms} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('re-creates the comment when it was deleted between lookup and update', async () => {
    await withFake({ comments: [{ issue: 15, body: `${commentMarker('api')}\nold` }] }, async (gh, client) => {
      gh.failNext({ status: 404, message: 'Not Found', method: 'PATCH' });
      const result = await upsertStickyComment(client, params(15, 'api', 'new'));
      assert.equal(result.status, 'created');
      assert.deepEqual(writes(gh).map((w) => w.split(' ')[0]), ['PATCH', 'POST']);
    });
  });

  it("with 'on-regression', a clean run posts nothing new but updates an existing comment", async () => {
    await withFake({}, async (gh, client) => {
      const clean = { failed: false, regression: false, leak: false };
      const decide = (facts: typeof clean) => (existing: boolean) => shouldComment('on-regression', { ...facts, existing });
      const skipped = await upsertStickyComment(client, params(16, 'api', 'clean', { shouldPost: decide(clean) }));
      assert.equal(skipped.status, 'skipped');
      assert.equal(gh.comments.length, 0);
      const failing = await upsertStickyComment(client, params(16, 'api', 'leak!', { shouldPost: decide({ ...clean, failed: true }) }));
      assert.equal(failing.status, 'created');
      const fixed = await upsertStickyComment(client, params(16, 'api', 'fixed', { shouldPost: decide(clean) }));
      assert.equal(fixed.status, 'updated');
      assert.match(gh.comments[0]!.body, /fixed$/);
    });
  });

  it("stops at maxPages and answers 'skipped' instead of risking a duplicate", async () => {
    const comments = Array.from({ length: 150 }, (_, i) => ({ issue: 17, body: `chatter ${i}` }));
    await withFake({ comments }, async (gh, client) => {
      const result = await upsertStickyComment(client, params(17, 'api', 'x', { maxPages: 1 }));
      assert.equal(result.status, 'skipped');
      assert.match(result.message ?? '', /after 1 pages/);
      assert.equal(gh.requests.length, 1);
      assert.equal(gh.comments.length, 150);
    });
  });

  it('escapes the name so it cannot close the marker, and still finds its comment', async () => {
    const name = 'evil --> <b>x</b>\n-->';
    const marker = commentMarker(name);
    assert.equal(marker, '<!-- leakgate:name=evil%20--%3E%20%3Cb%3Ex%3C%2Fb%3E%0A--%3E -->');
    assert.equal(marker.indexOf('-->'), marker.length - 3);
    await withFake({}, async (gh, client) => {
      const first = await upsertStickyComment(client, params(18, name, 'one'));
      const second = await upsertStickyComment(client, params(18, name, 'two'));
      assert.deepEqual([first.status, second.status], ['created', 'updated']);
      assert.equal(gh.comments.length, 1);
      assert.ok(gh.comments[0]!.body.startsWith(`${marker}\n`));
    });
  });
});
