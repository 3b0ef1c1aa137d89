// Real apps, every signal, with and without early stopping: the bundled CLI runs each app for the whole budget
// (analysis.stop-early off) and the report's samples and heap readings are then analysed offline, with the same pure
// functions the gate uses, four ways: anonymous memory alone, the live heap after GC alone, the combined verdict
// (Holm over both), and the group-sequential looks replayed on the same data (the verdict and the load time at
// which it would have stopped). One run thus gives all four figures side by side, on identical data.
//   node --import tsx bench/run.ts --signals-only [--real-runs N] [--duration 30s]
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { analyzeSignals } from '../src/analyze/multi-signal.js';
import { confirmLook, decideLook, lookFractions, sequentialBoundaries, type LookDecision } from '../src/analyze/sequential.js';
import { loadConfig, type Config } from '../src/config/config.js';
import type { Report, Sample, TrialReport } from '../src/core/types.js';
import { analyzeTrialSignals, trialSignals } from '../src/pipeline/trial-analysis.js';
import { lookSignals } from '../src/pipeline/early-stop.js';
import { freePort } from '../test/support/net.js';
import { ROOT } from './real-apps.js';
import { median } from './figures.js';

const CLI = join(ROOT, 'dist', 'cli.js');

export interface SignalCase {
  name: string;
  app: 'express' | 'node-leak' | 'node-plateau' | 'python-leak' | 'java-leak';
  env: Record<string, number>;
  /** Bytes retained per request by design (the payload; the runtime adds its own bytes per entry); 0 for clean apps. */
  leak: number;
  /** Constant request rate (load.rate), or the app's natural throughput. */
  rate?: number;
  /** runtime: none, to measure the forced GCs' cost in throughput. */
  noRuntime?: boolean;
  /** A clean app whose runs count in the false-positive total. */
  clean?: boolean;
  /** Shown but not counted as a clean app: what no gate of this budget can tell from a leak. */
  limitation?: boolean;
  /**
   * Run with analysis.stop-early on: the early-stop columns are then the live run's own verdict and load time
   * (its heap readings spaced for the first look), not a replay of a full-budget run.
   */
  live?: boolean;
}

const LEAKS = [16, 32, 64, 128, 256];

/**
 * The issue's matrix: the realistic Express example at its natural throughput and at a constant 2k req/s, node-leak
 * (Buffers), python-leak (bytes objects), java-leak (a record and its payload per request), each clean and at
 * 16-256 B/req, Express also with a Buffer leak; the clean apps (node-clean, Express clean, node-plateau,
 * python-clean) for false positives; runtime none next to the default to price the forced GCs.
 */
export function signalCases(): SignalCase[] {
  const express = (leak: number, extra: Partial<SignalCase> = {}): SignalCase => ({ name: `express ${leak} B${extra.rate ? ` @${extra.rate}/s` : ''}`, app: 'express', env: { LEAK_BYTES: leak }, leak, clean: leak === 0, ...extra });
  return [
    ...[0, ...LEAKS].map((b) => express(b)),
    { name: 'express Buffer 256 B', app: 'express', env: { LEAK_BUFFER_BYTES: 256 }, leak: 256 },
    // A session-like Map entry per request: 189 B measured in-process (heapUsed after gc() over 200,000 entries).
    { name: 'express sessions (189 B)', app: 'express', env: { LEAK_SESSIONS: 1 }, leak: 189 },
    ...[0, ...LEAKS].map((b) => express(b, { rate: 2000 })),
    { name: 'express Buffer 256 B @2000/s', app: 'express', env: { LEAK_BUFFER_BYTES: 256 }, leak: 256, rate: 2000 },
    { name: 'express 0 B, runtime none', app: 'express', env: {}, leak: 0, noRuntime: true },
    // node-clean and python-clean are node-leak and python-leak with LEAK_BYTES=0 (examples/*-clean/leakgate.yml).
    { name: 'node-clean (node-leak 0 B)', app: 'node-leak', env: { LEAK_BYTES: 0 }, leak: 0, clean: true },
    { name: 'node-clean, runtime none', app: 'node-leak', env: { LEAK_BYTES: 0 }, leak: 0, noRuntime: true },
    { name: 'node-plateau', app: 'node-plateau', env: {}, leak: 0, clean: true },
    { name: 'node-plateau, slow fill (150,000 entries)', app: 'node-plateau', env: { CACHE_ENTRIES: 150000 }, leak: 0, limitation: true },
    { name: 'python-clean (python-leak 0 B)', app: 'python-leak', env: { LEAK_BYTES: 0 }, leak: 0, clean: true },
    ...LEAKS.map((b): SignalCase => ({ name: `node-leak ${b} B`, app: 'node-leak', env: { LEAK_BYTES: b }, leak: b })),
    ...LEAKS.map((b): SignalCase => ({ name: `python-leak ${b} B`, app: 'python-leak', env: { LEAK_BYTES: b }, leak: b })),
    ...[0, ...LEAKS].map((b): SignalCase => ({ name: `java-leak ${b} B`, app: 'java-leak', env: b === 0 ? { LEAK: 0 } : { LEAK: 1, PAYLOAD_BYTES: b }, leak: b })),
    // Early stopping live: the issue's leak sizes (64, 256, 1024 B/req) and clean apps.
    ...[0, 64, 256, 1024].map((b): SignalCase => ({ name: `express ${b} B, live early stop`, app: 'express', env: { LEAK_BYTES: b }, leak: b, live: true })),
    { name: 'node-clean, live early stop', app: 'node-leak', env: { LEAK_BYTES: 0 }, leak: 0, live: true },
    { name: 'node-leak 256 B, live early stop', app: 'node-leak', env: { LEAK_BYTES: 256 }, leak: 256, live: true },
    // A cache filling over the first looks (4 to 13 s at this machine's rates): what newestSlope is for.
    { name: 'node-plateau, live early stop', app: 'node-plateau', env: {}, leak: 0, live: true },
    { name: 'python-leak 256 B, live early stop', app: 'python-leak', env: { LEAK_BYTES: 256 }, leak: 256, live: true },
  ];
}

