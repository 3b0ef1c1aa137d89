// The pure request-mix logic: weights to whole numbers, the smooth weighted round-robin cycle,
// modes, {id} substitution and rotation, and the problems reported for unusable lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  idRotation,
  integerWeights,
  maxCycleLength,
  requestCycle,
  requestMixProblems,
  resolveMode,
  smoothWeightedCycle,
  usesId,
  withId,
  type MixRequest,
} from '../../src/load/request-mix.js';

const req = (path: string, extra: Partial<MixRequest> = {}): MixRequest => ({ method: 'GET', path, headers: {}, ...extra });

test('smooth weighted round-robin interleaves instead of grouping', () => {
  assert.deepEqual(smoothWeightedCycle([3, 1]), [0, 0, 1, 0]);
  assert.deepEqual(smoothWeightedCycle([1, 1, 1]), [0, 1, 2]);
  assert.deepEqual(smoothWeightedCycle([5, 1, 1]), [0, 0, 1, 0, 2, 0, 0]);
  assert.deepEqual(smoothWeightedCycle([1]), [0]);
});

test('every prefix of a cycle stays within one request of the exact share of each kind', () => {
  const weights = [7, 3, 2, 1];
  const cycle = smoothWeightedCycle(weights);
  const total = 13;
  assert.equal(cycle.length, total);
  const seen = [0, 0, 0, 0];
  cycle.forEach((i, k) => {
    seen[i]! += 1;
    for (let j = 0; j < weights.length; j++) {
      const exact = ((k + 1) * weights[j]!) / total;
      assert.ok(Math.abs(seen[j]! - exact) < 1 + 1e-9, `after ${k + 1}: kind ${j} ${seen[j]} vs ${exact}`);
    }
  });
  assert.deepEqual(seen, weights);
});

test('decimal and common-factor weights become the smallest whole numbers in proportion', () => {
  assert.deepEqual(integerWeights([0.75, 0.25]), [3, 1]);
  assert.deepEqual(integerWeights([2, 4, 6]), [1, 2, 3]);
  assert.deepEqual(integerWeights([0.5, 0.3, 0.2]), [5, 3, 2]);
  assert.deepEqual(integerWeights([1.5, 1]), [3, 2]);
  assert.deepEqual(integerWeights([0.333, 0.667]), [333, 667]);
});

test('weights whose cycle would be too long are scaled to the limit, keeping every request', () => {
  const w = integerWeights([1000, 1], 100);
  assert.equal(w.reduce((a, b) => a + b, 0), 100);
  assert.deepEqual(w, [99, 1]);
  const thirds = integerWeights([1 / 3, 1 / 3, 1 / 3 + 1e-7], 100);
  assert.ok(thirds.reduce((a, b) => a + b, 0) <= 100);
  assert.ok(Math.max(...thirds) - Math.min(...thirds) <= 1, String(thirds));
  const many = integerWeights([50, 1, 1, 1, 1], 10);
  assert.equal(many.reduce((a, b) => a + b, 0), 10);
  assert.ok(many.every((n) => n >= 1), String(many));
  assert.throws(() => integerWeights([1, 1, 1], 2), /3 requests.*limit of 2/);
});

test('invalid weights are rejected with the index and value', () => {
  assert.throws(() => integerWeights([1, 0]), /weight 1 must be a finite number > 0, got 0/);
  assert.throws(() => integerWeights([Number.NaN]), /weight 0 .* got NaN/);
  assert.throws(() => integerWeights([]), /at least one weight/);
  assert.throws(() => smoothWeightedCycle([1.5]), /integer >= 1, got 1.5/);
});

test('the mode defaults to mix when a weight is given and to sequence otherwise', () => {
  assert.equal(resolveMode([req('/a'), req('/b')]), 'sequence');
  assert.equal(resolveMode([req('/a', { weight: 2 }), req('/b')]), 'mix');
  assert.equal(resolveMode([req('/a')], 'mix'), 'mix');
  assert.deepEqual(requestCycle([req('/a'), req('/b'), req('/c')], undefined), [0, 1, 2]);
  assert.deepEqual(requestCycle([req('/a', { weight: 3 }), req('/b')], undefined), [0, 0, 1, 0]);
  // In 'mix' a missing weight counts as 1.
  assert.deepEqual(requestCycle([req('/a'), req('/b')], 'mix'), [0, 1]);
  assert.deepEqual(requestCycle([], 'mix'), []);
});

test('problems name the field, say what is valid, and a cycle with problems throws them', () => {
  const problems = requestMixProblems([req('/a', { weight: 2 }), req('/b', { ids: ['1'] }), req('/{id}', { ids: ['ok', 'bad\r\nx', ''] })], 'sequence');
  assert.deepEqual(
    problems.map((p) => p.path),
    ['load.requests[0].weight', 'load.requests[1].ids', 'load.requests[2].ids[1]', 'load.requests[2].ids[2]'],
  );
  assert.match(problems[0]!.message, /only applies when load.mix is 'mix'/);
  assert.match(problems[1]!.message, /\{id\} appears nowhere/);
  assert.match(problems[2]!.message, /control characters/);
  assert.deepEqual(requestMixProblems([req('/a', { weight: -1 })], 'mix').map((p) => p.path), ['load.requests[0].weight']);
  assert.deepEqual(requestMixProblems([req('/a')], 'random' as never).map((p) => p.path), ['load.mix']);
  assert.throws(() => requestCycle([req('/a', { weight: -1 })], 'mix'), /load\.requests\[0\]\.weight: must be a number > 0 .*\(got -1\)/);
  assert.deepEqual(requestMixProblems([req('/{id}', { ids: ['1'] }), req('/b', { weight: 0.5 })]), []);
});

test('{id} is percent-encoded in the path and inserted as is in headers and body', () => {
  const r = req('/users/{id}/items?owner={id}', { headers: { 'x-user': 'u-{id}', accept: 'json' }, body: '{"user":"{id}"}', ids: ['a b/c'] });
  assert.ok(usesId(r));
  assert.ok(usesId(req('/', { body: '{id}' })));
  assert.ok(usesId(req('/', { headers: { a: '{id}' } })));
  assert.ok(!usesId(req('/x', { body: 'id' })));
  const out = withId(r, 'a b/c');
  assert.equal(out.path, '/users/a%20b%2Fc/items?owner=a%20b%2Fc');
  assert.deepEqual(out.headers, { 'x-user': 'u-a b/c', accept: 'json' });
  assert.equal(out.body, '{"user":"a b/c"}');
  assert.equal(r.path, '/users/{id}/items?owner={id}', 'the template is left unchanged');
  assert.equal(withId(req('/x'), '1').body, undefined);
});

test('ids rotate round-robin and wrap around', () => {
  const next = idRotation(['a', 'b', 'c']);
  assert.deepEqual(Array.from({ length: 7 }, next), ['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  assert.throws(() => idRotation([]), /at least one id/);
});

test('the cycle limit shrinks with many connections but never below 100', () => {
  assert.equal(maxCycleLength(1), 1000);
  assert.equal(maxCycleLength(100), 1000);
  assert.equal(maxCycleLength(500), 200);
  assert.equal(maxCycleLength(10_000), 100);
});
