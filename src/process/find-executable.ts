// Where a program is, found the way a shell finds it: a name with a slash as it is (relative to a directory when
// given one), else the first PATH directory holding an executable regular file of that name. Shared by every
// place that needs a tool before running it (load drivers, native tools, jcmd), so they agree on what "found" is.
import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** An executable regular file (not a directory, not a file without the x bit). */
export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The full path of `name`, or null. Empty PATH entries are skipped and an unset PATH finds nothing; `cwd` resolves
 * names with a slash. `isExecutable` is injectable for tests.
 */
export function findExecutable(
  name: string,
  path: string | undefined,
  isExecutable: (file: string) => boolean = isExecutableFile,
  cwd?: string,
): string | null {
  if (name === '') return null;
  if (name.includes('/')) {
    const full = cwd === undefined ? name : resolve(cwd, name);
    return isExecutable(full) ? full : null;
  }
  for (const dir of (path ?? '').split(':')) {
    if (dir === '') continue;
    const candidate = cwd === undefined ? join(dir, name) : resolve(cwd, dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}
