// The JVM's heap in use, from `jcmd <pid> GC.heap_info` run right after `GC.run` (a full GC): the live heap, the
// JVM's counterpart of Node's heap after a forced GC. The JVM reserves its heap up front, so RSS says little until
// the heap limit; the heap used after a full GC grows with what the app keeps. Pure parser.

/**
 * Bytes in use in the heap. G1, ZGC and Shenandoah print one heap line ("garbage-first heap   total 40960K, used
 * 7409K [...]"); the Parallel and Serial collectors print one line per generation ("PSYoungGen total 76288K, used
 * 2621K", "ParOldGen total 175104K, used 4433K"), summed here. Metaspace and class space are not the heap.
 */
export function parseHeapInfoUsed(text: string, source = 'GC.heap_info output'): number {
  const lines = text.split('\n');
  const sizes: number[] = [];
  for (const line of lines) {
    if (/Metaspace|class space/.test(line)) continue;
    const m = /(?:heap|Gen|generation)\s+total\s+(\d+)([KMG])B?,\s*used\s+(\d+)([KMG])B?/i.exec(line);
    if (m) sizes.push(toBytes(Number(m[3]), m[4]!));
  }
  if (sizes.length === 0) {
    const first = lines.map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' | ');
    throw new Error(`${source}: no heap line with "total ..., used ..." (got: ${first.slice(0, 200) || 'nothing'})`);
  }
  // A single-heap collector's one line; or the generations of a generational one.
  return sizes.reduce((a, b) => a + b, 0);
}

function toBytes(n: number, unit: string): number {
  return n * (unit === 'G' ? 1024 ** 3 : unit === 'M' ? 1024 ** 2 : 1024);
}
