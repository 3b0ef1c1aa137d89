// Orchestrates one leakgate run: for each trial start the app, wait until it is ready, drive load
// while sampling memory, tear the whole tree down, analyse; then combine the trials and decide the
// gate. The only module that knows the order of the stages. It returns a Report for every outcome
// except invalid configuration: an app that cannot be measured gives a report with `error` set.
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { redactConfig } from '../config/config.js';
import { errorMessage, MeasureError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { combineTrials, median } from '../analyze/index.js';
import { analyzeTrialSignals, failedAnalysis, oomAnalysis } from './trial-analysis.js';
import { findRuntimeOom } from '../sample/oom.js';
import { dataAtStop, startEarlyStopper, stoppingPlan, type EarlyStopper } from './early-stop.js';
import { chooseComparedSignal, throughSignal } from './compared-signal.js';
import { startLoad } from '../load/start-load.js';
import { growthPerOf } from '../load/growth-per.js';
import type { LoadRun } from '../load/load-run.js';
import { startSampler } from '../sample/sampler.js';
import { attachTarget, describeExit, detachTarget, ensurePortFree, isAttached, runRestart, startTarget, stopTarget, waitReady } from '../target/index.js';
import { Interrupted, interruptedBy, markInterrupted } from './interrupt.js';
import { decideGate } from './decide-gate.js';
import type { BaselineReports } from '../baseline/read-baseline-reports.js';
import { compareWithBaseline, projectTimeToLimit, type Comparison } from '../compare/index.js';
import type { ProgressInfo } from '../report/terminal.js';
import type { Environment, ExitStatus, MetricName, StoppingRecord, LoadResult, OomDeath, Report, Sample, Summary, TrialAnalysis, TrialReport } from '../core/types.js';
import { analysedOverTime, REPORT_SCHEMA_VERSION, sampledMetric } from '../core/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attributeProcesses, describeGrowth, indexAtRequests } from '../analyze/per-process.js';
import { buildProbes, eachProbe, type ProbeContext, type TrialEvidence } from '../probes/index.js';
import { createNativeProbe } from '../probes/native-probe.js';
import { createHeapProfileProbe } from '../probes/heap-profile-probe.js';
import { heapProfileScheme } from '../native/heap-profile.js';
import { formatBytes, formatBytesPerRequest } from '../core/units.js';
import { fingerprintScheme } from '../native/fingerprint.js';
import type { TargetSpec } from '../target/index.js';
import type { LeakKind, LeakSiteRef } from '../native/memcheck-types.js';

/** What a progress line shows while a trial runs. */
export type Progress = ProgressInfo;

export interface GateDeps {
  logger: Logger;
  version: string;
  environment: Environment;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Wall clock, for timestamps in the report. */
  date: () => Date;
  /** Directory the app's cwd is resolved against (the config file's directory). */
  baseDir: string;
  onProgress?: (p: Progress) => void;
  procRoot?: string;
  /** Baseline reports to compare with (read by the caller: this module touches no files). */
  baselines: BaselineReports;
  /** Memory limit for the projection: from config, else the cgroup's; null when none. */
  memoryLimit: number | null;
  /** Where native tools write their output (kept with the report); default the OS temp directory. */
  outDir?: string;
  /** Aborted on SIGINT/SIGTERM (reason: Interrupted): the load stops, the app is torn down, the report keeps the samples. */
  signal?: AbortSignal;
}

/** Runs every trial and returns the report; throws only on bugs. */
export async function runGate(config: Config, deps: GateDeps): Promise<Report> {
  const trials: TrialReport[] = [];
  let error = await runTrials(config, deps, trials, config.trials);
  // Confirm before failing: a marginal leak or regression earns extra trials, within the budget.
  if (error === null && config.confirmTrials > 0 && !deps.signal?.aborted) {
    const summary = summarize(config, trials, deps.memoryLimit);
    if (isMarginal(config, summary, compare(config, deps, trials, error))) {
      deps.logger.info(`the verdict is marginal: running up to ${config.confirmTrials} more trial(s) to confirm it`);
      error = await runTrials(config, deps, trials, config.confirmTrials);
    }
  }
  const report = finishReport(config, trials, error, deps);
  const interrupted = interruptedBy(deps.signal);
  return interrupted ? markInterrupted(report, interrupted) : report;
}

export type FinishDeps = Pick<GateDeps, 'version' | 'environment' | 'date' | 'baselines' | 'memoryLimit' | 'logger'>;

/**
 * Turns trials into the report: combines them, compares with the baselines, decides the gate. Shared by a run and
 * by `leakgate merge`, which pools the trials of several reports and gates once.
 */
export function finishReport(config: Config, trials: TrialReport[], error: string | null, deps: FinishDeps): Report {
  const summary = summarize(config, trials, deps.memoryLimit);
  const comparison = compare(config, deps, trials, error);
  const gate = decideGate(config.failOn, summary, error, comparison);
  const native = nativeLeakReasons(config, trials);
  if (error === null && native.length > 0 && config.failOn.includes('native-leak')) gate.failed = true;
  if (error === null && config.failOn.includes('native-leak')) gate.reasons.push(...native);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: deps.version },
    name: config.name,
    createdAt: deps.date().toISOString(),
    environment: deps.environment,
    config: redactConfig(config),
    trials,
    summary,
    gate,
    comparison,
    baselineNote: deps.baselines.note,
    error,
  };
}

