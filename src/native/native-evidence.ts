// What the native tools wrote, turned into the report's NativeEvidence: memcheck's leak sites (from the XML at exit
// and the vgdb checks during the load, with their growth per request) and massif's heap trend over the load's
// requests. Pure: parsed results in, evidence out; native-probe.ts does the I/O.
import { theilSen } from '../analyze/stats.js';
import type { NativeEvidence } from '../probes/evidence.js';
import { compareSites } from './fingerprint.js';
import type { LeakSite, LeakSiteRef, StackFrame } from './memcheck-types.js';
import { generateSuppression } from './suppressions.js';

type NativeSite = NativeEvidence['sites'][number];

/** One vgdb `leak_check full reachable increased`: the sites it listed and the requests done when it ran. */
export interface LeakCheck {
  requests: number;
  sites: LeakSite[];
}

export interface SiteGrowth {
  /** Bytes the site gained from the first check to its latest. */
  bytesIncrease: number;
  /** bytesIncrease over the requests between the first check and the last; absent when no request came between. */
  bytesPerRequest?: number;
  /** The site as the last check that listed it saw it (absolute bytes). */
  latest: LeakSite;
}

/**
 * What each site gained during the load. `leak_check ... increased` lists only the sites that grew since the
 * previous check, with their absolute bytes, so a site's latest size is what the last check that listed it said
 * (a site left out since did not grow). Comparing the first check with the last one only would lose every site that
 * grew earlier but not in the last short interval. The first check (after warm-up, and the first leak search, so it
 * lists every site) is the reference; a site it lacks started from 0.
 */
export function siteGrowth(checks: readonly LeakCheck[]): Map<string, SiteGrowth> {
  const out = new Map<string, SiteGrowth>();
  if (checks.length < 2) return out;
  const reference = new Map(checks[0]!.sites.map((s) => [s.fingerprint, s.bytes]));
  const latest = new Map<string, LeakSite>();
  for (const c of checks.slice(1)) for (const s of c.sites) latest.set(s.fingerprint, s);
  const requests = checks.at(-1)!.requests - checks[0]!.requests;
  for (const [fp, site] of latest) {
    const grew = site.bytes - (reference.get(fp) ?? 0);
    if (grew <= 0) continue;
    out.set(fp, { bytesIncrease: grew, ...(requests > 0 ? { bytesPerRequest: grew / requests } : {}), latest: site });
  }
  return out;
}

export type MemcheckTotals = Pick<NativeEvidence, 'definitelyLostBytes' | 'indirectlyLostBytes' | 'possiblyLostBytes' | 'stillReachableBytes'>;

/**
 * The kind totals as valgrind's LEAK SUMMARY prints them: a definitely-lost record's bytes include the indirectly
 * lost blocks it points to, which have records of their own, so only its direct bytes count for its kind.
 */
export function memcheckTotals(sites: readonly LeakSite[]): MemcheckTotals {
  const totals: MemcheckTotals = { definitelyLostBytes: 0, indirectlyLostBytes: 0, possiblyLostBytes: 0, stillReachableBytes: 0 };
  for (const s of sites) {
    const key = TOTAL_OF[s.kind];
    totals[key] += s.bytes - (s.indirectBytes ?? 0);
  }
  return totals;
}

const TOTAL_OF: Record<LeakSite['kind'], keyof MemcheckTotals> = {
  'definitely-lost': 'definitelyLostBytes',
  'indirectly-lost': 'indirectlyLostBytes',
  'possibly-lost': 'possiblyLostBytes',
  'still-reachable': 'stillReachableBytes',
};

/**
 * memcheck's sites for the report: those of the XML at exit (bytes as valgrind prints them per record), each with
 * its growth during the load; sites the vgdb checks saw grow but the app freed before exit; and the baseline's
 * sites that are gone (fixed). `baselineSites` null: no baseline to compare with.
 */
