import type { NativeEvidence } from '../probes/evidence.js';
import type { LeakSite, LeakSiteRef, StackFrame } from './memcheck-types.js';
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
export declare function siteGrowth(checks: readonly LeakCheck[]): Map<string, SiteGrowth>;
export type MemcheckTotals = Pick<NativeEvidence, 'definitelyLostBytes' | 'indirectlyLostBytes' | 'possiblyLostBytes' | 'stillReachableBytes'>;
/**
 * The kind totals as valgrind's LEAK SUMMARY prints them: a definitely-lost record's bytes include the indirectly
 * lost blocks it points to, which have records of their own, so only its direct bytes count for its kind.
 */
export declare function memcheckTotals(sites: readonly LeakSite[]): MemcheckTotals;
/**
 * memcheck's sites for the report: those of the XML at exit (bytes as valgrind prints them per record), each with
 * its growth during the load; sites the vgdb checks saw grow but the app freed before exit; and the baseline's
 * sites that are gone (fixed). `baselineSites` null: no baseline to compare with.
 */
export declare function memcheckSites(exitSites: readonly LeakSite[], checks: readonly LeakCheck[], baselineSites: readonly LeakSiteRef[] | null): NativeSite[];
export declare function frameText(f: StackFrame): string;
/** Requests done at a time of the load, read while it ran: t in ms since the load started, ascending. */
export type LoadTimeline = ReadonlyArray<{
    t: number;
    requests: number;
}>;
export interface MassifTrendOptions {
    /** ms from massif's t = 0 (valgrind's start, with --time-unit=ms) to the load's start. */
    loadOffsetMs: number;
    /** The first fraction of the load is left out, as in the RSS analysis. */
    warmupFraction: number;
    confidence: number;
}
/** Fewer snapshots than this in the analysed part of the load give no slope. */
export declare const MIN_MASSIF_POINTS = 6;
/**
 * massif's heap against the load's requests: each snapshot's time is moved onto the load timeline and its request
 * count interpolated from the counts read during the load; the slope (Theil-Sen, bytes per request, with its
 * interval) is taken after warm-up. Snapshots before the load or after it (start-up, shutdown) get no requests.
 * `trend` is absent, with `why`, when too few snapshots fall in the analysed part.
 */
export declare function massifTrend(series: ReadonlyArray<{
    t: number;
    bytes: number;
}>, timeline: LoadTimeline, opts: MassifTrendOptions): {
    series: Array<{
        t: number;
        bytes: number;
        requests?: number;
    }>;
    trend?: NonNullable<NativeEvidence['heapTrend']>;
    why?: string;
};
/** Requests at load time t, interpolated between the readings around it; null outside the readings. */
export declare function requestsAt(timeline: LoadTimeline, t: number): number | null;
export {};
