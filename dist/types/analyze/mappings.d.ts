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
/** The region a mapping is summed into: thread stacks ([stack:TID]) go with [stack]. */
export declare function regionName(m: Pick<Mapping, 'pathname' | 'kind'>): string;
/** Sums mappings by region; largest resident first. */
export declare function aggregateMappings(mappings: readonly Mapping[]): MappingRegion[];
/** Sums the regions of several processes by name (e.g. the [heap] of every worker together). */
export declare function mergeRegions(lists: readonly (readonly MappingRegion[])[]): MappingRegion[];
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
export declare const KIND_GROUPS: readonly KindGroup[];
/** [anonymous] and [anon:name] regions are anonymous; [vdso], [vvar] and unnamed specials are other. */
export declare function kindGroup(kind: MappingKind): KindGroup;
type Span = {
    start: RegionFigures;
    end: RegionFigures;
    delta: RegionFigures;
};
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
/** Region by region, what changed from `start` to `end` (both from aggregateMappings). */
export declare function diffMappings(start: readonly MappingRegion[], end: readonly MappingRegion[]): MappingDiff;
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
export declare function diffTreeMappings(start: readonly ProcessMappings[], end: readonly ProcessMappings[]): ProcessMappingDiff[];
export {};
