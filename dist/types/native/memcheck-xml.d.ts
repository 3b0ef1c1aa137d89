import { type FingerprintOptions } from './fingerprint.js';
import type { MemcheckResult } from './memcheck-types.js';
export interface XmlElement {
    name: string;
    attrs: Record<string, string>;
    children: XmlNode[];
    /** Offset of the element's '<' in the input. */
    offset: number;
    /** False when the input ended before the element's end tag (only with allowTruncated). */
    complete: boolean;
}
export type XmlNode = XmlElement | string;
export interface XmlReadOptions {
    /**
     * Accept input that ends inside the root element (a writer killed mid-run): return what was read,
     * with the unfinished elements marked `complete: false`. Malformed markup still throws.
     */
    allowTruncated?: boolean;
}
/** Line and column (1-based) of an offset, for messages. */
export declare function lineColumn(text: string, offset: number): {
    line: number;
    column: number;
};
/**
 * Parses XML into a tree of elements and text: elements, attributes, the five named entities and
 * numeric character references, comments, processing instructions (the <?xml?> declaration only at
 * the start) and CDATA. No DOCTYPE, no namespaces processing. Throws an Error naming `source` and
 * the line/offset of the first problem.
 */
export declare function readXml(xml: string, source?: string, opts?: XmlReadOptions): {
    root: XmlElement;
    truncated: boolean;
};
/** The element children of an element, complete ones only. */
export declare function childElements(el: XmlElement, name?: string): XmlElement[];
/** The concatenated text of an element (its own text nodes, not its children's). */
export declare function textOf(el: XmlElement): string;
export interface MemcheckXmlOptions extends XmlReadOptions {
    /** How leak fingerprints are computed (see fingerprint.ts). */
    fingerprint?: FingerprintOptions;
}
export declare function parseMemcheckXml(xml: string, source?: string, opts?: MemcheckXmlOptions): MemcheckResult;
