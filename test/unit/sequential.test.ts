// Unit tests of the group-sequential plan: the O'Brien-Fleming spending function's known values, the looks of a
// budget, boundaries that hold the false-positive rate at alpha over all looks (checked on fresh simulated paths
// and on synthetic null memory series analysed at every look), and the look decision.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmLook, decideLook, HOLD_RATIO, hwangShihDeCaniSpent, lookFractions, newestSlope, obrienFlemingSpent, sequentialBoundaries } from '../../src/analyze/sequential.js';
import { analyzeTrial, DEFAULT_ANALYSIS, normalCdf } from '../../src/analyze/index.js';
import type { Sample } from '../../src/core/types.js';
import { gaussian, mulberry32 } from '../support/random.js';

test('Hwang-Shih-DeCani spending at gamma -2: nothing at 0, alpha at 1, the closed form in between, linear at gamma 0', () => {
  assert.equal(hwangShihDeCaniSpent(0.01, 0), 0);
  assert.equal(hwangShihDeCaniSpent(0.01, 1), 0.01);
  // alpha (1 - e^(2t)) / (1 - e^2) at t = 1/3: 0.01 * 0.9477 / 6.389
  assert.ok(Math.abs(hwangShihDeCaniSpent(0.01, 1 / 3) - 0.001483) < 0.000002, String(hwangShihDeCaniSpent(0.01, 1 / 3)));
  assert.equal(hwangShihDeCaniSpent(0.01, 0.5, 0), 0.005);
  // Spends more early than O'Brien-Fleming, less than Pocock-like gamma 1.
  assert.ok(hwangShihDeCaniSpent(0.01, 1 / 3) > obrienFlemingSpent(0.01, 1 / 3));
  assert.ok(hwangShihDeCaniSpent(0.01, 1 / 3) < hwangShihDeCaniSpent(0.01, 1 / 3, 1));
});

test("O'Brien-Fleming-type spending (measured, not used): nothing at 0, alpha at 1, the textbook value at t = 0.5", () => {
  assert.equal(obrienFlemingSpent(0.025, 0), 0);
  assert.equal(obrienFlemingSpent(0.025, 1), 0.025);
  // 2 - 2 Phi(z_{0.9875} / sqrt(0.5)) = 2 - 2 Phi(2.2414 * 1.4142) = 2 - 2 Phi(3.1698) = 0.00153 (Lan-DeMets tables).
  assert.ok(Math.abs(obrienFlemingSpent(0.025, 0.5) - 0.00153) < 0.00005, String(obrienFlemingSpent(0.025, 0.5)));
});

test('looks of a 30 s budget after 10 s, every 5 s, end at the budget', () => {
  assert.deepEqual(lookFractions(30_000, 10_000, 5000).map((t) => Math.round(t * 300) / 300), [1 / 3, 1 / 2, 2 / 3, 5 / 6, 1].map((t) => Math.round(t * 300) / 300));
  assert.deepEqual(lookFractions(8000, 10_000, 5000), [1]);
});

test('the boundaries hold the family-wise rate at or below alpha on simulated Brownian paths; the levels add up to alpha', () => {
  const alpha = 0.01;
  const looks = lookFractions(30_000, 10_000, 5000);
  const b = sequentialBoundaries(alpha, looks);
  // Gamma -2 spends 1.5e-3 at 10 s, 1.2e-3 between 10 and 15 s, then more at every look: the last is the loosest.
  assert.ok(b.at(-1)!.z < Math.min(...b.slice(0, -1).map((x) => x.z)), 'the last look is the loosest');
  assert.ok(Math.abs(b.reduce((n, x) => n + x.nominal, 0) - alpha) < 1e-12, 'the nominal levels add up to alpha');
  assert.ok(b.at(-1)!.nominal > 0.3 * alpha, `final nominal level ${b.at(-1)!.nominal}`);
  assert.ok(b[0]!.nominal > 0.1 * alpha, `first nominal level ${b[0]!.nominal}`);
  const random = mulberry32(99);
  let crossed = 0;
  const paths = 40_000;
  for (let p = 0; p < paths; p++) {
    let w = 0;
    let prev = 0;
    for (let k = 0; k < looks.length; k++) {
      w += gaussian(random) * Math.sqrt(looks[k]! - prev);
      prev = looks[k]!;
      if (w / Math.sqrt(looks[k]!) >= b[k]!.z) {
        crossed++;
        break;
      }
    }
  }
  const rate = crossed / paths;
  // At most alpha (the union bound), with 3 binomial standard deviations of slack.
  assert.ok(rate < alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / paths), `rate ${rate}`);
  assert.ok(Math.abs(1 - normalCdf(b[0]!.z) - b[0]!.nominal) < 1e-12);
});

