// Drives load with a k6 script: runs `k6 run` in its own process group with JSON output and a summary export
// in a temp directory, follows the JSON output file while k6 runs (polling its size: requests completed so far,
// cheap to read at every sampler tick), and turns the summary into a LoadResult when k6 exits.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, MeasureError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { OutputTail } from '../target/output-tail.js';
import type { LoadResult } from '../core/types.js';
import { displayCommand, findCommand, signalGroup } from './command-driver.js';
import { K6StreamCounter, parseK6Summary, type K6SecondCount, type K6Summary } from './k6-output.js';
import type { LoadRun } from './load-run.js';

export interface K6LoadOptions {
  /** The k6 script, resolved against deps.cwd. */
  script: string;
  /** Passed as --duration; without it the script's own options (scenarios, stages, duration) decide. */
  durationMs?: number;
  /**
   * Without durationMs: stop k6 (SIGINT, then SIGKILL after the grace) when it is still running this long after
   * it started, so a script with long or open-ended scenarios cannot hang a CI job. Default 30 minutes.
   */
  maxDurationMs?: number;
  /** Passed as --vus. */
  vus?: number;
  /** Extra arguments for `k6 run`, placed after leakgate's (so they win) and before the script. */
  args?: string[];
  /** Passed to the script as `-e K=V` (read there as __ENV.K). */
  env?: Record<string, string>;
  /** The app's URL, passed to the script as __ENV.BASE_URL and __ENV.LEAKGATE_URL (opts.env may override them). */
  url?: string;
  /** After stop(): time for k6 to write its summary after SIGINT, before SIGKILL. Default 10000 ms. */
  stopGraceMs?: number;
}

export interface K6Deps {
  now: () => number;
  logger: Logger;
  /** Directory the script path and k6 itself are resolved against, and k6's working directory. */
  cwd: string;
  /** The environment k6 runs with (also where PATH is looked up). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The k6 executable; default: 'k6' found on PATH. */
  k6Path?: string;
  /** How often the JSON output file is polled. Default 150 ms. */
  pollMs?: number;
  /** Where the temp directory for k6's output goes. Default os.tmpdir(). */
  tmpRoot?: string;
}

export interface K6LoadResult extends LoadResult {
  tool: 'k6';
  exitCode: number | null;
  signal: string | null;
  /** True when leakgate stopped k6 (stop(), or the safety deadline). */
  stopped: boolean;
  /** k6 exited with code 99: some thresholds of the script failed. Not a measurement failure. */
  thresholdsFailed: boolean;
  /** "metric: expression" of each failed threshold, from the summary. */
  failedThresholds: string[];
  /** Requests per wall-clock second, from the JSON output. */
  perSecond: K6SecondCount[];
  /** What the report should say about how k6 ended (thresholds, exit code, missing summary); null when all is well. */
  note: string | null;
}

export interface K6LoadRun extends LoadRun {
  done: Promise<K6LoadResult>;
}

export const K6_INSTALL_HINT =
  "On GitHub Actions add the step `uses: grafana/setup-k6-action@v1` before leakgate; on a workstation install it from " +
  'https://grafana.com/docs/k6/latest/set-up/install-k6/ (e.g. `brew install k6`, or the k6 .deb/.rpm package)';

/** Trend stats leakgate asks for: k6's defaults (avg,min,med,max,p(90),p(95)) plus p(99). */
export const K6_TREND_STATS = 'avg,min,med,max,p(90),p(95),p(99)';

/** What k6's exit codes mean (errext/exitcodes in k6's source). */
const K6_EXIT_CODES: Record<number, string> = {
  97: 'cloud test run failed',
  98: 'could not get cloud progress',
  99: 'thresholds failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'timed out',
  103: 'engine error',
  104: 'invalid configuration',
  105: 'aborted by a signal',
  106: 'could not start the REST API',
  107: 'script exception',
  108: 'script aborted (test.abort())',
  109: 'k6 crashed (Go panic)',
  110: 'test marked as failed',
};

