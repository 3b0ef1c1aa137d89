// Fits the synthetic corpus's noise models (bench/synthetic.ts) to the real clean runs the signals bench kept
// (LEAKGATE_BENCH_KEEP), draws synthetic runs from the fitted models with and without a leak, and puts the gate's
// verdicts on them next to its verdicts on the real leak runs of the same apps. A synthetic figure the real apps do
// not reproduce is a bug in the corpus: this is where such bugs show.
//   node --import tsx bench/run.ts --fit-only <dir>
//
// The model fitted is the generator's own: after the warm-up the gate finds, memory = base + slope·requests +
// sawtooth (period in requests, as a GC cycle is) + AR(1) wander + white noise. For the live heap after a forced GC
// (its own reading times) only the white and AR(1) parts: there is no GC sawtooth left in a post-GC reading.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_ANALYSIS, type AnalysisOptions } from '../src/analyze/analyze-trial.js';
import { analyzeSignals } from '../src/analyze/multi-signal.js';
import { theilSen } from '../src/analyze/stats.js';
import { findWarmupEnd } from '../src/analyze/warmup.js';
import type { Config } from '../src/config/config.js';
import type { Report, Sample } from '../src/core/types.js';
import type { TrialEvidence } from '../src/probes/evidence.js';
import { heapSamples, trialSignals } from '../src/pipeline/trial-analysis.js';
import { median } from './figures.js';
import { verdictsOf } from './real-signals.js';
import { generateRun, hashSeed, measuredThroughput, type AppParams, type Sawtooth } from './synthetic.js';

export type NoiseSignal = 'anon' | 'heap';

/** Fewest readings after the warm-up for a fit: the lag-2 autocovariance and a periodogram need some length. */
export const MIN_FIT_POINTS = 12;
/** A sawtooth is kept only when its periodogram peak stands out of the AR(1)+white background at this level. */
export const SAWTOOTH_ALPHA = 0.01;

export interface NoiseFit {
  signal: NoiseSignal;
  /** Readings after the warm-up the gate finds, which the fit used. */
  points: number;
  /** Median spacing of those readings, ms. */
  intervalMs: number;
  /** Load time the run covers, s. */
  durationS: number;
  /** Requests per second over the run, as the generator's nominal throughput. */
  throughput: number;
  /** The floor of the series at the start of the analysed window (line level less half the sawtooth), bytes. */
  baseBytes: number;
  /** Theil-Sen slope of the clean run after the warm-up, B/req: drift that the generator does not draw. */
  cleanSlope: number;
  whiteSigma: number;
  ar1Phi: number;
  ar1Sigma: number;
  /** The dominant GC sawtooth (period in seconds at `throughput`, peak-to-trough amplitude), or none. */
  sawtooth: Sawtooth[];
  /** Family-wise p-value of the periodogram peak against the fitted background (1 when none was searched). */
  sawtoothP: number;
  /** A GC cycle faster than the readings (seen as uniform noise): period well under the interval, or null. */
  fast: Sawtooth | null;
}

export interface WhiteAr1 {
  whiteSigma: number;
  ar1Phi: number;
  ar1Sigma: number;
}

/** Sample autocovariance at lag k with the 1/n divisor (Box & Jenkins), which keeps the sequence positive definite. */
function autocovariance(r: readonly number[], k: number): number {
  const n = r.length;
  const mean = r.reduce((a, b) => a + b, 0) / n;
  let sum = 0;
  for (let t = 0; t + k < n; t++) sum += (r[t]! - mean) * (r[t + k]! - mean);
  return sum / n;
}

/**
 * White noise plus AR(1) by the method of moments. For y = a + w with a an AR(1) of stationary variance s² and
 * coefficient phi, and w white of variance v: gamma(0) = s² + v, gamma(k) = s²·phi^k for k >= 1 (an ARMA(1,1); e.g.
 * Brockwell & Davis 2002, §3.2). So phi = gamma(2)/gamma(1), s² = gamma(1)/phi, v = gamma(0) - s². When the
 * moments do not allow that split (gamma(2) outside (0, gamma(1)), or s² > gamma(0), common on short series), the
 * Yule-Walker AR(1) alone (phi = gamma(1)/gamma(0), no white part); with no significant lag-1 correlation, white
 * noise alone.
 */
