import type { Comparison } from '../compare/compare-baseline.js';
import type { TrialEvidence } from '../probes/evidence.js';
import type { Meminfo } from '../sample/meminfo.js';
import type { PrometheusSection } from '../prometheus/types.js';
/** Memory figures of one process or of a whole tree, in bytes. */
export interface MemoryFigures {
    /** Resident set size (VmRSS): what `ps`/`top` show. Includes file-backed pages. */
    rss: number;
    /** Proportional set size (smaps_rollup Pss): what `smem` shows. */
    pss: number;
    /** Unique set size (Private_Clean + Private_Dirty): memory freed if the process exited. */
    uss: number;
    /** Anonymous memory (smaps_rollup Anonymous): heap, anonymous mmap, stacks. The leak signal. */
    anon: number;
    /** Swapped-out memory (smaps_rollup Swap). */
    swap: number;
}
/**
 * The analysed figure: one of the process-tree figures sampled every tick, or 'heap', the runtime's heap used after
 * a forced GC (Node, through the inspector), read every runtime.interval.
 */
export type MetricName = 'anon' | 'rss' | 'pss' | 'uss' | 'heap';
/** The figures every Sample carries (heap is not one: it comes from the runtime probe's own series). */
export declare const METRIC_NAMES: readonly Exclude<MetricName, 'heap'>[];
export declare const ANALYSIS_METRICS: readonly MetricName[];
/** A figure every Sample carries. */
export type SampledMetric = Exclude<MetricName, 'heap'>;
/** The sampled figure that stands for a metric in charts and curves: heap has no per-tick samples, anon does. */
export declare function sampledMetric(m: MetricName): SampledMetric;
/**
 * Whether trials were analysed over time (a load command without a request count, analyzeTrialOverTime): their
 * slopes are bytes per second of load, not per request. Every report figure and the projection read it here.
 */
export declare function analysedOverTime(trials: ReadonlyArray<{
    countsRequests?: boolean;
}>): boolean;
export interface ProcessFigures extends MemoryFigures {
    pid: number;
    ppid: number;
    /** Command name (/proc/PID/comm). */
    comm: string;
}
/** One sample of the whole process tree. */
export interface Sample {
    /** Milliseconds since the trial's load started (negative before load). */
    t: number;
    /** Requests completed since the load started. */
    requests: number;
    /** Sum over every process of the tree. */
    total: MemoryFigures;
    /** Per process, as `ps` would list them. */
    processes: ProcessFigures[];
    /**
     * False when pss, uss and swap were carried forward from the last full (smaps_rollup) read rather than read at
     * this sample: cost-aware sampling reads the cheap figures (anon, rss) every tick and the expensive ones less often.
     * Absent means a full read.
     */
    full?: boolean;
    /** The memory cgroup's figures at this sample, when the app runs in one that leakgate samples. */
    cgroup?: CgroupFigures;
}
/** Memory of a cgroup (what cAdvisor reports), bytes. */
export interface CgroupFigures {
    /** memory.current (v2) or memory.usage_in_bytes (v1): includes page cache. */
    usage: number;
    /** memory.stat anon (v2) or rss (v1): the leak signal at container level. */
    anon: number;
    /** memory.stat file (v2) or cache (v1): page cache. */
    file: number;
    /** Kernel memory: memory.stat kernel (v2) or kmem usage (v1), 0 when not reported. */
    kernel: number;
    /** memory.max (v2) or memory.limit_in_bytes (v1); null when unlimited. */
    limit: number | null;
}
export interface LatencyFigures {
    p50: number;
    p90: number;
    p99: number;
    max: number;
    mean: number;
}
export interface LoadResult {
    tool: string;
    /** Responses received (any status). */
    requests: number;
    /** 2xx responses. */
    ok: number;
    non2xx: number;
    /** Connection errors and timeouts. */
    errors: number;
    timeouts: number;
    durationMs: number;
    /** Responses per second over the run. */
    throughput: number;
    /** Milliseconds. */
    latency: LatencyFigures;
    /** What `requests` counts: HTTP requests (absent: the same) or WebSocket sessions; slopes are bytes per this. */
    unit?: LoadUnit;
    /** TCP connections the load opened, when the driver counts them. */
    connectionsOpened?: number;
    /** Requests per connection before it was reopened (load.reconnect-every); absent when connections were kept. */
    reconnectEvery?: number;
    /** Requests the client aborted on purpose (load.abort): counted apart from errors and from `requests`. */
    aborted?: number;
    /** WebSocket: messages exchanged (sent and answered) over all sessions. */
    messages?: number;
}
/** What a load's progress counts: HTTP responses, or WebSocket sessions completed. */
export type LoadUnit = 'request' | 'session';
/**
 * 'oom': the app died of out-of-memory under load (a kernel OOM kill, V8's "heap out of memory", a JVM
 * OutOfMemoryError, a Python MemoryError): the loudest leak there is, a verdict and not a measurement error.
 * 'interrupted': leakgate was stopped (SIGINT, SIGTERM) before the run ended; only a run's summary carries it.
 */
