// Waits until the started app is ready for load: an HTTP URL answers (any status below 500), a
// TCP port accepts connections, or a line of its output matches a pattern. Fails with a message
// that says what was awaited, for how long, how the app ended if it did, and what it printed last.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, MeasureError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { describeExit, type Target, type TargetExit } from './start-target.js';
import { appHoldsPort, readyAddress } from './ready-owner.js';
import { tcpConnect } from './tcp-connect.js';
import { findMarkedProcesses } from './marked-processes.js';

export interface ReadySpec {
  url?: string;
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Regular expression source, matched against each line of output. */
  log?: string;
  timeoutMs: number;
}

export interface WaitReadyOptions {
  logger?: Logger;
  signal?: AbortSignal;
  /** Pause between probe attempts. Default 100 ms. */
  pollMs?: number;
  /** Longest single attempt (HTTP request or TCP connect). Default 1000 ms. */
  attemptTimeoutMs?: number;
  /**
   * Count a local port or URL as ready only when the app's tree holds its listening socket, so a leftover or a
   * neighbour answering on it never passes. Default true.
   */
  checkOwner?: boolean;
  /** For tests. Default '/proc'. */
  procRoot?: string;
}

/** Lines of output quoted in failure messages. */
const TAIL_IN_MESSAGE = 20;
/** After the app exits, how long to let its last output drain before quoting it. */
const DRAIN_MS = 300;

interface Probe {
  /** "HTTP GET http://... to answer with a status below 500" */
  what: string;
  /** Resolves once ready; stops quietly when `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** The outcome of the latest failed attempt, if any, for the timeout message. */
  last(): string | undefined;
}

export async function waitReady(target: Target, ready: ReadySpec, opts: WaitReadyOptions = {}): Promise<void> {
  const logger = opts.logger ?? silentLogger;
  const address = opts.checkOwner === false ? null : readyAddress(ready);
  const owned = address ? () => appHoldsPort(target, address.port, opts.procRoot) : async () => null;
  const probe = makeProbe(target, ready, opts.pollMs ?? 100, Math.min(opts.attemptTimeoutMs ?? 1000, Math.max(ready.timeoutMs, 1)), owned);
  const timeout = formatMs(ready.timeoutMs);
  const stop = new AbortController();
  const started = Date.now();
  logger.debug(`waiting up to ${timeout} for ${probe.what}`);

  const cleanups: Array<() => void> = [() => stop.abort()];
  try {
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
      };

      let exitedFirst = false;
      const timer = setTimeout(() => {
        if (exitedFirst) return; // the exit handler reports it once the output has drained
        settle(() =>
          reject(
            new MeasureError(
              `The app (${target.command}) did not become ready within ${timeout}: waited for ${probe.what}` +
                `${probe.last() ? ` (last attempt: ${probe.last()})` : ''}. It is still running (pid ${target.pid}).` +
                tailText(target),
            ),
          ),
        );
      }, ready.timeoutMs);
      cleanups.push(() => clearTimeout(timer));

      void target.exited.then(async (exit: TargetExit) => {
        if (settled) return;
        exitedFirst = true;
        // 'exit' can come before the last output is read from the pipes.
        await Promise.race([target.outputEnded, delay(DRAIN_MS, undefined, { signal: stop.signal }).catch(() => undefined)]);
        // A launcher that daemonises (double fork, setsid) exits while what it started runs on: say so.
        const stayed = await findMarkedProcesses(target.marker, opts.procRoot).catch(() => [] as number[]);
        const daemon = stayed.length > 0
          ? ` ${stayed.length} process(es) it started still run (${stayed.slice(0, 5).join(', ')}): it daemonised, and leakgate measures the process it starts and its tree, so run the app in the foreground (no --daemon; nginx: daemon off). leakgate ends them.`
          : '';
        settle(() =>
          reject(
            new MeasureError(
              `The app (${target.command}) exited before it became ready: ${describeExit(exit)}. ` +
                `It exited ${formatMs(Date.now() - started)} into waiting up to ${timeout} for ${probe.what}.${daemon}` +
                tailText(target),
            ),
          ),
        );
      });

      if (opts.signal) {
        const signal = opts.signal;
        const onAbort = () =>
          settle(() =>
            reject(signal.reason instanceof Error ? signal.reason : new MeasureError('waiting for the app to become ready was cancelled')),
          );
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }

      probe.run(stop.signal).then(
        () => {
          if (exitedFirst) return;
          settle(resolve);
        },
        (err: unknown) => settle(() => reject(err)),
      );
    });
    logger.debug(`ready after ${formatMs(Date.now() - started)}: ${probe.what}`);
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}