export function whiteAr1(r: readonly number[]): WhiteAr1 {
  const g0 = autocovariance(r, 0);
  if (!(g0 > 0)) return { whiteSigma: 0, ar1Phi: 0, ar1Sigma: 0 };
  const g1 = autocovariance(r, 1);
  const g2 = autocovariance(r, 2);
  // A lag-1 autocorrelation inside Bartlett's ±2/√n band is no evidence of wander: white noise alone.
  if (!(g1 / g0 > 2 / Math.sqrt(r.length))) return { whiteSigma: Math.sqrt(g0), ar1Phi: 0, ar1Sigma: 0 };
  if (g1 > 0 && g2 > 0 && g2 < g1) {
    const phi = Math.min(0.99, g2 / g1);
    const s2 = g1 / phi;
    if (s2 <= g0) return { whiteSigma: Math.sqrt(g0 - s2), ar1Phi: phi, ar1Sigma: Math.sqrt(s2) };
  }
  return { whiteSigma: 0, ar1Phi: Math.min(0.99, g1 / g0), ar1Sigma: Math.sqrt(g0) };
}

/**
 * Background spectrum of white + AR(1), per reading, normalised so that white noise of variance v is flat at v:
 * S(w) = s²(1 - phi²) / (1 - 2·phi·cos w + phi²) + v, w the angular frequency per reading (Gilman, Fuglister &
 * Mitchell 1963, the red-noise background of spectral peak tests).
 */
export function backgroundSpectrum(b: WhiteAr1, omega: number): number {
  const phi = b.ar1Phi;
  return (b.ar1Sigma ** 2 * (1 - phi * phi)) / (1 - 2 * phi * Math.cos(omega) + phi * phi) + b.whiteSigma ** 2;
}

/**
 * Power of the least-squares sinusoid at frequency f (cycles per unit of u) in the centred residuals: the reduction
 * in the sum of squares from fitting a·cos(2πfu) + b·sin(2πfu) (the Lomb-Scargle periodogram, Scargle 1982, in its
 * least-squares form; the readings are not quite evenly spaced). Under the null it is about S(f)·chi²₂.
 */
export function sinePower(u: readonly number[], r: readonly number[], f: number): number {
  let scc = 0;
  let sss = 0;
  let scs = 0;
  let src = 0;
  let srs = 0;
  for (let i = 0; i < u.length; i++) {
    const a = 2 * Math.PI * f * u[i]!;
    const c = Math.cos(a);
    const s = Math.sin(a);
    scc += c * c;
    sss += s * s;
    scs += c * s;
    src += r[i]! * c;
    srs += r[i]! * s;
  }
  const det = scc * sss - scs * scs;
  if (!(det > 0)) return 0;
  return (sss * src * src - 2 * scs * src * srs + scc * srs * srs) / det;
}

/** Least-squares r ≈ c + A·frac(f·u + phase) at one frequency and phase: the amplitude (A > 0 only) and the RSS. */
function templateAt(u: readonly number[], r: readonly number[], f: number, phase: number): { amplitude: number; rss: number; fitted: number[] } | null {
  const n = u.length;
  const s = u.map((x) => {
    const v = x * f + phase;
    return v - Math.floor(v);
  });
  const ms = s.reduce((a, b) => a + b, 0) / n;
  const mr = r.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (s[i]! - ms) * (r[i]! - mr);
    sxx += (s[i]! - ms) ** 2;
  }
  const a = sxx > 0 ? sxy / sxx : 0;
  if (!(a > 0)) return null;
  const fitted = s.map((v) => mr + a * (v - ms));
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (r[i]! - fitted[i]!) ** 2;
  return { amplitude: a, rss, fitted };
}

/**
 * The sawtooth template nearest the periodogram peak f0: a grid of frequencies within ±1/span of it (steps of
 * 1/32 of a periodogram bin) and 64 phases, then six rounds that shrink both steps fourfold around the best. Over a hundred cycles a period off by 1% puts the
 * drops a whole cycle out, and a drop a few samples late leaves the whole amplitude in the residuals, so both must be
 * fine.
 */