/**
 * native-leak: leak sites (definitely or indirectly lost; for heaptrack, not freed at exit and at least
 * analysis.min-bytes-per-request of the load's requests) above native.max-lost-bytes that the baseline does not
 * have (all of them when there is no baseline), and massif's heap growing by more than
 * analysis.min-bytes-per-request after warm-up. Known sites never fail the gate; they are reported. A trial whose
 * tool left no evidence, or an incomplete one (the app was SIGKILLed and the final report is missing or cut short),
 * fails too: no leak sites there means no data, not no leaks.
 */
export function nativeLeakReasons(config: Config, trials: readonly TrialReport[]): string[] {
  const max = config.native?.maxLostBytes ?? 0;
  const tool = config.native?.tool ?? 'off';
  const seen = new Set<string>();
  const reasons: string[] = [];
  for (const t of trials) {
    const n = t.evidence?.native;
    if (!n) {
      if (tool !== 'off') reasons.push(`native-leak: ${tool} gave no evidence for trial ${t.index + 1}${t.evidence?.notes?.length ? `: ${t.evidence.notes.join('; ')}` : ''}`);
      continue;
    }
    if (n.incomplete) reasons.push(`native-leak: ${n.tool}'s report is incomplete: ${n.incomplete}; the app must exit on SIGTERM`);
    if (n.heapTrend && n.heapTrend.ciLow > config.analysis.minBytesPerRequest) {
      const h = n.heapTrend;
      reasons.push(`native-leak: massif's heap grows ${formatBytesPerRequest(h.bytesPerRequest)} (interval ${formatBytesPerRequest(h.ciLow)} to ${formatBytesPerRequest(h.ciHigh)}, over ${h.points} snapshots after warm-up) in trial ${t.index + 1}`);
    }
    for (const s of n.sites) {
      // jemalloc/tcmalloc: a site whose in-use bytes grew between the heap profiles, by more than max-lost-bytes and
      // at least analysis.min-bytes-per-request of the requests between them.
      if (s.kind === 'growing') {
        if (s.status !== 'new' && s.status !== 'no-baseline') continue;
        if ((s.bytesIncrease ?? 0) <= max || (s.bytesPerRequest ?? 0) < config.analysis.minBytesPerRequest || seen.has(s.fingerprint)) continue;
        seen.add(s.fingerprint);
        reasons.push(`native-leak: ${s.status === 'new' ? 'new growing site' : 'growing site'} ${s.label}: +${formatBytes(s.bytesIncrease ?? 0)} in use (${formatBytesPerRequest(s.bytesPerRequest ?? 0)}) between ${n.tool}'s heap profiles in trial ${t.index + 1}`);
        continue;
      }
      if ((s.kind !== 'definitely-lost' && s.kind !== 'indirectly-lost' && s.kind !== 'not-freed') || s.bytes <= max) continue;
      // heaptrack cannot tell a leak from memory kept on purpose (stdio buffers, caches of fixed size): a not-freed
      // site counts when it scales with the load, at least analysis.min-bytes-per-request of the trial's requests.
      if (s.kind === 'not-freed' && s.bytes < config.analysis.minBytesPerRequest * Math.max(1, t.load?.requests ?? 0)) continue;
      if (s.status !== 'new' && s.status !== 'no-baseline') continue;
      // heaptrack's sites have no fingerprint: their label tells them apart.
      const key = s.fingerprint || s.label;
      if (seen.has(key)) continue;
      seen.add(key);
      reasons.push(`native-leak: ${s.status === 'new' ? 'new leak site' : 'leak site'} ${s.label}: ${formatBytes(s.bytes)} ${s.kind.replace('-', ' ')} in ${s.blocks} blocks`);
    }
  }
  return reasons.slice(0, 20);
}

