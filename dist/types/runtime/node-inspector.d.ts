import { type Logger } from '../core/logger.js';
/** Appended to NODE_OPTIONS: an inspector on 127.0.0.1 and a port the kernel picks (no clashes). */
export declare const INSPECT_OPTION = "--inspect=127.0.0.1:0";
/**
 * The NODE_OPTIONS for the app: the user's options (process.env.NODE_OPTIONS, or app.env's)
 * plus --inspect=127.0.0.1:0. When the user's options already open an inspector, they are kept
 * as they are (node prints that inspector's URL just the same) and a warning says so. Flags that
 * pause the app until a debugger attaches (--inspect-brk, --inspect-wait), and
 * --inspect-publish-uid without 'stderr' (no URL line to read), are refused with a ConfigError.
 */
export declare function inspectorEnv(existingNodeOptions?: string, logger?: Logger): Record<string, string>;
/** The ws:// URL of a "Debugger listening on ws://127.0.0.1:PORT/UUID" line; null for any other line. */
export declare function parseInspectorUrl(line: string): string | null;
/** True for the line node prints when it stays alive at exit because a debugger is still attached. */
export declare function isWaitingForDebuggerLine(line: string): boolean;
/**
 * True when the inspector target's script (the file:// URL /json/list reports) is a package
 * manager or launcher that starts the app as a child process (npm, npx, yarn, pnpm, corepack,
 * nodemon, tsx): its heap is not the app's.
 */
export declare function isWrapperScript(scriptUrl: string): boolean;
/** One node process's inspector, as its /json/list endpoint describes it. */
export interface InspectorTarget {
    wsUrl: string;
    /** process.title and pid for `node -e`, the script's path for `node script.js`. */
    title: string;
    /** file:// URL of the main script; 'file://' for `node -e`. */
    scriptUrl: string;
}
/** GETs http://HOST:PORT/json/list of a ws:// inspector URL and returns the entry for that URL. */
export declare function describeInspector(wsUrl: string, timeoutMs?: number): Promise<InspectorTarget>;
export interface FindInspectorOptions {
    /** Subscribes to the app's output lines (Target.onLine); returns an unsubscribe function. */
    onLine: (cb: (line: string) => void) => () => void;
    /** Lines already printed before subscribing (Target.tail()). */
    lines?: readonly string[];
    /** Give up after this long. Default 10 s. */
    timeoutMs?: number;
    /** Rejects early when this settles: the app exited. */
    exited?: Promise<unknown>;
    /** Which targets to pass over. Default: package managers and launchers (isWrapperScript). */
    isWrapper?: (t: InspectorTarget) => boolean;
    /**
     * Keep listening after the first target: every non-wrapper target, the first included, in the order printed,
     * until `signal` aborts (or the app exits). Without it, listening stops at the first.
     */
    each?: (t: InspectorTarget) => void;
    signal?: AbortSignal;
    logger?: Logger;
}
/**
 * Waits for the app's inspector: the first "Debugger listening" URL, in the order printed, whose
 * process is not a wrapper. NODE_OPTIONS is inherited, so with `npm run start` npm prints its own
 * URL first and the app's next; with node's cluster module the primary prints first and is
 * chosen first; `each` hears the workers too. Rejects with a MeasureError when no URL comes in time.
 */
export declare function findAppInspector(opts: FindInspectorOptions): Promise<InspectorTarget>;
/** A Chrome DevTools Protocol session with one node process. */
export interface InspectorSession {
    readonly url: string;
    /**
     * Calls a protocol method. Rejects when the protocol answers with an error (the message names
     * the method), when no answer comes within the call's timeout, or when the connection closes.
     */
    send<T = unknown>(method: string, params?: object, opts?: {
        timeoutMs?: number;
    }): Promise<T>;
    /** Calls `listener` with the params of each `event` notification; returns an unsubscribe function. */
    on(event: string, listener: (params: unknown) => void): () => void;
    /** Resolves when the connection has closed, whoever closed it. */
    readonly closed: Promise<void>;
    /** True once the connection is closing or closed: send() would fail. */
    isClosed(): boolean;
    /** Closes the connection (bounded: terminates the socket if the app does not answer the close). */
    close(): Promise<void>;
}
export interface ConnectOptions {
    /** For the WebSocket handshake. Default 5 s. */
    timeoutMs?: number;
    /** Default per-call timeout of send(). Default 30 s. */
    callTimeoutMs?: number;
    /**
     * The app's output lines: when node says "Waiting for the debugger to disconnect..." (the app
     * is done but the attached session would keep it alive), the session closes itself.
     */
    onLine?: (cb: (line: string) => void) => () => void;
    /**
     * Close the session when this very process waits for the debugger to disconnect (node's
     * NodeRuntime.waitingForDisconnect event): unlike onLine's line, which any process of the tree may print, it
     * names the process, so one session per process of a cluster closes only with its own process.
     */
    closeWhenWaiting?: boolean;
    logger?: Logger;
}
/** Opens a protocol session on the inspector at `wsUrl`. */
export declare function connectInspector(wsUrl: string, opts?: ConnectOptions): Promise<InspectorSession>;
/** The process id behind a session: process.pid in the app's context, else the "node[PID]" of its title, else 0. */
export declare function inspectedPid(session: InspectorSession, title?: string): Promise<number>;
