import { type Logger } from '../core/logger.js';
import type { ExitStatus } from '../core/types.js';
export interface TargetSpec {
    /** An argument array (no shell), or with `shell: true` one string run by `/bin/sh -c`. */
    command: string[] | string;
    shell: boolean;
    cwd: string;
    /** Merged over process.env. */
    env: Record<string, string>;
}
export interface StartTargetOptions {
    /** Unique per run: set as LEAKGATE_RUN_ID in the app's environment. */
    marker: string;
    logger?: Logger;
    /** Lines of output kept for messages and the report. Default 100. */
    tailLines?: number;
    /**
     * Start a keeper process that ends the app's tree if leakgate dies hard (SIGKILL), after this grace between its
     * SIGTERM and SIGKILL. Default 5000 ms; false for none.
     */
    keeperGraceMs?: number | false;
}
/** How the app's main process ended. */
export type TargetExit = Pick<ExitStatus, 'code' | 'signal'>;
export interface Target {
    readonly pid: number;
    /** Equals pid: the app leads its own process group (and session). */
    readonly pgid: number;
    readonly marker: string;
    /** The command as a user would recognise it, for messages. */
    readonly command: string;
    /** Resolves when the main process exits (its descendants may live on). */
    readonly exited: Promise<TargetExit>;
    /** Resolves when both output pipes are closed: every process holding them has gone. */
    readonly outputEnded: Promise<void>;
    hasExited(): boolean;
    /** Null while the main process runs. */
    exitStatus(): TargetExit | null;
    /** Last lines printed, stdout and stderr interleaved, oldest first. */
    tail(): string[];
    /** Calls `cb` with each complete line printed from now on; returns an unsubscribe function. */
    onLine(cb: (line: string) => void): () => void;
    /**
     * Stops reading output and (unless keepExitKill) disarms the safety kill that otherwise takes
     * the tree down when leakgate's own process exits. stopTarget calls it; call it yourself only
     * if you reap the processes some other way.
     */
    dispose(opts?: {
        keepExitKill?: boolean;
    }): void;
}
export declare function startTarget(spec: TargetSpec, opts: StartTargetOptions): Target;
/** "exit code 3 (command not found)", "signal SIGKILL", ... */
export declare function describeExit(exit: TargetExit): string;
/** Sends a signal; a process or group that is already gone (ESRCH) is not an error. */
export declare function killQuietly(pidOrNegativePgid: number, signal: NodeJS.Signals): boolean;