/** Runs `count` more trials, appending to `trials`; returns the error that stopped them, if any. */
async function runTrials(config: Config, deps: GateDeps, trials: TrialReport[], count: number): Promise<string | null> {
  const total = trials.length + count;
  for (let i = trials.length; i < total && !deps.signal?.aborted; i++) {
    deps.logger.info(`trial ${i + 1}/${total}: ${config.app.attach ? `attaching to ${describeAttach(config.app.attach)}` : `starting ${describeCommand(config.app.command)}`}`);
    const outcome = await runTrial(config, deps, i, total);
    trials.push(outcome.trial);
    if (outcome.error) return outcome.error;
    const a = outcome.trial.analysis;
    deps.logger.info(`trial ${i + 1}/${total}: ${a.verdict}, ${a.bytesPerRequest.toFixed(1)} B/req (${a.metric}) over ${a.requestsAnalysed} requests`);
    // An app that died of out-of-memory has given the run's verdict: more trials would only die again.
    if (a.verdict === 'oom') break;
  }
  return null;
}

function compare(config: Config, deps: Pick<GateDeps, 'baselines' | 'environment'>, trials: TrialReport[], error: string | null): Comparison | null {
  if (error !== null || deps.baselines.reports.length === 0) return null;
  const { reports: _paths, ...opts } = config.baseline;
  // One signal: this run's deciding one when the baseline has it, else the cleanest both have (and the note says so).
  const primary = primaryMetric(trials.map((t) => t.analysis), config.analysis.metric);
  const chosen = chooseComparedSignal(trials, deps.baselines.reports, primary);
  // No signal in common: compare as they are, and the comparison says the metrics differ (advisory).
  if (!chosen.common) return compareWithBaseline(trials, deps.baselines.reports, opts, deps.environment, primary);
  const base = deps.baselines.reports.map((r) => ({ ...r, trials: throughSignal(r.trials, chosen.metric) }));
  const comparison = compareWithBaseline(throughSignal(trials, chosen.metric), base, opts, deps.environment, chosen.metric);
  if (chosen.note) comparison.environmentWarnings.push(chosen.note);
  return comparison;
}

/** A leak whose interval nearly touches the floor, split trials, or a regression barely past its tolerance. */
export function isMarginal(config: Config, summary: Summary, comparison: Comparison | null): boolean {
  if (summary.verdict === 'leak') {
    if (summary.trialsLeaking < summary.trialsConclusive) return true;
    if (summary.ciLow < 2 * config.analysis.minBytesPerRequest) return true;
  }
  const slope = comparison?.slope;
  if (slope && slope.verdict === 'regression' && slope.effectCiLow < 2 * slope.tolerance) return true;
  return false;
}

export interface TrialOutcome {
  trial: TrialReport;
  error: string | null;
}

