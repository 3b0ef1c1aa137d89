// Where in the address space memory grows (what `pmap -x` shows): /proc/PID/smaps of every process of the tree is
// read once the warm-up share of the load has passed and again when the load ends, aggregated by region
// ([heap], [anonymous], [stack], each library or file), and the regions that grew most are reported.
import { diffTreeMappings, type ProcessMappingDiff } from '../analyze/mappings.js';
import { snapshotTreeMappings, type ProcessMappings } from '../sample/smaps.js';
import { readAfterWarmup, type TrialProbe, type WarmupReading } from './probe.js';

/** Regions kept per process and processes kept, so a big tree does not bloat the report. */
const TOP_REGIONS = 8;
const TOP_PROCESSES = 5;

export function createMappingsProbe(): TrialProbe {
  let reading: WarmupReading<ProcessMappings[]> | null = null;
  let start: ProcessMappings[] | null = null;
  let end: ProcessMappings[] | null = null;
  return {
    name: 'mappings',
    loadStarted(target, ctx) {
      reading = readAfterWarmup(ctx, () => snapshotTreeMappings(target.pid, { pgid: target.pgid }));
    },
    async loadEnded(target) {
      if (reading === null) return;
      start = await reading.settle('memory map snapshot');
      end = await snapshotTreeMappings(target.pid, { pgid: target.pgid });
    },
    async finish() {
      if (!start || !end) return {};
      return { mappings: trimDiffs(diffTreeMappings(start, end)) };
    },
    async dispose() {
      reading?.cancel();
    },
  };
}

export function trimDiffs(diffs: ProcessMappingDiff[]): ProcessMappingDiff[] {
  return diffs.slice(0, TOP_PROCESSES).map((d) => ({ ...d, diff: { ...d.diff, regions: d.diff.regions.slice(0, TOP_REGIONS) } }));
}