function fitTemplate(u: readonly number[], r: readonly number[], f0: number, span: number): { periodS: number; amplitude: number; fitted: number[] } | null {
  let best: { f: number; phase: number; amplitude: number; rss: number; fitted: number[] } | null = null;
  const consider = (f: number, phase: number): void => {
    if (!(f > 0)) return;
    const t = templateAt(u, r, f, phase);
    if (t !== null && (best === null || t.rss < best.rss)) best = { f, phase, ...t };
  };
  let df = 1 / (32 * span);
  let dp = 1 / 64;
  for (let k = -32; k <= 32; k++) for (let j = 0; j < 64; j++) consider(f0 + k * df, j * dp);
  for (let round = 0; round < 6 && best !== null; round++) {
    df /= 4;
    dp /= 4;
    const { f, phase } = best as { f: number; phase: number };
    for (let k = -4; k <= 4; k++) for (let j = -4; j <= 4; j++) consider(f + k * df, phase + j * dp);
  }
  if (best === null) return null;
  const b = best as { f: number; amplitude: number; fitted: number[] };
  return { periodS: 1 / b.f, amplitude: b.amplitude, fitted: b.fitted };
}

/**
 * The dominant sawtooth in detrended residuals r at positions u (seconds of load at the nominal throughput): the
 * frequency whose periodogram power stands highest over the background (white + AR(1) of r), from two cycles in the
 * window to the Nyquist frequency; a sawtooth template fitted there (frequency and phase refined together); the
 * background fitted again on what the template leaves; and the peak tested against that background: power / S(f) is
 * chi²₂ under the null, so p = exp(-Z/2) per frequency and 1 - (1 - p)^M over the M independent frequencies searched
 * (Fisher's 1929 max-periodogram argument). Returns null when p >= SAWTOOTH_ALPHA.
 */
export function fitSawtooth(u: readonly number[], r: readonly number[]): { sawtooth: Sawtooth; p: number; remainder: number[] } | null {
  const n = u.length;
  const span = u[n - 1]! - u[0]!;
  const dt = median(u.slice(1).map((x, i) => x - u[i]!));
  if (!(span > 0) || !(dt > 0)) return null;
  const mean = r.reduce((a, b) => a + b, 0) / n;
  const centred = r.map((v) => v - mean);
  const background0 = whiteAr1(centred);
  const fMin = 2 / span;
  const fMax = 1 / (2 * dt);
  if (!(fMax > fMin)) return null;
  let bestF = 0;
  let bestZ = -Infinity;
  for (let f = fMin; f <= fMax; f += 1 / (4 * span)) {
    const z = sinePower(u, centred, f) / backgroundSpectrum(background0, 2 * Math.PI * f * dt);
    if (z > bestZ) {
      bestZ = z;
      bestF = f;
    }
  }
  if (!(bestF > 0)) return null;
  const template = fitTemplate(u, centred, bestF, span);
  if (template === null) return null;
  const remainder = centred.map((v, i) => v - template.fitted[i]!);
  const background = whiteAr1(remainder);
  const z = sinePower(u, centred, bestF) / backgroundSpectrum(background, 2 * Math.PI * bestF * dt);
  const m = Math.max(1, Math.round((fMax - fMin) * span));
  const p = 1 - (1 - Math.exp(-z / 2)) ** m;
  if (!(p < SAWTOOTH_ALPHA)) return null;
  return { sawtooth: { periodS: template.periodS, amplitude: template.amplitude }, p, remainder };
}

/** Cycles of the fast sawtooth per reading: enough that the generator's 5% throughput jitter randomises its phase. */
const FAST_CYCLES_PER_READING = 40;

/**
 * A GC cycle faster than the sampling: each reading lands at a random point of the cycle, so the cycle shows as
 * bounded, uniform noise U(0, A) rather than as a period (a young generation filling several times between two
 * readings). Its fourth cumulant is -A⁴/120 where Gaussian noise (white or AR(1)) has none, so by the method of
 * moments A = (-120·k4)^(1/4), k4 = m4 - 3·m2² (Kendall & Stuart, cumulants of the uniform). Taken only when the
 * excess kurtosis m4/m2² - 3 is below -1.645 standard errors (√(24/n); one-sided 5%): a 30 s run leaves only ~90
 * readings, where a fast cycle mixed with Gaussian noise shows an excess of -0.7 to -0.9. The uniform has no serial
 * correlation, so it comes out of the white part, and the white sigma left is what it does not explain.
 */
