// Drives WebSocket sessions with the `ws` package: `sessions` loops in parallel, each opening a session, exchanging
// `perSession` messages (send one, await one reply, the configured list in turn), closing it and opening the next,
// until the duration or amount is reached. completed() counts sessions finished, so memory is analysed per session
// (bytes per message = bytes per session / perSession).
import WebSocket from 'ws';
import { errorMessage } from '../core/errors.js';
import type { LoadResult } from '../core/types.js';
import { LatencyHistogram } from './autocannon-driver.js';
import type { LoadRun } from './load-run.js';

export interface WebSocketLoadOptions {
  /** ws:// or wss:// */
  url: string;
  durationMs: number;
  /** Ends the load after this many sessions when that comes before durationMs. */
  amount?: number;
  /** Sessions open at once (each loop runs one session after the other). */
  sessions: number;
  /** Messages exchanged per session; the list is sent in order and repeated to reach this count. */
  perSession: number;
  messages: string[];
  /** Longest wait for the session to open, for a reply, and for the close handshake. */
  timeoutMs: number;
}

export interface WebSocketLoadResult extends LoadResult {
  unit: 'session';
  messages: number;
  /** Sessions open at once. */
  sessionsInParallel: number;
}

/** When the load cannot open a single session: the URL refuses, or the server answers the upgrade with an error. */
export class WebSocketRefusedError extends Error {}

/** Failures in a row, on every loop, with no session ever opened, before the load gives up with a clear error. */
const GIVE_UP_AFTER = 3;
/** Pause after a failed session, so a refusing server is not hammered in a tight loop. */
const RETRY_PAUSE_MS = 50;
/** Why a session ended when stop() cut it. */
const CUT = 'stopped';

export function startWebSocketLoad(opts: WebSocketLoadOptions, now: () => number = () => performance.now()): LoadRun & { done: Promise<WebSocketLoadResult> } {
  const counts = { sessions: 0, messages: 0, errors: 0, timeouts: 0, opened: 0 };
  const latencies = new LatencyHistogram();
  const live = new Set<WebSocket>();
  let stopped = false;
  let firstError: string | undefined;
  const started = now();
  const endAt = started + opts.durationMs;
  const ending = (): boolean => stopped || now() >= endAt || (opts.amount !== undefined && counts.sessions >= opts.amount);
  const endTimer = setTimeout(() => finishEarly(), opts.durationMs);
  const finishEarly = (): void => {
    stopped = true;
  };

  /** One session: open, exchange, close. Resolves true when it completed. */
  const session = (): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      const t0 = performance.now();
      const ws = new WebSocket(opts.url, { handshakeTimeout: opts.timeoutMs, perMessageDeflate: false });
      live.add(ws);
      let sent = 0;
      let closing = false;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const settle = (ok: boolean, error?: string, timeout = false): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        live.delete(ws);
        // A session cut by stop() is not a failure of the app.
        if (!ok && !(stopped && error === CUT)) {
          if (timeout) counts.timeouts += 1;
          else counts.errors += 1;
          firstError ??= error;
        }
        if (!ok) ws.terminate();
        resolve(ok);
      };
      const arm = (what: string): void => {
        clearTimeout(timer);
        timer = setTimeout(() => settle(false, `no ${what} within ${opts.timeoutMs} ms`, true), opts.timeoutMs);
      };
      const next = (): void => {
        if (sent === opts.perSession) {
          arm('close handshake');
          closing = true;
          ws.close(1000);
          return;
        }
        arm('reply');
        ws.send(opts.messages[sent % opts.messages.length]!);
        sent += 1;
      };
      ws.on('open', () => {
        counts.opened += 1;
        next();
      });
      ws.on('message', () => {
        if (settled || sent === 0 || closing) return;
        counts.messages += 1;
        next();
      });
      ws.on('close', () => {
        if (settled) return;
        if (closing) {
          latencies.record(performance.now() - t0);
          settle(true);
        } else settle(false, stopped ? CUT : `the server closed the session after ${sent - 1} of ${opts.perSession} replies`);
      });
      ws.on('unexpected-response', (_req, res) => settle(false, `the server answered the upgrade with HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
      ws.on('error', (e) => settle(false, errorMessage(e)));
    });

  let refused: WebSocketRefusedError | undefined;
  const loop = async (): Promise<void> => {
    let failuresInARow = 0;
    while (!ending()) {
      if (await session()) {
        counts.sessions += 1;
        failuresInARow = 0;
        continue;
      }
      failuresInARow += 1;
      if (counts.opened === 0 && failuresInARow >= GIVE_UP_AFTER) {
        refused ??= new WebSocketRefusedError(
          `could not open a WebSocket session to ${opts.url}: ${firstError ?? 'no answer'} (is the app listening there, and is load.url its WebSocket endpoint?)`,
        );
        finishEarly();
        return;
      }
      if (!ending()) await new Promise<void>((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
  };

  const done = (async (): Promise<WebSocketLoadResult> => {
    const loops = Array.from({ length: Math.max(1, opts.sessions) }, () => loop());
    // A stop() or the end of the duration lets sessions in progress finish (each bounded by the timeout).
    await Promise.all(loops);
    clearTimeout(endTimer);
    if (refused) throw refused;
    const durationMs = now() - started;
    return {
      tool: 'websocket',
      unit: 'session',
      requests: counts.sessions,
      ok: counts.sessions,
      non2xx: 0,
      errors: counts.errors,
      timeouts: counts.timeouts,
      durationMs: Math.round(durationMs),
      throughput: durationMs > 0 ? counts.sessions / (durationMs / 1000) : 0,
      latency: {
        p50: orZero(latencies.quantile(0.5)),
        p90: orZero(latencies.quantile(0.9)),
        p99: orZero(latencies.quantile(0.99)),
        max: orZero(latencies.quantile(1)),
        mean: 0,
      },
      connectionsOpened: counts.opened,
      messages: counts.messages,
      sessionsInParallel: Math.max(1, opts.sessions),
    };
  })();

  return {
    completed: () => counts.sessions,
    done,
    stop: () => {
      finishEarly();
      // Sessions in progress are cut rather than awaited: the app died or the run is over.
      for (const ws of live) ws.terminate();
    },
  };
}

function orZero(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
