export interface ContainerState {
    id: string;
    /** Without docker's leading '/'. */
    name: string;
    /** running, exited, created, paused, restarting, ... as the engine says it. */
    status: string;
    running: boolean;
    paused: boolean;
    /** Host pid of the container's first process; 0 when it is not running. */
    pid: number;
    /** The engine's own record that the kernel OOM-killed the container's main process. */
    oomKilled: boolean;
    exitCode: number | null;
    /** podman only: the container's cgroup path as /proc/PID/cgroup shows it. */
    cgroupPath?: string;
}
/** Parses inspect's stdout for one container; throws naming what is missing. `what` is the name asked for. */
export declare function parseContainerInspect(stdout: string, what: string): ContainerState;
/** Why a container cannot be attached to, or null when it can: it must be running (and not paused) with a pid. */
export declare function notAttachable(c: ContainerState): string | null;
