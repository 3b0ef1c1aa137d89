// Valgrind suppression files: a parser strict enough to count and validate entries (as valgrind
// would refuse them), and the generator of a Memcheck:Leak block for an accepted leak site, to be
// pasted into a file passed with --suppressions=. Pure: text in, text out.
import { isAllocatorFrame } from './fingerprint.js';
import type { LeakKind, LeakSite, StackFrame } from './memcheck-types.js';

/** One `{ ... }` entry of a suppression file. */
export interface Suppression {
  name: string;
  /** Tools before the colon, e.g. ['Memcheck']. */
  tools: string[];
  /** Kind after the colon: 'Leak', 'Addr4', 'Cond', 'Param', ... */
  kind: string;
  /** Memcheck:Leak `match-leak-kinds:`; absent means every kind (valgrind's default). */
  leakKinds?: LeakKind[];
  /** Memcheck:Param: the system call parameter line. */
  param?: string;
  /** Location lines in order: 'fun:malloc', 'obj:/usr/lib/libx.so', 'src:a.c:12', '...'. */
  frames: string[];
  /** Line of the opening '{' (1-based). */
  line: number;
}

const LEAK_KIND_WORDS: Record<string, LeakKind> = {
  definite: 'definitely-lost',
  indirect: 'indirectly-lost',
  possible: 'possibly-lost',
  reachable: 'still-reachable',
};
const WORD_OF_KIND: Record<LeakKind, string> = {
  'definitely-lost': 'definite',
  'indirectly-lost': 'indirect',
  'possibly-lost': 'possible',
  'still-reachable': 'reachable',
};

/**
 * Parses a suppression file: `{`, a name line, `Tool:Kind`, for Memcheck:Leak an optional
 * `match-leak-kinds:` line, for Memcheck:Param the parameter line, then at least one location
 * (`fun:`, `obj:`, `src:` or `...`), then `}`. Blank lines and lines starting with '#' are skipped,
 * as valgrind does. Throws an Error naming `source` and the line of the first problem.
 */
export function parseSuppressionFile(text: string, source = 'suppression file'): Suppression[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '').trim());
  const entries: Suppression[] = [];
  let n = 0;
  const fail = (lineNo: number, message: string): never => {
    const shown = lineNo <= lines.length ? `: '${preview(lines[lineNo - 1])}'` : '';
    throw new Error(`${source}: line ${lineNo}: ${message}${shown}`);
  };
  /** The next meaningful line (1-based number), or undefined at the end. */
  const next = (): { text: string; lineNo: number } | undefined => {
    while (n < lines.length) {
      const line = lines[n++];
      if (line === '' || line.startsWith('#')) continue;
      return { text: line, lineNo: n };
    }
    return undefined;
  };
  for (;;) {
    const open = next();
    if (open === undefined) break;
    if (open.text !== '{') fail(open.lineNo, "expected '{' to start a suppression");
    const ended = (what: string): never => fail(lines.length + 1, `file ends inside the suppression opened at line ${open.lineNo}, expected ${what}`);
    const nameLine = next() ?? ended('a name line');
    if (nameLine.text === '{' || nameLine.text === '}') fail(nameLine.lineNo, 'expected the suppression name');
    const kindLine = next() ?? ended("a 'Tool:Kind' line");
    const km = /^(fun|obj|src):/.test(kindLine.text) ? null : /^([A-Za-z][-A-Za-z0-9]*(?:,[A-Za-z][-A-Za-z0-9]*)*):(\S+)$/.exec(kindLine.text);
    if (!km) return fail(kindLine.lineNo, "expected 'Tool:Kind', e.g. 'Memcheck:Leak'");
    const entry: Suppression = { name: nameLine.text, tools: km[1].split(','), kind: km[2], frames: [], line: open.lineNo };
    const memcheck = entry.tools.includes('Memcheck');
    let line = next() ?? ended("a location or '}'");
    if (memcheck && entry.kind === 'Param') {
      entry.param = line.text;
      line = next() ?? ended("a location or '}'");
    } else if (memcheck && entry.kind === 'Leak' && line.text.startsWith('match-leak-kinds:')) {
      entry.leakKinds = parseLeakKinds(line.text.slice('match-leak-kinds:'.length).trim(), (m) => fail(line.lineNo, m));
      line = next() ?? ended("a location or '}'");
    }
    while (line.text !== '}') {
      if (line.text !== '...' && !/^(fun|obj|src):\S/.test(line.text)) {
        fail(line.lineNo, `location should be '...', or start with 'fun:', 'obj:' or 'src:'`);
      }
      entry.frames.push(line.text);
      line = next() ?? ended("a location or '}'");
    }
    if (entry.frames.length === 0) fail(line.lineNo, `suppression '${preview(entry.name)}' has no location lines`);
    entries.push(entry);
  }
  return entries;
}

