// Starts the configured load driver (autocannon in-process, a k6 script, or any command) behind the one LoadRun
// interface, and says whether it counts requests: a command without a counter cannot, and the analysis then runs
// over time instead of requests.
import type { Config } from '../config/config.js';
import type { Logger } from '../core/logger.js';
import { startAutocannon } from './autocannon-driver.js';
import { startCommandLoad } from './command-driver.js';
import { DEFAULT_K6_MAX_DURATION_MS, startK6, type K6LoadOptions } from './k6-driver.js';
import type { LoadRun } from './load-run.js';
import { startWebSocketLoad } from './websocket-driver.js';

export interface StartedLoad {
  run: LoadRun;
  /** False when completed() cannot count requests (command load without a counter). */
  countsRequests: boolean;
}

export interface StartLoadDeps {
  now: () => number;
  logger: Logger;
  /** Directory scripts and commands are resolved against (the config file's). */
  cwd: string;
  /** Replaces load.duration (native mode runs shorter). */
  durationMs?: number;
  /** Replaces the rate and connections (native mode). */
  rate?: number;
  connections?: number;
}

/**
 * What k6 is run with. --duration and --vus only when set (load.duration / load.vus, or native mode's shorter
 * run): k6 replaces a script's scenarios and stages with a constant-VU run when given either, so by default the
 * script's own options decide, bounded by load.max-duration. Pure.
 */
export function k6OptionsOf(load: Config['load'], durationOverrideMs?: number): K6LoadOptions {
  const durationMs = durationOverrideMs ?? (load.durationSet ? load.durationMs : undefined);
  return {
    script: load.script!,
    ...(durationMs !== undefined ? { durationMs } : { maxDurationMs: load.maxDurationMs ?? DEFAULT_K6_MAX_DURATION_MS }),
    ...(load.vus !== undefined ? { vus: load.vus } : {}),
    args: load.args,
    url: load.url,
  };
}

export function startLoad(load: Config['load'], deps: StartLoadDeps): StartedLoad {
  const durationMs = deps.durationMs ?? load.durationMs;
  switch (load.tool) {
    case 'k6':
      return { run: startK6(k6OptionsOf(load, deps.durationMs), { now: deps.now, logger: deps.logger, cwd: deps.cwd }), countsRequests: true };
    case 'websocket': {
      const ws = load.websocket!;
      const run = startWebSocketLoad(
        {
          url: load.url,
          durationMs,
          ...(load.amount !== undefined ? { amount: load.amount } : {}),
          sessions: deps.connections ?? ws.sessions,
          perSession: ws.perSession,
          messages: ws.messages,
          timeoutMs: load.timeoutMs,
        },
        deps.now,
      );
      return { run, countsRequests: true };
    }
    case 'command': {
      const run = startCommandLoad(
        { run: load.run!, durationMs, ...(load.counter ? { counter: load.counter } : {}) },
        { now: deps.now, logger: deps.logger, cwd: deps.cwd },
      );
      return { run, countsRequests: run.countsRequests };
    }
    default: {
      const rate = deps.rate ?? load.rate;
      return {
        run: startAutocannon(
          {
            url: load.url,
            durationMs,
            ...(load.amount !== undefined ? { amount: load.amount } : {}),
            connections: deps.connections ?? load.connections,
            pipelining: load.pipelining,
            timeoutMs: load.timeoutMs,
            requests: load.requests,
            ...(load.mix ? { mode: load.mix } : {}),
            ...(rate !== undefined ? { rate } : {}),
            ...(load.warmup ? { warmup: load.warmup } : {}),
            ...(load.reconnectEvery !== undefined ? { reconnectEvery: load.reconnectEvery } : {}),
            ...(load.abort ? { abort: load.abort } : {}),
          },
          deps.now,
        ),
        countsRequests: true,
      };
    }
  }
}
