import type { AttachSpec } from '../config/attach.js';
import { type Logger } from '../core/logger.js';
import type { ExitStatus } from '../core/types.js';
import { type CgroupHandle } from '../sample/cgroup.js';
import type { Target } from './start-target.js';
export interface AttachedTarget extends Target {
    readonly attached: {
        kind: AttachSpec['kind'];
        /** The memory cgroup sampled as the app's (cgroup and container); null for a pid. */
        cgroup: CgroupHandle | null;
        /** The cgroup's processes now (cgroup and container); null for a pid, whose tree is followed instead. */
        members: (() => number[]) | null;
    };
}
export declare function isAttached(target: Target): target is AttachedTarget;
export interface AttachOptions {
    logger?: Logger;
    /** Relative pid files are resolved against it (the config file's directory). */
    baseDir: string;
    /** How often to look whether the app is still there. Default 200 ms. */
    pollMs?: number;
    procRoot?: string;
    /** The mount table (default /proc/self/mountinfo), for tests. */
    mountinfo?: string;
    /** PATH to find docker and podman on (default process.env.PATH). */
    path?: string;
}
/** Finds the app and starts watching it; throws a MeasureError saying what was not found or not readable. */
export declare function attachTarget(spec: AttachSpec, opts: AttachOptions): Promise<AttachedTarget>;
/** Stops watching: the app keeps running. The exit status of a process leakgate did not start is unknown. */
export declare function detachTarget(target: AttachedTarget): ExitStatus;
/** Runs app.restart (no shell), bounded; throws a MeasureError with its output when it fails. */
export declare function runRestart(argv: readonly string[], cwd: string, logger: Logger, timeoutMs?: number): Promise<void>;
