// Which processes hold a listening TCP port: the port's LISTEN sockets from /proc/net/tcp and tcp6, their
// inodes matched against /proc/PID/fd links. What a process is (command, leakgate's marker, whether the
// leakgate run that started it is still alive) comes from /proc/PID/cmdline, environ and stat.
import { readFile, readdir, readlink } from 'node:fs/promises';
import { environValue, MARKER_ENV, OWNER_ENV, parseOwner, readProcStat } from './marked-processes.js';
import { listenersOn, parseProcNetTcp, socketInode, type TcpSocket } from './proc-net-tcp.js';

export interface ProcessInfo {
  pid: number;
  /** The command line, arguments joined by spaces; '' when unreadable. */
  command: string;
  /** LEAKGATE_RUN_ID of the run that started it, when it carries one. */
  marker?: string;
  /** For a marked process: whether the leakgate process named in LEAKGATE_OWNER still runs (null: not recorded). */
  ownerAlive?: boolean | null;
}

export interface PortHolders {
  /** LISTEN sockets on the port (either family); empty when nothing listens in this network namespace. */
  listeners: TcpSocket[];
  /** Processes holding one of those sockets, as far as /proc lets us read their file descriptors. */
  holders: ProcessInfo[];
}

/** LISTEN sockets on `port` in this network namespace. */
export async function readListeners(port: number, procRoot = '/proc'): Promise<TcpSocket[]> {
  const out: TcpSocket[] = [];
  for (const [file, family] of [['tcp', 4], ['tcp6', 6]] as const) {
    const text = await readFile(`${procRoot}/net/${file}`, 'utf8').catch(() => '');
    out.push(...listenersOn(parseProcNetTcp(text, family), port));
  }
  return out;
}

/** The pids among `pids` (default every process) holding one of `inodes` open. */
export async function pidsHolding(inodes: ReadonlySet<number>, pids?: readonly number[], procRoot = '/proc'): Promise<number[]> {
  if (inodes.size === 0) return [];
  const candidates = pids ?? (await readdir(procRoot)).filter((n) => /^\d+$/.test(n)).map(Number);
  const found = await Promise.all(
    candidates.map(async (pid) => {
      // EACCES (another user's process) and ENOENT (it exited) both mean: not known to hold it.
      const fds = await readdir(`${procRoot}/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const link = await readlink(`${procRoot}/${pid}/fd/${fd}`).catch(() => '');
        const inode = socketInode(link);
        if (inode !== null && inodes.has(inode)) return pid;
      }
      return null;
    }),
  );
  return found.filter((pid): pid is number => pid !== null).sort((a, b) => a - b);
}

/** Who listens on `port`: the sockets and the processes holding them. */
export async function findPortHolders(port: number, procRoot = '/proc'): Promise<PortHolders> {
  const listeners = await readListeners(port, procRoot);
  const pids = await pidsHolding(new Set(listeners.map((l) => l.inode)), undefined, procRoot);
  const holders = await Promise.all(pids.map((pid) => describeProcess(pid, procRoot)));
  return { listeners, holders };
}

export async function describeProcess(pid: number, procRoot = '/proc'): Promise<ProcessInfo> {
  const cmdline = await readFile(`${procRoot}/${pid}/cmdline`).catch(() => null);
  let command = cmdline ? cmdline.toString('utf8').split('\0').filter(Boolean).join(' ') : '';
  if (command === '') command = (await readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => '')).trim();
  const info: ProcessInfo = { pid, command };
  const environ = await readFile(`${procRoot}/${pid}/environ`).catch(() => null);
  const marker = environ && environValue(environ, MARKER_ENV);
  if (marker) {
    info.marker = marker;
    const owner = environ && environValue(environ, OWNER_ENV);
    info.ownerAlive = owner ? await ownerAlive(owner, procRoot) : null;
  }
  return info;
}

/** Whether the leakgate process an owner token names still runs (the same pid with the same start time). */
export async function ownerAlive(token: string, procRoot = '/proc'): Promise<boolean | null> {
  const owner = parseOwner(token);
  if (!owner) return null;
  const stat = await readProcStat(owner.pid, procRoot);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X' && stat.startTime === owner.startTime;
}

/** "pid 123 (node server.js), left by an earlier leakgate run that is no longer running" */
export function describeHolder(p: ProcessInfo): string {
  const command = p.command.length > 120 ? `${p.command.slice(0, 120)}…` : p.command;
  const what = `pid ${p.pid}${command ? ` (${command})` : ''}`;
  if (p.marker === undefined) return what;
  if (p.ownerAlive === false) return `${what}, left by an earlier leakgate run that is no longer running (${MARKER_ENV}=${p.marker})`;
  if (p.ownerAlive === true) return `${what}, the app of another leakgate run still going (${MARKER_ENV}=${p.marker})`;
  return `${what}, started by leakgate (${MARKER_ENV}=${p.marker})`;
}
