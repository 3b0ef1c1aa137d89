import type { AnalysisOptions } from '../analyze/analyze-trial.js';
import { Problems, type SourceLabels } from './checks.js';
import { type AbConfig, type CgroupConfig, type CommentMode, type LoadExtras, type LoadTool, type NativeConfig, type RuntimeConfig, type StoreConfig } from './sections.js';
export type { AbConfig, CgroupConfig, CommentMode, LoadTool, NativeConfig, RuntimeConfig, StoreConfig } from './sections.js';
export { mergeRaw, parseBytes, parseDuration, type SourceLabels } from './checks.js';
import { type MetricName } from '../core/types.js';
import { type MixRequest } from '../load/request-mix.js';
import { type AcceptConfig, type HistoryConfig } from './accept-history-sections.js';
export type { AcceptConfig, AcceptEntry, HistoryConfig } from './accept-history-sections.js';
import { type AttachSpec } from './attach.js';
export type { AttachSpec, ContainerEngine } from './attach.js';
/** One request of load.requests: the load driver's own shape, so config and driver cannot drift apart. */
export type RequestSpec = MixRequest;
export interface ReadyConfig {
    url?: string;
    port?: number;
    host: string;
    log?: string;
    timeoutMs: number;
}
/** What fails the gate. 'inconclusive' (too little data) is on by default: no silent passes. */
export type FailOn = 'leak' | 'oom' | 'inconclusive' | 'regression' | 'peak-regression' | 'native-leak' | 'drift' | 'none';
export declare const FAIL_ON_VALUES: readonly FailOn[];
/** native-leak only fires in native mode: a leak site above native.max-lost-bytes that the baseline does not have. */
export declare const DEFAULT_FAIL_ON: readonly FailOn[];
export interface Config {
    name: string;
    app: {
        command: string[] | string;
        shell: boolean;
        cwd: string;
        env: Record<string, string>;
        ready: ReadyConfig;
        stopGraceMs: number;
        /** Measure an app already running instead of starting command (then command is []). */
        attach?: AttachSpec;
        /** Run before every trial after the first (attach only): restarts the attached app. */
        restart?: string[];
    };
    load: LoadExtras & {
        tool: LoadTool;
        url: string;
        durationMs: number;
        /**
         * Whether load.duration was given (file, flag or input) rather than defaulted. k6 gets --duration only then:
         * k6 replaces a script's scenarios and stages with constant VUs when given --duration.
         */
        durationSet: boolean;
        /** Stop after this many requests instead of after durationMs (whichever comes first). */
        amount?: number;
        connections: number;
        pipelining: number;
        timeoutMs: number;
        requests: RequestSpec[];
    };
    sample: {
        intervalMs: number;
    };
    /**
     * metric may be 'heap' (the runtime's live memory after GC); the sampled figures go to analyzeTrial as they are.
     * Unless `pinned` (analysis.metric was set), every signal the runtime offers decides too: anon memory (metric) and
     * the after-GC heap where the runtime has one, with the family-wise error held at alpha (Holm).
     */
    analysis: Omit<AnalysisOptions, 'metric'> & {
        metric: MetricName;
        pinned: boolean;
        /** The practical floor of the after-GC heap signal: live bytes are exact, so it sits far below anon's. */
        minHeapBytesPerRequest: number;
        /**
         * Stop the load as soon as the verdict is settled (a group-sequential design with Hwang-Shih-DeCani (gamma -2) alpha
         * spending: see analyze/sequential.ts): looks every `checkpointMs` after `minLoadMs`; load.duration is the budget.
         */
        stopEarly: {
            enabled: boolean;
            minLoadMs: number;
            checkpointMs: number;
        };
    };
    trials: number;
    /** Extra trials to run when the first verdict is a leak or regression by a small margin. */
    confirmTrials: number;
    /** Memory limit for the time-to-limit projection (bytes); else the app's cgroup limit, if any. */
    memoryLimit?: number;
    baseline: {
        /** Reports of earlier runs on the base branch (a history), compared with this run. */
        reports: string[];
        /** Where baselines are saved and loaded (file, git branch, Actions cache), and when they are saved. */
        store: StoreConfig;
        /** Same-runner A/B: build the base ref in a worktree and interleave its trials with this run's. */
        ab: AbConfig | null;
        alpha: number;
        relativeTolerance: number;
        absoluteToleranceBytesPerRequest: number;
        absoluteTolerancePeakBytes: number;
        minHistory: number;
    };
    failOn: FailOn[];
    reportPath: string;
    native: NativeConfig;
    runtime: RuntimeConfig;
    cgroup: CgroupConfig;
    /** When the Action posts its sticky PR comment. */
    comment: CommentMode;
    /** Accepting a measured growth: the PR label, comment commands, a config-level entry. */
    accept: AcceptConfig;
    /** Stored history: the drift test, `leakgate history`, published pages. */
    history: HistoryConfig;
}
export interface LoadConfigInput {
    /** Parsed leakgate.yml (or {} when there is none). */
    file: unknown;
    /** Name of the file, for messages, and the directory relative paths are resolved against. */
    fileLabel: string;
    baseDir: string;
    /** Overrides from flags or inputs, in the file's shape (e.g. { load: { duration: '10s' } }). */
    overrides: Record<string, unknown>;
    overrideLabels: SourceLabels;
}
export declare const TOP_KEYS: string[];
export declare const ANALYSIS_KEYS: string[];
/** Validates raw config and returns a Config, or throws a ConfigError listing every problem. */
export declare function loadConfig(input: LoadConfigInput): Config;
/** The analysis section (warm-up, significance, floors), validated: shared with `analyze` (Prometheus series). */
export declare function analysisOf(analysis: Record<string, unknown>, p: Problems): Config['analysis'];
/**
 * The after-GC heap signal's floor, bytes per request. Measured on real clean runs (bench, real apps): the clean
 * Express app's heap interval stays within -2..5 B/req, node-clean and node-plateau within a few B/req after the
 * warm-up, so 8 B/req clears their noise with margin while a 16 B/req leak can still clear it.
 */
export declare const DEFAULT_MIN_HEAP_BYTES_PER_REQUEST = 8;
/** Whether the load stops once the verdict is settled, unless analysis.stop-early says otherwise. */
export declare const DEFAULT_STOP_EARLY = false;
/** What a config name may be; comment mode holds the name in a saved report to the same rule. */
export declare const CONFIG_NAME_PATTERN: RegExp;
export declare function nameOf(v: unknown, p: Problems): string;
/** What `merge` gates with. Its own, not the shards': shards run with fail-on none so that only the merge decides. */
export interface MergeGateSettings {
    failOn: FailOn[];
    comment: CommentMode;
    memoryLimit?: number;
}
/**
 * Validates the merge invocation's fail-on, comment and memory-limit (raw strings from flags or inputs, empty or
 * absent = default) with the same checks and messages as a run's config. Defaults are the standard ones, never
 * the values stored in the shard reports.
 */
export declare function loadMergeGateSettings(raw: {
    'fail-on'?: string;
    comment?: string;
    'memory-limit'?: string;
}, labels: SourceLabels): MergeGateSettings;
export declare function failOnOf(v: unknown, p: Problems): FailOn[];
/** The config as it goes into the report: values whose names look secret are redacted. */
export declare function redactConfig(config: Config): unknown;
