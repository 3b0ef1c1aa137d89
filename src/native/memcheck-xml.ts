// Reads valgrind memcheck's XML output (--xml=yes --xml-file=...): a small strict XML reader (no
// dependency) and the interpretation of its elements as leak records, other errors and run status.
// Pure: text in, MemcheckResult out; reading the file is the caller's job.
import { fingerprintLeak, type FingerprintOptions } from './fingerprint.js';
import type { LeakKind, LeakRecord, MemcheckError, MemcheckResult, StackFrame, SuppressionCount } from './memcheck-types.js';

// ---------------------------------------------------------------------------------------------
// XML reader

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

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Line and column (1-based) of an offset, for messages. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** "line 3, column 7 (offset 42)". */
function where(text: string, offset: number): string {
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column} (offset ${offset})`;
}

class Truncated {
  constructor(readonly offset: number, readonly what: string) {}
}

/**
 * Parses XML into a tree of elements and text: elements, attributes, the five named entities and
 * numeric character references, comments, processing instructions (the <?xml?> declaration only at
 * the start) and CDATA. No DOCTYPE, no namespaces processing. Throws an Error naming `source` and
 * the line/offset of the first problem.
 */
export function readXml(xml: string, source = 'XML', opts: XmlReadOptions = {}): { root: XmlElement; truncated: boolean } {
  const fail = (offset: number, message: string): never => {
    throw new Error(`${source}: ${message} at ${where(xml, offset)}`);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  const find = (token: string, from: number, what: string, start: number): number => {
    const at = xml.indexOf(token, from);
    if (at < 0) throw new Truncated(start, what);
    return at;
  };
  const readName = (at: number, what: string): string => {
    if (at >= xml.length) throw new Truncated(at, what);
    NAME.lastIndex = at;
    const m = NAME.exec(xml);
    if (!m) return fail(at, `expected a name in ${what}, found '${preview(xml.slice(at, at + 20))}'`);
    return m[0];
  };
  const skipSpace = (at: number): number => {
    for (let c = xml.charCodeAt(at); c === 32 || c === 9 || c === 10 || c === 13; c = xml.charCodeAt(++at));
    return at;
  };
  const decode = (raw: string, offset: number): string =>
    !raw.includes('&') ? raw : raw.replace(/&([^;&<\s]*);?/g, (whole, body: string, pos: number) => {
      if (!whole.endsWith(';')) return fail(offset + pos, `unterminated entity '${preview(whole)}'`);
      if (body in ENTITIES) return ENTITIES[body];
      const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
      if (!m) return fail(offset + pos, `unknown entity '&${preview(body)};' (valid: &lt; &gt; &amp; &quot; &apos; &#N; &#xH;)`);
      const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2], 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return fail(offset + pos, `character reference '&${body};' is not a valid character`);
      }
      return String.fromCodePoint(code);
    });
  const addText = (text: string, offset: number): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (/\S/.test(text)) fail(offset + text.search(/\S/), `text outside the root element: '${preview(text.trim())}'`);
      return;
    }
    if (text !== '') top.children.push(text);
  };

  try {
    while (i < xml.length) {
      if (xml[i] !== '<') {
        const next = xml.indexOf('<', i);
        if (next < 0 && stack.length > 0) break; // cut inside an element: reported below
        const end = next < 0 ? xml.length : next;
        addText(decode(xml.slice(i, end), i), i);
        i = end;
        continue;
      }
      const start = i;
      if (xml.startsWith('<?', i)) {
        const end = find('?>', i + 2, 'processing instruction', start);
        const target = readName(i + 2, 'processing instruction');
        if (target.toLowerCase() === 'xml' && start !== (xml.charCodeAt(0) === 0xfeff ? 1 : 0)) {
          fail(start, 'the <?xml ...?> declaration must be at the very start');
        }
        i = end + 2;
      } else if (xml.startsWith('<!--', i)) {
        i = find('-->', i + 4, 'comment', start) + 3;
      } else if (xml.startsWith('<![CDATA[', i)) {
        if (stack.length === 0) fail(start, 'CDATA outside the root element');
        const end = find(']]>', i + 9, 'CDATA section', start);
        stack[stack.length - 1].children.push(xml.slice(i + 9, end));
        i = end + 3;
      } else if (xml.startsWith('<!', i)) {
        if (i + 2 >= xml.length) throw new Truncated(start, 'markup');
        fail(start, `unsupported markup '${preview(xml.slice(i, i + 12))}' (no DOCTYPE or declarations expected)`);
      } else if (xml.startsWith('</', i)) {
        const name = readName(i + 2, 'end tag');
        const close = skipSpace(i + 2 + name.length);
        if (close >= xml.length) throw new Truncated(start, 'end tag');
        if (xml[close] !== '>') fail(close, `expected '>' to close </${name}`);
        const open = stack.pop();
        if (open === undefined) return fail(start, `end tag </${name}> without a start tag`);
        if (open.name !== name) {
          fail(start, `end tag </${name}> does not match <${open.name}> opened at ${where(xml, open.offset)}`);
        }
        open.complete = true;
        i = close + 1;
      } else {
        const name = readName(i + 1, 'start tag');
        if (root !== undefined && stack.length === 0) fail(start, `a second root element <${name}> after </${root.name}>`);
        const el: XmlElement = { name, attrs: {}, children: [], offset: start, complete: false };
        let at = i + 1 + name.length;
        let selfClosing = false;
        for (;;) {
          const afterSpace = skipSpace(at);
          if (afterSpace >= xml.length) throw new Truncated(start, `start tag <${name}>`);
          if (xml[afterSpace] === '>') {
            at = afterSpace + 1;
            break;
          }
          if (xml.startsWith('/>', afterSpace)) {
            at = afterSpace + 2;
            selfClosing = true;
            break;
          }
          if (xml[afterSpace] === '/' && afterSpace + 1 >= xml.length) throw new Truncated(start, `start tag <${name}>`);
          if (afterSpace === at) fail(at, `expected whitespace, '>' or '/>' in <${name}>`);
          const attr = readName(afterSpace, `attributes of <${name}>`);
          let p = skipSpace(afterSpace + attr.length);
          if (p >= xml.length) throw new Truncated(start, `start tag <${name}>`);
          if (xml[p] !== '=') fail(p, `expected '=' after attribute '${attr}' of <${name}>`);
          p = skipSpace(p + 1);
          if (p >= xml.length) throw new Truncated(start, `start tag <${name}>`);
          const quote = xml[p];
          if (quote !== '"' && quote !== "'") fail(p, `attribute '${attr}' of <${name}> needs a quoted value`);
          const endQuote = find(quote, p + 1, `start tag <${name}>`, start);
          const raw = xml.slice(p + 1, endQuote);
          if (raw.includes('<')) fail(p + 1 + raw.indexOf('<'), `'<' in the value of attribute '${attr}' of <${name}>`);
          if (attr in el.attrs) fail(afterSpace, `attribute '${attr}' repeated in <${name}>`);
          el.attrs[attr] = decode(raw, p + 1);
          at = endQuote + 1;
        }
        if (stack.length > 0) stack[stack.length - 1].children.push(el);
        else root = el;
        if (selfClosing) el.complete = true;
        else stack.push(el);
        i = at;
      }
    }
  } catch (err) {
    if (!(err instanceof Truncated)) throw err;
    if (!opts.allowTruncated || root === undefined) {
      fail(err.offset, `input ends inside ${err.what}${root === undefined ? ' before the root element' : ''} (truncated?)`);
    }
    return { root: root as XmlElement, truncated: true };
  }
  if (root === undefined) return fail(i, xml.trim() === '' ? 'input is empty' : 'no root element');
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    if (!opts.allowTruncated) {
      fail(xml.length, `input ends before </${open.name}> (element opened at ${where(xml, open.offset)}; truncated?)`);
    }
    return { root, truncated: true };
  }
  return { root, truncated: false };
}

