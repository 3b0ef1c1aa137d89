// The library-backed distributions (src/analyze/distributions.ts) against reference values computed with SciPy
// 1.17.1 (scipy.stats.norm / scipy.stats.t, scipy.special.betainc / gammaln), plus the printed table values of
// R. A. Fisher and F. Yates, Statistical Tables (t_0.95 for 1 df = 6.314), and our own edge behaviour.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
  studentTUpperTail,
} from '../../src/analyze/distributions.js';

/** Agreement to `rel` relative precision (reference values carry 16 digits). */
function near(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: expected ${expected}, got ${actual}`);
}

describe('distributions against SciPy 1.17.1', () => {
  const rows: { what: string; actual: () => number; expected: number; rel: number }[] = [
    { what: 'norm.cdf(-8)', actual: () => normalCdf(-8), expected: 6.22096057427174e-16, rel: 1e-12 },
    { what: 'norm.cdf(2.5)', actual: () => normalCdf(2.5), expected: 0.9937903346742238, rel: 1e-14 },
    { what: 'norm.ppf(1e-10)', actual: () => normalQuantile(1e-10), expected: -6.361340902404056, rel: 1e-13 },
    { what: 'norm.ppf(0.999999)', actual: () => normalQuantile(0.999999), expected: 4.753424308817087, rel: 1e-10 },
    { what: 't.cdf(-20, 30): far tail keeps its relative precision', actual: () => studentTCdf(-20, 30), expected: 3.3745418328856447e-19, rel: 1e-10 },
    { what: 't.sf(5, 3)', actual: () => studentTUpperTail(5, 3), expected: 0.007696219036651147, rel: 1e-12 },
    { what: 't.cdf(2.5, 7.3): fractional df, as Welch has', actual: () => studentTCdf(2.5, 7.3), expected: 0.9801748826671998, rel: 1e-12 },
    { what: 't.cdf(0.001, 1e6)', actual: () => studentTCdf(1e-3, 1e6), expected: 0.5003989421141755, rel: 1e-12 },
    { what: 't.ppf(0.975, 4.5)', actual: () => studentTQuantile(0.975, 4.5), expected: 2.6589123472044034, rel: 1e-10 },
    { what: 't.ppf(1e-6, 5)', actual: () => studentTQuantile(1e-6, 5), expected: -24.771029720515948, rel: 1e-9 },
    { what: 't.ppf(0.95, 1) (Fisher & Yates: 6.314)', actual: () => studentTQuantile(0.95, 1), expected: 6.313751514675037, rel: 1e-10 },
    { what: 't.pdf(1, 2.5)', actual: () => studentTPdf(1, 2.5), expected: 0.2007959606709201, rel: 1e-12 },
    { what: 'betainc(2.5, 3.5, 0.3)', actual: () => regularizedIncompleteBeta(0.3, 2.5, 3.5), expected: 0.29675298929566646, rel: 1e-12 },
    { what: 'gammaln(0.1)', actual: () => logGamma(0.1), expected: 2.252712651734206, rel: 1e-13 },
    { what: 'gammaln(50.5)', actual: () => logGamma(50.5), expected: 146.51925549072064, rel: 1e-13 },
    { what: 'gammaln(-2.5): ln |Γ| below zero', actual: () => logGamma(-2.5), expected: -0.05624371649767401, rel: 1e-11 },
  ];
  for (const row of rows) it(row.what, () => near(row.actual(), row.expected, row.rel, row.what));
});

describe('edge behaviour the reports rely on', () => {
  it('keeps infinities and NaN out of what reports print', () => {
    assert.equal(normalCdf(Number.NaN), 0.5);
    assert.equal(normalQuantile(0), -38);
    assert.equal(normalQuantile(1), 38);
    assert.equal(normalQuantile(-0.2), -38);
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1.5, 2, 3), 1);
  });

  it('treats df = Infinity as the normal distribution and refuses a df that is not positive', () => {
    assert.equal(studentTCdf(1.3, Infinity), normalCdf(1.3));
    assert.equal(studentTQuantile(0.975, Infinity), normalQuantile(0.975));
    near(studentTPdf(0.7, Infinity), Math.exp(-0.245) / Math.sqrt(2 * Math.PI), 1e-15, 'normal density');
    assert.ok(Number.isNaN(studentTCdf(1, 0)));
    assert.ok(Number.isNaN(studentTCdf(Number.NaN, 3)));
    assert.ok(Number.isNaN(studentTQuantile(0, 3)));
    assert.equal(studentTCdf(Infinity, 3), 1);
    assert.equal(studentTCdf(-Infinity, 3), 0);
  });

  it('inverts: the quantile of the cdf is the value, for integer and fractional df', () => {
    for (const df of [1, 2.5, 9, 120]) {
      for (const t of [-7, -1.1, 0.4, 3.2]) near(studentTQuantile(studentTCdf(t, df), df), t, 1e-9, `df ${df} t ${t}`);
    }
  });
});
