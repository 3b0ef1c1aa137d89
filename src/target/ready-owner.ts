// Readiness belongs to the app: the ready port must be free before the app starts (else a leftover or a
// neighbour would answer for it and be measured under load), and a port or URL answering counts only when
// the listening socket is held by a process of the app's tree (its process group, or a process carrying
// the run's marker).
import { MeasureError } from '../core/errors.js';
import { findGroupMembers, findMarkedProcesses } from './marked-processes.js';
import { describeHolder, findPortHolders, pidsHolding, readListeners } from './port-holders.js';
import type { Target } from './start-target.js';
import { tcpConnect } from './tcp-connect.js';

export interface ReadyAddress {
  host: string;
  port: number;
}

/** The local TCP endpoint a ready spec waits on, or null (log readiness, or a host that is not this machine). */
export function readyAddress(ready: { url?: string; port?: number; host?: string; log?: string }): ReadyAddress | null {
  if (ready.log !== undefined) return null;
  if (ready.port !== undefined) {
    const host = ready.host ?? '127.0.0.1';
    return isLocal(host) ? { host, port: ready.port } : null;
  }
  if (ready.url === undefined) return null;
  let url: URL;
  try {
    url = new URL(ready.url);
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!isLocal(host)) return null;
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host, port };
}

function isLocal(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '0.0.0.0' || host === '::' || /^127\./.test(host);
}

/**
 * Throws when something already answers on the app's ready port (a TCP connection succeeds): the message names
 * the port and, where /proc shows it, the process holding it and whether an earlier leakgate run left it.
 */
export async function ensurePortFree(ready: Parameters<typeof readyAddress>[0], procRoot = '/proc'): Promise<void> {
  const address = readyAddress(ready);
  if (address === null || (await tcpConnect(address.host, address.port, 1000)) !== null) return;
  const { listeners, holders } = await findPortHolders(address.port, procRoot);
  const who =
    holders.length > 0
      ? `held by ${holders.map(describeHolder).join('; ')}`
      : listeners.length > 0
        ? 'held by a process whose file descriptors /proc does not let leakgate read (another user\'s)'
        : 'held outside this network namespace (a container\'s published port, a proxy)';
  throw new MeasureError(
    `port ${address.port} (${address.host}) already answers before the app was started: ${who}. ` +
      `leakgate would measure that process instead of the app: stop it, or give the app another port (app.ready)`,
  );
}

/**
 * Null when the port's listening socket is held by the app's tree (or /proc cannot tell who holds it: no
 * LISTEN row in this network namespace, or holders leakgate cannot read); else why the answer is not the app's.
 */
export async function appHoldsPort(target: Pick<Target, 'pgid' | 'marker'>, port: number, procRoot = '/proc'): Promise<string | null> {
  const listeners = await readListeners(port, procRoot);
  if (listeners.length === 0) return null;
  const inodes = new Set(listeners.map((l) => l.inode));
  const [group, marked] = await Promise.all([findGroupMembers(target.pgid, procRoot), findMarkedProcesses(target.marker, procRoot)]);
  const tree = [...new Set([target.pgid, ...group, ...marked])];
  if ((await pidsHolding(inodes, tree, procRoot)).length > 0) return null;
  const { holders } = await findPortHolders(port, procRoot);
  if (holders.length === 0) return null;
  return `port ${port} answers, but it is held by ${holders.map(describeHolder).join('; ')}, not by the app`;
}
