// Requests the client aborts on purpose (load.abort), sent with node:http beside autocannon's load, which cannot
// abort: a share of all requests is destroyed `afterMs` after its response started (mid-response) or after it was
// sent (a short client timeout). Aborted requests are counted apart from errors; a response that ends before its
// abort time is an ordinary response.
import http from 'node:http';
import https from 'node:https';
import type { MixRequest } from './request-mix.js';

export interface AbortLoadOptions {
  /** The URL requested (load.url, or its origin and the path of the first of load.requests). */
  url: string;
  request?: Pick<MixRequest, 'method' | 'headers' | 'body'>;
  /** Share of all requests finished (answered or aborted) that are aborted, 0 < share < 1. */
  share: number;
  afterMs: number;
  from: 'response' | 'request';
  /** Requests in flight at most. */
  concurrency: number;
  /** An abort request that is neither answered nor aborted within this is dropped as a timeout. */
  timeoutMs: number;
}

export interface AbortRun {
  /** Requests aborted so far. */
  aborted(): number;
  /** Ends the loop; resolves with the counts once the requests in flight are settled. */
  stop(): Promise<AbortCounts>;
}

export interface AbortCounts {
  aborted: number;
  errors: number;
  timeouts: number;
  connectionsOpened: number;
}

/** How long a worker waits before it checks again when the aborted share is already reached. */
const PACE_MS = 5;

/**
 * Starts aborting requests now. `finished()` is the number of requests the rest of the load has finished; the loop
 * keeps aborted / (finished + aborted) at `share`. Answered responses go to `onResponse`, as the main load's do.
 */
export function startAbortLoad(opts: AbortLoadOptions, finished: () => number, onResponse: (status: number, ms: number) => void): AbortRun {
  const counts: AbortCounts = { aborted: 0, errors: 0, timeouts: 0, connectionsOpened: 0 };
  const target = new URL(opts.url);
  const client = target.protocol === 'https:' ? https : http;
  // A fresh connection per request: an aborted one is destroyed anyway, and none is left in a pool at the end.
  const agent = new client.Agent({ keepAlive: false });
  let inFlight = 0;
  let stopped = false;

  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (what: 'aborted' | 'answered' | 'error' | 'timeout', status = 0): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(guard);
        if (what === 'aborted') counts.aborted += 1;
        else if (what === 'answered') onResponse(status, performance.now() - t0);
        else if (what === 'timeout') counts.timeouts += 1;
        else counts.errors += 1;
        if (what !== 'answered') req.destroy();
        resolve();
      };
      const abortIn = (): void => {
        timer = setTimeout(() => settle('aborted'), opts.afterMs);
      };
      const guard = setTimeout(() => settle('timeout'), opts.timeoutMs);
      const req = client.request(target, {
        method: opts.request?.method ?? 'GET',
        headers: opts.request?.headers ?? {},
        agent,
      });
      req.on('socket', (socket) => socket.once('connect', () => (counts.connectionsOpened += 1)));
      req.on('response', (res) => {
        if (opts.from === 'response') abortIn();
        res.on('data', () => {});
        res.on('end', () => settle('answered', res.statusCode ?? 0));
        res.on('error', () => settle('error'));
      });
      req.on('error', () => settle('error'));
      if (opts.from === 'request') req.on('finish', abortIn);
      req.end(opts.request?.body);
    });

  const worker = async (): Promise<void> => {
    while (!stopped) {
      if (counts.aborted + inFlight >= opts.share * (finished() + counts.aborted + inFlight)) {
        await new Promise((r) => setTimeout(r, PACE_MS));
        continue;
      }
      inFlight += 1;
      await one();
      inFlight -= 1;
    }
  };
  const workers = Array.from({ length: Math.max(1, opts.concurrency) }, () => worker());

  return {
    aborted: () => counts.aborted,
    stop: async () => {
      stopped = true;
      await Promise.all(workers);
      agent.destroy();
      return { ...counts };
    },
  };
}
