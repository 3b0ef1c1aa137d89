import { type Problems } from './checks.js';
import { type RequestMode } from '../load/request-mix.js';
import { type NativeMode } from '../native/wrap-command.js';
/** The native tool, or off: the wrapper's own list of modes. */
export type NativeTool = NativeMode;
export interface NativeConfig {
    tool: NativeTool;
    /** Multiplier of the readiness timeout and of app.stop-grace (capped at 60 s) for the tool's slowdown. */
    slowdown: number;
    /** Load duration under the tool (shorter than a plain run: the app is 3-50x slower). */
    durationMs: number;
    /** Requests per second under the tool; undefined = closed loop with native.connections. */
    rate?: number;
    connections: number;
    /** valgrind suppression files (memcheck). */
    suppressions: string[];
    /** A leak site fails the gate when its definitely + indirectly lost bytes exceed this. */
    maxLostBytes: number;
    /** memcheck: interval of the incremental leak checks (vgdb) during the load; 0 = only at exit. */
    checkIntervalMs: number;
    /** Frames of a leak site's stack that make its fingerprint. */
    frames: number;
    /** Whether line numbers are part of the fingerprint (false survives edits that move code). */
    lines: boolean;
    /** jemalloc/tcmalloc: dump a heap profile every this many bytes allocated. */
    dumpEveryBytes: number;
    /** jemalloc/tcmalloc: the binary whose symbols name the sites; default app.command's program. */
    binary?: string;
}
export declare function nativeOf(v: unknown, loadDurationMs: number, p: Problems, loadConnections?: number): NativeConfig;
export type RuntimeKind = 'node' | 'jvm' | 'python' | 'go' | 'none';
export declare const RUNTIME_KINDS: readonly ["auto", "node", "jvm", "python", "go", "none"];
export interface RuntimeConfig {
    /** Resolved: 'auto' became node when the command runs node, else none. */
    kind: RuntimeKind;
    /** How the kind was chosen, for the report. */
    chosen: 'auto' | 'configured';
    /** Shortest interval between heap readings after a forced GC (Node). */
    intervalMs: number;
    /**
     * Most of the app's wall time the forced GCs may take: the readings slow down for a heap whose GC is slow. null
     * when runtime.interval was set without it: the interval is then kept as set.
     */
    pauseBudget: number | null;
    /** Take heap snapshots / histograms after warm-up, midway and at the end. */
    snapshots: boolean;
    /** Rows of growing classes / sites to report. */
    top: number;
    /** Go: the net/http/pprof base URL; default http://127.0.0.1:<app.ready's port>/debug/pprof. */
    pprofUrl?: string;
}
/** The default heap reading interval: a 32nd of the load duration, between 250 ms and 1 s. */
export declare function defaultHeapIntervalMs(loadDurationMs: number): number;
export declare function runtimeOf(v: unknown, command: string[] | string, p: Problems, loadDurationMs?: number): RuntimeConfig;
/** The program a command runs: its first word, past an `env` wrapper and its NAME=value settings. */
export declare function programOf(command: string[] | string): string;
/** True when the command starts java directly (java, /usr/lib/jvm/.../bin/java, env ... java). */
export declare function runsJava(command: string[] | string): boolean;
/** True when the command starts node directly (node, /usr/bin/node, node20, ...). */
export declare function runsNode(command: string[] | string): boolean;
export interface CgroupConfig {
    /** Start the app in a fresh memory cgroup with this limit (bytes); undefined = run where leakgate runs. */
    limit?: number;
    /** Sample the app's own memory cgroup (usage, anon, file, kernel) at each tick; a fresh one is always sampled. */
    sample: boolean;
}
export declare function cgroupOf(v: unknown, p: Problems): CgroupConfig;
export type StoreKind = 'none' | 'file' | 'branch' | 'cache';
export declare const STORE_KINDS: readonly StoreKind[];
export declare const DEFAULT_STORE_BRANCH = "leakgate-baselines";
export declare const DEFAULT_STORE_FILE = ".leakgate/baselines.json";
export interface StoreConfig {
    kind: StoreKind;
    /** file store: the JSON file in the repository. */
    path: string;
    /** branch store: the git branch holding baselines and history. */
    branch: string;
    /** branch store: the repository to fetch from and push to; default the GitHub repository (in Actions) or origin. */
    remote?: string;
    /** The base branch whose baselines a run compares with, outside pull requests; default the default branch. */
    baseBranch?: string;
    /** Branches whose pushes save a baseline; empty = the repository's default branch. */
    saveOn: string[];
    /** Save on this run even when it is not a push to a save-on branch (CLI `--save-baseline`). */
    save: boolean;
    /** Entries of history used for the comparison. */
    history: number;
    /** Fail the gate when no baseline exists yet. */
    failOnMissing: boolean;
}
export interface AbConfig {
    /** The git ref whose build is the baseline (e.g. origin/main). */
    ref: string;
    /** Run in the base worktree before its trials (e.g. [npm, ci]); none when empty. */
    setup: string[] | string | null;
    /** Pairs of interleaved base/head trials. */
    pairs: number;
}
export declare const BASELINE_STORE_KEYS: string[];
export declare function storeOf(raw: Record<string, unknown>, p: Problems): StoreConfig;
export declare function abOf(raw: Record<string, unknown>, p: Problems): AbConfig | null;
export type CommentMode = 'always' | 'on-regression' | 'never';
export declare const COMMENT_MODES: readonly CommentMode[];
export declare function commentOf(v: unknown, p: Problems): CommentMode;
export type LoadTool = 'autocannon' | 'k6' | 'command' | 'websocket';
export declare const LOAD_TOOLS: readonly LoadTool[];
export type CounterConfig = {
    url: string;
    field?: string;
} | {
    regex: string;
} | {
    file: string;
    field?: string;
};
export interface LoadExtras {
    /** autocannon: requests per second overall (constant rate) instead of closed-loop connections. */
    rate?: number;
    /** autocannon: a warm-up phase at a lower rate before the measured load. */
    warmup?: {
        durationMs: number;
        rate: number;
    };
    /** autocannon: 'sequence' runs load.requests in order per connection; 'mix' interleaves them by weight (the default when a weight is given). */
    mix?: RequestMode;
    /**
     * autocannon: requests per connection before it is closed and reopened (connection churn), so per-connection state
     * is set up and torn down all through the load; 0 keeps every connection for the whole load.
     */
    reconnectEvery?: number;
    /** websocket: the messages sent in turn (each awaits one reply), how many per session, sessions in parallel. */
    websocket?: {
        messages: string[];
        perSession: number;
        sessions: number;
    };
    /** autocannon: a share of requests the client aborts, `afterMs` after the response started (or the request was sent). */
    abort?: AbortConfig;
    /** k6: the script, virtual users and extra arguments. */
    script?: string;
    vus?: number;
    /** k6 without load.duration: the hard limit on the script's own run length (default 30 minutes). */
    maxDurationMs?: number;
    args: string[];
    /** command: argv of the load command and where its request count comes from. */
    run?: string[];
    counter?: CounterConfig;
}
/** load.reconnect-every when not set: measured in docs/workloads.md (exposes a 16 KiB-per-connection leak in 30 s). */
export declare const DEFAULT_RECONNECT_EVERY = 50;
/** load.abort: see docs/workloads.md. */
export interface AbortConfig {
    /** Share of all requests that are aborted, 0 < share < 1. */
    share: number;
    afterMs: number;
    /** 'response': `afterMs` after the response headers arrived (mid-response); 'request': after the request was sent (a client timeout). */
    from: AbortFrom;
}
export type AbortFrom = 'response' | 'request';
export declare const ABORT_FROM: readonly AbortFrom[];
export declare const LOAD_EXTRA_KEYS: string[];
export declare function loadExtrasOf(raw: Record<string, unknown>, tool: LoadTool, p: Problems): LoadExtras;
/** Request-level extras for autocannon mixes: weight and ids substituted for {id}. */
export declare function requestExtrasOf(r: Record<string, unknown>, path: string, p: Problems): {
    weight?: number;
    ids?: string[];
};