test('synthetic null memory series analysed at every look: false positives stay near alpha with the boundaries, and rise without them', () => {
  const alpha = 0.05; // a larger alpha makes the inflation measurable in a few hundred series
  const looks = lookFractions(30_000, 10_000, 5000);
  const b = sequentialBoundaries(alpha, looks);
  const opts = { ...DEFAULT_ANALYSIS, minBytesPerRequest: 0, minRelativeGrowth: 0, warmup: { mode: 'fixed' as const, fraction: 0.25 } };
  let sequential = 0;
  let naive = 0;
  const runs = 300;
  for (let seed = 1; seed <= runs; seed++) {
    const random = mulberry32(seed);
    let ar = 0;
    const samples: Sample[] = [];
    for (let i = 0; i < 120; i++) {
      ar = 0.5 * ar + gaussian(random) * 100_000;
      const v = 50e6 + ar;
      samples.push({ t: i * 250, requests: i * 1000, total: { anon: v, rss: v, pss: v, uss: v, swap: 0 }, processes: [] });
    }
    const at = (t: number) => samples.filter((s) => s.t <= t * 30_000);
    if (looks.some((t, k) => analyzeTrial(at(t), { ...opts, alpha: b[k]!.nominal }, 4000).verdict === 'leak')) sequential++;
    if (looks.some((t) => analyzeTrial(at(t), { ...opts, alpha }, 4000).verdict === 'leak')) naive++;
  }
  console.log(`null series: ${sequential} of ${runs} flagged with the boundaries, ${naive} looking naively at alpha ${alpha}`);
  assert.ok(sequential / runs <= alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / runs), `${sequential} of ${runs}`);
  assert.ok(naive >= sequential);
});

test('a look stops only on the cleanest signal: for a leak it shows, for no leak when its interval is under its floor and no other estimate reaches its own', () => {
  const leak = { metric: 'heap', verdict: 'leak' as const, estimate: 80, ciHigh: 90, floor: 8, newest: 78 };
  const cleanHeap = { metric: 'heap', verdict: 'no-leak' as const, estimate: 1, ciHigh: 5, floor: 8, newest: null };
  const cleanAnon = { metric: 'anon', verdict: 'no-leak' as const, estimate: 3, ciHigh: 20, floor: 32, newest: null };
  const wideAnon = { metric: 'anon', verdict: 'no-leak' as const, estimate: 10, ciHigh: 140, floor: 32, newest: null };
  const risingAnon = { metric: 'anon', verdict: 'no-leak' as const, estimate: 45, ciHigh: 140, floor: 32, newest: null };
  assert.deepEqual(decideLook([leak, cleanAnon]), { stop: true, why: 'leak' });
  const anonLeak = { metric: 'anon', verdict: 'leak' as const, estimate: 700, ciHigh: 900, floor: 32, newest: 650 };
  assert.deepEqual(decideLook([cleanHeap, anonLeak]), { stop: false }, 'anon climbing while the heap after GC is clean does not stop the load');
  assert.deepEqual(decideLook([{ ...cleanHeap, verdict: 'inconclusive' }, anonLeak]), { stop: false }, 'nor while the heap has too few readings yet');
  assert.deepEqual(decideLook([anonLeak]), { stop: true, why: 'leak' }, 'where anon is the only signal, it decides');
  assert.deepEqual(decideLook([cleanHeap, cleanAnon]), { stop: true, why: 'no-leak' });
  assert.deepEqual(decideLook([cleanHeap, wideAnon]), { stop: true, why: 'no-leak' }, "anon's wide interval does not hold a clean run to the budget");
  assert.deepEqual(decideLook([cleanHeap, risingAnon]), { stop: false }, 'anon growing past its floor, even short of significance, does');
  assert.deepEqual(decideLook([cleanHeap, { ...risingAnon, aside: true }]), { stop: true, why: 'no-leak' }, 'unless it stands aside for the heap, as in the final verdict');
  assert.deepEqual(decideLook([cleanHeap, { ...anonLeak, aside: true }]), { stop: true, why: 'no-leak' });
  assert.deepEqual(decideLook([{ ...cleanHeap, ciHigh: 9 }, { ...risingAnon, aside: true }]), { stop: false }, 'the heap still must clear its floor');
  assert.deepEqual(decideLook([cleanHeap, { ...cleanAnon, verdict: 'inconclusive' }]), { stop: true, why: 'no-leak' });
  assert.deepEqual(decideLook([{ ...cleanHeap, ciHigh: 9 }, cleanAnon]), { stop: false }, 'the heap interval must clear its floor');
  assert.deepEqual(decideLook([wideAnon]), { stop: false }, "alone, anon's interval must clear its floor");
  assert.deepEqual(decideLook([cleanHeap, cleanAnon], 2), { stop: false }, 'the heap could still regress past the baseline');
  assert.deepEqual(decideLook([cleanHeap, cleanAnon], 2.5), { stop: false });
  assert.deepEqual(decideLook([{ ...leak, newest: 0.5 * 80 }, cleanAnon]), { stop: false }, 'a leak whose newest readings grow at half its slope does not stop the load');
  assert.deepEqual(decideLook([{ ...leak, newest: null }, cleanAnon]), { stop: false }, 'nor one whose newest readings are too few to tell');
  assert.deepEqual(decideLook([{ ...leak, newest: HOLD_RATIO * 80 }, cleanAnon]), { stop: true, why: 'leak' });
});

