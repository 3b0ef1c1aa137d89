// Runs a helper program to completion with an argument array (never a shell), bounded in time and output: git,
// vgdb, heaptrack_print. Collects stdout and stderr; kills the program (its whole process group with `group`) when
// the time or the output limit is passed, and says which. Rejects only when the program cannot be started;
// every other outcome is in the result, for the caller to word its own error.
import { spawn } from 'node:child_process';

export interface BoundedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Written to stdin, which is then closed; stdin is closed at once without it. */
  input?: string;
  /** Run in its own process group and kill the group, so helpers it started (ssh, git-remote-https) go too. */
  group?: boolean;
  /** Stdout beyond this kills the program (overflow: true). Default 64 MiB. */
  maxOutput?: number;
}

export interface BoundedResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  overflow: boolean;
}

const STDERR_KEPT = 64 * 1024;

export function runBounded(file: string, args: readonly string[], opts: BoundedOptions): Promise<BoundedResult> {
  const maxOutput = opts.maxOutput ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      ...(opts.env !== undefined ? { env: opts.env } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: opts.group === true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let overflow = false;
    const kill = (): void => {
      try {
        if (opts.group === true && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.length > maxOutput && !overflow) {
        overflow = true;
        kill();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < STDERR_KEPT) stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, timedOut, overflow });
    });
    // The program may exit before reading stdin; its exit code tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
