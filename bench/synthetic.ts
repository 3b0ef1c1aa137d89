// Synthetic memory series modelled on what real servers do under load, with a known leak rate
// added, so the analysis can be scored against the truth. Everything is drawn from a seeded PRNG:
// the same seed gives the same corpus on every machine.
//
// A series is split in two draws: the *app* (base memory, throughput, GC cycle, cache size, ... ;
// from the app seed) and the *run* (noise, GC phase, throughput jitter, sampling jitter; from the
// run seed). Naive gate (b) compares a run against a baseline run of the same app with leak 0.

import type { Sample } from '../src/core/types.js';

export const MODELS = ['white', 'ar1', 'sawtooth', 'warmup', 'cache', 'step', 'mixed'] as const;
export type ModelName = (typeof MODELS)[number];

export const LEAK_RATES = [64, 256, 1024, 8192] as const;

const MB = 1024 * 1024;
const PAGE = 4096;

// ---------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32 (both public domain, well tested, 32-bit integer only).

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Uniform on a log scale: as many draws in 1..10 as in 10..100. */
  logUniform(lo: number, hi: number): number;
  int(lo: number, hiInclusive: number): number;
  normal(): number;
  chance(p: number): boolean;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes any number of integers into one 32-bit seed. */
export function hashSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    const next = splitmix32((h ^ (p >>> 0)) >>> 0);
    h = (next() ^ Math.imul(h, 0x01000193)) >>> 0;
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  let spare: number | null = null;
  const rng: Rng = {
    next: () => u32() / 4294967296,
    uniform: (lo, hi) => lo + (hi - lo) * rng.next(),
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rng.next()),
    int: (lo, hi) => lo + Math.floor(rng.next() * (hi - lo + 1)),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      // Box-Muller; 1 - next() keeps log() away from 0.
      const u = 1 - rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => rng.next() < p,
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// The app: what stays the same from one run of it to the next.

export interface Sawtooth {
  /** Seconds between collections at the app's nominal throughput (the cycle is in requests). */
  periodS: number;
  amplitude: number;
}

export interface AppParams {
  model: ModelName;
  appSeed: number;
  /** Live memory when load starts, bytes. */
  baseBytes: number;
  /** Nominal requests per second. */
  throughput: number;
  /** Standard deviation of white measurement noise, bytes. */
  whiteSigma: number;
  /** AR(1) wander: coefficient per sample and stationary standard deviation, bytes (0: none). */
  ar1Phi: number;
  ar1Sigma: number;
  sawtooth: Sawtooth[];
  /** Warm-up curve W·(1 - exp(-t/τ)) (W = 0: none). */
  warmupBytes: number;
  warmupTauS: number;
  /** Bounded cache: filled linearly over the first `cacheFillFraction` of the run's requests. */
  cacheBytes: number;
  cacheFillFraction: number;
  /** One-off allocations: size and where in the run (share of the nominal requests). */
  steps: { bytes: number; at: number }[];
}

export interface SeriesOptions {
  durationS: number;
  intervalMs: number;
  /** Granularity of the figure, bytes (default a 4 KiB page, as smaps_rollup reports; 1 for a heap reading). */
  pageBytes?: number;
}

export const DEFAULT_SERIES: SeriesOptions = { durationS: 30, intervalMs: 250 };

/**
 * Draws an app of the given model. Ranges, a priori from what servers show (DESIGN.md's probe
 * table, V8 and CPython heaps): base 20-300 MiB, 1.5k-30k req/s, white noise 0.05-0.5% of base,
 * AR(1) phi 0.5-0.97 with 0.1-1% of base, GC sawtooth periods 0.5-8 s and amplitudes 2-40% of base,
 * warm-up of 10-100% of base with tau 0.5-6 s, caches of 10-150% of base filling over 10-45% of
 * the run, one to three one-off steps of 1-20% of base.
 */
export function drawApp(model: ModelName, appSeed: number): AppParams {
  const r = createRng(appSeed);
  const base = r.logUniform(20 * MB, 300 * MB);
  const app: AppParams = {
    model,
    appSeed,
    baseBytes: base,
    throughput: r.logUniform(1500, 30000),
    whiteSigma: base * r.logUniform(0.0005, 0.005),
    ar1Phi: 0,
    ar1Sigma: 0,
    sawtooth: [],
    warmupBytes: 0,
    warmupTauS: 1,
    cacheBytes: 0,
    cacheFillFraction: 0,
    steps: [],
  };
  const ar1 = (): void => {
    app.ar1Phi = r.uniform(0.5, 0.97);
    app.ar1Sigma = base * r.logUniform(0.001, 0.01);
  };
  const sawtooth = (): void => {
    const n = r.chance(0.4) ? 2 : 1;
    for (let i = 0; i < n; i++) app.sawtooth.push({ periodS: r.logUniform(0.5, 8), amplitude: base * r.logUniform(0.02, 0.4) });
  };
  const warmup = (): void => {
    app.warmupBytes = base * r.logUniform(0.1, 1);
    app.warmupTauS = r.logUniform(0.5, 6);
  };
  const cache = (): void => {
    app.cacheBytes = base * r.logUniform(0.1, 1.5);
    app.cacheFillFraction = r.uniform(0.1, 0.45);
  };
  const steps = (): void => {
    const n = r.int(1, 3);
    for (let i = 0; i < n; i++) app.steps.push({ bytes: base * r.logUniform(0.01, 0.2), at: r.uniform(0.05, 0.95) });
  };
  switch (model) {
    case 'white':
      break;
    case 'ar1':
      ar1();
      break;
    case 'sawtooth':
      sawtooth();
      break;
    case 'warmup':
      warmup();
      break;
    case 'cache':
      cache();
      break;
    case 'step':
      steps();
      break;
    case 'mixed':
      ar1();
      sawtooth();
      warmup();
      if (r.chance(0.5)) cache();
      if (r.chance(0.3)) steps();
      break;
  }
  return app;
}

