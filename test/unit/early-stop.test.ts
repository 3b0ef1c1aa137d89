// Unit tests of early stopping's plumbing around the statistics (analyze/sequential.ts has those): the verdict of a
// stopped load rests on the data of the look that stopped it, and a look's signals carry their newest slope and
// whether they stand aside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataAtStop, lookSignals } from '../../src/pipeline/early-stop.js';
import { analyzeTrialSignals } from '../../src/pipeline/trial-analysis.js';
import type { Sample } from '../../src/core/types.js';
import type { TrialEvidence } from '../../src/probes/evidence.js';
import { HOLD_RATIO } from '../../src/analyze/sequential.js';
import { loadTestConfig } from '../support/config.js';

const PER_SECOND = 2000;

/** Samples every 250 ms and heap readings every 500 ms to `untilMs`; the heap grows by `heapPerRequest` bytes. */
function trialData(untilMs: number, heapPerRequest: (requests: number) => number): { samples: Sample[]; evidence: TrialEvidence } {
  const samples: Sample[] = [];
  for (let t = 0; t <= untilMs; t += 250) {
    const requests = (t / 1000) * PER_SECOND;
    const anon = 60e6 + 100 * requests + ((t / 250) % 4) * 2e6;
    samples.push({ t, requests, total: { anon, rss: anon, pss: anon, uss: anon, swap: 0 }, processes: [] });
  }
  const heapSeries = [];
  for (let t = 0; t <= untilMs; t += 500) {
    const requests = (t / 1000) * PER_SECOND;
    const v8HeapBytes = 8e6 + heapPerRequest(requests) + (t % 1500 === 0 ? 3e3 : 0);
    heapSeries.push({ t, requests, usedBytes: v8HeapBytes + 2e6, v8HeapBytes, externalBytes: 2e6 });
  }
  return { samples, evidence: { runtime: { kind: 'node', heapSeries } } as unknown as TrialEvidence };
}

test('a stopped load is analysed on the data of the look that stopped it: later samples and readings stay in the report only', () => {
  const { samples, evidence } = trialData(16_000, (r) => 256 * r);
  const at = dataAtStop(samples, evidence, 15_000);
  assert.equal(at.samples.at(-1)!.t, 15_000);
  assert.ok(at.samples.length < samples.length);
  assert.equal(at.evidence.runtime!.heapSeries!.at(-1)!.t, 15_000);
  assert.equal(evidence.runtime!.heapSeries!.at(-1)!.t, 16_000, 'the evidence given is not changed');
  const none = dataAtStop(samples, {}, 15_000);
  assert.deepEqual(none.evidence, {});
});

test("a look's signals: the heap first with its newest slope, anon standing aside while the heap is conclusive", () => {
  const config = loadTestConfig({ app: { command: ['node', 'server.js'], ready: { port: 3000 } }, runtime: 'node' });
  const leak = trialData(15_000, (r) => 256 * r);
  const analysis = analyzeTrialSignals(config, leak.samples, leak.evidence, PER_SECOND);
  const [heap, anon] = lookSignals(config, analysis, false, leak.samples, leak.evidence);
  assert.equal(heap!.metric, 'heap');
  assert.ok(heap!.newest !== null && heap!.newest >= HOLD_RATIO * heap!.estimate, `newest ${heap!.newest} of ${heap!.estimate}`);
  assert.equal(anon!.metric, 'anon');
  assert.equal(anon!.aside, true);
  // A cache that filled at 12 s: its newest quarter is flat while the window still rises.
  const cache = trialData(15_000, (r) => 256 * Math.min(r, 12 * PER_SECOND));
  const [filled] = lookSignals(config, analyzeTrialSignals(config, cache.samples, cache.evidence, PER_SECOND), false, cache.samples, cache.evidence);
  assert.ok(filled!.estimate > 50 && filled!.newest !== null && filled!.newest < HOLD_RATIO * filled!.estimate, `window ${filled!.estimate}, newest ${filled!.newest}`);
});
