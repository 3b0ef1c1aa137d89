// The two figures a sample point reads from the current process: the live heap (V8 heap used plus external memory;
// array buffers are inside external) and anonymous memory (RssAnon of /proc/self/status, the cheap read of the
// sampler's own signal). Anonymous memory is null where there is no procfs.
import { readFileSync } from 'node:fs';
import { parseStatusMemory } from '../sample/procfs.js';

export interface SelfMemory {
  heapBytes: number;
  anonBytes: number | null;
}

export function readSelfMemory(): SelfMemory {
  const m = process.memoryUsage();
  return { heapBytes: m.heapUsed + m.external, anonBytes: readAnon() };
}

function readAnon(): number | null {
  try {
    return parseStatusMemory(readFileSync('/proc/self/status', 'utf8'))?.rssAnon ?? null;
  } catch {
    return null;
  }
}