/** The file name a kept report of this case starts with (LEAKGATE_BENCH_KEEP), and how a replay finds its case. */
export function keptName(c: SignalCase): string {
  return c.name.replace(/[^A-Za-z0-9]+/g, '-');
}

export function configFor(c: SignalCase, port: number, duration: string): Record<string, unknown> {
  const base = `http://127.0.0.1:${port}`;
  const cwd = c.app === 'express' ? 'express-app' : c.app;
  const python = c.app === 'python-leak';
  const command = python ? ['python3', 'server.py'] : c.app === 'java-leak' ? ['java', '-Xmx256m', 'Leak.java'] : ['node', 'server.js'];
  return {
    name: `bench-signals-${c.app}`,
    app: { command, cwd: join(ROOT, 'examples', cwd), env: { PORT: port, ...c.env }, ready: python ? { port, timeout: '60s' } : { url: `${base}/healthz`, timeout: '60s' } },
    load: { url: `${base}/`, duration, connections: 10, ...(c.rate ? { rate: c.rate } : {}) },
    analysis: { 'stop-early': c.live === true },
    ...(c.noRuntime ? { runtime: 'none' } : {}),
    'fail-on': ['leak', 'inconclusive'],
  };
}

export interface SignalRun {
  verdictAnon: string;
  verdictHeap: string | null;
  verdictCombined: string;
  verdictSequential: string;
  slopeAnon: number;
  slopeHeap: number | null;
  /** Load time when the looks settled the verdict; the budget when they did not. */
  sequentialMs: number;
  throughput: number;
  gcShare: number | null;
  error: string | null;
}

