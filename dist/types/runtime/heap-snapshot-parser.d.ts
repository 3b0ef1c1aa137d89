import type { HeapSnapshot } from './heap-snapshot.js';
/**
 * Parses a .heapsnapshot as it streams in (HeapProfiler.addHeapSnapshotChunk), straight into
 * typed arrays: the text is never held whole. Throws an Error naming the character offset of
 * malformed input.
 */
export declare class HeapSnapshotParser {
    private mode;
    /** Characters consumed before the current chunk. */
    private offset;
    private key;
    /** The part of a string token read so far (a token may span chunks). */
    private token;
    /** Inside a string: the previous character was an unescaped backslash. */
    private escaped;
    private tokenHasEscape;
    private target;
    /** The number being read, -1 between numbers. */
    private num;
    /** Whitespace followed the number being read: another digit would be a second number. */
    private numEnded;
    private readonly strings;
    private expectString;
    private rawDepth;
    private rawInString;
    private rawSeen;
    private rawCapture;
    private rawStart;
    private meta;
    private readonly nodes;
    private readonly edges;
    private readonly seen;
    /** Feeds the next piece of the JSON text. */
    write(chunk: string): void;
    /** The input ended: checks it was one complete snapshot and returns its graph. */
    end(): HeapSnapshot;
    /** Reads integers of "nodes" or "edges" up to the closing ']' or the end of the chunk. */
    private scanNumbers;
    /** Reads a string token up to its closing quote; returns the quote's index, or chunk.length. */
    private scanString;
    /** Skips (or, for "snapshot", captures) one JSON value of any shape. */
    private scanRaw;
    private structural;
    /** Starts the value of this.key at character c. True when c was consumed. */
    private startValue;
    private finishRaw;
    private reserveFromMeta;
    private decodeString;
    private describeMode;
    private fail;
}
/** Parses a whole .heapsnapshot text. */
export declare function parseHeapSnapshot(text: string): HeapSnapshot;
