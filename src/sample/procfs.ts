// Parsers for the /proc files the memory sampler reads: smaps_rollup (the figures smem shows),
// status (the cheap figures ps shows, read every tick), stat (pid, parent and group, to walk the
// process tree), task/TID/children and cmdline. Pure: text in, numbers in bytes out; reading the
// files is the caller's job.

import type { MemoryFigures } from '../core/types.js';

/** The fields of /proc/PID/status the sampler uses, memory in bytes. */
export interface StatusFigures {
  name: string;
  ppid: number;
  vmRss: number;
  rssAnon: number;
  rssFile: number;
  /** Shared memory (tmpfs, shared anonymous mappings): in VmRSS, in neither RssAnon nor RssFile. */
  rssShmem: number;
  vmHwm: number;
  vmSwap: number;
}

/** The fields of /proc/PID/stat the tree walk uses. */
export interface StatFigures {
  pid: number;
  comm: string;
  /** One letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, ... */
  state: string;
  ppid: number;
  pgid: number;
}

const KIB = 1024;

/** Splits `Key:   value` lines into a map; lines without a colon (the rollup header) are skipped. */
function keyValues(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    // The smaps_rollup header ("00400000-7ffd... ---p 00000000 00:00 0 [rollup]") has a colon
    // too, but what precedes it holds spaces, which no field name does.
    if (/\s/.test(key)) continue;
    // Only leading blanks go: a process Name may end in spaces.
    fields.set(key, line.slice(colon + 1).replace(/^[\t ]+/, ''));
  }
  return fields;
}

/** Parses a "1234 kB" value into bytes. */
function kbToBytes(file: string, key: string, value: string): number {
  const m = /^(\d+) kB$/.exec(value);
  if (!m) throw new Error(`${file}: field '${key}' is not a number of kB: '${value}'`);
  return Number(m[1]) * KIB;
}

function requiredKb(file: string, fields: Map<string, string>, key: string): number {
  const value = fields.get(key);
  if (value === undefined) throw new Error(`${file}: field '${key}' is missing`);
  return kbToBytes(file, key, value);
}

/**
 * Memory figures from /proc/PID/smaps_rollup (Linux 4.14+).
 * uss is Private_Clean + Private_Dirty: what the kernel would free if only this process exited.
 */
export function parseSmapsRollup(text: string): MemoryFigures {
  const file = 'smaps_rollup';
  const fields = keyValues(text);
  if (fields.size === 0) throw new Error(`${file}: no 'Key: value kB' lines found (empty or not smaps_rollup)`);
  return {
    rss: requiredKb(file, fields, 'Rss'),
    pss: requiredKb(file, fields, 'Pss'),
    uss: requiredKb(file, fields, 'Private_Clean') + requiredKb(file, fields, 'Private_Dirty'),
    anon: requiredKb(file, fields, 'Anonymous'),
    swap: requiredKb(file, fields, 'Swap'),
  };
}

/**
 * Figures from /proc/PID/status. Name and PPid are always present; the Vm and Rss lines are
 * absent for kernel threads and zombies (they have no address space), so those read as 0.
 */
export function parseStatus(text: string): StatusFigures {
  const file = 'status';
  const fields = keyValues(text);
  const name = fields.get('Name');
  if (name === undefined) throw new Error(`${file}: field 'Name' is missing`);
  const ppidText = fields.get('PPid');
  if (ppidText === undefined) throw new Error(`${file}: field 'PPid' is missing`);
  if (!/^\d+$/.test(ppidText)) throw new Error(`${file}: field 'PPid' is not a number: '${ppidText}'`);
  const optionalKb = (key: string): number => {
    const value = fields.get(key);
    return value === undefined ? 0 : kbToBytes(file, key, value);
  };
  return {
    name,
    ppid: Number(ppidText),
    vmRss: optionalKb('VmRSS'),
    rssAnon: optionalKb('RssAnon'),
    rssFile: optionalKb('RssFile'),
    rssShmem: optionalKb('RssShmem'),
    vmHwm: optionalKb('VmHWM'),
    vmSwap: optionalKb('VmSwap'),
  };
}