export function memcheckSites(exitSites: readonly LeakSite[], checks: readonly LeakCheck[], baselineSites: readonly LeakSiteRef[] | null): NativeSite[] {
  const growth = siteGrowth(checks);
  const cmp = baselineSites ? compareSites(exitSites, baselineSites) : null;
  const status = (s: LeakSite): NativeSite['status'] => (cmp === null ? 'no-baseline' : cmp.newSites.includes(s) ? 'new' : 'known');
  const out: NativeSite[] = [];
  const entry = (s: LeakSite, st: NativeSite['status']): NativeSite => {
    const g = growth.get(s.fingerprint);
    return {
      fingerprint: s.fingerprint,
      kind: s.kind,
      bytes: s.bytes,
      blocks: s.blocks,
      ...(g ? { bytesIncrease: g.bytesIncrease } : {}),
      ...(g?.bytesPerRequest !== undefined ? { bytesPerRequest: g.bytesPerRequest } : {}),
      label: s.label,
      stack: s.stack.slice(0, 12).map(frameText),
      status: st,
    };
  };
  for (const s of exitSites) {
    const e = entry(s, status(s));
    // For a lost site the baseline lacks: the valgrind suppression that accepts it, to paste into a file.
    if ((s.kind === 'definitely-lost' || s.kind === 'indirectly-lost') && e.status !== 'known') e.suppression = generateSuppression(s, `leakgate-${s.fingerprint}`);
    out.push(e);
  }
  for (const [fp, g] of growth) if (!out.some((s) => s.fingerprint === fp)) out.push(entry(g.latest, 'no-baseline'));
  if (cmp) for (const f of cmp.fixedSites) out.push({ fingerprint: f.fingerprint, kind: String(f.kind ?? ''), bytes: 0, blocks: 0, label: String(f.label ?? f.fingerprint), stack: [], status: 'fixed' });
  return out;
}

export function frameText(f: StackFrame): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : f.obj ? `in ${f.obj.split('/').pop()}` : '';
  return `${f.fn ?? '???'}${where ? ` (${where})` : ''}`;
}

/** Requests done at a time of the load, read while it ran: t in ms since the load started, ascending. */
export type LoadTimeline = ReadonlyArray<{ t: number; requests: number }>;

export interface MassifTrendOptions {
  /** ms from massif's t = 0 (valgrind's start, with --time-unit=ms) to the load's start. */
  loadOffsetMs: number;
  /** The first fraction of the load is left out, as in the RSS analysis. */
  warmupFraction: number;
  confidence: number;
}

/** Fewer snapshots than this in the analysed part of the load give no slope. */
export const MIN_MASSIF_POINTS = 6;

/**
 * massif's heap against the load's requests: each snapshot's time is moved onto the load timeline and its request
 * count interpolated from the counts read during the load; the slope (Theil-Sen, bytes per request, with its
 * interval) is taken after warm-up. Snapshots before the load or after it (start-up, shutdown) get no requests.
 * `trend` is absent, with `why`, when too few snapshots fall in the analysed part.
 */
export function massifTrend(
  series: ReadonlyArray<{ t: number; bytes: number }>,
  timeline: LoadTimeline,
  opts: MassifTrendOptions,
): { series: Array<{ t: number; bytes: number; requests?: number }>; trend?: NonNullable<NativeEvidence['heapTrend']>; why?: string } {
  const out = series.map((s) => {
    const requests = requestsAt(timeline, s.t - opts.loadOffsetMs);
    return requests === null ? { t: s.t, bytes: s.bytes } : { t: s.t, bytes: s.bytes, requests };
  });
  const end = timeline.at(-1)?.t ?? 0;
  const from = opts.warmupFraction * end;
  const analysed = out.filter((s, i) => s.requests !== undefined && series[i]!.t - opts.loadOffsetMs >= from);
  if (analysed.length < MIN_MASSIF_POINTS) {
    // massif snapshots when the heap changes: a heap that hardly moves gives few of them, and no slope.
    return { series: out, why: `massif took ${analysed.length} snapshots in the load after warm-up (of ${series.length}); a slope needs ${MIN_MASSIF_POINTS} (massif snapshots as the heap changes, so a steady heap gives few)` };
  }
  const x = analysed.map((s) => s.requests!);
  const y = analysed.map((s) => s.bytes);
  const ts = theilSen(x, y, opts.confidence);
  return { series: out, trend: { bytesPerRequest: ts.slope, ciLow: ts.ciLow, ciHigh: ts.ciHigh, points: analysed.length } };
}

/** Requests at load time t, interpolated between the readings around it; null outside the readings. */
export function requestsAt(timeline: LoadTimeline, t: number): number | null {
  if (timeline.length === 0 || t < timeline[0]!.t || t > timeline.at(-1)!.t) return null;
  for (let i = 1; i < timeline.length; i++) {
    const a = timeline[i - 1]!;
    const b = timeline[i]!;
    if (t > b.t) continue;
    return b.t === a.t ? b.requests : a.requests + ((b.requests - a.requests) * (t - a.t)) / (b.t - a.t);
  }
  return timeline[0]!.requests;
}
