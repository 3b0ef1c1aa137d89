// Drives load with any command (wrk, Locust, JMeter, a custom client) given as an argument array: runs it in
// its own process group for the load's duration, follows a request counter while it runs (an app endpoint, a
// file, or the command's progress lines) and, for wrk, reads the figures of its end-of-run summary.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { ConfigError, MeasureError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { OutputTail } from '../target/output-tail.js';
import type { LoadResult } from '../core/types.js';
import { counterRegex, lastRegexCount, parseCounterValue, parseWrkSummary } from './command-output.js';
import type { LoadRun } from './load-run.js';
import { findExecutable } from '../process/find-executable.js';
import { notOnPathMessage } from '../process/install-hint.js';

/** Where the request count comes from while the command runs (same shape as the config's load.counter). */
export type CommandCounter = { url: string; field?: string } | { regex: string } | { file: string; field?: string };

export interface CommandLoadOptions {
  /** The command as an argument array: run without a shell. */
  run: string[];
  /** Working directory, resolved against deps.cwd. */
  cwd?: string;
  /** Set over the inherited environment. */
  env?: Record<string, string>;
  /** The load's length: the command is sent SIGINT after this plus graceMs if it has not ended by itself. */
  durationMs: number;
  /** Extra time given before SIGINT, and again between SIGINT and SIGKILL. Default 5000 ms. */
  graceMs?: number;
  counter?: CommandCounter;
  /**
   * 'load-start': completed() counts from the counter's value when the load starts (right for an app endpoint,
   * whose count includes requests made before the load); 'zero': the counter's value as is (right for the
   * command's own output). For a file, 'load-start' holds off while the file still has the value it had when
   * the load started (left by an earlier trial or run), then counts from 0 when the command rewrote the count
   * from scratch (the value dropped) or from that value when the file accumulates (it rose). Default:
   * 'load-start' for url and file, 'zero' for regex.
   */
  countsFrom?: 'load-start' | 'zero';
  /** Counter poll interval for url and file counters. Default 250 ms. */
  pollMs?: number;
  /** Time limit of one url counter request. Default 1000 ms. */
  probeTimeoutMs?: number;
}

export interface CommandLoadDeps {
  now?: () => number;
  logger?: Logger;
  /** Base directory for opts.cwd and a relative counter file. Default process.cwd(). */
  cwd?: string;
  /** The environment the command inherits (opts.env is set over it). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface CommandLoadResult extends LoadResult {
  /** How the command ended. */
  exitCode: number | null;
  signal: string | null;
  /** True when leakgate ended the command (stop(), or the duration plus grace passed). */
  stopped: boolean;
  /** False when the command reports no latency (every latency figure is then 0). */
  latencyKnown: boolean;
  /** False when the command reports no status codes or errors (ok then equals requests; non2xx, errors 0). */
  statusKnown: boolean;
}

export interface CommandLoadRun extends LoadRun {
  /**
   * False without a counter: completed() stays 0, so the analysis must use time instead of requests
   * ("analysed over time, not requests: the load command gives no request count").
   */
  countsRequests: boolean;
  done: Promise<CommandLoadResult>;
}

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_POLL_MS = 250;
const DEFAULT_PROBE_TIMEOUT_MS = 1000;
/** Largest counter response or file read. */
const MAX_COUNTER_BYTES = 64 * 1024;
/** Longest partial output line kept for the regex counter. */
const MAX_PENDING = 64 * 1024;
/** After the command exits, how long its output pipes may take to drain (a survivor may hold them). */
const DRAIN_MS = 1000;
/** Lines of output shown when the command fails. */
const ERROR_LINES = 15;

/** PATH used by execvp when the environment has none. */
const DEFAULT_PATH = '/usr/bin:/bin';

/** Where execvp will find `file` in the child (relative to cwd, or along PATH, the default one when unset). */
export function findCommand(file: string, pathVar: string | undefined, cwd: string): string | undefined {
  return findExecutable(file, pathVar ?? DEFAULT_PATH, undefined, cwd) ?? undefined;
}

/** "wrk -t1 http://x/" for messages; arguments with spaces or quotes are quoted. */
export function displayCommand(argv: readonly string[]): string {
  return argv
    .map((a) => {
      const s = a.length > 200 ? `${a.slice(0, 200)}…` : a;
      return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
    })
    .join(' ');
}