export function fastSawtooth(r: readonly number[], whiteSigma: number): { amplitude: number; whiteSigma: number } | null {
  const n = r.length;
  const mean = r.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const v of r) {
    m2 += (v - mean) ** 2 / n;
    m4 += (v - mean) ** 4 / n;
  }
  if (!(m2 > 0) || !(m4 / (m2 * m2) - 3 < -1.645 * Math.sqrt(24 / n))) return null;
  const a = (-120 * (m4 - 3 * m2 * m2)) ** 0.25;
  const amplitude = Math.min(a, Math.sqrt(12) * whiteSigma);
  if (!(amplitude > 0)) return null;
  return { amplitude, whiteSigma: Math.sqrt(Math.max(0, whiteSigma ** 2 - amplitude ** 2 / 12)) };
}

/**
 * Fits the generator's noise model to one real clean run. `samples` are the trial's samples (anon in total.anon),
 * or for 'heap' the after-GC readings as samples (heapSamples). Throws when there are too few readings to fit.
 */
export function fitNoise(samples: readonly Sample[], signal: NoiseSignal, warmup: AnalysisOptions['warmup'] = DEFAULT_ANALYSIS.warmup): NoiseFit {
  const running = samples.filter((s) => s.t >= 0);
  if (running.length < MIN_FIT_POINTS) {
    throw new Error(`fitNoise (${signal}): ${running.length} readings during load, need at least ${MIN_FIT_POINTS}`);
  }
  const throughput = measuredThroughput(running);
  if (!(throughput > 0)) throw new Error(`fitNoise (${signal}): no requests counted, so no throughput to scale the model to`);
  const start = findWarmupEnd(running, 'anon', warmup).index;
  const window = running.slice(start);
  if (window.length < MIN_FIT_POINTS) {
    throw new Error(`fitNoise (${signal}): ${window.length} readings after the warm-up (it ends at reading ${start} of ${running.length}), need at least ${MIN_FIT_POINTS}`);
  }
  const x = window.map((s) => s.requests);
  const y = window.map((s) => s.total.anon);
  const ts = theilSen(x, y, DEFAULT_ANALYSIS.confidence);
  const residual = y.map((v, i) => v - ts.intercept - ts.slope * x[i]!);
  // Seconds at the nominal throughput: the generator's GC cycle is a number of requests, as a real one is.
  const u = x.map((req) => req / throughput);
  const saw = signal === 'anon' ? fitSawtooth(u, residual) : null;
  const remainder = saw ? saw.remainder : residual;
  const noise = whiteAr1(remainder);
  const intervalMs = median(window.slice(1).map((s, i) => s.t - window[i]!.t));
  const fast = signal === 'anon' ? fastSawtooth(remainder, noise.whiteSigma) : null;
  const amplitude = (saw?.sawtooth.amplitude ?? 0) + (fast?.amplitude ?? 0);
  return {
    signal,
    points: window.length,
    intervalMs,
    durationS: running[running.length - 1]!.t / 1000,
    throughput,
    baseBytes: ts.intercept + ts.slope * x[0]! - amplitude / 2,
    cleanSlope: ts.slope,
    ...noise,
    ...(fast ? { whiteSigma: fast.whiteSigma } : {}),
    sawtooth: saw ? [saw.sawtooth] : [],
    sawtoothP: saw?.p ?? 1,
    fast: fast ? { periodS: intervalMs / 1000 / FAST_CYCLES_PER_READING, amplitude: fast.amplitude } : null,
  };
}

/** The fitted model as the generator's parameters: no warm-up, cache or steps (the fit starts after the warm-up). */
export function toAppParams(fit: NoiseFit, appSeed = 0): AppParams {
  return {
    model: 'mixed',
    appSeed,
    baseBytes: fit.baseBytes,
    throughput: fit.throughput,
    whiteSigma: fit.whiteSigma,
    ar1Phi: fit.ar1Phi,
    ar1Sigma: fit.ar1Sigma,
    sawtooth: [...fit.sawtooth, ...(fit.fast ? [fit.fast] : [])],
    warmupBytes: 0,
    warmupTauS: 1,
    cacheBytes: 0,
    cacheFillFraction: 0,
    steps: [],
  };
}

// ---------------------------------------------------------------------------------------------
// The kept reports, grouped by app.

export interface KeptRun {
  file: string;
  leak: number;
  report: Report;
}

export interface AppGroup {
  name: string;
  clean: KeptRun[];
  /** Leak runs by nominal bytes per request. */
  leaks: Map<number, KeptRun[]>;
}

/** The resolved config a report was run with (the report stores it as it was validated). */
export function configOf(report: Report): Config {
  return report.config as Config;
}

