// Finds and parses leakgate.yml. YAML syntax errors become ConfigErrors that name the file and line.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, errorMessage } from '../core/errors.js';

export const DEFAULT_CONFIG_FILE = 'leakgate.yml';

export interface ConfigFile {
  raw: unknown;
  label: string;
  baseDir: string;
}

/**
 * Reads `path`, or ./leakgate.yml when no path is given. With no path and no default file, returns
 * an empty config (flags or inputs may carry all of it), based in `cwd`.
 */
export function readConfigFile(path: string | undefined, cwd: string): ConfigFile {
  const explicit = path !== undefined && path !== '';
  const full = resolve(cwd, explicit ? path : DEFAULT_CONFIG_FILE);
  if (!existsSync(full)) {
    if (explicit) throw new ConfigError(`config file '${path}' does not exist (looked at ${full})`);
    return { raw: {}, label: 'the flags', baseDir: cwd };
  }
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (e) {
    throw new ConfigError(`config file '${full}' could not be read: ${errorMessage(e)}`);
  }
  const label = explicit ? path : DEFAULT_CONFIG_FILE;
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(`config file '${label}' is not valid YAML: ${errorMessage(e)}`);
  }
  return { raw: raw ?? {}, label, baseDir: dirname(full) };
}