export async function runTrial(config: Config, deps: GateDeps, index: number, total: number): Promise<TrialOutcome> {
  const startedAt = deps.date().toISOString();
  const marker = `${config.name}-${randomUUID()}`;
  const cwd = isAbsolute(config.app.cwd) ? config.app.cwd : resolve(deps.baseDir, config.app.cwd);
  const native = config.native.tool !== 'off' ? config.native : null;
  const loadDurationMs = native ? native.durationMs : config.load.durationMs;
  let samples: Sample[] = [];
  let load: LoadResult = emptyLoad(config.load.tool);
  let exit: ExitStatus = { code: null, signal: null, early: false };
  let error: string | null = null;
  let loadRun: LoadRun | undefined;
  // Without a request count (a load command with no counter) the analysis runs over milliseconds of load.
  let countsRequests = true;
  let loadStart = deps.now();
  const requestsNow = (): number => (countsRequests ? (loadRun?.completed() ?? 0) : Math.max(0, Math.round(deps.now() - loadStart)));
  const outDir = mkdtempSync(join(deps.outDir ?? tmpdir(), `leakgate-trial${index + 1}-`));
  let sampler: ReturnType<typeof startSampler> | undefined;
  let stopper: EarlyStopper | undefined;
  let stopping: StoppingRecord | undefined;
  let estimate: Progress['estimate'];
  const ctx: ProbeContext = {
    logger: deps.logger,
    now: deps.now,
    requests: requestsNow,
    loadDurationMs,
    warmupFraction: config.analysis.warmup.fraction,
    outDir,
    processesSeen: () => sampler?.processes().keys() ?? [],
  };
  // memcheck's and the heap profilers' sites have fingerprints to compare (massif and heaptrack report theirs without).
  const heapProfiler = native?.tool === 'jemalloc' || native?.tool === 'tcmalloc' ? native.tool : null;
  const scheme = native?.tool === 'memcheck' ? fingerprintScheme({ frames: native.frames, lines: native.lines }) : heapProfiler && native ? heapProfileScheme({ frames: native.frames, lines: native.lines }) : null;
  const baseline = scheme ? baselineSitesOf(deps.baselines.reports, scheme) : { sites: null };
  const baselineNote = baseline.note ? { baselineNote: baseline.note } : {};
  const probes = buildProbes(config, deps.logger, marker.slice(0, 64).replace(/[^A-Za-z0-9._-]/g, '-'), {
    extra: (_c, logger) =>
      !native
        ? []
        : heapProfiler
          ? [createHeapProfileProbe({ tool: heapProfiler, native, baseDir: deps.baseDir, baselineSites: baseline.sites, ...baselineNote, logger })]
          : [createNativeProbe({ native, baseDir: deps.baseDir, baselineSites: baseline.sites, ...baselineNote, confidence: config.analysis.confidence, logger })],
  });
  const notes: string[] = [];

  let target;
  try {
    let spec: TargetSpec = { command: config.app.command, shell: config.app.shell, cwd, env: config.app.env };
    for (const probe of probes) if (probe.prepare) spec = await probe.prepare(spec, ctx);
    // Attached: leakgate neither starts nor stops the app; app.restart (if any) runs before every trial but the first.
    const attach = config.app.attach;
    if (attach && index > 0 && config.app.restart) await runRestart(config.app.restart, cwd, deps.logger);
    // A leftover or a neighbour answering on the ready port would pass readiness and take the load.
    if (!attach) await ensurePortFree(readySpec(config), deps.procRoot);
    target = attach
      ? await attachTarget(attach, { logger: deps.logger, baseDir: deps.baseDir, ...(deps.procRoot ? { procRoot: deps.procRoot } : {}) })
      : startTarget(spec, { marker, logger: deps.logger, keeperGraceMs: stopGraceMs(config) });
  } catch (e) {
    error = errorMessage(e);
    await eachProbe(probes, ctx, 'cleanup', (p) => p.dispose?.());
    return { trial: trialReport(index, startedAt, samples, load, exit, [], failedAnalysis(config, error)), error };
  }
  notes.push(...(await eachProbe(probes, ctx, 'start', (p) => p.started?.(target, ctx))));

  // waitReady's errors already quote the app's exit status and last lines; later ones do not.
  let ready = false;
  try {
    await waitReady(target, readySpec(config), { logger: deps.logger, ...(deps.signal ? { signal: deps.signal } : {}), ...(deps.procRoot ? { procRoot: deps.procRoot } : {}) });
    ready = true;
    deps.logger.info(`app ready (pid ${target.pid}); ${describeLoadLength(config, native ? loadDurationMs : null)}${native ? ` under ${native.tool}` : ''}`);
    // Sampling starts with the load: t = 0 is the first request, so every sample counts.
    loadStart = deps.now();
    const cgroup = probes.map((p) => p.cgroup?.() ?? null).find((c) => c !== null) ?? undefined;
    const attached = isAttached(target) ? target.attached : null;
    sampler = startSampler({
      // An attached cgroup's processes, and its anon as cAdvisor reads it (memory.stat), make the series.
      ...(attached?.members ? { members: attached.members } : {}),
      ...(attached?.cgroup && cgroup ? { anonFrom: 'cgroup' as const } : {}),
      rootPid: target.pid,
      pgid: target.pgid,
      intervalMs: config.sample.intervalMs,
      requests: requestsNow,
      now: deps.now,
      origin: () => loadStart,
      ...(deps.procRoot ? { procRoot: deps.procRoot } : {}),
      ...(cgroup ? { cgroup } : {}),
      onSample: (s) => deps.onProgress?.({ ...progressOf(config, index, total, s), ...(estimate ? { estimate } : {}) }),
      onError: (e) => deps.logger.debug(`sampler: ${errorMessage(e)}`),
    });
    const started = startLoad(config.load, {
      now: deps.now,
      logger: deps.logger,
      cwd: deps.baseDir,
      ...(native ? { durationMs: native.durationMs, connections: native.connections, ...(native.rate !== undefined ? { rate: native.rate } : {}) } : {}),
    });
    loadRun = started.run;
    countsRequests = started.countsRequests;
    if (!countsRequests) deps.logger.warn('the load command gives no request count (set load.counter): memory is analysed over time, so "requests" are milliseconds of load');
    notes.push(...(await eachProbe(probes, ctx, 'load start', (p) => p.loadStarted?.(target, ctx))));
    // Looks at the samples so far, stopping the load once the verdict is settled; never under a native tool or
    // with heap snapshots (their evidence is timed on the whole load), nor for a k6 script that sets its own length.
    const wholeLoad = native !== null || config.runtime.snapshots || (config.load.tool === 'k6' && !config.load.durationSet);
    const plan = wholeLoad ? null : stoppingPlan(config, config.load.durationMs);
    if (plan) {
      const run = loadRun;
      stopper = startEarlyStopper(config, config.load.durationMs, plan, {
        elapsedMs: () => deps.now() - loadStart,
        samples: () => sampler?.samples() ?? [],
        peek: () => Object.assign({}, ...probes.map((p) => p.peekEvidence?.() ?? {})) as TrialEvidence,
        overTime: !countsRequests,
        cap: baselineCap(config, deps.baselines),
        stopLoad: () => run.stop(),
        onLook: (l) => {
          estimate = { metric: l.metric, bytesPerRequest: l.bytesPerRequest, ciLow: l.ciLow, ciHigh: l.ciHigh };
          if (l.held) deps.logger.info(`look at ${(l.ms / 1000).toFixed(1)} s: ${l.metric} grows ${l.bytesPerRequest.toFixed(1)} B/req over the window but ${l.newestBytesPerRequest === null ? 'too few newest readings to tell' : `${l.newestBytesPerRequest.toFixed(1)} B/req in its newest readings`}: a cache filling up or a warm-up ending looks like this, so the load goes on`);
          if (l.decision !== 'continue') deps.logger.info(`the verdict is settled after ${(l.ms / 1000).toFixed(1)} s (${l.decision}: ${l.metric} ${l.bytesPerRequest.toFixed(1)} B/req, interval ${l.ciLow.toFixed(1)}..${l.ciHigh.toFixed(1)}): stopping the load early`);
        },
      });
    }
    // An app that dies under load ends the load at once; the trial is then not measurable.
    const died = target.exited.then(() => 'exited' as const);
    const finished = await Promise.race([loadRun.done.then(() => 'done' as const), died, aborted(deps.signal)]);
    if (finished !== 'done') loadRun.stop();
    load = await loadRun.done;
    if (finished === 'aborted') throw new Interrupted(interruptedBy(deps.signal) ?? 'SIGTERM');
    if (target.hasExited()) {
      const st = await target.exited;
      const who = isAttached(target) ? `the attached app (${target.command}) is gone: it exited` : `the app exited (${describeExit(st)})`;
      throw new MeasureError(`${who} during the load after ${load.requests} requests`);
    }
    notes.push(...(await eachProbe(probes, ctx, 'load end', (p) => p.loadEnded?.(target, ctx))));
    if (load.requests === 0 && countsRequests) {
      throw new MeasureError(
        `the load got no responses from ${config.load.url} (${load.errors} connection errors, ${load.timeouts} timeouts): check load.url`,
      );
    }
    if (load.non2xx > load.requests / 2) {
      deps.logger.warn(`${load.non2xx} of ${load.requests} responses were not 2xx: is load.url (${config.load.url}) the endpoint you meant to test?`);
    }
  } catch (e) {
    loadRun?.stop();
    // Interrupted: not an error of the app; the samples so far are analysed as they are, and the run's verdict
    // becomes 'interrupted'.
    error = interruptedBy(deps.signal) ? null : errorMessage(e);
  } finally {
    stopping = stopper?.finish();
    samples = sampler ? await sampler.stop() : [];
    exit = isAttached(target) ? detachTarget(target) : await stopTarget(target, { graceMs: stopGraceMs(config) });
  }

  // Evidence from every probe; a probe that fails leaves a note, never a failed trial.
  const evidence: TrialEvidence = {};
  notes.push(...(await eachProbe(probes, ctx, 'finish', async (p) => Object.assign(evidence, await p.finish?.({ code: exit.code, signal: exit.signal }, ctx)))));
  await eachProbe(probes, ctx, 'cleanup', (p) => p.dispose?.());
  if (!native) rmSync(outDir, { recursive: true, force: true });

  const tail = target.tail();
  // Dying of out-of-memory is a verdict, not a failed measurement: the kernel's OOM killer (cgroup counter or
  // kernel log), or the runtime's own message (V8's heap limit, a JVM OutOfMemoryError, a Python MemoryError).
  const death = oomDeath(evidence, tail, samples, load, config);
  if (death) error = null;
  if (error && ready) error = withTail(error, tail);
  // With looks, the final analysis is tested at its own nominal level: the look's that stopped, or the last one's.
  const analysed = stopping ? { ...config, analysis: { ...config.analysis, alpha: stopping.finalNominal } } : config;
  // Stopped at a look: the verdict rests on the data that look saw (dataAtStop); the report keeps every sample.
  const data = stopping?.stoppedAtMs !== undefined ? dataAtStop(samples, evidence, stopping.stoppedAtMs) : { samples, evidence };
  let analysis = error ? failedAnalysis(config, error) : analyzeTrialSignals(analysed, data.samples, data.evidence, load.throughput, !countsRequests);
  if (death) analysis = oomAnalysis(analysis, death);
  if (!error) attributeGrowth(evidence, samples, analysis, sampler, target.pid);
  if (notes.length > 0) evidence.notes = notes;
  const trial = trialReport(index, startedAt, samples, load, exit, tail, analysis);
  if (!countsRequests) trial.countsRequests = false;
  const growthPer = countsRequests && !error ? growthPerOf(analysis, load) : undefined;
  if (growthPer) trial.growthPer = growthPer;
  if (stopping) trial.stopping = stopping;
  if (Object.keys(evidence).length > 0) trial.evidence = evidence;
  return { trial, error };
}

