export type MassifSnapshotKind = 'empty' | 'detailed' | 'peak';
export interface MassifSnapshot {
    index: number;
    /** In the file's time unit: ms with leakgate's flags ('i' instructions, 'B' bytes otherwise). */
    time: number;
    /** Useful heap bytes (what the program asked for). */
    heapBytes: number;
    /** Allocator overhead: headers and alignment padding. */
    extraBytes: number;
    /** Stack bytes; 0 unless massif ran with --stacks=yes. */
    stacksBytes: number;
    kind: MassifSnapshotKind;
}
/** One allocation site: a direct child of the tree's root, i.e. a function that called malloc/new. */
export interface MassifSite {
    bytes: number;
    /** The allocating function ('???' when massif had no symbol). */
    fn: string;
    file?: string;
    line?: number;
    /** The binary or library, when massif had no file:line ("in /usr/lib/libfoo.so"). */
    object?: string;
    /** The call chain from the allocating function outward, following the largest caller at each level. */
    frames: string[];
}
export interface MassifProfile {
    desc: string;
    cmd: string;
    timeUnit: string;
    snapshots: MassifSnapshot[];
    /** Index of the peak snapshot (the largest heap when massif marked none); null without snapshots. */
    peakIndex: number | null;
    /** Allocation sites at the peak, largest first; empty when the peak has no tree. */
    peakSites: MassifSite[];
    /** Bytes at the peak that massif folded into "below massif's threshold" entries. */
    belowThresholdBytes: number;
}
/** Reads a massif output file's text; `source` names it in errors (e.g. its path). */
export declare function parseMassif(text: string, source?: string): MassifProfile;
