// Checks, before the app is first started, what a run will need at its end or from disk: the report's
// directory (created, and writable), free space there for native tools' output, and the files the config
// names (native.suppressions, load.script, app.cwd). A problem is a ConfigError naming the key and the
// path, instead of a stack trace after minutes of load. It also ends what a dead earlier run left behind.
import { existsSync, mkdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { ConfigError, errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { formatBytes } from '../core/units.js';
import { endLeftovers } from '../target/index.js';

export interface PreflightInput {
  config: Config;
  /** Absolute path of the JSON report. */
  reportPath: string;
  /** Directory the config's relative paths are resolved against. */
  baseDir: string;
  logger: Logger;
  procRoot?: string;
}

/** Free space a native tool's output may need (memcheck's XML and vgdb logs, massif's and heaptrack's files). */
export const NATIVE_FREE_BYTES = 256 * 1024 * 1024;
/** Free space any run needs for its report. */
export const REPORT_FREE_BYTES = 16 * 1024 * 1024;

export async function preflight(input: PreflightInput): Promise<void> {
  const { config, reportPath, baseDir } = input;
  const dir = checkReportDirectory(reportPath, config.reportPath);
  const native = config.native.tool !== 'off';
  checkFreeSpace(dir, native ? NATIVE_FREE_BYTES : REPORT_FREE_BYTES, native ? `native.tool ${config.native.tool}'s output and the report` : 'the report');
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  checkDirectory('app.cwd', config.app.cwd, at(config.app.cwd));
  if (native) for (const s of config.native.suppressions) checkFile('native.suppressions', s, at(s));
  if (config.load.tool === 'k6' && config.load.script) checkFile('load.script', config.load.script, at(config.load.script));
  await endLeftovers({ logger: input.logger, graceMs: config.app.stopGraceMs, ...(input.procRoot ? { procRoot: input.procRoot } : {}) });
}

/** Creates the report's directory and proves it writable; returns it. */
function checkReportDirectory(reportPath: string, given: string): string {
  const dir = dirname(reportPath);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const blocker = nearestExisting(dir);
    const why = blocker !== null && !isDirectory(blocker) ? `${blocker} is a file, not a directory` : errorMessage(e);
    throw new ConfigError(`'report' (${given}): cannot create its directory ${dir}: ${why}`);
  }
  if (isDirectory(reportPath)) throw new ConfigError(`'report' (${given}): ${reportPath} is a directory; give a file path`);
  const probe = resolve(dir, `.leakgate-preflight-${process.pid}`);
  try {
    writeFileSync(probe, '');
  } catch (e) {
    throw new ConfigError(`'report' (${given}): cannot write in its directory ${dir}: ${errorMessage(e)}`);
  } finally {
    rmSync(probe, { force: true });
  }
  return dir;
}

function checkFreeSpace(dir: string, need: number, what: string): void {
  let free: number;
  try {
    const s = statfsSync(dir);
    free = s.bavail * s.bsize;
  } catch {
    return; // a file system that cannot tell: nothing to check
  }
  if (free < need) {
    throw new ConfigError(`only ${formatBytes(free)} free in ${dir}, where ${what} go; leakgate needs at least ${formatBytes(need)}: free some space or set 'report' elsewhere`);
  }
}

function checkFile(key: string, given: string, full: string): void {
  let ok = false;
  try {
    ok = statSync(full).isFile();
  } catch {
    throw new ConfigError(`'${key}' (${given}): ${full} does not exist`);
  }
  if (!ok) throw new ConfigError(`'${key}' (${given}): ${full} is not a file`);
}

function checkDirectory(key: string, given: string, full: string): void {
  if (!isDirectory(full)) throw new ConfigError(`'${key}' (${given}): ${full} is not an existing directory`);
}

/** The path itself or its nearest ancestor that exists. */
function nearestExisting(p: string): string | null {
  for (let at = p; ; at = dirname(at)) {
    if (existsSync(at)) return at;
    if (dirname(at) === at) return null;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