/**
 * Per process of the tree: which one grows, named in the evidence when the tree has more than one process. The
 * warm-up ends where the analysis's did, by request count: its index counts the series it analysed (full samples
 * only for pss/uss, heap readings for metric heap), not these samples.
 */
export function attributeGrowth(evidence: TrialEvidence, samples: Sample[], analysis: TrialAnalysis, sampler: ReturnType<typeof startSampler> | undefined, rootPid: number): void {
  const pids = new Set(samples.flatMap((s) => s.processes.map((p) => p.pid)));
  if (pids.size < 2) return;
  const cmdlines = new Map<number, { cmdline: string }>();
  for (const [pid, info] of sampler?.processes() ?? []) if (info.cmdline) cmdlines.set(pid, { cmdline: info.cmdline });
  const warmupEndIndex = indexAtRequests(samples, analysis.warmupEndRequests);
  evidence.processes = attributeProcesses(samples, { warmupEndIndex, metric: sampledMetric(analysis.metric), cmdlines }).slice(0, 25);
  if (analysis.verdict === 'leak') {
    const named = describeGrowth(evidence.processes, rootPid);
    if (named) evidence.growingProcess = named;
  }
}

/**
 * The leak sites of the baseline's native evidence, for new/known/fixed; sites null when no baseline has any, or when
 * the baseline's fingerprints were made with another scheme (frames, lines): compared with those, every site would
 * read as new and every old one as fixed, so it counts as no baseline and the note says why.
 */
