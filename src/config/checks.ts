// The building blocks of config validation: the Problems collector (every problem at once, each naming the
// field, the value and what would be valid) and one validator per kind of value (number, duration, size, ...).
// config.ts and the section modules compose them; nothing here knows leakgate's schema.

/** Where a raw value came from, so an error can say "flag --duration" rather than a YAML path. */
export type SourceLabels = Record<string, string>;

/** Deep-merges plain objects; arrays and scalars in `over` replace those in `base`. */
export function mergeRaw(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = mergeRaw(base[k], v);
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects every problem, so a user fixes their config in one go rather than one error a run. */
export class Problems {
  readonly list: string[] = [];
  constructor(
    private readonly fileLabel: string,
    private readonly labels: SourceLabels,
  ) {}
  add(path: string, value: unknown, valid: string): void {
    const where = this.labels[path] ? `${this.labels[path]} ('${path}')` : `'${path}' in ${this.fileLabel}`;
    this.list.push(`${where} ${valid}, got ${show(value)}`);
  }
  raw(message: string): void {
    this.list.push(message);
  }
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  try {
    return `'${JSON.stringify(value)}'`;
  } catch {
    return `'${String(value)}'`;
  }
}

export function obj(v: unknown, path: string, keys: string[], p: Problems): Record<string, unknown> {
  if (!isPlainObject(v)) {
    p.add(path, v, 'must be a mapping');
    return {};
  }
  for (const k of Object.keys(v)) {
    if (!keys.includes(k)) {
      const full = path ? `${path}.${k}` : k;
      const near = keys.find((c) => c.replace(/-/g, '') === k.replace(/[-_]/g, '').toLowerCase());
      p.raw(`unknown setting '${full}'${near ? ` (did you mean '${path ? path + '.' : ''}${near}'?)` : ''}; valid keys${path ? ` under '${path}'` : ''}: ${keys.join(', ')}`);
    }
  }
  return v;
}

export function str(v: unknown, path: string, dflt: string, p: Problems): string {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'string' && v.length > 0) return v;
  p.add(path, v, 'must be a non-empty string');
  return dflt;
}

export function bool(v: unknown, path: string, dflt: boolean, p: Problems): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  p.add(path, v, 'must be true or false');
  return dflt;
}

export interface Range {
  min?: number;
  max?: number;
}

export function inRange(n: number, r: Range): boolean {
  return (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max);
}

export function rangeText(r: Range): string {
  if (r.min !== undefined && r.max !== undefined) return `between ${r.min} and ${r.max}`;
  if (r.min !== undefined) return `at least ${r.min}`;
  if (r.max !== undefined) return `at most ${r.max}`;
  return 'finite';
}

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function num(v: unknown, path: string, dflt: number, p: Problems, r: Range = {}): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = toNumber(v);
  if (n === undefined || !Number.isFinite(n) || !inRange(n, r)) {
    p.add(path, v, `must be a number ${rangeText(r)}`);
    return dflt;
  }
  return n;
}

export function int(v: unknown, path: string, dflt: number, p: Problems, r: Range = {}): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = toNumber(v);
  if (n === undefined || !Number.isInteger(n) || !inRange(n, r)) {
    p.add(path, v, `must be a whole number ${rangeText(r)}`);
    return dflt;
  }
  return n;
}

export const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000 };

/** Parses "30", 30, "30s", "500ms", "2m" into milliseconds; bare numbers are in `bareUnit`. */
export function parseDuration(v: unknown, bareUnit: 'ms' | 's'): number | undefined {
  const n = toNumber(v);
  if (n !== undefined) return n * UNIT_MS[bareUnit]!;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(v);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

export function duration(v: unknown, path: string, dflt: number, p: Problems, r: Range, bare: 'ms' | 's'): number {
  if (v === undefined || v === null || v === '') return dflt;
  const ms = parseDuration(v, bare);
  if (ms === undefined || !Number.isFinite(ms) || !inRange(ms, r)) {
    const lo = r.min !== undefined ? fmtDur(r.min) : '0s';
    const hi = r.max !== undefined ? fmtDur(r.max) : 'any';
    p.add(path, v, `must be a duration between ${lo} and ${hi} (a number of ${bare === 's' ? 'seconds' : 'milliseconds'}, or e.g. '30s', '500ms', '2m')`);
    return dflt;
  }
  return ms;
}

export function fmtDur(ms: number): string {
  if (ms % 3600_000 === 0 && ms >= 3600_000) return `${ms / 3600_000}h`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

export function seconds(v: unknown, path: string, dflt: number, p: Problems, r: Range): number {
  return duration(v, path, dflt, p, r, 's');
}

export function millis(v: unknown, path: string, dflt: number, p: Problems, r: Range): number {
  return duration(v, path, dflt, p, r, 'ms');
}

export const BYTE_UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/** Parses 536870912, "512MiB", "512 MB", "1.5GiB" into bytes. */
export function parseBytes(v: unknown): number | undefined {
  const n = toNumber(v);
  if (n !== undefined) return n;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(v);
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Math.round(Number(m[1]) * unit) : undefined;
}

export function bytes(v: unknown, path: string, dflt: number, p: Problems, r: Range): number {
  if (v === undefined || v === null || v === '') return dflt;
  const b = parseBytes(v);
  if (b === undefined || !Number.isFinite(b) || !inRange(b, r)) {
    p.add(path, v, `must be a size in bytes ${rangeText(r)} (a number, or e.g. '512MiB', '8MB', '1GiB')`);
    return dflt;
  }
  return b;
}

export function pathList(v: unknown, path: string, p: Problems): string[] {
  if (v === undefined || v === null || v === '') return [];
  const items = typeof v === 'string' ? [v] : v;
  if (Array.isArray(items) && items.every((i) => typeof i === 'string' && i !== '')) return items as string[];
  p.add(path, v, 'must be a path or a list of paths to baseline reports (JSON)');
  return [];
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[], dflt: T, p: Problems): T {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  p.add(path, v, `must be one of ${values.join(', ')}`);
  return dflt;
}

