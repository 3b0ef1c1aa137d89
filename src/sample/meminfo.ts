// The machine's memory as `free` shows it, from /proc/meminfo: context for a report (how much room
// the app had, whether the machine swapped). A pure parser and a one-line reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** /proc/meminfo figures, bytes. */
export interface Meminfo {
  total: number;
  free: number;
  /** MemAvailable: what new allocations can get without swapping (Linux 3.14+). */
  available: number;
  buffers: number;
  cached: number;
  swapTotal: number;
  swapFree: number;
}

const FIELDS: [keyof Meminfo, string][] = [
  ['total', 'MemTotal'],
  ['free', 'MemFree'],
  ['available', 'MemAvailable'],
  ['buffers', 'Buffers'],
  ['cached', 'Cached'],
  ['swapTotal', 'SwapTotal'],
  ['swapFree', 'SwapFree'],
];

/** Parses /proc/meminfo ("MemTotal:  24684096 kB" lines); throws naming the missing or malformed field. */
export function parseMeminfo(text: string): Meminfo {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) values.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const out = {} as Meminfo;
  for (const [key, field] of FIELDS) {
    const value = values.get(field);
    if (value === undefined) throw new Error(`meminfo: field '${field}' is missing`);
    const m = /^(\d+) kB$/.exec(value);
    if (!m) throw new Error(`meminfo: field '${field}' is not a number of kB: '${value.slice(0, 40)}'`);
    out[key] = Number(m[1]) * 1024;
  }
  return out;
}

/** The machine's memory now. */
export function readMeminfo(procRoot = '/proc'): Meminfo {
  const path = join(procRoot, 'meminfo');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseMeminfo(text);
  } catch (err) {
    throw new Error((err as Error).message.replace(/^meminfo:/, `${path}:`), { cause: err });
  }
}
