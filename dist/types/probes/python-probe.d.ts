import { type Logger } from '../core/logger.js';
import { type TracemallocSnapshot } from '../runtime/python-tracemalloc.js';
import type { RuntimeEvidence } from './evidence.js';
import { type TrialProbe } from './probe.js';
export interface PythonProbeOptions {
    /** Sites listed in the evidence. Default 15. */
    top?: number;
    logger?: Logger;
    /** Frames per traceback tracemalloc keeps (1: the allocating line only, the cheapest). Default 1. */
    frames?: number;
    /** Sites that grew by less are left out, bytes. Default 1024. */
    minBytesDelta?: number;
    /** Sites that grew by less per request served between the snapshots are left out, bytes. Default 8. */
    minBytesPerRequest?: number;
    /** How long to wait for every Python process to write a snapshot. Default 30 s. */
    snapshotTimeoutMs?: number;
}
/** One request for snapshots and who answered. */
export interface SnapshotRound {
    seq: number;
    /** ms since the load started, when the probe asked (each process answers within ~200 ms). */
    t: number;
    /** Requests served when the probe asked. */
    requests: number;
    /** From asking until the last answer, ms. */
    ms: number;
    answered: number[];
    /** Processes that had loaded the hook, were alive, and did not answer in time. */
    missing: number[];
}
/** Sub-directory of ctx.outDir the hook writes into. */
export declare const TRACEMALLOC_SUBDIR = "tracemalloc";
/**
 * Creates the probe. How it asks for snapshots: it writes a sequence number into <dir>/request, and
 * a daemon thread in each Python process polls that file every 200 ms and answers with
 * snapshot-<pid>-<n>.jsonl. No signal, because: a signal sent to the process group kills any
 * process without a handler for it (a shell wrapper, a non-Python sidecar); gunicorn and uWSGI
 * already use SIGUSR1, SIGUSR2, SIGHUP and SIGTTIN; Python runs signal handlers only in the main
 * thread between bytecodes; and a forked worker restarts its poller (os.register_at_fork), so
 * workers answer without being found first. A user's own sitecustomize, which ours shadows by
 * coming first on PYTHONPATH, is found on sys.path after ours and run by the hook. Python started
 * with -I, -E or -S, or a shell script that sets PYTHONPATH itself, does not load the hook: finish
 * then fails saying so. Tracing costs throughput (see the report); it runs from the app's start.
 */
export declare function createPythonProbe(opts?: PythonProbeOptions): TrialProbe;
/**
 * The environment that makes Python load the hook in `hookDir`: that directory first on
 * PYTHONPATH (the user's PYTHONPATH kept after it), where to write, and how many frames to trace.
 */
export declare function pythonHookEnv(hookDir: string, dataDir: string, frames: number, userPythonPath: string | undefined): Record<string, string>;
/** The evidence from the snapshots of two rounds, merged across processes. */
export declare function pythonEvidence(snapshots: readonly TracemallocSnapshot[], a: SnapshotRound, b: SnapshotRound, opts: {
    top: number;
    minBytesDelta: number;
    minBytesPerRequest?: number;
    cwd?: string;
    notes?: readonly string[];
}): RuntimeEvidence;
