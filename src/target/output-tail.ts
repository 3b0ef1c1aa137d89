// Keeps the last lines an app printed (stdout and stderr interleaved as read), so a failed
// readiness check or a crash can show them, and tells listeners about each complete line (the
// log readiness probe). Pure: takes chunks, returns lines; no streams, no clock.
import { StringDecoder } from 'node:string_decoder';

export interface OutputTailOptions {
  /** Lines kept; older ones are dropped. Default 100. */
  maxLines?: number;
  /** Longer lines are cut to this many characters, with a note of how many were dropped. Default 2000. */
  maxLineLength?: number;
  /** Called when a line listener throws; the error is otherwise ignored so capture goes on. */
  onListenerError?: (err: unknown) => void;
}

export type LineListener = (line: string) => void;

/** A partial line of one stream, waiting for its newline. Bounded by maxLineLength. */
interface Pending {
  decoder: StringDecoder;
  text: string;
  /** Characters of this line beyond maxLineLength that were not kept. */
  dropped: number;
  /** Last character seen on this line, kept or not: a CR before the LF is not part of the line. */
  lastChar: string;
}

export class OutputTail {
  private readonly maxLines: number;
  private readonly maxLineLength: number;
  private readonly onListenerError: ((err: unknown) => void) | undefined;
  private readonly ring: string[] = [];
  /** Index in `ring` of the oldest line once the ring is full. */
  private head = 0;
  private seen = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<LineListener>();

  constructor(options: OutputTailOptions = {}) {
    this.maxLines = Math.max(1, Math.floor(options.maxLines ?? 100));
    this.maxLineLength = Math.max(1, Math.floor(options.maxLineLength ?? 2000));
    this.onListenerError = options.onListenerError;
  }

  /**
   * Adds a chunk of output. Chunks of different streams (e.g. 'stdout' and 'stderr') keep separate
   * partial lines, so a line split across two reads is not cut by the other stream's output.
   * Byte chunks are decoded as UTF-8, also when a character is split across chunks.
   */
  push(chunk: string | Uint8Array, stream = 'out'): void {
    const p = this.pendingOf(stream);
    const text = typeof chunk === 'string' ? chunk : p.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      this.append(p, text.slice(start, nl));
      this.complete(p);
      start = nl + 1;
    }
    if (start < text.length) this.append(p, text.slice(start));
  }

  /** The stream ended: its unterminated last line, if any, becomes a line. Without a name, every stream. */
  end(stream?: string): void {
    const names = stream === undefined ? [...this.pending.keys()] : [stream];
    for (const name of names) {
      const p = this.pending.get(name);
      if (!p) continue;
      this.append(p, p.decoder.end());
      if (p.text.length > 0 || p.dropped > 0) this.complete(p);
      this.pending.delete(name);
    }
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return this.ring.length < this.maxLines ? [...this.ring] : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  /** Complete lines seen so far, including those no longer kept. */
  get totalLines(): number {
    return this.seen;
  }

  /** Calls `listener` with each complete line from now on. Returns a function that unsubscribes. */
  onLine(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private pendingOf(stream: string): Pending {
    let p = this.pending.get(stream);
    if (!p) {
      p = { decoder: new StringDecoder('utf8'), text: '', dropped: 0, lastChar: '' };
      this.pending.set(stream, p);
    }
    return p;
  }

  private append(p: Pending, s: string): void {
    if (s.length === 0) return;
    p.lastChar = s[s.length - 1] ?? '';
    const room = this.maxLineLength - p.text.length;
    if (s.length <= room) {
      p.text += s;
    } else {
      p.text += s.slice(0, Math.max(0, room));
      p.dropped += s.length - Math.max(0, room);
    }
  }

  private complete(p: Pending): void {
    let line = p.text;
    let dropped = p.dropped;
    if (p.lastChar === '\r') {
      if (dropped > 0) dropped -= 1;
      else line = line.slice(0, -1);
    }
    if (dropped > 0) {
      // Do not leave half a surrogate pair at the cut.
      const last = line.charCodeAt(line.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        line = line.slice(0, -1);
        dropped += 1;
      }
      line = `${line}… [${dropped} more characters]`;
    }
    p.text = '';
    p.dropped = 0;
    p.lastChar = '';
    this.keep(line);
    for (const listener of [...this.listeners]) {
      try {
        listener(line);
      } catch (err) {
        this.onListenerError?.(err);
      }
    }
  }

  private keep(line: string): void {
    this.seen += 1;
    if (this.ring.length < this.maxLines) {
      this.ring.push(line);
    } else {
      this.ring[this.head] = line;
      this.head = (this.head + 1) % this.maxLines;
    }
  }
}