const LEAK_KEYS = new Set(['PORT', 'LEAK_BYTES', 'LEAK', 'PAYLOAD_BYTES']);

/**
 * The app a kept report ran and the leak it was given, from the report's own config (file names changed between
 * bench versions): the example's folder, the constant rate, the runtime probe, early stopping, and any other env
 * setting (a Buffer leak, a cache size) make the app; LEAK_BYTES (or java-leak's LEAK=1 with PAYLOAD_BYTES) the
 * leak. A Buffer or session leak is an app of its own with no clean runs, so it is listed as not fitted.
 */
export function appOf(report: Report): { name: string; leak: number } {
  const config = configOf(report);
  const env = (config.app.env ?? {}) as Record<string, string>;
  const others = Object.keys(env).filter((k) => !LEAK_KEYS.has(k)).sort().map((k) => `${k}=${env[k]}`);
  const rate = (config.load as { rate?: number }).rate;
  const leak =
    env.LEAK_BYTES !== undefined ? Number(env.LEAK_BYTES)
    : env.LEAK === '1' ? Number(env.PAYLOAD_BYTES ?? 0)
    : env.LEAK_BUFFER_BYTES !== undefined ? Number(env.LEAK_BUFFER_BYTES)
    // A session-like Map entry per request: 189 B measured in-process (bench/real-signals.ts).
    : env.LEAK_SESSIONS !== undefined ? 189
    : 0;
  // A run that stopped early is shorter: an app of its own, not one more run of the full-length one.
  const early = config.analysis?.stopEarly?.enabled ? 'stop-early' : '';
  const name = [basename(config.app.cwd ?? '?'), rate ? `@${rate}/s` : '', `runtime ${config.runtime.kind}`, early, ...others].filter(Boolean).join(' ');
  return { name, leak };
}

export function groupKept(dir: string): { groups: AppGroup[]; files: number; unreadable: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const groups = new Map<string, AppGroup>();
  const unreadable: string[] = [];
  for (const file of files) {
    let report: Report;
    try {
      report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Report;
    } catch {
      // The bench may be writing this one right now.
      unreadable.push(file);
      continue;
    }
    if (report.error || !report.trials?.[0] || !report.config) {
      unreadable.push(file);
      continue;
    }
    const { name, leak } = appOf(report);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, clean: [], leaks: new Map() }));
    const run = { file, leak, report };
    if (leak === 0) g.clean.push(run);
    else g.leaks.set(leak, [...(g.leaks.get(leak) ?? []), run]);
  }
  return { groups: [...groups.values()], files: files.length, unreadable };
}

// ---------------------------------------------------------------------------------------------
// Prediction: synthetic runs from the fitted models next to the real runs.

/** The gate's verdicts with anon alone and with the heap alone, as the signals bench computes them (verdictsOf). */
export function aloneVerdicts(config: Config, samples: Sample[], evidence: TrialEvidence, throughput: number): { anon: string; heap: string | null } {
  const inputs = trialSignals(config, samples, evidence, false);
  const opts = { ...config.analysis, metric: 'anon' as const };
  const anon = analyzeSignals(inputs.filter((i) => i.metric !== 'heap'), opts, throughput).primary;
  const heap = inputs.filter((i) => i.metric === 'heap');
  return { anon: anon.verdict, heap: heap.length > 0 ? analyzeSignals(heap, opts, throughput).primary.verdict : null };
}

export interface Count {
  leak: number;
  n: number;
}

export interface PredictionRow {
  leak: number;
  synthAnon: Count;
  synthHeap: Count | null;
  realAnon: Count;
  realHeap: Count | null;
  /** Median slopes the gate measured on the real leak runs (on the clean runs for leak 0), B/req. */
  realSlopeAnon: number | null;
  realSlopeHeap: number | null;
  /** Synthetic detection when the leak is the bytes per request the real runs actually showed. */
  synthAnonAtRealSlope: Count | null;
  synthHeapAtRealSlope: Count | null;
}

export interface GroupPrediction {
  name: string;
  cleanRuns: number;
  anonFits: NoiseFit[];
  heapFits: NoiseFit[];
  fitErrors: string[];
  rows: PredictionRow[];
}

export interface PredictOptions {
  /** Synthetic runs per app and leak rate. */
  runs: number;
  seed: number;
  leaks: readonly number[];
}

