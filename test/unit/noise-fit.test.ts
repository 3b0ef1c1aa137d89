// The noise-model fit of bench/noise-fit.ts against series drawn by the corpus's own generator with known
// parameters: what the fit returns must be what the generator was given, within the stated tolerances.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appOf, fitNoise, MIN_FIT_POINTS, toAppParams, whiteAr1 } from '../../bench/noise-fit.js';
import { createRng, drawApp, generateRun, type AppParams } from '../../bench/synthetic.js';
import type { Report } from '../../src/core/types.js';

const MB = 1024 * 1024;
const KB = 1024;

/** An app with nothing but what `over` gives it ('white' draws no AR(1), sawtooth, warm-up, cache or step). */
function app(over: Partial<AppParams>): AppParams {
  return { ...drawApp('white', 1), baseBytes: 100 * MB, throughput: 5000, whiteSigma: 0, ...over };
}

/** Within a share of the truth. */
function near(actual: number, expected: number, share: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= share * Math.abs(expected), `${what}: ${actual} is not within ${share * 100}% of ${expected}`);
}

// 300 s at 250 ms: 1,200 readings, 900 after the quarter of warm-up, as in a long real run.
const LONG = { durationS: 300, intervalMs: 250 };

describe('fitNoise on series of known parameters', () => {
  it('recovers the sawtooth period and amplitude, the AR(1) phi and both sigmas (anon, 250 ms)', () => {
    const truth = app({ whiteSigma: 200 * KB, ar1Phi: 0.8, ar1Sigma: 600 * KB, sawtooth: [{ periodS: 2, amplitude: 4 * MB }] });
    const fit = fitNoise(generateRun(truth, 0, 7, LONG), 'anon');
    assert.equal(fit.sawtooth.length, 1, 'the sawtooth is found');
    near(fit.sawtooth[0]!.periodS, 2, 0.03, 'sawtooth period');
    near(fit.sawtooth[0]!.amplitude, 4 * MB, 0.1, 'sawtooth amplitude');
    assert.ok(Math.abs(fit.ar1Phi - 0.8) <= 0.1, `AR(1) phi ${fit.ar1Phi} is not within 0.1 of 0.8`);
    near(fit.ar1Sigma, 600 * KB, 0.3, 'AR(1) sigma');
    near(fit.whiteSigma, 200 * KB, 0.35, 'white sigma');
    near(fit.throughput, 5000, 0.02, 'throughput');
    // The base is the floor under the sawtooth: the generator's base, give or take the AR(1) level.
    near(fit.baseBytes, 100 * MB, 0.02, 'base');
    assert.ok(Math.abs(fit.cleanSlope) < 1, `a clean run's slope is about 0 B/req, got ${fit.cleanSlope}`);
  });

  it('finds no sawtooth in white + AR(1) noise alone, and recovers its parameters', () => {
    const truth = app({ whiteSigma: 300 * KB, ar1Phi: 0.6, ar1Sigma: 500 * KB });
    const fit = fitNoise(generateRun(truth, 0, 11, LONG), 'anon');
    assert.deepEqual(fit.sawtooth, [], `no sawtooth in AR(1) + white, got ${JSON.stringify(fit.sawtooth)} (p ${fit.sawtoothP})`);
    assert.ok(Math.abs(fit.ar1Phi - 0.6) <= 0.15, `AR(1) phi ${fit.ar1Phi} is not within 0.15 of 0.6`);
    near(fit.ar1Sigma, 500 * KB, 0.3, 'AR(1) sigma');
    near(fit.whiteSigma, 300 * KB, 0.35, 'white sigma');
  });

  it('fits the heap after GC at its own interval with white + AR(1) only, and reads a leak as slope, not noise', () => {
    const truth = app({ baseBytes: 20 * MB, throughput: 3000, whiteSigma: 20 * KB, ar1Phi: 0.7, ar1Sigma: 60 * KB });
    const fit = fitNoise(generateRun(truth, 64, 3, { durationS: 600, intervalMs: 1000, pageBytes: 1 }), 'heap');
    assert.deepEqual(fit.sawtooth, [], 'the heap signal has no sawtooth term');
    near(fit.intervalMs, 1000, 0.01, 'interval');
    near(fit.cleanSlope, 64, 0.05, 'slope');
    assert.ok(Math.abs(fit.ar1Phi - 0.7) <= 0.15, `AR(1) phi ${fit.ar1Phi} is not within 0.15 of 0.7`);
    near(fit.ar1Sigma, 60 * KB, 0.35, 'AR(1) sigma');
    near(fit.whiteSigma, 20 * KB, 0.5, 'white sigma');
  });

  it('gives parameters the generator draws again: a refit of a series drawn from the fit finds the same period', () => {
    const truth = app({ whiteSigma: 100 * KB, sawtooth: [{ periodS: 1.5, amplitude: 3 * MB }] });
    const first = fitNoise(generateRun(truth, 0, 21, LONG), 'anon');
    const again = fitNoise(generateRun(toAppParams(first), 0, 22, LONG), 'anon');
    near(again.sawtooth[0]?.periodS ?? NaN, first.sawtooth[0]!.periodS, 0.03, 'period of the refit');
  });

  it('reads a GC cycle faster than the readings as a bounded (uniform) part of the noise, and its amplitude', () => {
    // 10 ms cycles under 250 ms readings: every reading lands at a random point of the cycle.
    const truth = app({ whiteSigma: 300 * KB, sawtooth: [{ periodS: 0.01, amplitude: 8 * MB }] });
    const fit = fitNoise(generateRun(truth, 0, 31, LONG), 'anon');
    assert.deepEqual(fit.sawtooth, [], 'no slow sawtooth');
    assert.ok(fit.fast !== null, 'the fast cycle is found');
    near(fit.fast.amplitude, 8 * MB, 0.2, 'fast sawtooth amplitude');
    near(fit.whiteSigma, 300 * KB, 0.6, 'white sigma left beside it');
    const gaussian = fitNoise(generateRun(app({ whiteSigma: 2 * MB }), 0, 32, LONG), 'anon');
    assert.equal(gaussian.fast, null, 'Gaussian noise of the same size is not read as a fast cycle');
  });

  it('refuses too few readings with an error naming how many it needs', () => {
    const short = generateRun(app({ whiteSigma: 100 * KB }), 0, 1, { durationS: 1, intervalMs: 250 });
    assert.throws(() => fitNoise(short, 'anon'), new RegExp(`5 readings during load, need at least ${MIN_FIT_POINTS}`));
    const idle = generateRun(app({ throughput: 0 }), 0, 1, { durationS: 30, intervalMs: 250 });
    assert.throws(() => fitNoise(idle, 'heap'), /no requests counted/);
  });
});

