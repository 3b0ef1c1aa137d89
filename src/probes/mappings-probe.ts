// Where in the address space memory grows (what `pmap -x` shows): /proc/PID/smaps of every process of the tree is
// read once the warm-up share of the load has passed and again when the load ends, aggregated by region
// ([heap], [anonymous], [stack], each library or file), and the regions that grew most are reported.
import { diffTreeMappings, type ProcessMappingDiff } from '../analyze/mappings.js';
import { snapshotTreeMappings, type ProcessMappings } from '../sample/smaps.js';
import type { TrialProbe } from './probe.js';

/** Regions kept per process and processes kept, so a big tree does not bloat the report. */
const TOP_REGIONS = 8;
const TOP_PROCESSES = 5;

export function createMappingsProbe(): TrialProbe {
  let start: ProcessMappings[] | null = null;
  let end: ProcessMappings[] | null = null;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<void> = Promise.resolve();
  return {
    name: 'mappings',
    loadStarted(target, ctx) {
      const at = Math.max(0, ctx.warmupFraction * ctx.loadDurationMs);
      timer = setTimeout(() => {
        pending = snapshotTreeMappings(target.pid, { pgid: target.pgid }).then((m) => {
          start = m;
        });
      }, at);
      timer.unref();
    },
    async loadEnded(target) {
      clearTimeout(timer);
      await pending;
      if (start) end = await snapshotTreeMappings(target.pid, { pgid: target.pgid });
    },
    async finish() {
      if (!start || !end) return {};
      return { mappings: trimDiffs(diffTreeMappings(start, end)) };
    },
    async dispose() {
      clearTimeout(timer);
    },
  };
}

export function trimDiffs(diffs: ProcessMappingDiff[]): ProcessMappingDiff[] {
  return diffs.slice(0, TOP_PROCESSES).map((d) => ({ ...d, diff: { ...d.diff, regions: d.diff.regions.slice(0, TOP_REGIONS) } }));
}