/** Heap readings after GC every 500 ms from 2 s of load to `untilMs`: base + `growth(ms)` bytes, a little noise. */
function readings(untilMs: number, growth: (ms: number) => number, perSecond = 1000): Sample[] {
  const out: Sample[] = [];
  const rnd = mulberry32(7);
  for (let t = 0; t <= untilMs; t += 500) {
    const bytes = 30e6 + growth(t) + (rnd() - 0.5) * 20e3;
    out.push({ t, requests: (t / 1000) * perSecond, total: { anon: bytes, rss: bytes, pss: bytes, uss: bytes, swap: 0 }, processes: [] });
  }
  return out;
}

test('newestSlope: a leak keeps its slope in the newest quarter of the window; a cache that filled at 13 s of 15 does not', () => {
  const leak = newestSlope(readings(15_000, (t) => 256 * t), 'anon', 2000, { minWindow: 1 });
  assert.ok(leak !== null && Math.abs(leak - 256) < 15, `leak of 256 B/req read ${leak}`);
  const cache = newestSlope(readings(15_000, (t) => 256 * Math.min(t, 13_000)), 'anon', 2000, { minWindow: 1 });
  assert.ok(cache !== null && cache < 0.5 * 256, `a filled cache's newest slope ${cache}`);
  const overTime = newestSlope(readings(15_000, (t) => 256 * t), 'anon', 2000, { minWindow: 1, per: 'second' });
  assert.ok(overTime !== null && Math.abs(overTime - 256_000) < 15_000, `per second ${overTime}`);
  assert.equal(newestSlope(readings(3_000, (t) => 256 * t), 'anon', 2000, { minWindow: 1 }), null, 'under 4 readings in the newest quarter');
});

test('a leak stops the load only when the look before found one too; no leak stops at once', () => {
  const leak = { stop: true, why: 'leak' } as const;
  const clean = { stop: true, why: 'no-leak' } as const;
  const go = { stop: false } as const;
  assert.deepEqual(confirmLook(undefined, leak), go, 'the first look cannot stop for a leak');
  assert.deepEqual(confirmLook(go, leak), go);
  assert.deepEqual(confirmLook(clean, leak), go);
  assert.deepEqual(confirmLook(leak, leak), leak);
  assert.deepEqual(confirmLook(undefined, clean), clean);
  assert.deepEqual(confirmLook(leak, go), go);
});