/** The memory lines of /proc/PID/status the sampler reads every tick, bytes. */
export interface StatusMemory {
  vmRss: number;
  rssAnon: number;
  rssFile: number;
  rssShmem: number;
  vmSwap: number;
}

const STATUS_MEMORY = /^(VmRSS|RssAnon|RssFile|RssShmem|VmSwap):[\t ]+(\d+) kB$/gm;

/**
 * The memory lines of /proc/PID/status only, for the per-tick read: ~0.5 us against ~12 us for
 * parseStatus, which splits every line. Null when there is no VmRSS line (a zombie or kernel
 * thread: no address space). RssAnon and friends exist since Linux 4.5.
 */
export function parseStatusMemory(text: string): StatusMemory | null {
  let vmRss = -1;
  let rssAnon = -1;
  let rssFile = 0;
  let rssShmem = 0;
  let vmSwap = 0;
  for (const m of text.matchAll(STATUS_MEMORY)) {
    const bytes = Number(m[2]) * KIB;
    switch (m[1]) {
      case 'VmRSS':
        vmRss = bytes;
        break;
      case 'RssAnon':
        rssAnon = bytes;
        break;
      case 'RssFile':
        rssFile = bytes;
        break;
      case 'RssShmem':
        rssShmem = bytes;
        break;
      default:
        vmSwap = bytes;
    }
  }
  if (vmRss < 0) {
    if (/^VmRSS:/m.test(text)) throw new Error(`status: field 'VmRSS' is not a number of kB: '${/^VmRSS:(.*)$/m.exec(text)![1]!.trim()}'`);
    return null;
  }
  if (rssAnon < 0) throw new Error("status: field 'RssAnon' is missing or not a number of kB (it needs Linux 4.5 or later)");
  return { vmRss, rssAnon, rssFile, rssShmem, vmSwap };
}

/**
 * Fields of /proc/PID/stat: "pid (comm) state ppid pgrp ...". comm is whatever the program named
 * itself and may hold spaces and parentheses, so it runs from the first '(' to the LAST ')'.
 */
export function parseStat(text: string): StatFigures {
  const file = 'stat';
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open <= 0 || close < open) {
    throw new Error(`${file}: expected 'pid (comm) state ppid pgrp ...', got '${preview(text)}'`);
  }
  const pidText = text.slice(0, open);
  const comm = text.slice(open + 2, close);
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const [state, ppidText, pgidText] = rest;
  if (!/^\d+$/.test(pidText)) throw new Error(`${file}: pid is not a number: '${pidText}'`);
  if (state === undefined || !/^[A-Za-z]$/.test(state)) {
    throw new Error(`${file}: state after comm is not one letter: '${state ?? ''}' in '${preview(text)}'`);
  }
  if (ppidText === undefined || !/^\d+$/.test(ppidText)) {
    throw new Error(`${file}: ppid is not a number: '${ppidText ?? ''}' in '${preview(text)}'`);
  }
  if (pgidText === undefined || !/^\d+$/.test(pgidText)) {
    throw new Error(`${file}: pgrp is not a number: '${pgidText ?? ''}' in '${preview(text)}'`);
  }
  return { pid: Number(pidText), comm, state, ppid: Number(ppidText), pgid: Number(pgidText) };
}

/**
 * /proc/PID/task/TID/children: the pids of the processes that thread forked, space-separated
 * (Linux 3.5+ with CONFIG_PROC_CHILDREN). Empty text is no children.
 */
export function parseChildren(text: string): number[] {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  for (const w of words) {
    if (!/^\d+$/.test(w)) throw new Error(`children: expected space-separated pids, got '${preview(text)}'`);
  }
  return words.map(Number);
}

/**
 * /proc/PID/cmdline: NUL-separated arguments, shown the way ps does (joined by spaces), capped at
 * `maxLength` characters. Kernel threads and zombies have an empty cmdline: ''.
 */
export function parseCmdline(text: string, maxLength = 200): string {
  const joined = text.split('\0').filter((a, i, all) => a !== '' || i < all.length - 1).join(' ').trim();
  return joined.length > maxLength ? `${joined.slice(0, maxLength - 3)}...` : joined;
}

/** The start of a file's text for an error message, on one line. */
function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 80)}...` : line;
}
