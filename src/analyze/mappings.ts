// Where in the address space memory grew: aggregates a process's smaps mappings into regions
// ([heap], [stack], [anonymous], [anon:name], each file by path) and diffs two snapshots, region by
// region, sorted by growth. Pure: mappings in, figures out.
import type { Mapping, MappingKind, ProcessMappings } from '../sample/smaps.js';

/** Sizes of a region, bytes. */
export interface RegionFigures {
  size: number;
  rss: number;
  pss: number;
  anonymous: number;
  privateDirty: number;
  swap: number;
}

/** The mappings of one name, summed. */
export interface MappingRegion extends RegionFigures {
  /** '[heap]', '[stack]', '[anonymous]' (unnamed anonymous), '[anon:name]', a file path, '[vdso]'... */
  name: string;
  kind: MappingKind;
  /** How many mappings were summed. */
  mappings: number;
}

const FIGURES: (keyof RegionFigures)[] = ['size', 'rss', 'pss', 'anonymous', 'privateDirty', 'swap'];

function zero(): RegionFigures {
  return { size: 0, rss: 0, pss: 0, anonymous: 0, privateDirty: 0, swap: 0 };
}

/** The region a mapping is summed into: thread stacks ([stack:TID]) go with [stack]. */
export function regionName(m: Pick<Mapping, 'pathname' | 'kind'>): string {
  if (m.kind === 'stack') return '[stack]';
  if (m.kind === 'anon' && m.pathname === '') return '[anonymous]';
  return m.pathname;
}

/** Sums mappings by region; largest resident first. */
export function aggregateMappings(mappings: readonly Mapping[]): MappingRegion[] {
  const byName = new Map<string, MappingRegion>();
  for (const m of mappings) {
    const name = regionName(m);
    let r = byName.get(name);
    if (!r) {
      r = { name, kind: m.kind, mappings: 0, ...zero() };
      byName.set(name, r);
    }
    r.mappings++;
    for (const k of FIGURES) r[k] += m[k];
  }
  return [...byName.values()].sort((a, b) => b.rss - a.rss || a.name.localeCompare(b.name));
}

/** Sums the regions of several processes by name (e.g. the [heap] of every worker together). */
export function mergeRegions(lists: readonly (readonly MappingRegion[])[]): MappingRegion[] {
  const byName = new Map<string, MappingRegion>();
  for (const list of lists) {
    for (const r of list) {
      const into = byName.get(r.name);
      if (!into) {
        byName.set(r.name, { ...r });
        continue;
      }
      into.mappings += r.mappings;
      for (const k of FIGURES) into[k] += r[k];
    }
  }
  return [...byName.values()].sort((a, b) => b.rss - a.rss || a.name.localeCompare(b.name));
}

export interface RegionDiff {
  name: string;
  kind: MappingKind;
  /** Zero figures where the region did not exist at that snapshot. */
  start: RegionFigures;
  end: RegionFigures;
  /** end - start. */
  delta: RegionFigures;
  /** Only in the end snapshot / only in the start one. */
  appeared: boolean;
  disappeared: boolean;
}

/** The groups a pmap -x reading is summed into: the brk heap, other anonymous memory, stacks, mapped files, the rest. */
export type KindGroup = 'heap' | 'anonymous' | 'stack' | 'file' | 'other';

export const KIND_GROUPS: readonly KindGroup[] = ['heap', 'anonymous', 'stack', 'file', 'other'];

/** [anonymous] and [anon:name] regions are anonymous; [vdso], [vvar] and unnamed specials are other. */
export function kindGroup(kind: MappingKind): KindGroup {
  if (kind === 'anon') return 'anonymous';
  if (kind === 'heap' || kind === 'stack' || kind === 'file') return kind;
  return 'other';
}

type Span = { start: RegionFigures; end: RegionFigures; delta: RegionFigures };

export interface MappingDiff {
  /** Every region of either snapshot, most grown first (anonymous, then rss). */
  regions: RegionDiff[];
  totals: Span;
  /**
   * The totals per kind of region, over every region (kept whole when `regions` is trimmed): whether growth is in
   * the malloc heap, anonymous mmaps (V8, JVM, large mallocs), stacks (threads) or mapped files.
   */
  byKind: Record<KindGroup, Span>;
}

function minus(a: RegionFigures, b: RegionFigures): RegionFigures {
  const d = zero();
  for (const k of FIGURES) d[k] = a[k] - b[k];
  return d;
}

function pickFigures(r: RegionFigures): RegionFigures {
  const f = zero();
  for (const k of FIGURES) f[k] = r[k];
  return f;
}

/** Region by region, what changed from `start` to `end` (both from aggregateMappings). */
export function diffMappings(start: readonly MappingRegion[], end: readonly MappingRegion[]): MappingDiff {
  const before = new Map(start.map((r) => [r.name, r]));
  const after = new Map(end.map((r) => [r.name, r]));
  const names = new Set([...before.keys(), ...after.keys()]);
  const regions: RegionDiff[] = [];
  const span = (): Span => ({ start: zero(), end: zero(), delta: zero() });
  const totals = span();
  const byKind = Object.fromEntries(KIND_GROUPS.map((g) => [g, span()])) as Record<KindGroup, Span>;
  for (const name of names) {
    const a = before.get(name);
    const b = after.get(name);
    const s = a ? pickFigures(a) : zero();
    const e = b ? pickFigures(b) : zero();
    const kind = (b ?? a)!.kind;
    regions.push({ name, kind, start: s, end: e, delta: minus(e, s), appeared: !a, disappeared: !b });
    for (const into of [totals, byKind[kindGroup(kind)]]) {
      for (const k of FIGURES) {
        into.start[k] += s[k];
        into.end[k] += e[k];
      }
    }
  }
  for (const into of [totals, ...Object.values(byKind)]) into.delta = minus(into.end, into.start);
  regions.sort((x, y) => y.delta.anonymous - x.delta.anonymous || y.delta.rss - x.delta.rss || x.name.localeCompare(y.name));
  return { regions, totals, byKind };
}

export interface ProcessMappingDiff {
  pid: number;
  ppid: number;
  comm: string;
  /** Only in the end snapshot / only in the start one. */
  appeared: boolean;
  disappeared: boolean;
  diff: MappingDiff;
}

/** Two snapshotTreeMappings results diffed process by process (by pid), most anonymous growth first. */
export function diffTreeMappings(start: readonly ProcessMappings[], end: readonly ProcessMappings[]): ProcessMappingDiff[] {
  const before = new Map(start.map((p) => [p.pid, p]));
  const after = new Map(end.map((p) => [p.pid, p]));
  const pids = new Set([...before.keys(), ...after.keys()]);
  const out: ProcessMappingDiff[] = [];
  for (const pid of pids) {
    const a = before.get(pid);
    const b = after.get(pid);
    const p = (b ?? a)!;
    out.push({ pid, ppid: p.ppid, comm: p.comm, appeared: !a, disappeared: !b, diff: diffMappings(a?.regions ?? [], b?.regions ?? []) });
  }
  return out.sort((x, y) => y.diff.totals.delta.anonymous - x.diff.totals.delta.anonymous || x.pid - y.pid);
}
