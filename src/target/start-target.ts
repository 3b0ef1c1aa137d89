// Starts the app under test as the leader of its own process group (so teardown can signal the
// whole tree at once) with LEAKGATE_RUN_ID=<marker> in its environment (so teardown can also find
// descendants that left the group), and captures the tail of its output.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, MeasureError, errorMessage } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ExitStatus } from '../core/types.js';
import { MARKER_ENV, OWNER_ENV, findMarkedProcessesSync, ownerToken } from './marked-processes.js';
import { startKeeper } from './keeper.js';
import { OutputTail } from './output-tail.js';
import { notOnPathMessage } from '../process/install-hint.js';

export interface TargetSpec {
  /** An argument array (no shell), or with `shell: true` one string run by `/bin/sh -c`. */
  command: string[] | string;
  shell: boolean;
  cwd: string;
  /** Merged over process.env. */
  env: Record<string, string>;
}

export interface StartTargetOptions {
  /** Unique per run: set as LEAKGATE_RUN_ID in the app's environment. */
  marker: string;
  logger?: Logger;
  /** Lines of output kept for messages and the report. Default 100. */
  tailLines?: number;
  /**
   * Start a keeper process that ends the app's tree if leakgate dies hard (SIGKILL), after this grace between its
   * SIGTERM and SIGKILL. Default 5000 ms; false for none.
   */
  keeperGraceMs?: number | false;
}

/** How the app's main process ended. */
export type TargetExit = Pick<ExitStatus, 'code' | 'signal'>;

export interface Target {
  readonly pid: number;
  /** Equals pid: the app leads its own process group (and session). */
  readonly pgid: number;
  readonly marker: string;
  /** The command as a user would recognise it, for messages. */
  readonly command: string;
  /** Resolves when the main process exits (its descendants may live on). */
  readonly exited: Promise<TargetExit>;
  /** Resolves when both output pipes are closed: every process holding them has gone. */
  readonly outputEnded: Promise<void>;
  hasExited(): boolean;
  /** Null while the main process runs. */
  exitStatus(): TargetExit | null;
  /** Last lines printed, stdout and stderr interleaved, oldest first. */
  tail(): string[];
  /** Calls `cb` with each complete line printed from now on; returns an unsubscribe function. */
  onLine(cb: (line: string) => void): () => void;
  /**
   * Stops reading output and (unless keepExitKill) disarms the safety kill that otherwise takes
   * the tree down when leakgate's own process exits. stopTarget calls it; call it yourself only
   * if you reap the processes some other way.
   */
  dispose(opts?: { keepExitKill?: boolean }): void;
}

/** PATH used by execvp when the environment has none. */
const DEFAULT_PATH = '/usr/bin:/bin';

export function startTarget(spec: TargetSpec, opts: StartTargetOptions): Target {
  const logger = opts.logger ?? silentLogger;
  const marker = opts.marker;
  if (!marker || marker.includes('\0')) throw new Error('startTarget: marker must be a non-empty string without NUL');
  const { file, args, display } = commandLine(spec);

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, spec.env, { [MARKER_ENV]: marker });
  // Who started it, so a later run can tell a leftover of a dead run from the app of a live one.
  const owner = ownerToken();
  if (owner) env[OWNER_ENV] = owner;

  // spawn reports a missing executable or bad cwd only as an asynchronous 'error' event, without
  // saying which was missing; checking first gives the user a message that says what to fix.
  checkCwd(spec.cwd, display);
  checkExecutable(file, spec.cwd, env.PATH, display, spec.shell);

  let child;
  try {
    child = spawn(file, args, { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new MeasureError(`could not start the app (${display}): ${errorMessage(err)}`);
  }
  // Kill failures and late spawn errors arrive as 'error' events: never let one go unhandled.
  child.on('error', (err) => logger.debug(`target ${display}: ${errorMessage(err)}`));
  const pid = child.pid;
  if (pid === undefined) {
    // Rare after the checks above (EAGAIN, EMFILE, the file vanished): spawn has not created a
    // process and will emit 'error' on the next tick, which the listener above absorbs.
    throw new MeasureError(`could not start the app (${display}): the system refused to create the process (out of processes or file descriptors?)`);
  }
  logger.debug(`started ${display} as pid ${pid} (process group ${pid}, ${MARKER_ENV}=${marker})`);
  const keeper = opts.keeperGraceMs === false ? null : startKeeper(pid, marker, opts.keeperGraceMs ?? 5000, logger);

  const tail = new OutputTail({
    maxLines: opts.tailLines ?? 100,
    onListenerError: (err) => logger.warn(`output line listener failed: ${errorMessage(err)}`),
  });
  const { stdout, stderr } = child;
  stdout.on('data', (chunk: Buffer) => tail.push(chunk, 'stdout'));
  stderr.on('data', (chunk: Buffer) => tail.push(chunk, 'stderr'));
  stdout.on('end', () => tail.end('stdout'));
  stderr.on('end', () => tail.end('stderr'));
  const closed = (s: NodeJS.ReadableStream) => new Promise<void>((resolve) => s.once('close', () => resolve()));
  const outputEnded = Promise.all([closed(stdout), closed(stderr)]).then(() => undefined);

  let status: TargetExit | null = null;
  const exited = new Promise<TargetExit>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      logger.debug(`pid ${pid} exited (${describeExit(status)})`);
      resolve(status);
    });
  });

  // If leakgate itself exits without stopping the app (a bug, an uncaught error), take the app's
  // tree down with it rather than leave it running on the machine. Synchronous: 'exit' handlers
  // cannot wait.
  const safetyKill = () => {
    killQuietly(-pid, 'SIGKILL');
    for (const stray of findMarkedProcessesSync(marker)) killQuietly(stray, 'SIGKILL');
  };
  process.on('exit', safetyKill);

  let disposed = false;
  return {
    pid,
    pgid: pid,
    marker,
    command: display,
    exited,
    outputEnded,
    hasExited: () => status !== null,
    exitStatus: () => status,
    tail: () => tail.lines(),
    onLine: (cb) => tail.onLine(cb),
    dispose: (disposeOpts) => {
      if (!disposeOpts?.keepExitKill) {
        process.removeListener('exit', safetyKill);
        keeper?.standDown();
      }
      if (disposed) return;
      disposed = true;
      stdout.destroy();
      stderr.destroy();
      tail.end();
    },
  };
}

