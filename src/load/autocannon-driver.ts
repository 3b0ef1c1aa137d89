// Drives HTTP load with autocannon in-process. Counts completed responses itself (autocannon's own
// `tick` counter is reset by a separate timer), so the sampler can read "requests served so far" at
// any instant and memory can be analysed per request.
import autocannon from 'autocannon';
import type { Config } from '../config.js';
import type { LoadResult } from '../types.js';
import type { LoadRun } from './load-run.js';

/** The load section of the config, as validated (the tool is known to be autocannon here). */
export type AutocannonLoadOptions = Omit<Config['load'], 'tool'>;

/** Starts the load now; `done` resolves when the duration or amount is reached or stop() is called. */
export function startAutocannon(opts: AutocannonLoadOptions, now: () => number = () => performance.now()): LoadRun {
  let completed = 0;
  let ok = 0;
  const started = now();
  const instanceOpts: autocannon.Options = {
    url: opts.url,
    connections: opts.connections,
    pipelining: opts.pipelining,
    timeout: Math.max(1, Math.round(opts.timeoutMs / 1000)),
    // autocannon stops at `amount` when given, else after `duration` seconds.
    duration: opts.durationMs / 1000,
    ...(opts.amount ? { amount: opts.amount } : {}),
    ...(opts.requests.length > 0
      ? { requests: opts.requests.map((r) => ({ method: r.method as autocannon.Request['method'], path: r.path, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) })) }
      : {}),
  };

  let instance: autocannon.Instance | undefined;
  const done = new Promise<LoadResult>((resolve, reject) => {
    const inst = autocannon(instanceOpts, (err: Error | null, result: autocannon.Result) => {
      if (err) {
        reject(err);
        return;
      }
      resolve(toLoadResult(result, completed, ok, now() - started));
    });
    inst.on('response', (_client: unknown, statusCode: number) => {
      completed += 1;
      if (statusCode >= 200 && statusCode < 300) ok += 1;
    });
    instance = inst;
  });

  return {
    completed: () => completed,
    done,
    stop: () => {
      instance?.stop();
    },
  };
}

function toLoadResult(r: autocannon.Result, completed: number, ok: number, durationMs: number): LoadResult {
  const lat = r.latency;
  return {
    tool: 'autocannon',
    requests: completed,
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    durationMs: Math.round(durationMs),
    throughput: durationMs > 0 ? completed / (durationMs / 1000) : 0,
    latency: {
      p50: finite(lat.p50),
      p90: finite(lat.p90),
      p99: finite(lat.p99),
      max: finite(lat.max),
      mean: finite(lat.average),
    },
  };
}

function finite(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}