/** The four verdicts of one trial, offline, with the gate's own functions. */
export function verdictsOf(config: Config, trial: TrialReport): Omit<SignalRun, 'throughput' | 'gcShare' | 'error'> {
  const evidence = trial.evidence ?? {};
  const throughput = trial.load.throughput;
  const inputs = trialSignals(config, trial.samples, evidence, false);
  const opts = { ...config.analysis, metric: 'anon' as const };
  const anon = analyzeSignals(inputs.filter((i) => i.metric !== 'heap'), opts, throughput).primary;
  const heapInput = inputs.filter((i) => i.metric === 'heap');
  const heap = heapInput.length > 0 ? analyzeSignals(heapInput, opts, throughput).primary : null;
  const combined = analyzeTrialSignals(config, trial.samples, evidence, throughput);
  // The looks, replayed: the data each look would have seen, at its nominal level.
  const budget = config.load.durationMs;
  const plan = sequentialBoundaries(config.analysis.alpha, lookFractions(budget, config.analysis.stopEarly.minLoadMs, config.analysis.stopEarly.checkpointMs));
  let sequential = { verdict: combined.verdict as string, ms: budget };
  let previous: LookDecision | undefined;
  for (const b of plan.slice(0, -1)) {
    const until = b.t * budget;
    const samples: Sample[] = trial.samples.filter((s) => s.t <= until);
    const heapSeries = (evidence.runtime?.heapSeries ?? []).filter((h) => h.t <= until);
    const seen = { ...evidence, ...(evidence.runtime ? { runtime: { ...evidence.runtime, heapSeries } } : {}) };
    const last = samples.at(-1);
    const a = analyzeTrialSignals({ ...config, analysis: { ...config.analysis, alpha: b.nominal } }, samples, seen, last && until > 0 ? last.requests / (until / 1000) : throughput);
    const seenNow = decideLook(lookSignals(config, a, false, samples, seen));
    const d = confirmLook(previous, seenNow);
    previous = seenNow;
    if (d.stop) {
      sequential = { verdict: d.why, ms: until };
      break;
    }
  }
  if (sequential.ms === budget) {
    const finalLevel = plan.at(-1)!.nominal;
    sequential.verdict = analyzeTrialSignals({ ...config, analysis: { ...config.analysis, alpha: finalLevel } }, trial.samples, evidence, throughput).verdict;
  }
  return {
    verdictAnon: anon.verdict,
    verdictHeap: heap?.verdict ?? null,
    verdictCombined: combined.verdict,
    verdictSequential: sequential.verdict,
    slopeAnon: anon.bytesPerRequest,
    slopeHeap: heap?.bytesPerRequest ?? null,
    sequentialMs: sequential.ms,
  };
}

/** The verdicts of one recorded report of case `c`, offline. */
export function analyseReport(c: SignalCase, report: Report, duration: string, baseDir: string): SignalRun {
  const trial = report.trials[0];
  if (report.error || !trial) return { ...emptyRun(), error: report.error ?? 'no trial' };
  const raw = configFor(c, 1, duration);
  const config = loadConfig({ file: raw, fileLabel: 'bench', baseDir, overrides: {}, overrideLabels: {} });
  const offline = verdictsOf(config, trial);
  const live = c.live ? { verdictSequential: trial.analysis.verdict as string, sequentialMs: trial.stopping?.stoppedAtMs ?? config.load.durationMs } : {};
  return { ...offline, ...live, throughput: trial.load.throughput, gcShare: trial.evidence?.runtime?.gcPauses?.share ?? null, error: null };
}