export function baselineSitesOf(reports: readonly Report[], scheme: string): { sites: LeakSiteRef[] | null; note?: string } {
  const natives = reports.flatMap((r) => r.trials.flatMap((t) => (t.evidence?.native ? [t.evidence.native] : [])));
  if (natives.length === 0) return { sites: null };
  const same = natives.filter((n) => n.scheme === scheme);
  if (same.length === 0) {
    const theirs = [...new Set(natives.map((n) => n.scheme ?? 'none recorded'))].join(', ');
    return { sites: null, note: `the baseline's leak sites were fingerprinted with another scheme (${theirs}; this run: ${scheme}), so they are not compared: every site is reported without a baseline` };
  }
  const sites = same.flatMap((n) => n.sites).filter((s) => s.fingerprint !== '' && s.status !== 'fixed');
  return { sites: sites.map((s) => ({ fingerprint: s.fingerprint, kind: s.kind as LeakKind, label: s.label })) };
}

/**
 * How long the app gets to exit after SIGTERM. Under a native tool the exit runs the tool's final work (memcheck's
 * leak check over the whole heap, massif's file) at the tool's slowdown: a grace sized for the plain app ends in
 * SIGKILL and a lost report. Scaled by the slowdown, capped at 60 s, never below the configured grace.
 */
