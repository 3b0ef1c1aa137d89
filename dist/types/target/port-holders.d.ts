import { type TcpSocket } from './proc-net-tcp.js';
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
export declare function readListeners(port: number, procRoot?: string): Promise<TcpSocket[]>;
/** The pids among `pids` (default every process) holding one of `inodes` open. */
export declare function pidsHolding(inodes: ReadonlySet<number>, pids?: readonly number[], procRoot?: string): Promise<number[]>;
/** Who listens on `port`: the sockets and the processes holding them. */
export declare function findPortHolders(port: number, procRoot?: string): Promise<PortHolders>;
export declare function describeProcess(pid: number, procRoot?: string): Promise<ProcessInfo>;
/** Whether the leakgate process an owner token names still runs (the same pid with the same start time). */
export declare function ownerAlive(token: string, procRoot?: string): Promise<boolean | null>;
/** "pid 123 (node server.js), left by an earlier leakgate run that is no longer running" */
export declare function describeHolder(p: ProcessInfo): string;
