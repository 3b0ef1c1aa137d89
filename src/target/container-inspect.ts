// Reads `docker inspect` / `podman inspect` output (a JSON array with one object per container) into the few
// figures attaching needs: the container's id and name, whether it runs, and the host pid of its first process,
// from which the memory cgroup is found the same way for both engines and both cgroup versions
// (/proc/PID/cgroup). Pure: the caller runs the engine.

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
export function parseContainerInspect(stdout: string, what: string): ContainerState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (err) {
    throw new Error(`inspect output for '${what}' is not JSON (${(err as Error).message}): '${shorten(stdout)}'`);
  }
  if (!Array.isArray(parsed)) throw new Error(`inspect output for '${what}' is not a list of containers: '${shorten(stdout)}'`);
  if (parsed.length === 0) throw new Error(`no container named '${what}'`);
  if (parsed.length > 1) throw new Error(`'${what}' names ${parsed.length} containers; give the full id`);
  const c = parsed[0] as Record<string, unknown>;
  const state = c.State;
  if (typeof c.Id !== 'string' || !isObject(state)) throw new Error(`inspect output for '${what}' has no Id and State: not a container (an image or volume of that name?)`);
  const pid = state.Pid;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid < 0) throw new Error(`inspect output for '${what}' has no State.Pid`);
  const running = state.Running === true;
  const paused = state.Paused === true;
  // docker: Status; podman: Status too (older podman put it in State.Status as well).
  const status = typeof state.Status === 'string' ? state.Status : running ? 'running' : 'not running';
  const name = typeof c.Name === 'string' ? c.Name.replace(/^\//, '') : what;
  const out: ContainerState = {
    id: c.Id,
    name,
    status,
    running,
    paused,
    pid,
    oomKilled: state.OOMKilled === true,
    exitCode: typeof state.ExitCode === 'number' ? state.ExitCode : null,
  };
  if (typeof state.CgroupPath === 'string' && state.CgroupPath !== '') out.cgroupPath = state.CgroupPath;
  return out;
}

/** Why a container cannot be attached to, or null when it can: it must be running (and not paused) with a pid. */
export function notAttachable(c: ContainerState): string | null {
  if (c.paused) return `container '${c.name}' is paused: unpause it first`;
  if (!c.running || c.pid <= 0) {
    const exit = c.exitCode !== null && c.status === 'exited' ? ` (exit code ${c.exitCode}${c.oomKilled ? ', OOM-killed' : ''})` : '';
    return `container '${c.name}' is not running: its status is '${c.status}'${exit}; start it (docker compose up -d) before leakgate runs`;
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 120)}...` : line;
}