function parseLeakKinds(value: string, fail: (message: string) => never): LeakKind[] {
  if (value === 'all') return Object.values(LEAK_KIND_WORDS);
  if (value === 'none') return [];
  const kinds: LeakKind[] = [];
  for (const word of value.split(',').map((w) => w.trim())) {
    const kind = LEAK_KIND_WORDS[word];
    if (kind === undefined) {
      fail(`unknown leak kind '${preview(word)}' (valid: ${Object.keys(LEAK_KIND_WORDS).join(', ')}, or all, none)`);
    }
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

export interface GenerateSuppressionOptions {
  /** Extra allocator names the fingerprints were computed with (they count as allocator frames here too). */
  allocators?: readonly string[];
  /** How many frames below the allocators to include. Default: as many as the site's topFrames. */
  frames?: number;
}

/**
 * A Memcheck:Leak suppression for a leak site, matching its kind and its stack from the allocator
 * down to the frames that identify the site:
 *
 *     {
 *        leakgate-accepted-cache
 *        Memcheck:Leak
 *        match-leak-kinds: definite
 *        fun:malloc
 *        fun:leak_handler
 *        fun:handle
 *     }
 *
 * Valgrind matches `fun:` against mangled names, so frames whose name is demangled C++ are written
 * as `src:file:line` (or `fun:_Znw*` / `fun:_Zna*` for operator new / new[]); frames without a
 * function as `obj:PATH`. A `#` comment line with the site's label and fingerprint comes first.
 */
export function generateSuppression(site: Pick<LeakSite, 'kind' | 'stack' | 'topFrames' | 'label' | 'fingerprint'>, name: string, opts: GenerateSuppressionOptions = {}): string {
  if (name.trim() === '' || /[\r\n]/.test(name) || name.trim() === '{' || name.trim() === '}') {
    throw new Error(`suppression name: expected one non-empty line other than '{' or '}', got '${preview(name)}'`);
  }
  const extra = opts.allocators ?? [];
  let allocators = 0;
  while (allocators < site.stack.length && isAllocatorFrame(site.stack[allocators], extra)) allocators++;
  if (allocators === site.stack.length) allocators = 0;
  const below = opts.frames ?? Math.max(site.topFrames.length, 1);
  if (!Number.isInteger(below) || below < 1) throw new Error(`suppression frames: expected a whole number >= 1, got ${preview(String(below))}`);
  const frames = site.stack.slice(0, allocators + below);
  if (frames.length === 0) throw new Error(`cannot write a suppression for '${preview(site.label)}': its stack is empty`);
  const body = [
    `# ${site.label.replace(/[\r\n]+/g, ' ')} [leakgate ${site.fingerprint}]`,
    '{',
    `   ${name.trim()}`,
    '   Memcheck:Leak',
    `   match-leak-kinds: ${WORD_OF_KIND[site.kind]}`,
    ...frames.map((f) => `   ${locationLine(f)}`),
    '}',
  ];
  return body.join('\n') + '\n';
}

/** A plain (C or mangled) symbol, as valgrind's fun: matches it. */
const PLAIN_SYMBOL = /^[A-Za-z_.$][\w.$@]*$/;

/** The suppression location line that matches one frame. */
export function locationLine(frame: StackFrame): string {
  const fn = frame.fn;
  if (fn !== undefined) {
    if (PLAIN_SYMBOL.test(fn) || fn === '(below main)') return `fun:${fn}`;
    if (/^operator new\(/.test(fn)) return 'fun:_Znw*';
    if (/^operator new\[\]\(/.test(fn)) return 'fun:_Zna*';
    if (frame.file !== undefined && frame.line !== undefined) return `src:${baseName(frame.file)}:${frame.line}`;
    return 'fun:*';
  }
  if (frame.obj !== undefined) return `obj:${frame.obj}`;
  return '...';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function preview(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