export const PREDICT_DEFAULTS: PredictOptions = { runs: 200, seed: 1, leaks: [16, 32, 64, 128, 256] };

/** Synthetic run i of an app: the anon series of fit i mod k and the heap series of heap fit i mod k, with a leak. */
function syntheticTrial(anonFit: NoiseFit, heapFit: NoiseFit | null, leak: number, seed: number): { samples: Sample[]; evidence: TrialEvidence } {
  const samples = generateRun(toAppParams(anonFit), leak, seed, { durationS: anonFit.durationS, intervalMs: anonFit.intervalMs });
  if (heapFit === null) return { samples, evidence: {} };
  const heap = generateRun(toAppParams(heapFit), leak, hashSeed(seed, 0x4ea9), { durationS: heapFit.durationS, intervalMs: heapFit.intervalMs, pageBytes: 1 });
  const heapSeries = heap.map((s) => ({ t: s.t, requests: s.requests, usedBytes: s.total.anon }));
  return { samples, evidence: { runtime: { kind: 'node', heapSeries } } as TrialEvidence };
}

function simulate(config: Config, g: GroupPrediction, leak: number, signal: NoiseSignal, opts: PredictOptions, stream: number): Count {
  const c = { leak: 0, n: 0 };
  if (g.anonFits.length === 0 || (signal === 'heap' && g.heapFits.length === 0)) return c;
  // Each signal alone, as in the table of real runs; anon-only config when the heap is not the signal analysed.
  for (let i = 0; i < opts.runs; i++) {
    const anonFit = g.anonFits[i % g.anonFits.length]!;
    const heapFit = signal === 'heap' ? g.heapFits[i % g.heapFits.length]! : null;
    const { samples, evidence } = syntheticTrial(anonFit, heapFit, leak, hashSeed(opts.seed, stream, Math.round(leak * 1000), i));
    const v = aloneVerdicts(config, samples, evidence, anonFit.throughput);
    const verdict = signal === 'heap' ? v.heap : v.anon;
    c.n++;
    if (verdict === 'leak') c.leak++;
  }
  return c;
}

function realCounts(runs: readonly KeptRun[]): { anon: Count; heap: Count | null; slopeAnon: number | null; slopeHeap: number | null } {
  const anon = { leak: 0, n: 0 };
  const heap = { leak: 0, n: 0 };
  const slopesAnon: number[] = [];
  const slopesHeap: number[] = [];
  for (const r of runs) {
    const v = verdictsOf(configOf(r.report), r.report.trials[0]!);
    anon.n++;
    if (v.verdictAnon === 'leak') anon.leak++;
    if (Number.isFinite(v.slopeAnon)) slopesAnon.push(v.slopeAnon);
    if (v.verdictHeap !== null) {
      heap.n++;
      if (v.verdictHeap === 'leak') heap.leak++;
      if (v.slopeHeap !== null && Number.isFinite(v.slopeHeap)) slopesHeap.push(v.slopeHeap);
    }
  }
  return {
    anon,
    heap: heap.n > 0 ? heap : null,
    slopeAnon: slopesAnon.length > 0 ? median(slopesAnon) : null,
    slopeHeap: slopesHeap.length > 0 ? median(slopesHeap) : null,
  };
}

