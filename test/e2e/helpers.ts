// Shared helpers for end-to-end tests: free ports, temp configs, running the bundled CLI and Action
// as real processes, and checking that no process of the app under test survived.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
export { freePort } from '../support/net.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const ACTION = join(ROOT, 'dist', 'index.js');
export const EXAMPLES = join(ROOT, 'examples');


export function tempDir(prefix = 'leakgate-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a config object as YAML into dir and returns its path. */
export function writeConfig(dir: string, config: unknown, file = 'leakgate.yml'): string {
  const path = join(dir, file);
  writeFileSync(path, stringify(config));
  return path;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a node script to completion; a hard time limit keeps a broken run from hanging the suite. */
export function runNode(script: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; limitMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((res, rej) => {
    const started = Date.now();
    const child = spawn(process.execPath, [script, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const limit = setTimeout(() => child.kill('SIGKILL'), opts.limitMs ?? 120_000);
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(limit);
      res({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function runCli(args: string[], opts: { cwd?: string; limitMs?: number } = {}): Promise<ProcessResult> {
  return runNode(CLI, args, opts);
}

export interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The bundled CLI as a process to signal while it runs (SIGKILLed after 90 s); `exited` is its exit code, -1 when a signal ended it. */
export function startCli(args: string[], cwd: string): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.resume();
  const limit = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const exited = new Promise<number | null>((res) => child.on('close', (code, signal) => { clearTimeout(limit); res(code ?? (signal ? -1 : null)); }));
  return { child, stderr: () => err, exited };
}

/** Polls `cond` until it holds; fails naming `what` after limitMs. Returns the milliseconds waited. */
export async function waitFor(what: string, cond: () => boolean, limitMs: number): Promise<number> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) assert.fail(`waited ${limitMs} ms for ${what}`);
    await delay(25);
  }
  return Date.now() - start;
}

/** Pids of live processes whose environment carries a LEAKGATE_RUN_ID starting with `prefix`. */
export function processesWithRunIdPrefix(prefix: string): number[] {
  const needle = `LEAKGATE_RUN_ID=${prefix}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (env.split('\0').some((kv) => kv.startsWith(needle))) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