/** "exit code 3 (command not found)", "signal SIGKILL", ... */
export function describeExit(exit: TargetExit): string {
  if (exit.signal) {
    const hint = exit.signal === 'SIGKILL' ? ' (killed: by leakgate, or by the OOM killer if it was over its memory limit)' : '';
    return `signal ${exit.signal}${hint}`;
  }
  if (exit.code === null) return 'unknown exit status';
  const hints: Record<number, string> = {
    126: ' (the shell found the command but could not execute it)',
    127: ' (the shell could not find the command)',
    137: ' (128 + SIGKILL: killed, maybe by the OOM killer)',
    139: ' (128 + SIGSEGV: crashed)',
  };
  return `exit code ${exit.code}${hints[exit.code] ?? ''}`;
}

/** Sends a signal; a process or group that is already gone (ESRCH) is not an error. */
export function killQuietly(pidOrNegativePgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pidOrNegativePgid, signal);
    return true;
  } catch {
    // ESRCH: already gone. EPERM: not ours (a reused pid); either way nothing to do.
    return false;
  }
}

function commandLine(spec: TargetSpec): { file: string; args: string[]; display: string } {
  if (spec.shell) {
    const script = typeof spec.command === 'string' ? spec.command : spec.command.length === 1 ? spec.command[0] : undefined;
    if (script === undefined || script.trim() === '') {
      throw new ConfigError(`with shell: true the command must be one non-empty string, got ${JSON.stringify(spec.command)}`);
    }
    return { file: '/bin/sh', args: ['-c', script], display: `sh -c ${quote(script)}` };
  }
  const argv = typeof spec.command === 'string' ? [spec.command] : spec.command;
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new ConfigError(`the command must name a program, got ${JSON.stringify(spec.command)}`);
  return { file, args, display: argv.map(quote).join(' ') };
}

function quote(arg: string): string {
  const shown = arg.length > 200 ? `${arg.slice(0, 200)}…` : arg;
  return /^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`;
}

function checkCwd(cwd: string, display: string): void {
  let isDir = false;
  try {
    isDir = statSync(cwd).isDirectory();
  } catch {
    throw new MeasureError(`could not start the app (${display}): working directory '${cwd}' does not exist`);
  }
  if (!isDir) throw new MeasureError(`could not start the app (${display}): working directory '${cwd}' is not a directory`);
}

/** Resolves `file` the way execvp will in the child: relative to cwd, or along the child's PATH. */
function checkExecutable(file: string, cwd: string, pathVar: string | undefined, display: string, shell: boolean): void {
  const fail = (why: string) => new MeasureError(`could not start the app (${display}): ${why}`);
  if (file.includes('/')) {
    const full = path.resolve(cwd, file);
    const kind = fileKind(full);
    if (kind === 'missing') throw fail(`'${file}' does not exist${full !== file ? ` (looked for ${full})` : ''}`);
    if (kind === 'directory') throw fail(`'${file}' is a directory`);
    if (kind === 'not-executable') throw fail(`'${file}' is not executable (chmod +x it, or run it through its interpreter)`);
    return;
  }
  const dirs = (pathVar ?? DEFAULT_PATH).split(':');
  let notExecutable: string | undefined;
  for (const dir of dirs) {
    const full = path.resolve(cwd, dir === '' ? '.' : dir, file);
    const kind = fileKind(full);
    if (kind === 'ok') return;
    if (kind === 'not-executable') notExecutable ??= full;
  }
  if (notExecutable !== undefined) throw fail(`'${file}' was found at ${notExecutable} but is not executable`);
  const hint = !shell && /\s/.test(file) ? ' (a command given as one string is one program name; give an argument array, or set shell: true)' : '';
  throw fail(`${notOnPathMessage(file, pathVar, DEFAULT_PATH)}${hint}`);
}

function fileKind(full: string): 'ok' | 'missing' | 'directory' | 'not-executable' {
  try {
    if (statSync(full).isDirectory()) return 'directory';
  } catch {
    return 'missing';
  }
  try {
    accessSync(full, constants.X_OK);
    return 'ok';
  } catch {
    return 'not-executable';
  }
}
