// Reads the memory limit of the cgroup a process runs in (v2 memory.max, v1 memory.limit_in_bytes),
// for the "time until the limit is reached" projection. No limit, or none readable: null.
import { readFile } from 'node:fs/promises';
import type { Summary } from '../core/types.js';
import { detectCgroup, readCgroupMemory } from './cgroup.js';

/** v1 reports "no limit" as a huge page-aligned number near 2^63. */
const V1_UNLIMITED = 2 ** 60;

/** Parses /proc/PID/cgroup into the memory controller's path (v1) or the unified path (v2). */
export function memoryCgroupPath(procCgroup: string): { version: 1 | 2; path: string } | null {
  let unified: string | null = null;
  for (const line of procCgroup.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    if (controllers.split(',').includes('memory')) return { version: 1, path };
    if (controllers === '' && line.startsWith('0::')) unified = path;
  }
  return unified !== null ? { version: 2, path: unified } : null;
}

/** Parses memory.max / memory.limit_in_bytes; null when unlimited. */
export function parseLimit(text: string): number | null {
  const t = text.trim();
  if (t === 'max') return null;
  const n = Number(t);
  return Number.isFinite(n) && n > 0 && n < V1_UNLIMITED ? n : null;
}

/**
 * The limit that binds the process: through detectCgroup (the mount table, and the lowest of the
 * cgroup's and its ancestors' limits) where it finds the cgroup, else `root`/memory<path> (v1) or
 * `root`<path> (v2) directly.
 */
export async function readCgroupMemoryLimit(pid: number | 'self' = 'self', root = '/sys/fs/cgroup', procRoot = '/proc'): Promise<number | null> {
  try {
    const cg = root === '/sys/fs/cgroup' ? detectCgroup(pid, { procRoot }) : null;
    if (cg) return readCgroupMemory(cg).limit;
  } catch {
    // fall back to the direct path below
  }
  try {
    const where = memoryCgroupPath(await readFile(`${procRoot}/${pid}/cgroup`, 'utf8'));
    if (!where) return null;
    const file = where.version === 1 ? `${root}/memory${where.path}/memory.limit_in_bytes` : `${root}${where.path}/memory.max`;
    return parseLimit(await readFile(file.replace(/\/+/g, '/'), 'utf8'));
  } catch {
    return null;
  }
}

/** Where the projection's limit came from: the config's memory-limit, the app's fresh cgroup, or leakgate's own cgroup. */
export type MemoryLimitSource = NonNullable<Summary['memoryLimitSource']>;

/**
 * The limit the time-to-OOM projection aims at: memory-limit when set (the user said so), else the limit of the
 * fresh cgroup the app runs in (cgroup.limit: that is what kills it), else the cgroup leakgate inherited (the app
 * runs beside it, under the same limit). `inherited` is only called when needed: it reads the cgroup filesystem.
 */
export async function chooseMemoryLimit(
  config: { memoryLimit?: number; cgroup: { limit?: number } },
  inherited: () => Promise<number | null>,
): Promise<{ bytes: number; source: MemoryLimitSource } | null> {
  if (config.memoryLimit !== undefined) return { bytes: config.memoryLimit, source: 'memory-limit' };
  if (config.cgroup.limit !== undefined) return { bytes: config.cgroup.limit, source: 'cgroup.limit' };
  const bytes = await inherited();
  return bytes === null ? null : { bytes, source: 'inherited cgroup' };
}