describe('whiteAr1 (method of moments)', () => {
  it('gives white noise alone when there is no serial correlation', () => {
    const r = createRng(5);
    const w = Array.from({ length: 4000 }, () => 1000 * r.normal());
    const fit = whiteAr1(w);
    // Lag-1 correlation of 4,000 white draws is ~N(0, 1/4000): the split gives little or no AR(1).
    assert.ok(fit.ar1Sigma < 300, `AR(1) sigma of white noise should be small, got ${fit.ar1Sigma}`);
    near(Math.hypot(fit.whiteSigma, fit.ar1Sigma), 1000, 0.05, 'total sigma');
  });

  it('gives zeros for a constant series', () => {
    assert.deepEqual(whiteAr1([5, 5, 5, 5]), { whiteSigma: 0, ar1Phi: 0, ar1Sigma: 0 });
  });
});

describe('appOf', () => {
  const report = (env: Record<string, string>, extra: Record<string, unknown> = {}): Report =>
    ({ config: { app: { cwd: '/x/examples/node-leak', env: { PORT: '1', ...env } }, load: { ...extra }, runtime: { kind: 'node' } } }) as unknown as Report;

  it('groups clean and leak runs of one app under one name, and keeps Buffer leaks apart', () => {
    assert.deepEqual(appOf(report({ LEAK_BYTES: '0' })), { name: 'node-leak runtime node', leak: 0 });
    assert.deepEqual(appOf(report({ LEAK_BYTES: '64' })), { name: 'node-leak runtime node', leak: 64 });
    assert.deepEqual(appOf(report({ LEAK_BYTES: '64' }, { rate: 2000 })), { name: 'node-leak @2000/s runtime node', leak: 64 });
    assert.deepEqual(appOf(report({ LEAK_BUFFER_BYTES: '256' })), { name: 'node-leak runtime node LEAK_BUFFER_BYTES=256', leak: 256 });
    assert.deepEqual(appOf(report({ LEAK: '1', PAYLOAD_BYTES: '32' })), { name: 'node-leak runtime node', leak: 32 });
    const early = { ...report({ LEAK_BYTES: '0' }) };
    (early.config as { analysis?: unknown }).analysis = { stopEarly: { enabled: true } };
    assert.deepEqual(appOf(early), { name: 'node-leak runtime node stop-early', leak: 0 });
  });
});
