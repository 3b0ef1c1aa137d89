// Reads what machine and runtime a run happened on, for the report (a baseline from another
// machine is not comparable, and the report should say so).
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import type { Environment } from './types.js';

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()}`,
    kernel: os.release(),
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    runner: env.RUNNER_NAME ? `${env.RUNNER_OS ?? ''} ${env.RUNNER_NAME}`.trim() : null,
  };
}

/** Runtimes whose version matters to a memory baseline, by the basename of the app's program. */
const RUNTIME_VERSION_ARGS: Array<[RegExp, string[]]> = [
  [/^python(\d+(\.\d+)?)?$/, ['--version']],
  [/^java$/, ['-version']],
  [/^(ruby|php|dotnet|deno|bun)$/, ['--version']],
  [/^node(\d+)?$/, ['--version']],
];

/**
 * The app runtime's version line, for the baseline comparison's environment check: the program of the app's
 * command run with --version (java: -version), argument array, 5 s at most. Undefined for anything else.
 */
export function readAppRuntime(command: string[] | string, cwd: string): string | undefined {
  const program = typeof command === 'string' ? undefined : command[0];
  if (!program) return undefined;
  const base = program.split('/').pop() ?? '';
  const match = RUNTIME_VERSION_ARGS.find(([re]) => re.test(base));
  if (!match) return undefined;
  try {
    const r = spawnSync(program, match[1], { cwd, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l !== '');
    return r.status === 0 && line ? line.slice(0, 120) : undefined;
  } catch {
    return undefined;
  }
}
