// Unit tests of the estimators and tests in src/analyze/stats.ts, on cases with known answers:
// hand-computed ones (the arithmetic is in the comments) and published reference values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hamedRaoRatio,
  mannKendall,
  mannKendallVariance,
  normalCdf,
  normalQuantile,
  theilSen,
} from '../../src/analyze/stats.js';
import { gaussian, mulberry32 } from '../support/random.js';

function close(actual: number, expected: number, tolerance: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} expected ${expected} ± ${tolerance}, got ${actual}`);
}


function ar1(seed: number, n: number, phi: number): number[] {
  const random = mulberry32(seed);
  const y: number[] = [];
  let e = 0;
  for (let i = 0; i < n; i++) {
    e = phi * e + gaussian(random);
    y.push(e);
  }
  return y;
}

test('normalCdf matches reference values (Abramowitz & Stegun table 26.1)', () => {
  close(normalCdf(0), 0.5, 1e-15);
  close(normalCdf(1), 0.8413447460685429, 1e-12);
  close(normalCdf(1.96), 0.9750021048517795, 1e-12);
  close(normalCdf(-3), 0.0013498980316301, 1e-12);
  close(normalCdf(5), 0.9999997133484281, 1e-12);
  close(normalCdf(-8), 6.22096057427178e-16, 1e-20);
  close(normalCdf(-1.3) + normalCdf(1.3), 1, 1e-15, 'symmetry');
  assert.equal(normalCdf(-40), 0);
  assert.equal(normalCdf(40), 1);
});

test('normalQuantile matches reference values and inverts normalCdf', () => {
  close(normalQuantile(0.5), 0, 1e-12);
  close(normalQuantile(0.975), 1.959963984540054, 1e-9);
  close(normalQuantile(0.995), 2.575829303548901, 1e-9);
  close(normalQuantile(0.01), -2.326347874040841, 1e-9);
  close(normalQuantile(1e-10), -6.361340902404056, 1e-8);
  for (const p of [1e-6, 0.001, 0.1, 0.3, 0.7, 0.9, 0.999, 1 - 1e-6]) close(normalCdf(normalQuantile(p)), p, 1e-12 + p * 1e-9);
  assert.ok(Number.isFinite(normalQuantile(0)) && normalQuantile(0) < -30);
  assert.ok(Number.isFinite(normalQuantile(1)) && normalQuantile(1) > 30);
});

test('theilSen ignores an outlier (hand-computed)', () => {
  // x = 1..5, y = 2x except y(5) = 100. Pairwise slopes: six pairs without x=5 give 2; the pairs
  // with x=5 give 98/4 = 24.5, 96/3 = 32, 94/2 = 47, 92/1 = 92. Sorted: 2,2,2,2,2,2,24.5,32,47,92,
  // median of 10 = (2 + 2)/2 = 2. Intercept = median(y - 2x) = median(0,0,0,0,90) = 0.
  const fit = theilSen([1, 2, 3, 4, 5], [2, 4, 6, 8, 100], 0.9);
  assert.equal(fit.slope, 2);
  assert.equal(fit.intercept, 0);
  // Gilbert (1987) §16.5.1: Var(S) = 5·4·15/18 = 50/3, C = z_0.95·√Var(S) = 1.6448536·4.0824829 =
  // 6.71512; N' = 10, M1 = (10 - C)/2 = 1.64244, M2 + 1 = (10 + C)/2 + 1 = 9.35756. Rank 1.64 lies
  // between two slopes of 2; rank 9.36 lies between 47 and 92: 47 + 0.35756·45 = 63.0902.
  close(fit.ciLow, 2, 1e-12, 'ciLow');
  close(fit.ciHigh, 47 + (((10 + 1.6448536269514722 * Math.sqrt(50 / 3)) / 2 + 1 - 9) * 45), 1e-9, 'ciHigh');
  close(fit.ciHigh, 63.0902, 1e-3, 'ciHigh (rounded)');
});

test('theilSen skips pairs tied in x', () => {
  // Pairs: (1,0)-(1,10) skipped; (1,0)-(2,2) = 2; (1,0)-(3,4) = 2; (1,10)-(2,2) = -8;
  // (1,10)-(3,4) = -3; (2,2)-(3,4) = 2. Sorted -8,-3,2,2,2: median 2.
  assert.equal(theilSen([1, 1, 2, 3], [0, 10, 2, 4], 0.95).slope, 2);
});

test('theilSen without spread in x gives slope 0 and no NaN', () => {
  const fit = theilSen([5, 5, 5], [1, 2, 3], 0.95);
  assert.deepEqual(fit, { slope: 0, intercept: 2, ciLow: 0, ciHigh: 0 });
  const empty = theilSen([], [], 0.95);
  assert.ok(Object.values(empty).every(Number.isFinite));
});

test('theilSen confidence interval contains the true slope (and covers it ~95% of the time)', () => {
  const truth = 3;
  let covered = 0;
  const trials = 200;
  for (let seed = 1; seed <= trials; seed++) {
    const random = mulberry32(seed);
    const x = Array.from({ length: 30 }, (_, i) => i * 10);
    const y = x.map((xi) => 1000 + truth * xi + 40 * gaussian(random));
    const fit = theilSen(x, y, 0.95);
    if (seed === 1) {
      assert.ok(fit.ciLow < truth && truth < fit.ciHigh, `CI ${fit.ciLow}..${fit.ciHigh}`);
      close(fit.slope, truth, 0.3);
    }
    if (fit.ciLow <= truth && truth <= fit.ciHigh) covered++;
  }
  assert.ok(covered / trials >= 0.9 && covered / trials <= 0.99, `coverage ${covered / trials}`);
});

test('mannKendall on a small series (hand-computed)', () => {
  // y = 1,3,2,5,4: of the 10 pairs (i<j), (3,2) and (5,4) fall, the other 8 rise: S = 8 - 2 = 6.
  // Var(S) = n(n-1)(2n+5)/18 = 5·4·15/18 = 16.667 (Gilbert 1987, eq. 16.4, no ties).
  // Z = (S - 1)/√Var(S) = 5/4.08248 = 1.22474; one-sided p = 1 - Φ(1.22474) = 0.110336.
  // tau = S/(n(n-1)/2) = 6/10.
  const mk = mannKendall([1, 3, 2, 5, 4], { correctAutocorrelation: false });
  assert.equal(mk.s, 6);
  close(mk.varS, 50 / 3, 1e-12);
  close(mk.z, 1.224744871391589, 1e-12);
  close(mk.pUp, 0.110335680959923, 1e-9);
  assert.equal(mk.tau, 0.6);
  assert.equal(mk.nEffectiveRatio, 1);
});

test('mannKendall corrects the variance for ties (hand-computed)', () => {
  // y = 1,2,2,3: pairs 1<2, 1<2, 1<3, 2=2, 2<3, 2<3, so S = 5. One tied group of t = 2:
  // Var(S) = [4·3·13 - 2·1·9]/18 = (156 - 18)/18 = 7.6667. Z = 4/√7.6667 = 1.44463.
  const mk = mannKendall([1, 2, 2, 3], { correctAutocorrelation: false });
  assert.equal(mk.s, 5);
  close(mk.varS, 23 / 3, 1e-12);
  close(mk.z, 4 / Math.sqrt(23 / 3), 1e-12);
  assert.equal(mannKendallVariance([7, 7, 7]), 0);
  // A constant series has Var(S) = 0: Z is 0 and the one-sided p is Φ's midpoint, with no NaN.
  const flat = mannKendall([7, 7, 7, 7, 7]);
  assert.deepEqual([flat.s, flat.z, flat.pUp], [0, 0, 0.5]);
});

test('mannKendall on a monotonic series', () => {
  // Every one of the 20·19/2 pairs rises: S = 190, Var(S) = 20·19·45/18 = 950,
  // Z = 189/√950 = 6.1320, p = 1 - Φ(6.132) ≈ 4.3e-10.
  const up = mannKendall(Array.from({ length: 20 }, (_, i) => 3 * i));
  assert.equal(up.s, 190);
  assert.equal(up.tau, 1);
  close(up.z, 189 / Math.sqrt(950), 1e-12);
  assert.ok(up.pUp < 1e-9, `p ${up.pUp}`);
  // A curved rise leaves a smooth residual after linear detrending, which the Hamed-Rao rule reads
  // as autocorrelation: still clearly significant, but less so.
  const curved = mannKendall(Array.from({ length: 20 }, (_, i) => i * i));
  assert.equal(curved.s, 190);
  assert.ok(curved.pUp < 1e-3 && curved.nEffectiveRatio > 1, `p ${curved.pUp}`);
  const down = mannKendall(Array.from({ length: 20 }, (_, i) => -i));
  assert.equal(down.s, -190);
  assert.ok(down.pUp > 1 - 1e-8);
});

test('Hamed-Rao correction keeps AR(1) noise without a trend from looking significant', () => {
  // Seed 5 wanders upward by chance: the plain test calls it significant at 1%, the corrected one
  // does not (Hamed & Rao 1998 inflate Var(S) by n/n* = 2.6 here).
  const y = ar1(5, 30, 0.8);
  const raw = mannKendall(y, { correctAutocorrelation: false });
  const corrected = mannKendall(y);
  assert.ok(raw.pUp < 0.01, `raw p ${raw.pUp}`);
  assert.ok(corrected.pUp > 0.01, `corrected p ${corrected.pUp}`);
  assert.ok(corrected.nEffectiveRatio > 2);
  close(corrected.varS, raw.varS * corrected.nEffectiveRatio, 1e-9);
  // Over many series the correction rejects less often, and never shrinks the variance.
  let rawRejections = 0;
  let correctedRejections = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const series = ar1(seed, 30, 0.8);
    const a = mannKendall(series, { correctAutocorrelation: false });
    const b = mannKendall(series);
    assert.ok(b.varS >= a.varS);
    if (a.pUp < 0.05) rawRejections++;
    if (b.pUp < 0.05) correctedRejections++;
  }
  assert.ok(correctedRejections < rawRejections, `${correctedRejections} vs ${rawRejections}`);
});

test('hamedRaoRatio is about 1 for white noise and above 1 for a smooth wander', () => {
  const random = mulberry32(42);
  const white = Array.from({ length: 40 }, () => gaussian(random));
  close(hamedRaoRatio(white), 1, 0.5);
  assert.ok(hamedRaoRatio(ar1(7, 40, 0.9)) > 1);
  assert.equal(hamedRaoRatio([1, 2]), 1);
});