/**
 * One run of an app with `leakBytes` retained per request: samples every intervalMs from t = 0
 * (load start) to the end. Throughput jitters 5% per interval; sample times are a few ms late;
 * memory is whole pages, as smaps_rollup reports it.
 */
export function generateRun(app: AppParams, leakBytes: number, runSeed: number, opts: SeriesOptions = DEFAULT_SERIES): Sample[] {
  const r = createRng(runSeed);
  const n = Math.floor((opts.durationS * 1000) / opts.intervalMs) + 1;
  const nominalRequests = app.throughput * opts.durationS;
  const phases = app.sawtooth.map(() => r.next());
  // Steps land within ±2% of the run of where the app puts them.
  const stepAt = app.steps.map((s) => Math.min(0.99, Math.max(0.01, s.at + r.uniform(-0.02, 0.02))) * nominalRequests);
  const fileBytes = app.baseBytes * 0.4;
  const samples: Sample[] = [];
  let requests = 0;
  let lastT = 0;
  let ar = app.ar1Sigma * r.normal();
  const arInnovation = app.ar1Sigma * Math.sqrt(1 - app.ar1Phi * app.ar1Phi);
  for (let k = 0; k < n; k++) {
    const t = k === 0 ? 0 : k * opts.intervalMs + Math.abs(r.normal()) * 2;
    const dt = (t - lastT) / 1000;
    lastT = t;
    requests += Math.max(0.1, 1 + 0.05 * r.normal()) * app.throughput * dt;
    const req = Math.round(requests);
    let y = app.baseBytes + leakBytes * req;
    for (let i = 0; i < app.sawtooth.length; i++) {
      const s = app.sawtooth[i]!;
      const cycle = s.periodS * app.throughput;
      const u = req / cycle + phases[i]!;
      y += s.amplitude * (u - Math.floor(u));
    }
    if (app.warmupBytes > 0) y += app.warmupBytes * (1 - Math.exp(-t / 1000 / app.warmupTauS));
    if (app.cacheBytes > 0) y += app.cacheBytes * Math.min(1, req / (app.cacheFillFraction * nominalRequests));
    app.steps.forEach((s, i) => {
      if (req >= stepAt[i]!) y += s.bytes;
    });
    if (app.ar1Sigma > 0) {
      if (k > 0) ar = app.ar1Phi * ar + arInnovation * r.normal();
      y += ar;
    }
    y += app.whiteSigma * r.normal();
    const page = opts.pageBytes ?? PAGE;
    const anon = Math.max(page, Math.round(y / page) * page);
    const rss = anon + Math.round(fileBytes / PAGE) * PAGE;
    samples.push({
      t,
      requests: req,
      total: { anon, rss, pss: rss, uss: anon, swap: 0 },
      processes: [],
    });
  }
  return samples;
}

/** Requests per second over a run, as leakgate measures it. */
export function measuredThroughput(samples: readonly Sample[]): number {
  const last = samples[samples.length - 1];
  return last && last.t > 0 ? (last.requests * 1000) / last.t : 0;
}

/** Short description of an app for the failure examples in the report. */
export function describeApp(app: AppParams): string {
  const mib = (b: number): string => `${(b / MB).toFixed(1)}M`;
  const parts = [`base ${mib(app.baseBytes)}`, `${Math.round(app.throughput)} req/s`, `white ${mib(app.whiteSigma)}`];
  if (app.ar1Sigma > 0) parts.push(`ar1 phi ${app.ar1Phi.toFixed(2)} sd ${mib(app.ar1Sigma)}`);
  for (const s of app.sawtooth) parts.push(`saw ${s.periodS.toFixed(1)}s x ${mib(s.amplitude)}`);
  if (app.warmupBytes > 0) parts.push(`warm-up ${mib(app.warmupBytes)} tau ${app.warmupTauS.toFixed(1)}s`);
  if (app.cacheBytes > 0) parts.push(`cache ${mib(app.cacheBytes)} fills by ${Math.round(app.cacheFillFraction * 100)}%`);
  for (const s of app.steps) parts.push(`step ${mib(s.bytes)} at ${Math.round(s.at * 100)}%`);
  return parts.join(', ');
}
