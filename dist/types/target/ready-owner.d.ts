import type { Target } from './start-target.js';
export interface ReadyAddress {
    host: string;
    port: number;
}
/** The local TCP endpoint a ready spec waits on, or null (log readiness, or a host that is not this machine). */
export declare function readyAddress(ready: {
    url?: string;
    port?: number;
    host?: string;
    log?: string;
}): ReadyAddress | null;
/**
 * Throws when something already answers on the app's ready port (a TCP connection succeeds): the message names
 * the port and, where /proc shows it, the process holding it and whether an earlier leakgate run left it.
 */
export declare function ensurePortFree(ready: Parameters<typeof readyAddress>[0], procRoot?: string): Promise<void>;
/**
 * Null when the port's listening socket is held by the app's tree (or /proc cannot tell who holds it: no
 * LISTEN row in this network namespace, or holders leakgate cannot read); else why the answer is not the app's.
 */
export declare function appHoldsPort(target: Pick<Target, 'pgid' | 'marker'>, port: number, procRoot?: string): Promise<string | null>;