export type Verdict = 'leak' | 'no-leak' | 'inconclusive' | 'oom' | 'interrupted';
/** One signal's analysis within a trial, with the level Holm's procedure tested it at (null: not tested). */
export type SignalAnalysis = Omit<TrialAnalysis, 'signals' | 'leakingSignals' | 'oom'> & {
    alphaTested: number | null;
    /** Set when this signal stood aside for the conclusive signal covering it (anon under a runtime heap signal). */
    coveredBy?: MetricName;
    /** It grew significantly on its own while it stood aside: what the covering signal does not see. */
    grewAside?: boolean;
};
/** How the app died of out-of-memory, for the verdict 'oom'. */
export interface OomDeath {
    /** What showed it: the kernel's OOM killer (cgroup counter or kernel log) or the runtime's own message. */
    source: 'kernel' | 'node' | 'jvm' | 'python';
    /** The line or counter that showed it. */
    evidence: string;
    /** Requests served and ms of load before it died. */
    requests: number;
    ms: number;
    /** The last memory reading before the death (the analysed signal's figure), bytes. */
    lastBytes: number;
}
/** The trend found in one trial. */
export interface TrialAnalysis {
    metric: MetricName;
    verdict: Verdict;
    /** Why this verdict, in one sentence a user can act on. */
    reason: string;
    /** Sample index and request count where the analysed window starts (end of warm-up). */
    warmupEndIndex: number;
    warmupEndRequests: number;
    warmupEndMs: number;
    /** How the warm-up end was chosen. */
    warmupMethod: 'fixed' | 'plateau';
    /** Points in the robust series the trend was fitted on. */
    points: number;
    requestsAnalysed: number;
    /** Theil-Sen slope of memory against requests, bytes per request, with its confidence interval. */
    bytesPerRequest: number;
    ciLow: number;
    ciHigh: number;
    confidence: number;
    /** One-sided Mann-Kendall p-value for an increasing trend (autocorrelation corrected). */
    pValue: number;
    /** Mann-Kendall S and Kendall's tau. */
    mkS: number;
    tau: number;
    /** Memory at the start of the analysed window and peak over the whole trial, bytes. */
    startBytes: number;
    endBytes: number;
    peakBytes: number;
    /** Relative growth over the analysed window predicted by the slope: slope * requests / start. */
    relativeGrowth: number;
    /** Bytes per second at the measured throughput. */
    bytesPerSecond: number;
    /** Growth per million requests, bytes. */
    growthPerMillionRequests: number;
    /**
     * Every signal analysed (anon memory, the runtime's after-GC heap, ...), when more than one decided: the figures
     * above are the primary signal's (the deciding one for a leak).
     */
    signals?: SignalAnalysis[];
    /** The signals that leak after the family-wise correction. */
    leakingSignals?: MetricName[];
    /** Set with verdict 'oom': how the app died. The figures above are the trend up to the death. */
    oom?: OomDeath;
}
export interface ExitStatus {
    code: number | null;
    signal: string | null;
    /** True when the app exited on its own before leakgate stopped it. */
    early: boolean;
}
export interface TrialReport {
    index: number;
    startedAt: string;
    samples: Sample[];
    load: LoadResult;
    exit: ExitStatus;
    analysis: TrialAnalysis;
    /** Last lines the app printed (stdout and stderr interleaved). */
    outputTail: string[];
    /**
     * False when the load could not count requests (a load command without a counter): `requests` in the samples
     * are then milliseconds of load, and bytes per request read as bytes per millisecond.
     */
    countsRequests?: boolean;
    /** What the probes found: growing process and regions, OOM, runtime heap, native leak sites. */
    evidence?: TrialEvidence;
    /** The slope restated per new connection (connection churn) and per WebSocket message; see growthPerOf. */
    growthPer?: GrowthPer;
    /** Early stopping (analysis.stop-early): the looks, their boundaries, and when and why the load stopped. */
    stopping?: StoppingRecord;
}
/** One look of the group-sequential design. */
export interface StoppingLook {
    /** Load time and requests at the look. */
    ms: number;
    requests: number;
    /** Planned information fraction (share of the load budget), the alpha spent by it, and its nominal level. */
    t: number;
    spent: number;
    nominal: number;
    /** The primary signal's figures at the look. */
    metric: MetricName;
    bytesPerRequest: number;
    ciLow: number;
    ciHigh: number;
    pValue: number;
    /**
     * The cleanest signal's slope over its newest readings (the newest quarter of its window after the warm-up): a
     * leak stops the load only while this keeps HOLD_RATIO of the whole window's slope. Null when too few readings.
     */
    newestBytesPerRequest: number | null;
    /** Set when the cleanest signal leaked at the look but its newest readings did not keep its slope. */
    held?: true;
    decision: 'continue' | 'leak' | 'no-leak';
}
export interface StoppingRecord {
    /** How the looks were tested: "group-sequential, Hwang-Shih-DeCani alpha spending (gamma -2)". */
    method: string;
    budgetMs: number;
    minLoadMs: number;
    checkpointMs: number;
    looks: StoppingLook[];
    /** Set when the load stopped before its budget: when, and why. */
    stoppedAtMs?: number;
    why?: 'leak' | 'no-leak';
    /** The nominal level the final analysis used. */
    finalNominal: number;
}
/**
 * The trial's slope restated per what else the load counted: bytes per request x requests / connections opened
 * (meaningful when connections were reopened, load.reconnect-every, and the growth follows connections rather than
 * requests), and bytes per session x sessions / messages for a WebSocket load.
 */
