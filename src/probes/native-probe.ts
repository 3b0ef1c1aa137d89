// Native leaks (native: memcheck | massif | heaptrack): the app's command is wrapped in the tool; memcheck also
// takes incremental leak checks through vgdb during the load, so leak sites that grow while the app serves (a
// still-reachable cache included) are reported with their growth; after the app exits, the tool's output is
// parsed into leak sites with stable fingerprints, each marked new, known or fixed against the baseline's sites.
// massif's heap series and heaptrack's summary go into the same evidence. The app must exit on SIGTERM for the
// final report: one that needed SIGKILL leaves a truncated file, and the evidence says so.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { NativeConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { fingerprintScheme, mergeSites, compareSites, type FingerprintOptions } from '../native/fingerprint.js';
import { readHeaptrackSummary } from '../native/heaptrack.js';
import { parseMassif } from '../native/massif.js';
import type { LeakSite } from '../native/memcheck-types.js';
import { parseMemcheckXml } from '../native/memcheck-xml.js';
import { generateSuppression } from '../native/suppressions.js';
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
  /** Fingerprints of the baseline's leak sites (from its report); null when there is no baseline. */
  baselineSites: Array<{ fingerprint: string; kind?: string; label?: string }> | null;
  logger: Logger;
}

/** Leak kinds that count as lost: a new site of these kinds above max-lost-bytes fails native-leak. */
export const LOST_KINDS = ['definitely-lost', 'indirectly-lost'] as const;