/** Null when the answer is the app's; else why not. */
type OwnerCheck = () => Promise<string | null>;

function makeProbe(target: Target, ready: ReadySpec, pollMs: number, attemptMs: number, owned: OwnerCheck): Probe {
  if (ready.log !== undefined) return logProbe(target, ready.log);
  if (ready.url !== undefined) return urlProbe(ready.url, pollMs, attemptMs, owned);
  if (ready.port !== undefined) return portProbe(ready.host ?? '127.0.0.1', ready.port, pollMs, attemptMs, owned);
  throw new ConfigError('ready: give one of url, port or log');
}

function logProbe(target: Target, source: string): Probe {
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (err) {
    throw new ConfigError(`ready.log is not a valid regular expression: ${JSON.stringify(source)} (${errorMessage(err)})`);
  }
  return {
    what: `a line of output matching /${source}/`,
    last: () => undefined,
    run: (signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) return;
        // Subscribe and scan what was already printed in the same tick, so no line slips between.
        const off = target.onLine((line) => {
          if (re.test(line)) done();
        });
        const done = () => {
          off();
          signal.removeEventListener('abort', off);
          resolve();
        };
        signal.addEventListener('abort', off, { once: true });
        if (target.tail().some((line) => re.test(line))) done();
      }),
  };
}

/** Repeats `attempt` every pollMs until it returns true or `signal` aborts. */
async function poll(signal: AbortSignal, pollMs: number, attempt: () => Promise<boolean>): Promise<void> {
  while (!signal.aborted) {
    if (await attempt()) return;
    try {
      await delay(pollMs, undefined, { signal });
    } catch {
      return; // aborted: the caller has settled already
    }
  }
}

function urlProbe(raw: string, pollMs: number, attemptMs: number, owned: OwnerCheck): Probe {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`ready.url is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`ready.url must be http:// or https://, got ${JSON.stringify(raw)}`);
  }
  let last: string | undefined;
  return {
    what: `HTTP GET ${url.href} to answer with a status below 500`,
    last: () => last,
    run: (signal) =>
      poll(signal, pollMs, async () => {
        const result = await httpStatus(url, attemptMs, signal);
        if (typeof result === 'number' && result < 500) {
          const notOurs = await owned();
          if (notOurs === null) return true;
          last = notOurs;
          return false;
        }
        last = typeof result === 'number' ? `HTTP ${result}` : result;
        return false;
      }),
  };
}

/** The status code of one GET, or why there was none. */
function httpStatus(url: URL, timeoutMs: number, signal: AbortSignal): Promise<number | string> {
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    // agent: false so no keep-alive socket outlives the probe; a readiness probe does not judge
    // the certificate of a local test server.
    const req = client.get(url, { agent: false, rejectUnauthorized: false, signal }, (res) => {
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${formatMs(timeoutMs)}`)), timeoutMs);
    req.once('error', (err: NodeJS.ErrnoException) => resolve(err.code && err.code !== 'ABORT_ERR' ? err.code : err.message));
    req.once('close', () => clearTimeout(timer));
  });
}

function portProbe(host: string, port: number, pollMs: number, attemptMs: number, owned: OwnerCheck): Probe {
  let last: string | undefined;
  return {
    what: `a TCP connection to ${host.includes(':') ? `[${host}]` : host}:${port}`,
    last: () => last,
    run: (signal) =>
      poll(signal, pollMs, async () => {
        const error = (await tcpConnect(host, port, attemptMs)) ?? (await owned());
        if (error === null) return true;
        last = error;
        return false;
      }),
  };
}

function tailText(target: Target): string {
  const lines = target.tail().slice(-TAIL_IN_MESSAGE);
  if (lines.length === 0) return '\nIt printed nothing, so there are no last lines to show.';
  // "last lines" is what the gate looks for before adding the tail itself.
  return `\nIts last lines of output (${lines.length}):\n${lines.map((l) => `  | ${l}`).join('\n')}`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