const DEFAULT_POLL_MS = 150;
const DEFAULT_STOP_GRACE_MS = 10_000;
/** With --duration, k6 may run this much longer (gracefulStop, setup, teardown) before leakgate stops it. */
const DEADLINE_SLACK_MS = 60_000;
/** Without --duration, the hard limit on a k6 run unless opts.maxDurationMs says otherwise. */
export const DEFAULT_K6_MAX_DURATION_MS = 30 * 60_000;
/** Largest read of the JSON output per poll; the rest is read right after (the stream can be MBs per second). */
const READ_CHUNK = 4 * 1024 * 1024;
/** Reads per poll before yielding to the event loop. */
const READS_PER_POLL = 8;
const DRAIN_MS = 1000;
const ERROR_LINES = 15;
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The path of k6 on PATH; throws a MeasureError saying how to install it when there is none. */
export function requireK6(pathVar: string | undefined, cwd: string = process.cwd()): string {
  const found = findCommand('k6', pathVar, cwd);
  if (found === undefined) throw new MeasureError(`load.tool k6: 'k6' was not found on PATH. ${K6_INSTALL_HINT}`);
  return found;
}

/** The argument array of `k6 run` (without the program name). Pure. */
export function k6RunArgs(opts: K6LoadOptions, files: { json: string; summary: string; script: string }): string[] {
  const args = ['run', '--out', `json=${files.json}`, `--summary-export=${files.summary}`, `--summary-trend-stats=${K6_TREND_STATS}`];
  if (opts.durationMs !== undefined) args.push('--duration', `${Math.max(1, Math.round(opts.durationMs))}ms`);
  if (opts.vus !== undefined) args.push('--vus', String(opts.vus));
  const env: Record<string, string> = {};
  if (opts.url !== undefined) Object.assign(env, { BASE_URL: opts.url, LEAKGATE_URL: opts.url });
  Object.assign(env, opts.env ?? {});
  for (const [k, v] of Object.entries(env)) args.push('-e', `${k}=${v}`);
  args.push(...(opts.args ?? []), files.script);
  return args;
}

/** Describes a k6 exit for messages: "exit code 107 (script exception)". */
export function describeK6Exit(code: number | null, signal: string | null): string {
  if (signal) return `signal ${signal}`;
  if (code === null) return 'an unknown exit status';
  const meaning = K6_EXIT_CODES[code];
  return `exit code ${code}${meaning ? ` (${meaning})` : ''}`;
}

/**
 * Starts k6 now. Throws synchronously: a MeasureError when k6 is not on PATH (with how to install it) and a
 * ConfigError when the script does not exist or an env name is invalid. `done` resolves with the summary's
 * figures when k6 exits (also after stop(), and when thresholds failed: see thresholdsFailed and note), and
 * rejects with a MeasureError when k6 failed before completing any request, or its JSON output is malformed.
 */