async function runOnce(c: SignalCase, duration: string): Promise<SignalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-bench-signals-'));
  try {
    const port = await freePort();
    const raw = configFor(c, port, duration);
    const path = join(dir, 'leakgate.yml');
    writeFileSync(path, stringify(raw));
    const reportPath = join(dir, 'report.json');
    const child = spawn(process.execPath, [CLI, 'run', '--config', path, '--report', reportPath, '--no-progress', '-q'], { cwd: dir, stdio: 'ignore', detached: true });
    const limit = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 180_000);
    await new Promise((res) => child.on('close', res));
    clearTimeout(limit);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
    // Kept for replaying with other rules (--replay): LEAKGATE_BENCH_KEEP names a directory.
    if (process.env.LEAKGATE_BENCH_KEEP) copyFileSync(reportPath, join(process.env.LEAKGATE_BENCH_KEEP, `${keptName(c)}-${Date.now()}.json`));
    return analyseReport(c, report, duration, dir);
  } catch (e) {
    return { ...emptyRun(), error: (e as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function emptyRun(): SignalRun {
  return { verdictAnon: 'error', verdictHeap: null, verdictCombined: 'error', verdictSequential: 'error', slopeAnon: NaN, slopeHeap: null, sequentialMs: NaN, throughput: NaN, gcShare: null, error: null };
}

export interface SignalCaseResult {
  name: string;
  leak: number;
  clean: boolean;
  limitation: boolean;
  runs: SignalRun[];
}

export interface SignalsBenchOptions {
  leakRuns: number;
  cleanRuns: number;
  duration: string;
  /** Only the cases whose name matches. */
  cases?: RegExp;
  /** Analyse the reports kept in this directory (LEAKGATE_BENCH_KEEP) instead of running anything. */
  replay?: string;
  /** Run the cases round robin instead of one after the other. */
  interleave?: boolean;
  onRun?: (c: SignalCase, r: SignalRun) => void;
}

export async function runSignalsBench(opts: SignalsBenchOptions): Promise<SignalCaseResult[]> {
  const cases = signalCases().filter((c) => !opts.cases || opts.cases.test(c.name));
  const results = new Map(cases.map((c) => [c.name, { name: c.name, leak: c.leak, clean: c.clean === true, limitation: c.limitation === true, runs: [] as SignalRun[] }]));
  const record = (c: SignalCase, r: SignalRun): void => {
    results.get(c.name)!.runs.push(r);
    opts.onRun?.(c, r);
  };
  if (opts.replay) {
    const kept = readdirSync(opts.replay).filter((f) => f.endsWith('.json')).sort();
    for (const c of cases) {
      const mine = new RegExp(`^${keptName(c)}-\\d+\\.json$`);
      for (const f of kept.filter((k) => mine.test(k))) record(c, analyseReport(c, JSON.parse(readFileSync(join(opts.replay, f), 'utf8')) as Report, opts.duration, opts.replay));
    }
  } else {
    // The clean apps at their natural rate give the false-positive count; the rest, including Express clean at
    // 2k req/s (counted as clean too), --real-runs each.
    const count = (c: SignalCase): number => (c.clean && !c.rate ? opts.cleanRuns : opts.leakRuns);
    if (opts.interleave) {
      // Round robin over the cases (A, B, A, B, ...): the machine's drift lands on every case alike, which a
      // comparison between cases (runtime none against the default, say) needs.
      const most = Math.max(0, ...cases.map(count));
      for (let i = 0; i < most; i++) for (const c of cases) if (i < count(c)) record(c, await runOnce(c, opts.duration));
    } else {
      for (const c of cases) for (let i = 0; i < count(c); i++) record(c, await runOnce(c, opts.duration));
    }
  }
  return [...results.values()].filter((r) => r.runs.length > 0);
}

/** False positives over the clean apps' runs (limitation cases apart), for each way of deciding. */
export function cleanTotals(results: readonly SignalCaseResult[]): { runs: number; anon: number; heap: number; combined: number; sequential: number } {
  const runs = results.filter((r) => r.clean).flatMap((r) => r.runs.filter((x) => x.error === null));
  const n = (key: 'verdictAnon' | 'verdictHeap' | 'verdictCombined' | 'verdictSequential') => runs.filter((r) => r[key] === 'leak').length;
  return { runs: runs.length, anon: n('verdictAnon'), heap: n('verdictHeap'), combined: n('verdictCombined'), sequential: n('verdictSequential') };
}

/** Rows of the printed table: detection (or false positives) per signal, slope error, early-stop time. */
export function signalRows(results: readonly SignalCaseResult[]): string[][] {
  const rate = (runs: SignalRun[], key: 'verdictAnon' | 'verdictHeap' | 'verdictCombined' | 'verdictSequential'): string => {
    const ok = runs.filter((r) => r.error === null && r[key] !== null);
    if (ok.length === 0) return '—';
    return `${ok.filter((r) => r[key] === 'leak').length}/${ok.length}`;
  };
  const err = (v: number | null, leak: number): string => (v === null || !Number.isFinite(v) ? '—' : leak > 0 ? `${Math.round(v)} (${Math.round(((v - leak) / leak) * 100)}%)` : `${Math.round(v)}`);
  return results.map((r) => {
    const ok = r.runs.filter((x) => x.error === null);
    const ms = ok.map((x) => x.sequentialMs).sort((a, b) => a - b);
    const p90 = ms.length > 0 ? ms[Math.min(ms.length - 1, Math.floor(0.9 * ms.length))]! : NaN;
    const gc = ok.map((x) => x.gcShare).filter((x): x is number => x !== null);
    return [
      r.name,
      rate(r.runs, 'verdictAnon'),
      rate(r.runs, 'verdictHeap'),
      rate(r.runs, 'verdictCombined'),
      rate(r.runs, 'verdictSequential'),
      err(median(ok.map((x) => x.slopeAnon)), r.leak),
      err(ok.some((x) => x.slopeHeap !== null) ? median(ok.map((x) => x.slopeHeap ?? NaN).filter(Number.isFinite)) : null, r.leak),
      ms.length > 0 ? `${(median(ms) / 1000).toFixed(1)} / ${(p90 / 1000).toFixed(1)} s` : '—',
      ok.length > 0 ? `${Math.round(median(ok.map((x) => x.throughput)))}` : '—',
      gc.length > 0 ? `${(median(gc) * 100).toFixed(1)}%` : '—',
      `${r.runs.length - ok.length}`,
    ];
  });
}

export const SIGNAL_HEADERS = ['case', 'anon alone', 'heap alone', 'combined', 'early stop', 'anon B/req (err)', 'heap B/req (err)', 'early-stop time median / p90', 'req/s', 'GC pause share', 'errors'];