export function createNativeProbe(opts: NativeProbeOptions): TrialProbe {
  const tool = opts.native.tool;
  if (tool === 'off') throw new Error('createNativeProbe needs a native tool');
  const fp: FingerprintOptions = { frames: opts.native.frames, lines: opts.native.lines };
  let paths: NativeToolPaths | null = null;
  let outputFile: string | null = null;
  let target: Target | null = null;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> = Promise.resolve();
  const checks: Array<{ requests: number; sites: LeakSite[] }> = [];
  const loadTimes: Array<{ t: number; requests: number }> = [];
  let requestsAt: (() => number) | null = null;

  const check = (pid: number, requests: number): void => {
    checking = checking.then(async () => {
      const text = await runVgdbLeakCheck(pid, { timeoutMs: 30_000, waitSeconds: 2 });
      const parsed = parseVgdbLeakCheck(text, `vgdb leak_check of pid ${pid}`, { fingerprint: fp });
      checks.push({ requests, sites: mergeSites(parsed.records, fp) });
    }).catch((e) => opts.logger.debug(`native: vgdb leak check failed: ${(e as Error).message}`));
  };

  return {
    name: `native-${tool}`,
    prepare(spec, ctx) {
      paths = requireNativeTool(tool);
      const suppressions = opts.native.suppressions.map((s) => (isAbsolute(s) ? s : resolve(opts.baseDir, s)));
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
    started(t) {
      target = t;
    },
    loadStarted(t, ctx) {
      requestsAt = ctx.requests;
      loadTimes.push({ t: 0, requests: 0 });
      if (tool !== 'memcheck' || opts.native.checkIntervalMs <= 0) return;
      // The first check after warm-up is the reference the later ones are compared with.
      const first = ctx.warmupFraction * ctx.loadDurationMs;
      const tick = (): void => {
        check(t.pid, ctx.requests());
        loadTimes.push({ t: ctx.now(), requests: ctx.requests() });
        timer = setTimeout(tick, opts.native.checkIntervalMs);
        timer.unref();
      };
      timer = setTimeout(tick, first);
      timer.unref();
    },
    async loadEnded(t) {
      clearTimeout(timer);
      if (tool === 'memcheck' && opts.native.checkIntervalMs > 0 && requestsAt) check(t.pid, requestsAt());
      await checking;
    },
    async finish(exit) {
      if (!outputFile || !target) return {};
      const file = outputFileForPid(outputFile, target.pid);
      const sigkilled = exit.signal === 'SIGKILL';
      const evidence: NativeEvidence = { tool, sites: [], definitelyLostBytes: 0, indirectlyLostBytes: 0, possiblyLostBytes: 0, stillReachableBytes: 0, file };
      if (!existsSync(file)) {
        evidence.note = `${tool} wrote no output at ${file}${sigkilled ? ': the app had to be killed with SIGKILL; it must exit on SIGTERM for the final report' : ''}`;
        return { native: evidence };
      }
      if (tool === 'memcheck') {
        const result = parseMemcheckXml(readFileSync(file, 'utf8'), file, { allowTruncated: true, fingerprint: fp });
        if (result.truncated) evidence.note = `the memcheck XML is truncated${sigkilled ? ' (the app did not exit on SIGTERM and was killed)' : ''}: leak records may be missing`;
        const sites = mergeSites(result.leaks, fp);
        const growth = siteGrowth(checks);
        const cmp = opts.baselineSites ? compareSites(sites, opts.baselineSites as never) : null;
        const status = (s: LeakSite): NativeEvidence['sites'][number]['status'] =>
          cmp === null ? 'no-baseline' : cmp.newSites.includes(s) ? 'new' : 'known';
        for (const s of sites) {
          const key = kindKey(s.kind);
          if (key) evidence[key] += s.bytes;
          evidence.sites.push({
            fingerprint: s.fingerprint,
            kind: s.kind,
            bytes: s.bytes,
            blocks: s.blocks,
            ...(growth.has(s.fingerprint) ? { bytesIncrease: growth.get(s.fingerprint)! } : {}),
            label: s.label,
            stack: s.stack.slice(0, 12).map(frameText),
            status: status(s),
            // For a lost site the baseline lacks: the valgrind suppression that accepts it, to paste into a file.
            ...((s.kind === 'definitely-lost' || s.kind === 'indirectly-lost') && status(s) !== 'known' ? { suppression: generateSuppression(s, `leakgate-${s.fingerprint}`) } : {}),
          });
        }
        // Sites that grew during the load but were still reachable at exit are already in the list; sites seen only
        // by vgdb (freed at exit) are added so their growth is reported.
        for (const [fpKey, bytes] of growth) {
          if (evidence.sites.some((s) => s.fingerprint === fpKey)) continue;
          const last = checks.at(-1)!.sites.find((s) => s.fingerprint === fpKey);
          if (last) evidence.sites.push({ fingerprint: fpKey, kind: last.kind, bytes: last.bytes, blocks: last.blocks, bytesIncrease: bytes, label: last.label, stack: last.stack.slice(0, 12).map(frameText), status: 'no-baseline' });
        }
        if (cmp) for (const f of cmp.fixedSites) evidence.sites.push({ fingerprint: f.fingerprint, kind: String(f.kind ?? ''), bytes: 0, blocks: 0, label: String(f.label ?? f.fingerprint), stack: [], status: 'fixed' });
        evidence.scheme = fingerprintScheme(fp);
      } else if (tool === 'massif') {
        const profile = parseMassif(readFileSync(file, 'utf8'), file);
        const peak = profile.peakIndex === null ? null : profile.snapshots[profile.peakIndex];
        if (peak) evidence.peakHeapBytes = peak.heapBytes + peak.extraBytes;
        evidence.peakSites = profile.peakSites.slice(0, 10).map((s) => ({ bytes: s.bytes, label: `${s.fn}${s.file ? ` (${s.file}${s.line ? `:${s.line}` : ''})` : ''}` }));
        evidence.series = profile.snapshots.map((s) => ({ t: s.time, bytes: s.heapBytes + s.extraBytes }));
      } else {
        const summary = await readHeaptrackSummary(file, { interpreter: paths!.heaptrack!.interpreter, heaptrackPrint: paths!.heaptrack!.heaptrackPrint, limit: 10 });
        evidence.peakHeapBytes = summary.peakHeapBytes;
        evidence.stillReachableBytes = summary.leakedBytes;
        evidence.peakSites = summary.topPeak.map((s) => ({ bytes: s.bytes, label: `${s.fn}${s.location ? ` (${s.location})` : ''}` }));
        for (const s of summary.topLeaks) {
          evidence.sites.push({ fingerprint: '', kind: 'not-freed', bytes: s.bytes, blocks: s.calls ?? 0, label: `${s.fn}${s.location ? ` (${s.location})` : ''}`, stack: s.stack.slice(0, 12), status: 'no-baseline' });
        }
        evidence.file = summary.file;
      }
      return { native: evidence };
    },
    async dispose() {
      clearTimeout(timer);
    },
  };
}

/** Bytes each site gained between the first and the last vgdb check. */
function siteGrowth(checks: ReadonlyArray<{ sites: LeakSite[] }>): Map<string, number> {
  const out = new Map<string, number>();
  if (checks.length < 2) return out;
  const first = new Map(checks[0]!.sites.map((s) => [s.fingerprint, s.bytes]));
  for (const s of checks.at(-1)!.sites) {
    const grew = s.bytes - (first.get(s.fingerprint) ?? 0);
    if (grew > 0) out.set(s.fingerprint, grew);
  }
  return out;
}

function kindKey(kind: string): 'definitelyLostBytes' | 'indirectlyLostBytes' | 'possiblyLostBytes' | 'stillReachableBytes' | null {
  switch (kind) {
    case 'definitely-lost':
      return 'definitelyLostBytes';
    case 'indirectly-lost':
      return 'indirectlyLostBytes';
    case 'possibly-lost':
      return 'possiblyLostBytes';
    case 'still-reachable':
      return 'stillReachableBytes';
    default:
      return null;
  }
}

function frameText(f: { fn?: string; file?: string; line?: number; obj?: string }): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : f.obj ? `in ${f.obj.split('/').pop()}` : '';
  return `${f.fn ?? '???'}${where ? ` (${where})` : ''}`;
}