/** The element children of an element, complete ones only. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.complete && (name === undefined || c.name === name));
}

/** The concatenated text of an element (its own text nodes, not its children's). */
export function textOf(el: XmlElement): string {
  return el.children.filter((c): c is string => typeof c === 'string').join('');
}

// ---------------------------------------------------------------------------------------------
// memcheck output

export interface MemcheckXmlOptions extends XmlReadOptions {
  /** How leak fingerprints are computed (see fingerprint.ts). */
  fingerprint?: FingerprintOptions;
}

const LEAK_KINDS_BY_XML: Record<string, LeakKind> = {
  Leak_DefinitelyLost: 'definitely-lost',
  Leak_IndirectlyLost: 'indirectly-lost',
  Leak_PossiblyLost: 'possibly-lost',
  Leak_StillReachable: 'still-reachable',
};

/**
 * Reads memcheck's XML (protocol 4, valgrind 3.x): leak records with fingerprints, other errors
 * counted by kind, pid, status, fatal signal and suppression counts. Throws an Error naming
 * `source` and the line for malformed XML, a truncated file (unless allowTruncated), another
 * tool's output, or an element whose content is not what memcheck writes.
 */
/** "48 (8 direct, 40 indirect) bytes in 1 blocks are definitely lost in loss record 3 of 4" */
const DIRECT_INDIRECT = /\((\d[\d,]*) direct, (\d[\d,]*) indirect\)/;

