// Starts the configured load driver (autocannon in-process, a k6 script, or any command) behind the one LoadRun
// interface, and says whether it counts requests: a command without a counter cannot, and the analysis then runs
// over time instead of requests.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startAutocannon } from './autocannon-driver.js';
import { startCommandLoad } from './command-driver.js';
import { startK6 } from './k6-driver.js';
import type { LoadRun } from './load-run.js';

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

export function startLoad(load: Config['load'], deps: StartLoadDeps): StartedLoad {
  const durationMs = deps.durationMs ?? load.durationMs;
  switch (load.tool) {
    case 'k6':
      return {
        run: startK6(
          { script: load.script!, durationMs, ...(load.vus ? { vus: load.vus } : {}), args: load.args, url: load.url },
          { now: deps.now, logger: deps.logger, cwd: deps.cwd },
        ),
        countsRequests: true,
      };
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
          },
          deps.now,
        ),
        countsRequests: true,
      };
    }
  }
}
