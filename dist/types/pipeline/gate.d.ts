import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { startSampler } from '../sample/sampler.js';
import type { BaselineReports } from '../baseline/read-baseline-reports.js';
import { type Comparison } from '../compare/index.js';
import type { ProgressInfo } from '../report/terminal.js';
import type { Environment, Report, Sample, Summary, TrialAnalysis, TrialReport } from '../core/types.js';
import { type TrialEvidence } from '../probes/index.js';
import type { LeakSiteRef } from '../native/memcheck-types.js';
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
export declare function runGate(config: Config, deps: GateDeps): Promise<Report>;
export type FinishDeps = Pick<GateDeps, 'version' | 'environment' | 'date' | 'baselines' | 'memoryLimit' | 'logger'>;
/**
 * Turns trials into the report: combines them, compares with the baselines, decides the gate. Shared by a run and
 * by `leakgate merge`, which pools the trials of several reports and gates once.
 */
export declare function finishReport(config: Config, trials: TrialReport[], error: string | null, deps: FinishDeps): Report;
/**
 * native-leak: leak sites (definitely or indirectly lost; for heaptrack, not freed at exit and at least
 * analysis.min-bytes-per-request of the load's requests) above native.max-lost-bytes that the baseline does not
 * have (all of them when there is no baseline), and massif's heap growing by more than
 * analysis.min-bytes-per-request after warm-up. Known sites never fail the gate; they are reported. A trial whose
 * tool left no evidence, or an incomplete one (the app was SIGKILLed and the final report is missing or cut short),
 * fails too: no leak sites there means no data, not no leaks.
 */
export declare function nativeLeakReasons(config: Config, trials: readonly TrialReport[]): string[];
/** A leak whose interval nearly touches the floor, split trials, or a regression barely past its tolerance. */
export declare function isMarginal(config: Config, summary: Summary, comparison: Comparison | null): boolean;
export interface TrialOutcome {
    trial: TrialReport;
    error: string | null;
}
export declare function runTrial(config: Config, deps: GateDeps, index: number, total: number): Promise<TrialOutcome>;
/**
 * Per process of the tree: which one grows, named in the evidence when the tree has more than one process. The
 * warm-up ends where the analysis's did, by request count: its index counts the series it analysed (full samples
 * only for pss/uss, heap readings for metric heap), not these samples.
 */
export declare function attributeGrowth(evidence: TrialEvidence, samples: Sample[], analysis: TrialAnalysis, sampler: ReturnType<typeof startSampler> | undefined, rootPid: number): void;
/**
 * The leak sites of the baseline's native evidence, for new/known/fixed; sites null when no baseline has any, or when
 * the baseline's fingerprints were made with another scheme (frames, lines): compared with those, every site would
 * read as new and every old one as fixed, so it counts as no baseline and the note says why.
 */
export declare function baselineSitesOf(reports: readonly Report[], scheme: string): {
    sites: LeakSiteRef[] | null;
    note?: string;
};
/**
 * How long the app gets to exit after SIGTERM. Under a native tool the exit runs the tool's final work (memcheck's
 * leak check over the whole heap, massif's file) at the tool's slowdown: a grace sized for the plain app ends in
 * SIGKILL and a lost report. Scaled by the slowdown, capped at 60 s, never below the configured grace.
 */
export declare function stopGraceMs(config: Pick<Config, 'app' | 'native'>): number;