export function parseMemcheckXml(xml: string, source = 'memcheck XML', opts: MemcheckXmlOptions = {}): MemcheckResult {
  const { root, truncated } = readXml(xml, source, opts);
  const at = (el: XmlElement): string => `line ${lineColumn(xml, el.offset).line}`;
  const fail = (el: XmlElement, message: string): never => {
    throw new Error(`${source}: <${el.name}> at ${at(el)}: ${message}`);
  };
  if (root.name !== 'valgrindoutput') fail(root, `root element is <${root.name}>, expected <valgrindoutput> (is this valgrind --xml=yes output?)`);

  const first = (el: XmlElement, name: string): XmlElement | undefined => childElements(el, name)[0];
  const text = (el: XmlElement, name: string): string | undefined => {
    const child = first(el, name);
    return child === undefined ? undefined : textOf(child).trim();
  };
  const required = (el: XmlElement, name: string): string => {
    const value = text(el, name);
    return value === undefined ? fail(el, `missing <${name}>`) : value;
  };
  const toWhole = (child: XmlElement): number => {
    const value = textOf(child).trim();
    return /^\d+$/.test(value) ? Number(value) : fail(child, `not a whole number: '${preview(value)}'`);
  };
  const optionalWhole = (el: XmlElement, name: string): number | undefined => {
    const child = first(el, name);
    return child === undefined ? undefined : toWhole(child);
  };
  const whole = (el: XmlElement, name: string): number => {
    const child = first(el, name);
    return child === undefined ? fail(el, `missing <${name}>`) : toWhole(child);
  };
  const frames = (stackEl: XmlElement | undefined): StackFrame[] =>
    stackEl === undefined
      ? []
      : childElements(stackEl, 'frame').map((f) => {
          const frame: StackFrame = {};
          for (const key of ['ip', 'obj', 'fn', 'dir', 'file'] as const) {
            const value = text(f, key);
            if (value !== undefined) frame[key] = value;
          }
          const line = optionalWhole(f, 'line');
          if (line !== undefined) frame.line = line;
          return frame;
        });

  const tool = text(root, 'protocoltool');
  if (tool === undefined && !truncated) fail(root, 'missing <protocoltool>');
  if (tool !== undefined && tool !== 'memcheck') fail(root, `output of valgrind tool '${tool}', expected 'memcheck'`);

  const result: MemcheckResult = {
    source,
    tool,
    leaks: [],
    errors: [],
    errorCounts: {},
    suppressed: [],
    truncated,
  };
  const version = optionalWhole(root, 'protocolversion');
  if (version !== undefined) result.protocolVersion = version;
  const pid = optionalWhole(root, 'pid');
  if (pid !== undefined) result.pid = pid;
  const ppid = optionalWhole(root, 'ppid');
  if (ppid !== undefined) result.ppid = ppid;

  const argsEl = first(root, 'args');
  const argvEl = argsEl === undefined ? undefined : first(argsEl, 'argv');
  if (argvEl !== undefined) {
    result.argv = childElements(argvEl).filter((c) => c.name === 'exe' || c.name === 'arg').map((c) => textOf(c));
  }

  for (const statusEl of childElements(root, 'status')) {
    const state = required(statusEl, 'state');
    if (state === 'RUNNING' || state === 'FINISHED') result.status = state;
    else fail(statusEl, `state is '${preview(state)}', expected RUNNING or FINISHED`);
  }

  const fatal = first(root, 'fatal_signal');
  if (fatal !== undefined) {
    const signo = whole(fatal, 'signo');
    const signame = text(fatal, 'signame');
    result.fatalSignal = signame === undefined ? { signo } : { signo, signame };
  }

  const countsByUnique = new Map<string, number>();
  const errorCountsEl = first(root, 'errorcounts');
  if (errorCountsEl !== undefined) {
    for (const pair of childElements(errorCountsEl, 'pair')) {
      countsByUnique.set(required(pair, 'unique'), whole(pair, 'count'));
    }
  }
  const suppCountsEl = first(root, 'suppcounts');
  if (suppCountsEl !== undefined) {
    result.suppressed = childElements(suppCountsEl, 'pair').map(
      (pair): SuppressionCount => ({ name: required(pair, 'name'), count: whole(pair, 'count') }),
    );
  }

  for (const errorEl of childElements(root, 'error')) {
    const kindText = required(errorEl, 'kind');
    const stack = frames(first(errorEl, 'stack'));
    if (kindText.startsWith('Leak_')) {
      const kind = LEAK_KINDS_BY_XML[kindText];
      if (kind === undefined) {
        fail(errorEl, `unknown leak kind '${preview(kindText)}' (valid: ${Object.keys(LEAK_KINDS_BY_XML).join(', ')})`);
      }
      const xwhat = first(errorEl, 'xwhat') ?? fail(errorEl, `leak error without <xwhat>`);
      const bytes = whole(xwhat, 'leakedbytes');
      const blocks = whole(xwhat, 'leakedblocks');
      const { fingerprint, label } = fingerprintLeak(kind, stack, opts.fingerprint);
      const record: LeakRecord = { kind, bytes, blocks, stack, fingerprint, label };
      // <leakedbytes> includes the indirect bytes; only <text> has the split.
      const split = DIRECT_INDIRECT.exec(text(xwhat, 'text') ?? '');
      if (split) record.indirectBytes = Number(split[2]!.replace(/,/g, ''));
      result.leaks.push(record);
      continue;
    }
    const unique = text(errorEl, 'unique');
    const xwhat = first(errorEl, 'xwhat');
    const what = text(errorEl, 'what') ?? (xwhat !== undefined ? text(xwhat, 'text') : undefined) ?? '';
    const error: MemcheckError = { kind: kindText, what, count: (unique !== undefined ? countsByUnique.get(unique) : undefined) ?? 1, stack };
    if (unique !== undefined) error.unique = unique;
    result.errors.push(error);
    result.errorCounts[kindText] = (result.errorCounts[kindText] ?? 0) + error.count;
  }
  return result;
}

function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}
