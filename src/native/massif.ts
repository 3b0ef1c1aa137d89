// Parser for valgrind massif's output file (massif.out.PID): the heap over time (one line per
// snapshot) and, at the peak, the allocation sites that held the most. Pure: text in, bytes out.

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

interface TreeNode {
  bytes: number;
  /** Null for the root and for "in N places, below massif's threshold" entries. */
  frame: Frame | null;
  belowThreshold: boolean;
  children: TreeNode[];
}

interface Frame {
  fn: string;
  file?: string;
  line?: number;
  object?: string;
}

/** massif's tree depth is --depth (default 30); this bounds recursion on hostile input. */
const MAX_TREE_DEPTH = 1000;
const SEPARATOR = /^#-+$/;

/** Reads a massif output file's text; `source` names it in errors (e.g. its path). */
export function parseMassif(text: string, source = 'massif output'): MassifProfile {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let at = 0;
  function fail(message: string, lineIndex = at): never {
    const got = lineIndex < lines.length ? `'${preview(lines[lineIndex])}'` : 'the end of the file';
    throw new Error(`${source} line ${lineIndex + 1}: ${message}, got ${got}`);
  }
  const header = (key: string): string => {
    const line = lines[at];
    if (line === undefined || !line.startsWith(`${key}: `)) fail(`expected the '${key}: ...' header line (is this a massif.out file?)`);
    at++;
    return line.slice(key.length + 2);
  };
  const desc = header('desc');
  const cmd = header('cmd');
  const timeUnit = header('time_unit');

  const field = (key: string, pattern: RegExp): string => {
    const line = lines[at];
    const value = line?.startsWith(`${key}=`) ? line.slice(key.length + 1) : undefined;
    if (value === undefined || !pattern.test(value)) fail(`expected '${key}=${pattern === INT ? '<integer>' : '<value>'}'`);
    at++;
    return value;
  };

  const snapshots: MassifSnapshot[] = [];
  const trees = new Map<number, TreeNode>();
  while (at < lines.length) {
    if (lines[at].trim() === '' && lines.slice(at).every((l) => l.trim() === '')) break;
    if (!SEPARATOR.test(lines[at])) fail("expected '#-----------' before a snapshot");
    at++;
    const index = Number(field('snapshot', INT));
    if (!SEPARATOR.test(lines[at] ?? '')) fail(`expected '#-----------' after snapshot=${index}`);
    at++;
    const time = Number(field('time', NUMBER));
    const heapBytes = Number(field('mem_heap_B', INT));
    const extraBytes = Number(field('mem_heap_extra_B', INT));
    const stacksBytes = Number(field('mem_stacks_B', INT));
    const kind = field('heap_tree', /^(empty|detailed|peak)$/) as MassifSnapshotKind;
    if (snapshots.length > 0 && index !== snapshots[snapshots.length - 1].index + 1) {
      fail(`snapshot numbers must count up by one (previous ${snapshots[snapshots.length - 1].index})`, at - 7);
    }
    snapshots.push({ index, time, heapBytes, extraBytes, stacksBytes, kind });
    if (kind !== 'empty') trees.set(index, readNode(0));
  }

  function readNode(depth: number): TreeNode {
    if (depth > MAX_TREE_DEPTH) fail(`tree deeper than ${MAX_TREE_DEPTH} levels`);
    const line = lines[at];
    const m = line === undefined ? null : /^( *)n(\d+): (\d+)(?: (.*))?$/.exec(line);
    if (!m) fail(`expected a tree node '${' '.repeat(depth)}n<children>: <bytes> <site>'`);
    const [, indent, countText, bytesText, label = ''] = m;
    if (indent.length !== depth) fail(`expected a tree node indented by ${depth} space(s) (a parent announced more children than follow)`);
    const node: TreeNode = { bytes: Number(bytesText), frame: null, belowThreshold: false, children: [] };
    if (depth > 0) {
      if (/^in \d+ places?, (all )?below massif's threshold/.test(label)) node.belowThreshold = true;
      else {
        const frame = /^0x[0-9A-Fa-f]+: (.*)$/.exec(label);
        if (!frame) fail("expected '0xADDRESS: function (file:line)' or 'in N places, below massif's threshold'");
        node.frame = parseFrame(frame[1]);
      }
    }
    at++;
    const count = Number(countText);
    for (let i = 0; i < count; i++) node.children.push(readNode(depth + 1));
    return node;
  }

  const peakIndex = findPeak(snapshots);
  const peakTree = peakIndex === null ? undefined : trees.get(peakIndex) ?? largestTree(snapshots, trees);
  return {
    desc,
    cmd,
    timeUnit,
    snapshots,
    peakIndex,
    peakSites: peakTree ? sitesOf(peakTree) : [],
    belowThresholdBytes: peakTree ? peakTree.children.filter((c) => c.belowThreshold).reduce((sum, c) => sum + c.bytes, 0) : 0,
  };
}

const INT = /^\d+$/;
const NUMBER = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** "fn (file.c:12)", "fn (in /lib/x.so)", "??? (in /lib/x.so)", or a bare name. */
function parseFrame(text: string): Frame {
  const m = /^(.*) \(([^()]*)\)$/.exec(text);
  if (!m) return { fn: text };
  const [, fn, where] = m;
  const fileLine = /^(.*):(\d+)$/.exec(where);
  if (fileLine) return { fn, file: fileLine[1], line: Number(fileLine[2]) };
  if (where.startsWith('in ')) return { fn, object: where.slice(3) };
  return where === '???' ? { fn } : { fn, object: where };
}

function formatFrame(frame: Frame): string {
  if (frame.file !== undefined) return `${frame.fn} (${frame.file}:${frame.line})`;
  if (frame.object !== undefined) return `${frame.fn} (in ${frame.object})`;
  return frame.fn;
}

function findPeak(snapshots: MassifSnapshot[]): number | null {
  const marked = snapshots.find((s) => s.kind === 'peak');
  if (marked) return marked.index;
  let best: MassifSnapshot | undefined;
  for (const s of snapshots) if (best === undefined || s.heapBytes > best.heapBytes) best = s;
  return best?.index ?? null;
}

/** The tree of the detailed snapshot with the most heap, when the peak itself has none. */
function largestTree(snapshots: MassifSnapshot[], trees: Map<number, TreeNode>): TreeNode | undefined {
  let best: MassifSnapshot | undefined;
  for (const s of snapshots) if (trees.has(s.index) && (best === undefined || s.heapBytes > best.heapBytes)) best = s;
  return best === undefined ? undefined : trees.get(best.index);
}

function sitesOf(root: TreeNode): MassifSite[] {
  const sites: MassifSite[] = [];
  for (const child of root.children) {
    if (child.frame === null) continue;
    const frames: string[] = [];
    let node: TreeNode | undefined = child;
    while (node && node.frame) {
      frames.push(formatFrame(node.frame));
      node = node.children.filter((c) => c.frame !== null).reduce<TreeNode | undefined>((a, c) => (a === undefined || c.bytes > a.bytes ? c : a), undefined);
    }
    const { fn, file, line, object } = child.frame;
    sites.push({ bytes: child.bytes, fn, ...(file !== undefined && { file, line }), ...(object !== undefined && { object }), frames });
  }
  return sites.sort((a, b) => b.bytes - a.bytes);
}

function preview(line: string): string {
  return line.length > 80 ? `${line.slice(0, 80)}...` : line;
}
