// The Node inspector of the app under test: NODE_OPTIONS that open it on a free loopback port,
// the "Debugger listening on ws://..." line that names it, picking the app's own process out of
// wrappers (npm, npx, yarn, ...), and a minimal Chrome DevTools Protocol session over WebSocket.
import http from 'node:http';
import WebSocket from 'ws';
import { ConfigError, MeasureError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';

/** Appended to NODE_OPTIONS: an inspector on 127.0.0.1 and a port the kernel picks (no clashes). */
export const INSPECT_OPTION = '--inspect=127.0.0.1:0';

/** Flags that stop the app until a debugger attaches: leakgate would never see it become ready. */
const BLOCKING_FLAG = /^--(inspect-brk|inspect-wait|debug-brk)(=|$)/;
/** Flags that already open an inspector: node prints its URL, so leakgate can use it as it is. */
const INSPECT_FLAG = /^--(inspect|inspect-port|debug-port)(=|$)/;

/** Splits NODE_OPTIONS as node does: on whitespace, with "double quotes" grouping. */
function nodeOptionTokens(options: string): string[] {
  const tokens: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(options); m; m = re.exec(options)) tokens.push(m[1] ?? m[2] ?? '');
  return tokens;
}

function shorten(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * The NODE_OPTIONS for the app: the user's options (process.env.NODE_OPTIONS, or app.env's)
 * plus --inspect=127.0.0.1:0. When the user's options already open an inspector, they are kept
 * as they are (node prints that inspector's URL just the same) and a warning says so. Flags that
 * pause the app until a debugger attaches (--inspect-brk, --inspect-wait), and
 * --inspect-publish-uid without 'stderr' (no URL line to read), are refused with a ConfigError.
 */
export function inspectorEnv(existingNodeOptions?: string, logger: Logger = silentLogger): Record<string, string> {
  const existing = (existingNodeOptions ?? '').trim();
  const tokens = nodeOptionTokens(existing);
  const blocking = tokens.find((t) => BLOCKING_FLAG.test(t));
  if (blocking !== undefined) {
    throw new ConfigError(
      `NODE_OPTIONS has '${shorten(blocking)}', which stops the app until a debugger attaches; runtime: node opens its own inspector: remove the flag, or set runtime: none (NODE_OPTIONS='${shorten(existing)}')`,
    );
  }
  const publish = tokens.find((t) => t.startsWith('--inspect-publish-uid='));
  if (publish !== undefined && !publish.slice('--inspect-publish-uid='.length).split(',').includes('stderr')) {
    throw new ConfigError(
      `NODE_OPTIONS has '${shorten(publish)}': node will not print the inspector's URL, which runtime: node reads from stderr; add 'stderr' (--inspect-publish-uid=stderr,http) or set runtime: none`,
    );
  }
  const inspect = tokens.find((t) => INSPECT_FLAG.test(t));
  if (inspect !== undefined) {
    logger.warn(`NODE_OPTIONS already has '${shorten(inspect)}': leakgate uses that inspector instead of opening one on a free port`);
    return { NODE_OPTIONS: existing };
  }
  return { NODE_OPTIONS: existing === '' ? INSPECT_OPTION : `${existing} ${INSPECT_OPTION}` };
}

/** The ws:// URL of a "Debugger listening on ws://127.0.0.1:PORT/UUID" line; null for any other line. */
export function parseInspectorUrl(line: string): string | null {
  const m = /^Debugger listening on (ws:\/\/[^\s/]+\/[\w-]+)\s*$/.exec(line.trim());
  return m ? m[1]! : null;
}

/** True for the line node prints when it stays alive at exit because a debugger is still attached. */
export function isWaitingForDebuggerLine(line: string): boolean {
  return line.trim() === 'Waiting for the debugger to disconnect...';
}

/** Scripts of package managers and launchers that run the app in a child node process. */
const WRAPPER_SCRIPT = /(?:^|\/)(?:npm-cli|npx-cli|yarn|yarnpkg|pnpm|pnpx|corepack|nodemon)\.[cm]?js$|\/yarn\/lib\/cli\.js$|\/tsx\/dist\/cli\.[cm]?js$/;

/**
 * True when the inspector target's script (the file:// URL /json/list reports) is a package
 * manager or launcher that starts the app as a child process (npm, npx, yarn, pnpm, corepack,
 * nodemon, tsx): its heap is not the app's.
 */
export function isWrapperScript(scriptUrl: string): boolean {
  let path = scriptUrl;
  try {
    if (scriptUrl.startsWith('file:')) path = decodeURIComponent(new URL(scriptUrl).pathname);
  } catch {
    // not a URL: match the text as it is
  }
  return WRAPPER_SCRIPT.test(path);
}

/** One node process's inspector, as its /json/list endpoint describes it. */
export interface InspectorTarget {
  wsUrl: string;
  /** process.title and pid for `node -e`, the script's path for `node script.js`. */
  title: string;
  /** file:// URL of the main script; 'file://' for `node -e`. */
  scriptUrl: string;
}

/** GETs http://HOST:PORT/json/list of a ws:// inspector URL and returns the entry for that URL. */
export function describeInspector(wsUrl: string, timeoutMs = 2000): Promise<InspectorTarget> {
  const url = new URL(wsUrl);
  return new Promise((resolve, reject) => {
    const req = http.get({ host: url.hostname, port: url.port, path: '/json/list', timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
        if (body.length > 1_000_000) req.destroy(new Error('answer over 1 MB'));
      });
      res.on('end', () => {
        try {
          const list = JSON.parse(body) as Array<{ title?: unknown; url?: unknown; webSocketDebuggerUrl?: unknown }>;
          if (!Array.isArray(list) || list.length === 0) throw new Error(`expected a non-empty JSON array, got ${shorten(body, 100)}`);
          const entry = list.find((e) => e.webSocketDebuggerUrl === wsUrl) ?? list[0]!;
          resolve({ wsUrl, title: String(entry.title ?? ''), scriptUrl: String(entry.url ?? '') });
        } catch (err) {
          reject(new Error(`inspector ${url.host}/json/list: ${errorMessage(err)}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new Error(`inspector ${url.host}/json/list: ${errorMessage(err)}`)));
  });
}

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
export function findAppInspector(opts: FindInspectorOptions): Promise<InspectorTarget> {
  const logger = opts.logger ?? silentLogger;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const isWrapper = opts.isWrapper ?? ((t: InspectorTarget) => isWrapperScript(t.scriptUrl));
  return new Promise((resolve, reject) => {
    const queue: string[] = [];
    const skipped: string[] = [];
    let busy = false;
    let settled = false;
    // Listening: until the first target without `each`, until `signal` aborts or the app exits with it.
    let listening = true;
    const stopListening = (): void => {
      if (!listening) return;
      listening = false;
      unsubscribe();
    };
    const finish = (err: Error | null, target?: InspectorTarget): void => {
      if (!opts.each || err) stopListening();
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(target!);
    };
    const seenSoFar = (): string =>
      skipped.length > 0 ? `; passed over ${skipped.join(', ')} (package managers or launchers, not the app)` : '';
    const timer = setTimeout(() => {
      finish(
        new MeasureError(
          `the app printed no usable 'Debugger listening on ws://...' line within ${timeoutMs} ms${seenSoFar()}: is it a node app (runtime: node), and does it keep NODE_OPTIONS? Set runtime: none to measure it without the inspector`,
        ),
      );
    }, timeoutMs);
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      while (listening && queue.length > 0) {
        const url = queue.shift()!;
        try {
          const target = await describeInspector(url);
          if (!listening) break;
          if (isWrapper(target)) {
            logger.debug(`inspector ${url} belongs to ${target.title} (a wrapper): waiting for the app's own`);
            skipped.push(target.title || url);
            continue;
          }
          logger.debug(`connecting to the inspector of ${target.title} at ${url}`);
          opts.each?.(target);
          finish(null, target);
        } catch (err) {
          // The process went away between printing the URL and our question (a short-lived helper).
          logger.debug(`skipping inspector ${url}: ${errorMessage(err)}`);
          skipped.push(`${url} (gone)`);
        }
      }
      busy = false;
    };
    const take = (line: string): void => {
      const url = parseInspectorUrl(line);
      if (url === null || !listening) return;
      queue.push(url);
      void pump();
    };
    const unsubscribe = opts.onLine(take);
    for (const line of opts.lines ?? []) take(line);
    opts.signal?.addEventListener('abort', stopListening, { once: true });
    opts.exited?.then(
      () => finish(new MeasureError(`the app exited before its inspector could be found${seenSoFar()}`)),
      () => finish(new MeasureError(`the app exited before its inspector could be found${seenSoFar()}`)),
    );
  });
}

/** A Chrome DevTools Protocol session with one node process. */
export interface InspectorSession {
  readonly url: string;
  /**
   * Calls a protocol method. Rejects when the protocol answers with an error (the message names
   * the method), when no answer comes within the call's timeout, or when the connection closes.
   */
  send<T = unknown>(method: string, params?: object, opts?: { timeoutMs?: number }): Promise<T>;
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

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Opens a protocol session on the inspector at `wsUrl`. */
export function connectInspector(wsUrl: string, opts: ConnectOptions = {}): Promise<InspectorSession> {
  const logger = opts.logger ?? silentLogger;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const callTimeoutMs = opts.callTimeoutMs ?? 30_000;
  return new Promise((resolveConnect, rejectConnect) => {
    // Snapshot chunks are small, but leave room for big protocol answers.
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 512 * 1024 * 1024 });
    const pending = new Map<number, Pending>();
    const listeners = new Map<string, Set<(params: unknown) => void>>();
    let nextId = 1;
    let open = false;
    let isClosed = false;
    let stopWatching: (() => void) | undefined;
    let markClosed!: () => void;
    const closed = new Promise<void>((r) => (markClosed = r));

    const failAll = (why: string): void => {
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
        p.reject(new Error(`inspector ${p.method}: ${why}`));
      }
    };

    ws.on('message', (data: WebSocket.RawData) => {
      let msg: { id?: number; result?: unknown; error?: { code?: number; message?: string; data?: string }; method?: string; params?: unknown };
      try {
        msg = JSON.parse(data.toString()) as typeof msg;
      } catch (err) {
        logger.debug(`inspector sent a message that is not JSON (${errorMessage(err)}): ${shorten(data.toString(), 100)}`);
        return;
      }
      if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (!p) return; // answered after its timeout
        pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.error) {
          const detail = msg.error.data ? ` (${msg.error.data})` : '';
          p.reject(new Error(`inspector ${p.method} failed: ${msg.error.message ?? 'unknown error'}${detail} (code ${msg.error.code ?? '?'})`));
        } else {
          p.resolve(msg.result ?? {});
        }
        return;
      }
      if (typeof msg.method === 'string') {
        for (const l of [...(listeners.get(msg.method) ?? [])]) {
          try {
            l(msg.params);
          } catch (err) {
            logger.warn(`inspector ${msg.method} listener failed: ${errorMessage(err)}`);
          }
        }
      }
    });
    ws.on('error', (err) => {
      if (!open) {
        rejectConnect(new MeasureError(`could not connect to the app's inspector at ${wsUrl}: ${errorMessage(err)}`));
      } else {
        logger.debug(`inspector ${wsUrl}: ${errorMessage(err)}`);
      }
    });
    ws.on('close', () => {
      isClosed = true;
      stopWatching?.();
      failAll('the connection to the app closed (did the app exit?)');
      markClosed();
      if (!open) rejectConnect(new MeasureError(`could not connect to the app's inspector at ${wsUrl}: the connection closed`));
    });

    const close = async (): Promise<void> => {
      if (isClosed) return;
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(1000);
      const timer = setTimeout(() => ws.terminate(), 1000);
      await closed;
      clearTimeout(timer);
    };

    ws.on('open', () => {
      open = true;
      if (opts.onLine) {
        stopWatching = opts.onLine((line) => {
          if (!isWaitingForDebuggerLine(line)) return;
          logger.debug('the app is waiting for the debugger to disconnect: closing the inspector session');
          void close();
        });
      }
      const session: InspectorSession = {
        url: wsUrl,
        send<T>(method: string, params: object = {}, callOpts: { timeoutMs?: number } = {}): Promise<T> {
          if (isClosed || ws.readyState !== WebSocket.OPEN) {
            return Promise.reject(new Error(`inspector ${method}: the connection to the app is closed`));
          }
          const id = nextId++;
          const limit = callOpts.timeoutMs ?? callTimeoutMs;
          return new Promise<T>((resolve, reject) => {
            const timer = setTimeout(() => {
              pending.delete(id);
              reject(new Error(`inspector ${method}: no answer within ${limit} ms`));
            }, limit);
            pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
            ws.send(JSON.stringify({ id, method, params }), (err) => {
              if (!err) return;
              const p = pending.get(id);
              if (!p) return;
              pending.delete(id);
              clearTimeout(p.timer);
              reject(new Error(`inspector ${method}: could not send: ${errorMessage(err)}`));
            });
          });
        },
        on(event: string, listener: (params: unknown) => void): () => void {
          let set = listeners.get(event);
          if (!set) listeners.set(event, (set = new Set()));
          set.add(listener);
          return () => {
            set.delete(listener);
          };
        },
        closed,
        isClosed: () => isClosed || ws.readyState === WebSocket.CLOSING || ws.readyState === WebSocket.CLOSED,
        close,
      };
      if (opts.closeWhenWaiting) {
        session.on('NodeRuntime.waitingForDisconnect', () => {
          logger.debug(`the process of ${wsUrl} is waiting for the debugger to disconnect: closing its inspector session`);
          void close();
        });
        session.send('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true }).catch((err: unknown) => logger.debug(`inspector ${wsUrl}: ${errorMessage(err)}`));
      }
      resolveConnect(session);
    });
  });
}

/** The process id behind a session: process.pid in the app's context, else the "node[PID]" of its title, else 0. */
export async function inspectedPid(session: InspectorSession, title = ''): Promise<number> {
  try {
    const r = await session.send<{ result?: { value?: unknown } }>('Runtime.evaluate', { expression: 'process.pid', returnByValue: true, silent: true }, { timeoutMs: 5000 });
    if (typeof r.result?.value === 'number') return r.result.value;
  } catch {
    // the title, then
  }
  const m = /\[(\d+)\]$/.exec(title);
  return m ? Number(m[1]) : 0;
}