/** Fits every clean run of an app, then the table rows: leak 0 (false positives) and each leak rate. */
export function predict(group: AppGroup, opts: PredictOptions = PREDICT_DEFAULTS, stream = 0): GroupPrediction {
  const g: GroupPrediction = { name: group.name, cleanRuns: group.clean.length, anonFits: [], heapFits: [], fitErrors: [], rows: [] };
  for (const run of group.clean) {
    const trial = run.report.trials[0]!;
    try {
      g.anonFits.push(fitNoise(trial.samples, 'anon'));
    } catch (e) {
      g.fitErrors.push(`${run.file}: ${(e as Error).message}`);
    }
    const heap = heapSamples(trial.evidence ?? {});
    if (heap.length === 0) continue;
    try {
      g.heapFits.push(fitNoise(heap, 'heap'));
    } catch (e) {
      g.fitErrors.push(`${run.file}: ${(e as Error).message}`);
    }
  }
  if (g.anonFits.length === 0) return g;
  const config = configOf(group.clean[0]!.report);
  const atSlope = (slope: number | null, signal: NoiseSignal, s: number): Count | null =>
    slope !== null && slope > 0 && (signal === 'anon' || g.heapFits.length > 0) ? simulate(config, g, slope, signal, opts, s) : null;
  // The leak rates asked for, and any other rate the kept reports of this app ran (an old python-leak 1024 B).
  const leaks = [...new Set([...opts.leaks, ...group.leaks.keys()])].sort((a, b) => a - b);
  for (const leak of [0, ...leaks]) {
    const real = realCounts(leak === 0 ? group.clean : (group.leaks.get(leak) ?? []));
    if (leak !== 0 && real.anon.n === 0) continue;
    g.rows.push({
      leak,
      synthAnon: simulate(config, g, leak, 'anon', opts, hashSeed(stream, 1)),
      synthHeap: g.heapFits.length > 0 ? simulate(config, g, leak, 'heap', opts, hashSeed(stream, 2)) : null,
      realAnon: real.anon,
      realHeap: real.heap,
      realSlopeAnon: real.slopeAnon,
      realSlopeHeap: real.slopeHeap,
      synthAnonAtRealSlope: leak === 0 ? null : atSlope(real.slopeAnon, 'anon', hashSeed(stream, 3)),
      synthHeapAtRealSlope: leak === 0 ? null : atSlope(real.slopeHeap, 'heap', hashSeed(stream, 4)),
    });
  }
  return g;
}

// ---------------------------------------------------------------------------------------------
// Do the corpus's ranges cover the fitted apps?

const MIB = 1024 * 1024;

/** drawApp's ranges (bench/synthetic.ts, its doc comment), as shares of base where it draws them so. */
export const CORPUS_RANGES = {
  baseMiB: [20, 300],
  throughput: [1500, 30000],
  whiteShare: [0.0005, 0.005],
  ar1Phi: [0.5, 0.97],
  ar1Share: [0.001, 0.01],
  sawPeriodS: [0.5, 8],
  sawShare: [0.02, 0.4],
} as const;

export type RangeKey = keyof typeof CORPUS_RANGES;

