// Native leaks (native: memcheck | massif | heaptrack): the app's command is wrapped in the tool; memcheck also
// takes incremental leak checks through vgdb during the load, so leak sites that grow while the app serves (a
// still-reachable cache included) are reported with their growth; after the app exits, the tool's output is
// parsed into leak sites with stable fingerprints, each marked new, known or fixed against the baseline's sites.
// massif's heap series is placed on the load's requests (its slope after warm-up goes into the evidence) and
// heaptrack's summary goes into the same evidence. The app must exit on SIGTERM for the final report: one that
// needed SIGKILL leaves a truncated or missing file, and the evidence marks itself incomplete (the gate fails).
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { NativeConfig } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { fingerprintScheme, mergeSites, type FingerprintOptions } from '../native/fingerprint.js';
import { readHeaptrackSummary } from '../native/heaptrack.js';
import { parseMassif } from '../native/massif.js';
import type { LeakSiteRef } from '../native/memcheck-types.js';
import { parseMemcheckXml } from '../native/memcheck-xml.js';
import { massifTrend, memcheckSites, memcheckTotals, type LeakCheck } from '../native/native-evidence.js';
import { parseVgdbLeakCheck, runVgdbLeakCheck } from '../native/vgdb-leak-check.js';
import { outputFileForPid, requireNativeTool, wrapNativeCommand, type NativeToolPaths } from '../native/wrap-command.js';
import type { Target } from '../target/index.js';
import { argvOf } from './cgroup-probe.js';
import type { NativeEvidence } from './evidence.js';
import type { TrialProbe } from './probe.js';

export interface NativeProbeOptions {
  native: NativeConfig;
  /** Directory suppression paths are relative to (the config file's). */
  baseDir: string;
  /** Fingerprints of the baseline's leak sites (from its report); null when there is no baseline to compare with. */
  baselineSites: LeakSiteRef[] | null;
  /** Why a baseline's sites were not used (another fingerprint scheme), for the evidence. */
  baselineNote?: string;
  /** For massif's heap slope. */
  confidence: number;
  logger: Logger;
}

/** Leak kinds that count as lost: a new site of these kinds above max-lost-bytes fails native-leak. */
export const LOST_KINDS = ['definitely-lost', 'indirectly-lost'] as const;

/** How often massif mode reads the request count, to place massif's snapshots on the load's requests. */
const TIMELINE_INTERVAL_MS = 200;

