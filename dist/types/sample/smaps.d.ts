import { type MappingRegion } from '../analyze/mappings.js';
import { type ProcessTreeOptions } from './process-tree.js';
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
/** What a mapping's pathname says it is. */
export declare function mappingKind(pathname: string): MappingKind;
/**
 * Parses /proc/PID/smaps: a header line per mapping ("start-end perms offset dev inode [path]")
 * followed by "Key: N kB" lines (and a few others, e.g. VmFlags, ignored). Throws naming the line
 * that is neither, or the mapping that lacks a field.
 */
export declare function parseSmaps(text: string): Mapping[];
/** The mappings of one process; null when it is gone or has no address space (zombie). */
export declare function readSmaps(pid: number, procRoot?: string): Mapping[] | null;
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
export declare function snapshotTreeMappings(rootPid: number, opts?: ProcessTreeOptions): Promise<ProcessMappings[]>;