export function startK6(opts: K6LoadOptions, deps: K6Deps): K6LoadRun {
  const { now, logger, cwd } = deps;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(deps.env ?? process.env)) if (v !== undefined) env[k] = v;
  // k6 reports anonymous usage to Grafana after each run unless told not to; a CI gate has no need for it.
  env.K6_NO_USAGE_REPORT ??= 'true';

  let k6: string;
  if (deps.k6Path !== undefined) {
    const found = findCommand(deps.k6Path, env.PATH, cwd);
    if (found === undefined) throw new MeasureError(`load.tool k6: '${deps.k6Path}' does not exist or is not executable. ${K6_INSTALL_HINT}`);
    k6 = found;
  } else {
    k6 = requireK6(env.PATH, cwd);
  }

  const script = path.resolve(cwd, opts.script);
  let isFile = false;
  try {
    isFile = statSync(script).isFile();
  } catch {
    // reported below
  }
  if (!isFile) throw new ConfigError(`load.script: '${opts.script}' is not a file (looked for ${script})`);
  for (const name of Object.keys(opts.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new ConfigError(`load.env: '${name}' is not a valid k6 environment variable name (letters, digits and _, not starting with a digit)`);
  }
  if (opts.vus !== undefined && (!Number.isInteger(opts.vus) || opts.vus < 1)) throw new ConfigError(`load.vus must be a whole number of at least 1, got ${opts.vus}`);

  const dir = mkdtempSync(path.join(deps.tmpRoot ?? tmpdir(), 'leakgate-k6-'));
  const files = { json: path.join(dir, 'k6-output.json'), summary: path.join(dir, 'k6-summary.json'), script };
  const args = k6RunArgs(opts, files);
  const display = displayCommand(['k6', ...args]);
  const counter = new K6StreamCounter(files.json);
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  const stopGraceMs = opts.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;

  let child;
  try {
    child = spawn(k6, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new MeasureError(`could not start k6 (${display}): ${errorMessage(err)}`);
  }
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
    logger.debug(`k6: ${errorMessage(err)}`);
  });
  const pid = child.pid;
  const started = now();
  logger.debug(`started ${display}${pid !== undefined ? ` as pid ${pid} (process group ${pid})` : ''}`);
  const safetyKill = () => {
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  };
  process.on('exit', safetyKill);

  const tail = new OutputTail({ maxLines: 100 });
  child.stdout.on('data', (c: Buffer) => tail.push(c, 'stdout'));
  child.stderr.on('data', (c: Buffer) => tail.push(c, 'stderr'));
  const closed = (s: NodeJS.ReadableStream) => new Promise<void>((r) => s.once('close', () => r()));
  const outputEnded = Promise.all([closed(child.stdout), closed(child.stderr)]);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A spawn failure emits 'error' and no 'exit'.
    child.once('error', () => resolve({ code: null, signal: null }));
  });

  // Tailing the JSON output: poll, read what is new (bounded per poll), count.
  let handle: FileHandle | undefined;
  let offset = 0;
  let streamError: Error | undefined;
  let tailing = true;
  let pollTimer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const buf = Buffer.alloc(READ_CHUNK);
  const readNew = async (maxReads: number): Promise<boolean> => {
    if (streamError) return false;
    if (!handle) {
      try {
        handle = await open(files.json, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    }
    for (let i = 0; i < maxReads; i++) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) return false;
      offset += bytesRead;
      try {
        counter.push(buf.subarray(0, bytesRead));
      } catch (err) {
        streamError = err as Error;
        logger.warn(`k6 JSON output is malformed; requests are no longer counted: ${streamError.message}`);
        return false;
      }
      if (bytesRead < buf.length) return false;
    }
    return true; // more to read
  };
  const poll = () => {
    pollTimer = undefined;
    inFlight = readNew(READS_PER_POLL)
      .then(
        (more) => more,
        (err) => {
          logger.debug(`reading ${files.json}: ${errorMessage(err)}`);
          return false;
        },
      )
      .then((more) => {
        if (tailing) pollTimer = setTimeout(poll, more ? 0 : pollMs);
      });
  };
  poll();

  let stopped = false;
  let killTimer: NodeJS.Timeout | undefined;
  let hasExited = false;
  const interrupt = (why: string) => {
    if (hasExited || stopped || pid === undefined) return;
    stopped = true;
    logger.debug(`stopping k6 (${why}): SIGINT to process group ${pid}; k6 then writes its summary`);
    signalGroup(pid, 'SIGINT');
    killTimer = setTimeout(() => {
      logger.warn(`k6 still running ${stopGraceMs} ms after SIGINT; sending SIGKILL (its summary will be missing)`);
      signalGroup(pid, 'SIGKILL');
    }, stopGraceMs);
  };
  const maxDurationMs = opts.maxDurationMs ?? DEFAULT_K6_MAX_DURATION_MS;
  const deadline =
    opts.durationMs !== undefined
      ? setTimeout(() => interrupt(`still running ${DEADLINE_SLACK_MS} ms after its --duration`), opts.durationMs + DEADLINE_SLACK_MS)
      : setTimeout(() => {
          logger.warn(`k6 still running after load.max-duration (${maxDurationMs / 1000} s); stopping it (the script's scenarios run longer, or never end)`);
          interrupt(`load.max-duration of ${maxDurationMs} ms reached`);
        }, maxDurationMs);

  const done = (async (): Promise<K6LoadResult> => {
    try {
      const { code, signal } = await exited;
      hasExited = true;
      const elapsedMs = now() - started;
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      if (pid !== undefined) signalGroup(pid, 'SIGKILL'); // anything k6 left in its group
      await within(outputEnded, DRAIN_MS);
      tail.end();

      // Read the rest of the JSON output, then close it.
      tailing = false;
      if (pollTimer) clearTimeout(pollTimer);
      await inFlight;
      try {
        while (await readNew(READS_PER_POLL));
      } catch (err) {
        logger.debug(`reading ${files.json}: ${errorMessage(err)}`);
      }
      if (!streamError) {
        try {
          const end = counter.end({ tolerateTruncated: stopped || signal !== null });
          if (end.droppedPartialLine) logger.debug(`${files.json}: dropped a last line cut short when k6 was stopped`);
        } catch (err) {
          streamError = err as Error;
        }
      }

      const status = describeK6Exit(code, signal);
      const lastLines = () => {
        const lines = tail.lines().slice(-ERROR_LINES);
        return lines.length > 0 ? `; last output:\n${lines.map((l) => `  ${l}`).join('\n')}` : '; it printed nothing';
      };
      if (spawnError) throw new MeasureError(`could not run k6 (${display}): ${errorMessage(spawnError)}`);
      if (streamError) throw new MeasureError(`k6 ran (${status}) but its JSON output could not be read, so requests over time are unknown: ${streamError.message}`);

      let summary: K6Summary | undefined;
      let summaryProblem: string | undefined;
      try {
        summary = parseK6Summary(await readFile(files.summary, 'utf8'), files.summary);
      } catch (err) {
        summaryProblem = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'k6 wrote no summary' : errorMessage(err);
      }

      const requests = summary?.requests ?? counter.requests;
      const normalEnd = code === 0 || code === 99 || (stopped && (code === 105 || signal !== null));
      if (!normalEnd && requests === 0) {
        throw new MeasureError(`k6 failed with ${status} before completing any request (${display})${lastLines()}`);
      }

      const notes: string[] = [];
      if (code === 99) {
        notes.push(
          `k6 thresholds failed (exit code 99)${summary && summary.failedThresholds.length > 0 ? `: ${summary.failedThresholds.join('; ')}` : ''}. ` +
            'That is a verdict on the load test, not a measurement failure: memory was measured as usual',
        );
      } else if (!normalEnd) {
        notes.push(`k6 ended with ${status} after ${requests} requests; the figures cover the requests made until then`);
        logger.warn(`k6 ended with ${status}${lastLines()}`);
      }
      if (summaryProblem) notes.push(`${summaryProblem}: requests and failures come from k6's JSON output; latency is unknown (0)`);
      if (summary && summary.latency.p99 === undefined) notes.push('the summary has no p(99) (were --summary-trend-stats overridden?): p99 is reported as 0');

      const failures = summary?.failures ?? counter.failed;
      const errors = Math.min(counter.noResponse, failures);
      const durationMs = summary?.durationMs ?? Math.round(elapsedMs);
      return {
        tool: 'k6',
        requests,
        ok: Math.max(0, requests - failures),
        non2xx: Math.max(0, failures - errors),
        errors,
        timeouts: Math.min(counter.timeouts, errors),
        durationMs,
        throughput: summary?.throughput ?? (durationMs > 0 ? requests / (durationMs / 1000) : 0),
        latency: {
          p50: summary?.latency.p50 ?? 0,
          p90: summary?.latency.p90 ?? 0,
          p99: summary?.latency.p99 ?? 0,
          max: summary?.latency.max ?? 0,
          mean: summary?.latency.mean ?? 0,
        },
        exitCode: code,
        signal,
        stopped,
        thresholdsFailed: code === 99,
        failedThresholds: summary?.failedThresholds ?? [],
        perSecond: counter.perSecond(),
        note: notes.length > 0 ? notes.join('. ') : null,
      };
    } finally {
      tailing = false;
      if (pollTimer) clearTimeout(pollTimer);
      clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      await inFlight.catch(() => undefined);
      await handle?.close().catch(() => undefined);
      process.removeListener('exit', safetyKill);
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  done.catch(() => undefined);

  return {
    completed: () => counter.requests,
    done,
    stop: () => interrupt('stop() was called'),
  };
}

/** Waits for the promise at most ms. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  if (timer) clearTimeout(timer);
}
