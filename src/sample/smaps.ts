// Per-mapping memory of a process, as `pmap -x` shows it, from /proc/PID/smaps: a pure parser, a
// reader, and a snapshot of every process of the app's tree aggregated by region ([heap],
// anonymous, each library), which the lead takes at warm-up end and at the end to show where
// memory grew. smaps walks the whole page table (~3 ms for a 100 MiB node): snapshots, not samples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateMappings, type MappingRegion } from '../analyze/mappings.js';
import { isGoneError, scanProcessTree, type ProcessTreeOptions } from './process-tree.js';

export type MappingKind = 'heap' | 'stack' | 'anon' | 'file' | 'vdso' | 'other';

/** One mapping of /proc/PID/smaps; sizes in bytes. */
export interface Mapping {
  /** Start and end addresses, hex as in the file (64-bit addresses do not fit a JS number). */
  start: string;
  end: string;
  /** e.g. 'rw-p'. */
  perms: string;
  /** File offset, hex. */
  offset: string;
  /** Device 'major:minor', hex. */
  dev: string;
  inode: number;
  /** '' for an anonymous mapping; '[heap]', '[stack]', '[anon:name]' or a file path otherwise. */
  pathname: string;
  kind: MappingKind;
  size: number;
  rss: number;
  pss: number;
  anonymous: number;
  privateDirty: number;
  swap: number;
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) (\d+)(?: +(.*))?$/;
const FIELD = /^([A-Za-z_]+):\s+(\d+) kB$/;
const WANTED: Record<string, keyof Mapping> = {
  Size: 'size',
  Rss: 'rss',
  Pss: 'pss',
  Anonymous: 'anonymous',
  Private_Dirty: 'privateDirty',
  Swap: 'swap',
};
const REQUIRED = ['Size', 'Rss', 'Pss', 'Anonymous', 'Private_Dirty', 'Swap'];

/** What a mapping's pathname says it is. */
export function mappingKind(pathname: string): MappingKind {
  if (pathname === '') return 'anon';
  if (pathname === '[heap]') return 'heap';
  if (pathname === '[stack]' || pathname.startsWith('[stack:')) return 'stack';
  if (pathname === '[vdso]' || pathname === '[vvar]' || pathname === '[vsyscall]' || pathname.startsWith('[vvar_')) return 'vdso';
  if (pathname.startsWith('[anon:') || pathname.startsWith('[anon_shmem:')) return 'anon';
  if (pathname.startsWith('/')) return 'file';
  return 'other';
}

/**
 * Parses /proc/PID/smaps: a header line per mapping ("start-end perms offset dev inode [path]")
 * followed by "Key: N kB" lines (and a few others, e.g. VmFlags, ignored). Throws naming the line
 * that is neither, or the mapping that lacks a field.
 */
export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | null = null;
  let seen = new Set<string>();
  let headerLine = 0;
  const finish = (): void => {
    if (current === null) return;
    const missing = REQUIRED.filter((k) => !seen.has(k));
    if (missing.length > 0) {
      throw new Error(`smaps: mapping ${current.start}-${current.end} (line ${headerLine}) lacks ${missing.join(', ')}`);
    }
    out.push(current);
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const field = FIELD.exec(line);
    if (field) {
      if (current === null) throw new Error(`smaps: line ${i + 1} '${line.slice(0, 60)}' comes before any mapping header`);
      const key = WANTED[field[1]!];
      if (key !== undefined) {
        (current as unknown as Record<string, number>)[key] = Number(field[2]) * 1024;
        seen.add(field[1]!);
      }
      continue;
    }
    const h = HEADER.exec(line);
    if (h) {
      finish();
      const pathname = (h[7] ?? '').trim();
      current = {
        start: h[1]!,
        end: h[2]!,
        perms: h[3]!,
        offset: h[4]!,
        dev: h[5]!,
        inode: Number(h[6]),
        pathname,
        kind: mappingKind(pathname),
        size: 0,
        rss: 0,
        pss: 0,
        anonymous: 0,
        privateDirty: 0,
        swap: 0,
      };
      seen = new Set();
      headerLine = i + 1;
      continue;
    }
    // Other "Key: value" lines (VmFlags, THPeligible, ProtectionKey) carry no sizes.
    if (current !== null && /^[A-Za-z_]+:/.test(line)) continue;
    throw new Error(`smaps: line ${i + 1} is neither a mapping header nor a 'Key: value' line: '${line.slice(0, 80)}'`);
  }
  finish();
  return out;
}

/** The mappings of one process; null when it is gone or has no address space (zombie). */
export function readSmaps(pid: number, procRoot = '/proc'): Mapping[] | null {
  let text: string;
  try {
    text = readFileSync(join(procRoot, String(pid), 'smaps'), 'utf8');
  } catch (err) {
    if (isGoneError(err)) return null;
    throw new Error(`cannot read ${join(procRoot, String(pid), 'smaps')}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseSmaps(text);
  } catch (err) {
    throw new Error(`${join(procRoot, String(pid))}/${(err as Error).message}`, { cause: err });
  }
}

/** One process's mappings, aggregated by region. */
export interface ProcessMappings {
  pid: number;
  ppid: number;
  comm: string;
  regions: MappingRegion[];
}

/**
 * Every live process of the app's tree (root, descendants, and the process group as in
 * listProcessTree) with its mappings aggregated by region. A process that exits meanwhile is left out.
 */
export async function snapshotTreeMappings(rootPid: number, opts: ProcessTreeOptions = {}): Promise<ProcessMappings[]> {
  const procRoot = opts.procRoot ?? '/proc';
  const out: ProcessMappings[] = [];
  for (const p of scanProcessTree(rootPid, { ...opts, procRoot })) {
    const mappings = readSmaps(p.pid, procRoot);
    if (mappings === null || mappings.length === 0) continue;
    out.push({ pid: p.pid, ppid: p.ppid, comm: p.comm, regions: aggregateMappings(mappings) });
  }
  return out;
}