export interface GrowthPer {
    connection?: {
        opened: number;
        bytes: number;
        ciLow: number;
        ciHigh: number;
    };
    message?: {
        count: number;
        bytes: number;
        ciLow: number;
        ciHigh: number;
    };
}
export interface GateDecision {
    failed: boolean;
    /** One line per reason the gate failed (empty when it passed). */
    reasons: string[];
}
/** The verdict and slope of a run, combined over its trials. */
export interface CombinedAnalysis {
    verdict: Verdict;
    /** Why this verdict, in one sentence. */
    reason: string;
    bytesPerRequest: number;
    ciLow: number;
    ciHigh: number;
    pValue: number;
    trialsLeaking: number;
    trialsConclusive: number;
}
export interface Summary extends CombinedAnalysis {
    metric: MetricName;
    requests: number;
    throughput: number;
    startBytes: number;
    peakBytes: number;
    growthPerMillionRequests: number;
    /** Memory limit used for the projection (config, else the cgroup's), bytes; null when none. */
    memoryLimitBytes: number | null;
    /** Which limit memoryLimitBytes is: memory-limit, the app's fresh cgroup (cgroup.limit), or leakgate's own cgroup. */
    memoryLimitSource?: 'memory-limit' | 'cgroup.limit' | 'inherited cgroup';
    /** At the measured slope and throughput, seconds until the limit is reached; null when not growing. */
    secondsToLimit: number | null;
}
export interface Environment {
    os: string;
    kernel: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    runner: string | null;
    /** The Linux distribution (/etc/os-release PRETTY_NAME, e.g. "Ubuntu 24.04.1 LTS"), when readable. */
    distro?: string;
    /** The GitHub runner image (ImageOS and ImageVersion, e.g. "ubuntu24 20250105.1.0"), on hosted runners. */
    runnerImage?: string;
    /** The app's runtime as its `--version` says ("Python 3.11.7", "openjdk 17.0.15"), when the command names one. */
    appRuntime?: string;
}
/** The commit and CI run a report was made on (from the GitHub environment or git); fields absent when unknown. */
export interface SourceInfo {
    sha?: string;
    /** Branch (push) or head branch (pull request). */
    branch?: string;
    /** The pull request's base branch. */
    baseBranch?: string;
    pr?: number;
    event?: string;
    runUrl?: string;
}
/** Which stored baseline a run was compared with, and why that one. */
export interface BaselineInfo {
    store: string;
    sha: string | null;
    branch: string | null;
    savedAt: string | null;
    /** "merge-base 1a2b3c4 of main", "newest of main (merge-base not in the store)", ... */
    why: string;
    runUrl?: string;
    /** The baseline's memory against requests served (median over its trials), for the chart. */
    curve: Array<{
        requests: number;
        bytes: number;
    }>;
}
export declare const REPORT_SCHEMA_VERSION = 1;
export interface Report {
    schemaVersion: typeof REPORT_SCHEMA_VERSION;
    tool: {
        name: 'leakgate';
        version: string;
    };
    name: string;
    createdAt: string;
    environment: Environment;
    /** The validated config, with env values redacted. */
    config: unknown;
    trials: TrialReport[];
    summary: Summary;
    gate: GateDecision;
    /** This run against the baseline reports; null when none was given or found. */
    comparison: Comparison | null;
    /** What happened to the baseline: which was used, or why none was ("no baseline yet: ..."). */
    baselineNote: string | null;
    /** Set when the app could not be measured (never ready, crashed, load failed): no verdict. */
    error: string | null;
    /** The commit and run this report was made on. */
    source?: SourceInfo;
    /** The stored baseline compared with (store mode), with its curve for the chart. */
    baseline?: BaselineInfo | null;
    /** Reports pooled into this one by `leakgate merge` (their paths or names). */
    mergedFrom?: string[];
    /** The machine's memory (what `free` shows) when the run started and when it ended. */
    system?: {
        start: Meminfo;
        end: Meminfo;
    };
    /** Set when leakgate was stopped by a signal mid-run: the report holds the samples measured until then. */
    interrupted?: {
        signal: string;
        reason: string;
    };
    /** A measured growth accepted by a maintainer or the config (src/accept/): the next comparison starts from it. */
    acceptance?: Acceptance;
    /** The change-point test over the base branch's stored history, run when this report was saved (src/history/). */
    drift?: DriftInfo;
    /** Set by `leakgate analyze`: the series read from Prometheus (source 'prometheus'), the queries and the window. */
    prometheus?: PrometheusSection;
}
/** Who accepted a measured growth, when, why, and the figures the acceptance covers. */
export interface Acceptance {
    /** GitHub login of the maintainer, or 'config'. */
    by: string;
    /** ISO 8601 time of the label, comment or config entry's acceptance. */
    at: string;
    reason: string;
    source: 'label' | 'comment' | 'config';
    /** The pull request it was given on. */
    pr?: number;
    /** Config entries: the date after which it no longer applies. */
    expires?: string;
    /** The figures accepted (bytes/request, peak bytes): those of the first run the acceptance was applied to. */
    bytesPerRequest: number;
    peakBytes: number;
    /** What it covers: up to these (the accepted slope's upper interval bound + tolerance; the peak + tolerance). */
    maxBytesPerRequest: number;
    maxPeakBytes: number;
    /** Whether this run's figures were within what was accepted. */
    covered: boolean;
    /** Gate reasons the acceptance turned into accepted ones (empty when nothing failed). */
    acceptedReasons: string[];
}
/** The drift test's result as the report keeps it. */
export interface DriftInfo {
    drift: boolean;
    /** Commits tested (since the newest accepted growth), this run included. */
    points: number;
    statistic: number;
    threshold: number;
    /** Mean slope before and after the split, and the shift, bytes/request. */
    before: number;
    after: number;
    shift: number;
    /** Commits where the shift may have begun (first and last candidate), and the first commit after the split. */
    rangeFrom: string | null;
    rangeTo: string | null;
    startSha: string | null;
    /** The last commit before the split. */
    lastBeforeSha: string | null;
    note?: string;
}
