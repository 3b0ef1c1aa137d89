export interface OutputTailOptions {
    /** Lines kept; older ones are dropped. Default 100. */
    maxLines?: number;
    /** Longer lines are cut to this many characters, with a note of how many were dropped. Default 2000. */
    maxLineLength?: number;
    /** Called when a line listener throws; the error is otherwise ignored so capture goes on. */
    onListenerError?: (err: unknown) => void;
}
export type LineListener = (line: string) => void;
export declare class OutputTail {
    private readonly maxLines;
    private readonly maxLineLength;
    private readonly onListenerError;
    private readonly ring;
    /** Index in `ring` of the oldest line once the ring is full. */
    private head;
    private seen;
    private readonly pending;
    private readonly listeners;
    constructor(options?: OutputTailOptions);
    /**
     * Adds a chunk of output. Chunks of different streams (e.g. 'stdout' and 'stderr') keep separate
     * partial lines, so a line split across two reads is not cut by the other stream's output.
     * Byte chunks are decoded as UTF-8, also when a character is split across chunks.
     */
    push(chunk: string | Uint8Array, stream?: string): void;
    /** The stream ended: its unterminated last line, if any, becomes a line. Without a name, every stream. */
    end(stream?: string): void;
    /** The kept lines, oldest first. */
    lines(): string[];
    /** Complete lines seen so far, including those no longer kept. */
    get totalLines(): number;
    /** Calls `listener` with each complete line from now on. Returns a function that unsubscribes. */
    onLine(listener: LineListener): () => void;
    private pendingOf;
    private append;
    private complete;
    private keep;
}