export function createNativeProbe(opts: NativeProbeOptions): TrialProbe {
  const tool = opts.native.tool;
  if (tool === 'off' || tool === 'jemalloc' || tool === 'tcmalloc') throw new Error('createNativeProbe needs a valgrind or heaptrack tool');
  const fp: FingerprintOptions = { frames: opts.native.frames, lines: opts.native.lines };
  let paths: NativeToolPaths | null = null;
  let outputFile: string | null = null;
  let suppressions: string[] = [];
  let target: Target | null = null;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> = Promise.resolve();
  const checks: LeakCheck[] = [];
  const failedChecks: string[] = [];
  // massif: when the app started and the load began (ctx.now), and the requests read during the load.
  let appStartedAt: number | null = null;
  let loadStartedAt: number | null = null;
  const timeline: Array<{ t: number; requests: number }> = [];
  let requestsAt: (() => number) | null = null;

  const check = (pid: number, requests: number): void => {
    checking = checking.then(async () => {
      const text = await runVgdbLeakCheck(pid, { timeoutMs: 30_000, waitSeconds: 2 });
      const parsed = parseVgdbLeakCheck(text, `vgdb leak_check of pid ${pid}`, { fingerprint: fp });
      checks.push({ requests, sites: mergeSites(parsed.records, fp) });
    }).catch((e) => {
      // A failed check loses growth: the evidence says so, not only the debug log.
      failedChecks.push((e as Error).message);
      opts.logger.debug(`native: vgdb leak check failed: ${(e as Error).message}`);
    });
  };

  return {
    name: `native-${tool}`,
    prepare(spec, ctx) {
      paths = requireNativeTool(tool);
      suppressions = opts.native.suppressions.map((s) => (isAbsolute(s) ? s : resolve(opts.baseDir, s)));
      for (const s of suppressions) if (!existsSync(s)) throw new Error(`native.suppressions: '${s}' does not exist`);
      const wrapped = wrapNativeCommand(tool, argvOf(spec), {
        outDir: ctx.outDir,
        suppressions,
        ...(paths.heaptrack ? { heaptrack: { preloadLibrary: paths.heaptrack.preloadLibrary } } : {}),
      });
      for (const n of wrapped.notes) opts.logger.warn(`native: ${n}`);
      outputFile = wrapped.outputFile;
      return { ...spec, command: wrapped.command, shell: false };
    },
    started(t, ctx) {
      target = t;
      // Called right after the spawn: massif's clock (ms since valgrind started) begins about here.
      appStartedAt = ctx.now();
    },
    loadStarted(t, ctx) {
      requestsAt = ctx.requests;
      loadStartedAt = ctx.now();
      if (tool === 'massif') {
        const read = (): void => {
          timeline.push({ t: ctx.now() - loadStartedAt!, requests: ctx.requests() });
          timer = setTimeout(read, TIMELINE_INTERVAL_MS);
          timer.unref();
        };
        read();
        return;
      }
      if (tool !== 'memcheck' || opts.native.checkIntervalMs <= 0) return;
      // The first check after warm-up is the reference the later ones are compared with.
      const first = ctx.warmupFraction * ctx.loadDurationMs;
      const tick = (): void => {
        check(t.pid, ctx.requests());
        timer = setTimeout(tick, opts.native.checkIntervalMs);
        timer.unref();
      };
      timer = setTimeout(tick, first);
      timer.unref();
    },
    async loadEnded(t, ctx) {
      clearTimeout(timer);
      if (tool === 'massif' && loadStartedAt !== null && requestsAt) timeline.push({ t: ctx.now() - loadStartedAt, requests: requestsAt() });
      if (tool === 'memcheck' && opts.native.checkIntervalMs > 0 && requestsAt) check(t.pid, requestsAt());
      await checking;
    },
    async finish(exit, ctx) {
      if (!outputFile || !target) return {};
      const file = outputFileForPid(outputFile, target.pid);
      const sigkilled = exit.signal === 'SIGKILL';
      const evidence: NativeEvidence = { tool, sites: [], definitelyLostBytes: 0, indirectlyLostBytes: 0, possiblyLostBytes: 0, stillReachableBytes: 0, file };
      const notes: string[] = [];
      if (opts.baselineNote) notes.push(opts.baselineNote);
      if (failedChecks.length > 0) notes.push(`${failedChecks.length} vgdb leak check(s) failed, so growth during the load may be missing: ${failedChecks[0]}`);
      const killed = sigkilled ? 'the app did not exit on SIGTERM within app.stop-grace and was killed with SIGKILL' : '';
      if (!existsSync(file)) {
        evidence.incomplete = `${tool} wrote no output at ${file}${killed ? ` (${killed})` : ''}`;
      } else if (tool === 'memcheck') {
        const result = parseMemcheckXml(readFileSync(file, 'utf8'), file, { allowTruncated: true, fingerprint: fp });
        if (result.truncated) evidence.incomplete = `the XML ${file} is truncated${killed ? ` (${killed})` : ''}, so leak records may be missing`;
        const sites = mergeSites(result.leaks, fp);
        Object.assign(evidence, memcheckTotals(sites));
        evidence.sites = memcheckSites(sites, checks, opts.baselineSites);
        evidence.scheme = fingerprintScheme(fp);
      } else if (tool === 'massif') {
        const profile = parseMassif(readFileSync(file, 'utf8'), file);
        const peak = profile.peakIndex === null ? null : profile.snapshots[profile.peakIndex];
        if (peak) evidence.peakHeapBytes = peak.heapBytes + peak.extraBytes;
        evidence.peakSites = profile.peakSites.slice(0, 10).map((s) => ({ bytes: s.bytes, label: `${s.fn}${s.file ? ` (${s.file}${s.line ? `:${s.line}` : ''})` : ''}` }));
        const heap = profile.snapshots.map((s) => ({ t: s.time, bytes: s.heapBytes + s.extraBytes }));
        const trend = massifTrend(heap, timeline, {
          loadOffsetMs: (loadStartedAt ?? 0) - (appStartedAt ?? 0),
          warmupFraction: ctx.warmupFraction,
          confidence: opts.confidence,
        });
        evidence.series = trend.series;
        if (trend.trend) evidence.heapTrend = trend.trend;
        else notes.push(trend.why!);
      } else {
        const summary = await readHeaptrackSummary(file, {
          interpreter: paths!.heaptrack!.interpreter,
          heaptrackPrint: paths!.heaptrack!.heaptrackPrint,
          limit: 10,
          suppressions,
        });
        evidence.peakHeapBytes = summary.peakHeapBytes;
        evidence.leakedBytes = summary.leakedBytes;
        evidence.peakSites = summary.topPeak.map((s) => ({ bytes: s.bytes, label: `${s.fn}${s.location ? ` (${s.location})` : ''}` }));
        for (const s of summary.topLeaks) {
          evidence.sites.push({ fingerprint: '', kind: 'not-freed', bytes: s.bytes, blocks: s.calls ?? 0, label: `${s.fn}${s.location ? ` (${s.location})` : ''}`, stack: s.stack.slice(0, 12), status: 'no-baseline' });
        }
        evidence.file = summary.file;
      }
      // heaptrack's raw file is written as the app runs: after a SIGKILL it reads, but everything still allocated
      // then counts as not freed.
      if (killed && !evidence.incomplete) evidence.incomplete = `${killed}, so ${tool}'s final report is partial`;
      if (notes.length > 0) evidence.note = notes.join('; ');
      return { native: evidence };
    },
    async dispose() {
      clearTimeout(timer);
    },
  };
}