/** Sends a signal to a process group; one already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the load command now. Throws (synchronously) a ConfigError for invalid options and a MeasureError when
 * the program is not found. `done` rejects with a MeasureError when the command exits non-zero (or dies of a
 * signal) before the load duration, or when a url counter cannot be read at the start.
 */
export function startCommandLoad(opts: CommandLoadOptions, deps: CommandLoadDeps = {}): CommandLoadRun {
  const now = deps.now ?? (() => performance.now());
  const logger = deps.logger ?? silentLogger;
  const baseEnv = deps.env ?? process.env;
  const baseCwd = deps.cwd ?? process.cwd();
  const [file, ...args] = opts.run;
  if (file === undefined || file === '') throw new ConfigError(`load.run must name a program and its arguments, e.g. [wrk, -t2, -c10, -d30s, URL], got ${JSON.stringify(opts.run)}`);
  const display = displayCommand(opts.run);
  if (!Number.isFinite(opts.durationMs) || opts.durationMs <= 0) throw new ConfigError(`load.duration must be a positive number of milliseconds, got ${opts.durationMs}`);
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const probeTimeoutMs = opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const cwd = path.resolve(baseCwd, opts.cwd ?? '.');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  Object.assign(env, opts.env ?? {});

  try {
    if (!statSync(cwd).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new MeasureError(`could not start the load command (${display}): working directory '${cwd}' does not exist or is not a directory`);
  }
  const executable = findCommand(file, env.PATH, cwd);
  if (executable === undefined) {
    throw new MeasureError(
      `could not start the load command (${display}): ${file.includes('/') ? `'${file}' does not exist or is not executable (looked for ${path.resolve(cwd, file)})` : notOnPathMessage(file, env.PATH, DEFAULT_PATH)}`,
    );
  }

  const counter = opts.counter;
  let regex: RegExp | undefined;
  if (counter && 'regex' in counter) {
    try {
      regex = counterRegex(counter.regex);
    } catch (err) {
      throw new ConfigError(`load.counter.regex: ${errorMessage(err)}`);
    }
  }
  // Not 'zero' for a file: a file left by trial 1 would make trial 2 start at trial 1's count (completed() never
  // goes down), and its first samples would show thousands of requests that never happened.
  const countsFrom = opts.countsFrom ?? (counter && !('regex' in counter) ? 'load-start' : 'zero');
  const isWrk = path.basename(file) === 'wrk';

  // Counter state: completed() = the highest (value - baseline) seen, so it never goes down.
  let baseline = 0;
  let best = 0;
  let counterFailures = 0;
  // File counter, 'load-start': the file's value when the load started, until the file first shows another one.
  let fileAtStart: number | undefined;
  const record = (value: number) => {
    if (fileAtStart !== undefined) {
      if (value === fileAtStart) return;
      baseline = value < fileAtStart ? 0 : fileAtStart;
      fileAtStart = undefined;
    }
    const c = value - baseline;
    if (c > best) best = c;
  };
  const noteFailure = (err: unknown) => {
    counterFailures += 1;
    const msg = `load counter: ${errorMessage(err)}`;
    if (counterFailures === 1) logger.warn(`${msg} (keeps polling; further failures are logged at debug level)`);
    else logger.debug(msg);
  };
  const readCounter = async (): Promise<number | undefined> => {
    if (!counter) return undefined;
    if ('url' in counter) return parseCounterValue(await fetchText(counter.url, probeTimeoutMs), counter.field, counter.url);
    if ('file' in counter) {
      const full = path.resolve(cwd, counter.file);
      const text = await readHead(full);
      // Missing or empty: not written yet, or being rewritten right now.
      return text === undefined || text.trim() === '' ? undefined : parseCounterValue(text, counter.field, full);
    }
    return undefined;
  };

  let stopRequested = false;
  let interrupt: ((why: string) => void) | undefined;

  const done = (async (): Promise<CommandLoadResult> => {
    if (counter && !('regex' in counter) && countsFrom === 'load-start') {
      try {
        const atStart = await readCounter();
        if ('file' in counter) fileAtStart = atStart;
        else baseline = atStart ?? 0;
      } catch (err) {
        const what = 'url' in counter ? `load.counter.url ${counter.url}` : `load.counter.file ${counter.file}`;
        throw new MeasureError(`${what}: could not read the request count before the load started: ${errorMessage(err)}`);
      }
    }
    return run();
  })();
  // The caller may attach its handler late; never let a rejection go unhandled meanwhile.
  done.catch(() => undefined);

  function run(): Promise<CommandLoadResult> {
    return new Promise<CommandLoadResult>((resolve, reject) => {
      const started = now();
      const child = spawn(executable!, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], argv0: file });
      const pid = child.pid;
      let spawnError: Error | undefined;
      child.on('error', (err) => {
        spawnError = err;
        logger.debug(`load command ${display}: ${errorMessage(err)}`);
      });
      if (pid === undefined) {
        // spawn emits 'error' on the next tick; it is absorbed above.
        reject(new MeasureError(`could not start the load command (${display}): the system refused to create the process`));
        return;
      }
      logger.debug(`started load command ${display} as pid ${pid} (process group ${pid})`);
      const safetyKill = () => signalGroup(pid, 'SIGKILL');
      process.on('exit', safetyKill);

      const tail = new OutputTail({ maxLines: 100 });
      const stdoutTail = new OutputTail({ maxLines: 400 });
      const pending = { stdout: '', stderr: '' };
      const scan = (line: string) => {
        if (!regex) return;
        const n = lastRegexCount(line, regex);
        if (n !== null) record(n);
      };
      const feed = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
        tail.push(chunk, stream);
        if (stream === 'stdout') stdoutTail.push(chunk);
        if (!regex) return;
        const text = pending[stream] + chunk.toString('utf8');
        const parts = text.split(/[\r\n]/);
        pending[stream] = (parts.pop() ?? '').slice(-MAX_PENDING);
        for (const part of parts) scan(part);
      };
      child.stdout.on('data', (c: Buffer) => feed('stdout', c));
      child.stderr.on('data', (c: Buffer) => feed('stderr', c));
      const ended = (s: NodeJS.ReadableStream) => new Promise<void>((r) => s.once('close', () => r()));
      const outputEnded = Promise.all([ended(child.stdout), ended(child.stderr)]);

      // Polling of url and file counters: one read at a time, every pollMs.
      let polling = Boolean(counter && !('regex' in counter));
      let pollTimer: NodeJS.Timeout | undefined;
      let inFlight: Promise<void> = Promise.resolve();
      const poll = () => {
        pollTimer = undefined;
        inFlight = readCounter()
          .then((v) => {
            if (v !== undefined) record(v);
          }, noteFailure)
          .finally(() => {
            if (polling) pollTimer = setTimeout(poll, pollMs);
          });
      };
      if (polling) poll();

      let stopped = false;
      let killTimer: NodeJS.Timeout | undefined;
      let exited = false;
      interrupt = (why: string) => {
        if (exited || stopped) return;
        stopped = true;
        logger.debug(`stopping load command ${display} (${why}): SIGINT to process group ${pid}`);
        signalGroup(pid, 'SIGINT');
        killTimer = setTimeout(() => {
          logger.warn(`load command ${display} still running ${graceMs} ms after SIGINT; sending SIGKILL`);
          signalGroup(pid, 'SIGKILL');
        }, graceMs);
      };
      const deadline = setTimeout(() => interrupt?.(`the load duration of ${opts.durationMs} ms plus ${graceMs} ms grace ended`), opts.durationMs + graceMs);
      if (stopRequested) interrupt('stop() was called');

      child.once('exit', (code, signal) => {
        exited = true;
        const elapsed = now() - started;
        clearTimeout(deadline);
        if (killTimer) clearTimeout(killTimer);
        // Helpers the command left behind in its group would go on loading the app.
        signalGroup(pid, 'SIGKILL');
        void finish(code, signal, elapsed);
      });

      async function finish(code: number | null, signal: NodeJS.Signals | null, elapsedMs: number): Promise<void> {
        try {
          await within(outputEnded, DRAIN_MS);
          for (const s of ['stdout', 'stderr'] as const) {
            scan(pending[s]);
            pending[s] = '';
          }
          tail.end();
          stdoutTail.end();
          polling = false;
          if (pollTimer) clearTimeout(pollTimer);
          await inFlight;
          // One last reading, so the count covers the whole run.
          if (counter && !('regex' in counter)) {
            try {
              const v = await readCounter();
              if (v !== undefined) record(v);
            } catch (err) {
              noteFailure(err);
            }
          }
          const status = signal ? `signal ${signal}` : `exit code ${code}`;
          const early = elapsedMs < opts.durationMs - Math.min(1000, opts.durationMs * 0.1);
          const failed = signal !== null || code !== 0;
          if (failed && !stopped) {
            const lines = tail.lines().slice(-ERROR_LINES);
            const output = lines.length > 0 ? `; last output:\n${lines.map((l) => `  ${l}`).join('\n')}` : '; it printed nothing';
            if (early || spawnError) {
              reject(
                new MeasureError(
                  `load command ${display} failed with ${status} after ${(elapsedMs / 1000).toFixed(1)} s, before the load duration (${(opts.durationMs / 1000).toFixed(1)} s) ended${spawnError ? ` (${errorMessage(spawnError)})` : ''}${output}`,
                ),
              );
              return;
            }
            logger.warn(`load command ${display} ended with ${status} at the end of the load; its figures are used anyway`);
          } else if (!failed && early && !stopped) {
            logger.info(`load command ${display} ended after ${(elapsedMs / 1000).toFixed(1)} s, before the load duration (${(opts.durationMs / 1000).toFixed(1)} s)`);
          }
          resolve(result(code, signal, elapsedMs, stopped));
        } catch (err) {
          reject(err);
        } finally {
          process.removeListener('exit', safetyKill);
        }
      }

      function result(code: number | null, signal: NodeJS.Signals | null, elapsedMs: number, wasStopped: boolean): CommandLoadResult {
        const base = { exitCode: code, signal, stopped: wasStopped };
        if (isWrk) {
          try {
            const w = parseWrkSummary(stdoutTail.lines().join('\n'), `wrk output (${display})`);
            return {
              ...base,
              tool: 'wrk',
              requests: w.requests,
              ok: Math.max(0, w.requests - w.non2xx),
              non2xx: w.non2xx,
              errors: w.errors,
              timeouts: w.timeouts,
              durationMs: w.durationMs,
              throughput: w.throughput,
              latency: w.latency,
              latencyKnown: true,
              statusKnown: true,
            };
          } catch (err) {
            logger.warn(`could not read wrk's summary, so its figures are missing from the report: ${errorMessage(err)}`);
          }
        }
        const requests = counter ? best : 0;
        const durationMs = Math.round(elapsedMs);
        return {
          ...base,
          tool: path.basename(file!),
          requests,
          ok: requests,
          non2xx: 0,
          errors: 0,
          timeouts: 0,
          durationMs,
          throughput: durationMs > 0 ? requests / (durationMs / 1000) : 0,
          latency: { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 },
          latencyKnown: false,
          statusKnown: false,
        };
      }
    });
  }

  return {
    countsRequests: counter !== undefined,
    completed: () => best,
    done,
    stop: () => {
      stopRequested = true;
      interrupt?.('stop() was called');
    },
  };
}

/** GET url with a fresh connection (no keep-alive, so the probe does not share the load's connections); 2xx body text. */
export function fetchText(url: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const get = url.startsWith('https:') ? https.get : http.get;
    let req: http.ClientRequest;
    try {
      req = get(url, { agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_COUNTER_BYTES) {
            req.destroy();
            fail(new Error(`${url}: response is longer than ${MAX_COUNTER_BYTES} bytes; a counter endpoint should return just the count`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', fail);
        res.on('end', () => {
          if (settled) return;
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            fail(new Error(`${url}: HTTP ${status} (${body.trim().slice(0, 80) || 'empty body'})`));
            return;
          }
          settled = true;
          resolve(body);
        });
      });
    } catch (err) {
      fail(new Error(`${url}: ${errorMessage(err)}`));
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on('error', (err) => fail(new Error(`${url}: ${errorMessage(err)}`)));
  });
}

/** The first MAX_COUNTER_BYTES of a file as text; undefined when it does not exist (yet). */
async function readHead(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const buf = Buffer.alloc(MAX_COUNTER_BYTES);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Waits for the promise at most ms. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  if (timer) clearTimeout(timer);
}
