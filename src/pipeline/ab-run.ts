// Same-runner A/B: the base ref is checked out into a separate git worktree, its setup command runs there, and
// base and head trials alternate on this machine (base, head, head, base, ...), so runner-to-runner noise and
// slow drift cancel instead of landing in the comparison. No store is needed: the base trials become this run's
// baseline. The worktree is removed afterwards whatever happens.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { git } from '../baseline/git.js';
import { baselineCurve } from '../baseline/baseline-curve.js';
import type { Config } from '../config/config.js';
import { ConfigError, errorMessage, MeasureError } from '../core/errors.js';
import { finishReport, runTrial, type GateDeps } from './gate.js';
import { interruptedBy, markInterrupted } from './interrupt.js';
import type { Report, TrialReport } from '../core/types.js';
import { notOnPathMessage } from '../process/install-hint.js';

/** Base then head in even pairs, head then base in odd ones (ABBA), so a drift over the run hits both alike. */
export function abOrder(pairs: number): Array<'base' | 'head'> {
  const order: Array<'base' | 'head'> = [];
  for (let i = 0; i < pairs; i++) order.push(...(i % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const)));
  return order;
}

const SETUP_TIMEOUT_MS = 20 * 60_000;

export async function runAbGate(headConfig: Config, deps: GateDeps): Promise<Report> {
  const ab = headConfig.baseline.ab;
  // Base trials measured here and now are the history the comparison needs: min-history counts pairs, not runs.
  const config: Config = { ...headConfig, baseline: { ...headConfig.baseline, minHistory: 1 } };
  if (!ab) throw new Error('runAbGate needs baseline.ref');
  const top = await gitText(['rev-parse', '--show-toplevel'], deps.baseDir, "baseline.ref needs the config file to be inside a git checkout");
  const sha = await gitText(['rev-parse', '--verify', '--end-of-options', `${ab.ref}^{commit}`], top, `baseline.ref '${ab.ref}' is not a commit in ${top} (fetch it first, e.g. actions/checkout with fetch-depth: 0)`);
  const parent = mkdtempSync(join(tmpdir(), 'leakgate-ab-'));
  const worktree = join(parent, 'base');
  deps.logger.info(`A/B: checking out ${ab.ref} (${sha.slice(0, 7)}) into ${worktree}`);
  const added = await git(['worktree', 'add', '--detach', worktree, sha], { cwd: top, timeoutMs: 120_000 });
  if (added.code !== 0) {
    rmSync(parent, { recursive: true, force: true });
    throw new ConfigError(`baseline.ref: could not check out ${ab.ref} into a worktree: ${added.stderr.trim()}`);
  }
  try {
    const baseDir = join(worktree, relative(top, deps.baseDir));
    if (ab.setup !== null) {
      try {
        await runSetup(ab.setup, baseDir, deps);
      } catch (e) {
        return finishReport(config, [], errorMessage(e), { ...deps, baselines: { reports: [], note: null } });
      }
    }
    const baseDeps: GateDeps = { ...deps, baseDir };
    const base: TrialReport[] = [];
    const head: TrialReport[] = [];
    let baseError: string | null = null;
    let headError: string | null = null;
    const order = abOrder(ab.pairs);
    for (const [i, side] of order.entries()) {
      if (baseError || headError || deps.signal?.aborted) break;
      deps.logger.info(`A/B trial ${i + 1}/${order.length}: ${side} (${side === 'base' ? ab.ref : 'this checkout'})`);
      const trials = side === 'base' ? base : head;
      const outcome = await runTrial(config, side === 'base' ? baseDeps : deps, trials.length, ab.pairs);
      trials.push(outcome.trial);
      if (outcome.error) {
        if (side === 'base') baseError = `the base (${ab.ref}) could not be measured: ${outcome.error}`;
        else headError = outcome.error;
      }
    }
    const noBaselines = { reports: [], note: null };
    const baseReport = finishReport(config, base, baseError, { ...deps, baselines: noBaselines });
    const report = finishReport(config, head, headError ?? baseError, {
      ...deps,
      baselines: { reports: baseError ? [] : [baseReport], note: `same-runner A/B against ${ab.ref} (${sha.slice(0, 7)}): ${ab.pairs} interleaved pair(s)` },
    });
    report.baseline = {
      store: 'ab',
      sha,
      branch: ab.ref,
      savedAt: null,
      why: `same-runner A/B: ${ab.ref} built in a worktree, trials interleaved with this run's`,
      curve: baselineCurve(baseReport, config.analysis.metric),
    };
    // Interrupted (SIGINT/SIGTERM): the trials so far, no verdict, as a plain run's report.
    const interrupted = interruptedBy(deps.signal);
    return interrupted ? markInterrupted(report, interrupted) : report;
  } finally {
    const removed = await git(['worktree', 'remove', '--force', worktree], { cwd: top, timeoutMs: 60_000 }).catch((e) => ({ code: 1, stderr: errorMessage(e), stdout: '' }));
    if (removed.code !== 0) deps.logger.warn(`A/B: could not remove the worktree ${worktree}: ${removed.stderr.trim()}`);
    rmSync(parent, { recursive: true, force: true });
  }
}

async function gitText(args: string[], cwd: string, hint: string): Promise<string> {
  const r = await git(args, { cwd, timeoutMs: 30_000 }).catch((e) => ({ code: 1, stdout: '', stderr: errorMessage(e) }));
  if (r.code !== 0 || r.stdout.trim() === '') throw new ConfigError(`${hint} (git: ${r.stderr.trim() || 'no output'})`);
  return r.stdout.trim();
}

/** Runs baseline.setup in the base worktree: an argument list, or one string for /bin/sh -c (the user's choice). */
function runSetup(setup: string[] | string, cwd: string, deps: GateDeps): Promise<void> {
  const [cmd, args] = typeof setup === 'string' ? ['/bin/sh', ['-c', setup]] : [setup[0]!, setup.slice(1)];
  deps.logger.info(`A/B: setup in the base worktree: ${typeof setup === 'string' ? setup : setup.join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 20));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, SETUP_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' && !cmd.includes('/');
      reject(new MeasureError(`baseline.setup could not start '${cmd}': ${missing ? notOnPathMessage(cmd, process.env.PATH) : e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new MeasureError(`baseline.setup failed in the base worktree (${signal ? `signal ${signal}` : `exit code ${code}`}); last lines:\n${tail.map((l) => `    ${l}`).join('\n')}`));
    });
  });
}