export function stopGraceMs(config: Pick<Config, 'app' | 'native'>): number {
  const grace = config.app.stopGraceMs;
  if (config.native.tool === 'off') return grace;
  return Math.max(grace, Math.min(grace * config.native.slowdown, 60_000));
}

function progressOf(config: Config, index: number, total: number, s: Sample): Progress {
  return {
    trial: index + 1,
    trials: total,
    elapsedMs: s.t,
    durationMs: config.load.durationMs,
    requests: s.requests,
    memoryBytes: s.total[sampledMetric(config.analysis.metric)],
    metric: sampledMetric(config.analysis.metric),
  };
}

/** Resolves 'aborted' when the signal aborts; never otherwise. */
function aborted(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

function readySpec(config: Config) {
  const r = config.app.ready;
  // Under valgrind the app starts 20-60x slower: the readiness timeout scales with the tool.
  const slowdown = config.native.tool !== 'off' ? config.native.slowdown : 1;
  return {
    host: r.host,
    timeoutMs: r.timeoutMs * slowdown,
    ...(r.url ? { url: r.url } : {}),
    ...(r.port ? { port: r.port } : {}),
    ...(r.log ? { log: r.log } : {}),
  };
}

function trialReport(
  index: number,
  startedAt: string,
  samples: Sample[],
  load: LoadResult,
  exit: ExitStatus,
  outputTail: string[],
  analysis: TrialAnalysis,
): TrialReport {
  return { index, startedAt, samples, load, exit, analysis, outputTail };
}

function withTail(message: string, tail: string[]): string {
  if (tail.length === 0) return `${message}; it printed nothing`;
  const last = tail.slice(-20);
  return `${message}; last lines it printed:\n${last.map((l) => `    ${l}`).join('\n')}`;
}

/** How long the load runs, as the log says it: a k6 script without load.duration runs as long as its own options say. */
function describeLoadLength(config: Config, nativeDurationMs: number | null): string {
  if (nativeDurationMs !== null) return `load for ${nativeDurationMs / 1000}s`;
  const { load } = config;
  if (load.tool === 'k6' && !load.durationSet) return `load as long as the k6 script's own options say (stopped after ${(load.maxDurationMs ?? 0) / 1000}s at most: load.max-duration)`;
  return `load for ${load.durationMs / 1000}s`;
}

function describeAttach(a: NonNullable<Config['app']['attach']>): string {
  return a.kind === 'pid' ? `pid ${a.pid}` : a.kind === 'pid-file' ? `the pid in ${a.path}` : a.kind === 'cgroup' ? `cgroup ${a.path}` : `container ${a.name}`;
}

function describeCommand(command: string[] | string): string {
  return typeof command === 'string' ? command : command.join(' ');
}

function emptyLoad(tool: string): LoadResult {
  return {
    tool,
    requests: 0,
    ok: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    durationMs: 0,
    throughput: 0,
    latency: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
  };
}

function summarize(config: Config, trials: TrialReport[], memoryLimit: number | null): Summary {
  const combined = combineTrials(trials.map((t) => t.analysis));
  const analysed = trials.filter((t) => t.analysis.verdict !== 'inconclusive');
  const basis = analysed.length > 0 ? analysed : trials;
  const throughput = median(basis.map((t) => t.load.throughput));
  // Over time (no request count) the combined slope is already B/s: it grows one "x" per second, not per request.
  const overTime = analysedOverTime(trials);
  const xPerSecond = overTime ? 1 : throughput;
  const bytesPerRequest = overTime ? (throughput > 0 ? combined.bytesPerRequest / throughput : 0) : combined.bytesPerRequest;
  return {
    ...combined,
    // The signal that stands for the run: the trials' primary one (the deciding signal of a leak).
    metric: primaryMetric(basis.map((t) => t.analysis), config.analysis.metric),
    requests: trials.reduce((n, t) => n + t.load.requests, 0),
    throughput,
    startBytes: median(basis.map((t) => t.analysis.startBytes)),
    peakBytes: Math.max(0, ...trials.map((t) => t.analysis.peakBytes)),
    growthPerMillionRequests: bytesPerRequest * 1e6,
    memoryLimitBytes: memoryLimit,
    secondsToLimit: memoryLimit === null ? null : projectTimeToLimit(combined.bytesPerRequest, xPerSecond, Math.max(0, ...basis.map((t) => t.analysis.endBytes)), memoryLimit).secondsToLimit,
  };
}

/**
 * How the app died of out-of-memory, or null. The kernel's OOM kill is certain from the cgroup counter or the kernel
 * log (the cgroup probe's diagnosis); a runtime's own message in the app's output is certain too. A runtime message
 * without a death (a JVM whose threads die of OutOfMemoryError while it serves on) is still out of memory.
 */
function oomDeath(evidence: TrialEvidence, tail: string[], samples: Sample[], load: LoadResult, config: Config): OomDeath | null {
  const runtime = findRuntimeOom(tail);
  const kernel = evidence.oom?.oom ? evidence.oom.evidence : null;
  if (!kernel && !runtime) return null;
  const last = samples.at(-1);
  const metric = sampledMetric(config.analysis.metric);
  return {
    source: kernel ? 'kernel' : runtime!.source,
    evidence: kernel ? `the app was OOM-killed: ${kernel}` : `the app ran out of memory: "${runtime!.line}"`,
    requests: last?.requests ?? load.requests,
    ms: Math.max(0, Math.round(last?.t ?? load.durationMs)),
    lastBytes: last ? last.total[metric] : 0,
  };
}

/** The metric most trials' analyses stand on (the after-GC heap when it decided), else the configured one. */
function primaryMetric(analyses: readonly TrialAnalysis[], fallback: MetricName): MetricName {
  const counts = new Map<MetricName, number>();
  for (const a of analyses) counts.set(a.metric, (counts.get(a.metric) ?? 0) + 1);
  let best: MetricName = fallback;
  let n = 0;
  for (const [m, c] of counts) if (c > n) [best, n] = [m, c];
  return best;
}

/**
 * The highest slope that is no regression against the baseline: its median slope (bytes per request, of the trials'
 * primary signal) plus the absolute tolerance. Early stopping for "no leak" needs the interval below it too, so a
 * regression below the leak floor is not cut short. Infinity without a baseline.
 */
function baselineCap(config: Config, baselines: BaselineReports): number {
  const slopes = baselines.reports.flatMap((r) => r.trials.map((t) => t.analysis.bytesPerRequest)).filter(Number.isFinite);
  if (slopes.length === 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, median(slopes)) + config.baseline.absoluteToleranceBytesPerRequest;
}
