// Reads what machine and runtime a run happened on, for the report (a baseline from another
// machine is not comparable, and the report should say so).
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Environment } from './types.js';

/** PRETTY_NAME (else NAME and VERSION) of an os-release(5) file; undefined when it names nothing. */
export function parseOsRelease(text: string): string | undefined {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  const name = fields.PRETTY_NAME || [fields.NAME, fields.VERSION].filter(Boolean).join(' ');
  return name ? name.slice(0, 120) : undefined;
}

/** "ubuntu24 20250105.1.0" from the hosted runner's ImageOS / ImageVersion; undefined off hosted runners. */
export function runnerImageOf(env: NodeJS.ProcessEnv): string | undefined {
  const image = [env.ImageOS, env.ImageVersion].map((v) => v?.trim()).filter(Boolean).join(' ');
  return image ? image.slice(0, 120) : undefined;
}

function readDistro(): string | undefined {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(readFileSync(path, 'utf8'));
    } catch {
      // Not Linux, or a minimal container without the file: try the next, else no distro.
    }
  }
  return undefined;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const cpus = os.cpus();
  const distro = os.platform() === 'linux' ? readDistro() : undefined;
  const runnerImage = runnerImageOf(env);
  return {
    os: `${os.type()} ${os.release()}`,
    kernel: os.release(),
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    runner: env.RUNNER_NAME ? `${env.RUNNER_OS ?? ''} ${env.RUNNER_NAME}`.trim() : null,
    ...(distro ? { distro } : {}),
    ...(runnerImage ? { runnerImage } : {}),
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