/** One fit's values on drawApp's scales (shares of base), for the coverage check; sawtooth ones only when found. */
export function corpusScale(fit: NoiseFit): Partial<Record<RangeKey, number>> {
  const base = fit.baseBytes;
  const out: Partial<Record<RangeKey, number>> = {
    baseMiB: base / MIB,
    throughput: fit.throughput,
    whiteShare: fit.whiteSigma / base,
  };
  if (fit.ar1Sigma > 0) {
    out.ar1Phi = fit.ar1Phi;
    out.ar1Share = fit.ar1Sigma / base;
  }
  const saw = fit.sawtooth[0];
  if (saw) {
    out.sawPeriodS = saw.periodS;
    out.sawShare = saw.amplitude / base;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The driver.

export interface NoiseFitResult {
  dir: string;
  files: number;
  unreadable: string[];
  options: PredictOptions;
  groups: GroupPrediction[];
  /** Apps with leak runs but no clean run to fit. */
  unfitted: string[];
  ms: number;
}

export function runNoiseFit(dir: string, opts: PredictOptions = PREDICT_DEFAULTS, now: () => number = () => performance.now()): NoiseFitResult {
  const started = now();
  const { groups, files, unreadable } = groupKept(dir);
  const fitted = groups.filter((g) => g.clean.length > 0);
  return {
    dir,
    files,
    unreadable,
    options: opts,
    groups: fitted.map((g, i) => predict(g, opts, i)),
    unfitted: groups.filter((g) => g.clean.length === 0).map((g) => g.name),
    ms: now() - started,
  };
}

const frac = (c: Count | null): string => (c === null || c.n === 0 ? '—' : `${c.leak}/${c.n} ${Math.round((100 * c.leak) / c.n)}%`);
const bytes = (v: number | null): string => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(v !== 0 && Math.abs(v) < 10 ? 1 : 0));
const kib = (v: number): string => `${(v / 1024).toFixed(v < 10 * 1024 ? 1 : 0)}K`;

export const PREDICTION_HEADERS = ['app', 'leak B/req', 'synth anon', 'real anon', 'synth heap', 'real heap', 'real anon B/req', 'synth anon @real', 'real heap B/req', 'synth heap @real'];

/** One row per app and leak rate; leak 0 is the false-positive row. */
export function predictionRows(r: NoiseFitResult): string[][] {
  return r.groups.flatMap((g) =>
    g.rows.map((row) => [
      g.name,
      row.leak === 0 ? '0 (FP)' : String(row.leak),
      frac(row.synthAnon),
      frac(row.realAnon),
      frac(row.synthHeap),
      frac(row.realHeap),
      bytes(row.realSlopeAnon),
      frac(row.synthAnonAtRealSlope),
      bytes(row.realSlopeHeap),
      frac(row.synthHeapAtRealSlope),
    ]),
  );
}

export const FIT_HEADERS = ['app', 'runs', 'req/s', 'base', 'white', 'AR(1) phi', 'AR(1) sd', 'sawtooth (runs)', 'period s', 'amplitude', 'fast saw (runs)', 'fast amplitude', 'clean B/req', 'heap every', 'heap white', 'heap phi', 'heap AR sd', 'heap clean B/req'];

/** The fitted parameters per app: medians over its clean runs (the sawtooth's over the runs that show one). */
export function fitRows(r: NoiseFitResult): string[][] {
  const med = (fits: NoiseFit[], f: (x: NoiseFit) => number): number => (fits.length > 0 ? median(fits.map(f)) : NaN);
  const or = (v: number, s: (v: number) => string): string => (Number.isFinite(v) ? s(v) : '—');
  return r.groups.map((g) => {
    const a = g.anonFits;
    const h = g.heapFits;
    const saw = a.filter((f) => f.sawtooth.length > 0);
    return [
      g.name,
      String(a.length),
      or(med(a, (f) => f.throughput), (v) => String(Math.round(v))),
      or(med(a, (f) => f.baseBytes), (v) => `${(v / MIB).toFixed(1)}M`),
      or(med(a, (f) => f.whiteSigma), kib),
      or(med(a, (f) => f.ar1Phi), (v) => v.toFixed(2)),
      or(med(a, (f) => f.ar1Sigma), kib),
      `${saw.length}/${a.length}`,
      or(med(saw, (f) => f.sawtooth[0]!.periodS), (v) => v.toFixed(2)),
      or(med(saw, (f) => f.sawtooth[0]!.amplitude), kib),
      `${a.filter((f) => f.fast !== null).length}/${a.length}`,
      or(med(a.filter((f) => f.fast !== null), (f) => f.fast!.amplitude), kib),
      or(med(a, (f) => f.cleanSlope), (v) => v.toFixed(1)),
      or(med(h, (f) => f.intervalMs), (v) => `${Math.round(v)} ms`),
      or(med(h, (f) => f.whiteSigma), kib),
      or(med(h, (f) => f.ar1Phi), (v) => v.toFixed(2)),
      or(med(h, (f) => f.ar1Sigma), kib),
      or(med(h, (f) => f.cleanSlope), (v) => v.toFixed(2)),
    ];
  });
}

export const COVERAGE_HEADERS = ['parameter', 'corpus range', 'fitted (min .. max over runs)', 'runs outside'];

/** drawApp's ranges against the fitted anon values of every clean run. */
export function coverageRows(r: NoiseFitResult): string[][] {
  const all = r.groups.flatMap((g) => g.anonFits);
  const fits = all.map(corpusScale);
  const fmt = (k: RangeKey, v: number): string => (k === 'baseMiB' || k === 'throughput' ? v.toFixed(0) : k === 'ar1Phi' || k === 'sawPeriodS' ? v.toFixed(2) : `${(v * 100).toFixed(2)}%`);
  const rows = (Object.keys(CORPUS_RANGES) as RangeKey[]).map((k) => {
    const [lo, hi] = CORPUS_RANGES[k];
    const vs = fits.map((f) => f[k]).filter((v): v is number => v !== undefined);
    const outside = vs.filter((v) => v < lo || v > hi).length;
    return [k, `${fmt(k, lo)} .. ${fmt(k, hi)}`, vs.length > 0 ? `${fmt(k, Math.min(...vs))} .. ${fmt(k, Math.max(...vs))}` : '—', `${outside}/${vs.length}`];
  });
  // drawApp draws no cycle faster than the readings: every run that shows one is outside its ranges.
  const fast = all.filter((f) => f.fast !== null).map((f) => f.fast!.amplitude / f.baseBytes);
  rows.push(['fastSawShare', 'not drawn', fast.length > 0 ? `${fmt('sawShare', Math.min(...fast))} .. ${fmt('sawShare', Math.max(...fast))}` : '—', `${fast.length}/${all.length}`]);
  return rows;
}
