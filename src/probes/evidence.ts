// What the probes found about a trial, as it goes into the report: which process and which memory region grew,
// whether the app was OOM-killed, and (per runtime or native tool) what grew inside the app.
import type { ProcessGrowth } from '../analyze/per-process.js';
import type { ProcessMappingDiff } from '../analyze/mappings.js';
import type { OomDiagnosis } from '../sample/oom.js';

export interface TrialEvidence {
  /** Per process of the tree: slope after warm-up, most growth first. */
  processes?: ProcessGrowth[];
  /** One sentence naming the process that grows, when the tree has several. */
  growingProcess?: string;
  /** smaps after warm-up against the end, per process, top regions only. */
  mappings?: ProcessMappingDiff[];
  /** Set when the app ran in a fresh cgroup or died of SIGKILL. */
  oom?: OomDiagnosis;
  /** The fresh cgroup's limit, bytes. */
  cgroupLimitBytes?: number;
  /** Runtime heap evidence (Node, JVM, Python): see the runtime probes. */
  runtime?: RuntimeEvidence;
  /** Native tool evidence (memcheck, massif, heaptrack). */
  native?: NativeEvidence;
  /** Probes that failed, and why. */
  notes?: string[];
}

/** Growth inside the runtime: classes or allocation sites that grew, with a series of heap readings for Node. */
export interface RuntimeEvidence {
  kind: 'node' | 'jvm' | 'python' | 'go';
  /**
   * Live memory after a forced full GC, bytes, against requests: the gating 'heap' signal. Node: V8 heap used plus
   * external memory (Buffers, ArrayBuffers); JVM: heap used after a full GC; Go: heap objects plus goroutine stacks
   * (MemStats HeapAlloc + StackInuse). v8HeapBytes and externalBytes split Node's figure; processes: how many node
   * processes of the app (cluster workers, forked children) Node's reading summed.
   */
  heapSeries?: Array<{ t: number; requests: number; usedBytes: number; v8HeapBytes?: number; externalBytes?: number; processes?: number }>;
  /** What the forced GCs cost the app: pauses and their share of wall time, the reading rate reached. */
  gcPauses?: { count: number; totalMs: number; medianMs: number; maxMs: number; share: number; medianIntervalMs: number };
  /** Go: live goroutines against requests, read with the heap. */
  goroutineSeries?: Array<{ t: number; requests: number; count: number }>;
  /** Go: slope of the goroutine count after warm-up, goroutines per request. */
  goroutinesPerRequest?: number;
  /** Slope of the heap series, bytes per request. */
  heapBytesPerRequest?: number;
  /** What grew, most first: a constructor / class / source line. */
  growing: Array<{ name: string; countDelta?: number; bytesDelta: number; bytesEnd?: number; detail?: string }>;
  /** A retainer path or stack for the top one, when known. */
  path?: string;
  note?: string;
}

/** Leak records of a native tool, summarised for the report. */
export interface NativeEvidence {
  tool: 'memcheck' | 'massif' | 'heaptrack' | 'jemalloc' | 'tcmalloc';
  /** Leak sites with a fingerprint each; status against the baseline's sites. */
  sites: Array<{
    fingerprint: string;
    kind: string;
    bytes: number;
    blocks: number;
    /** Bytes added during the load (vgdb incremental checks: the latest check against the first). */
    bytesIncrease?: number;
    /** bytesIncrease over the requests served between the first check (or heap profile) and the last. */
    bytesPerRequest?: number;
    label: string;
    stack: string[];
    status: 'new' | 'known' | 'fixed' | 'no-baseline';
    /** A valgrind suppression that accepts this site (new or unbaselined lost sites). */
    suppression?: string;
  }>;
  definitelyLostBytes: number;
  indirectlyLostBytes: number;
  possiblyLostBytes: number;
  stillReachableBytes: number;
  /** heaptrack: bytes not freed at exit (leaked and still reachable alike: heaptrack does not tell them apart). */
  leakedBytes?: number;
  /** massif/heaptrack: peak heap and top sites at the peak. */
  peakHeapBytes?: number;
  peakSites?: Array<{ bytes: number; label: string }>;
  /** massif: heap (useful + allocator overhead) over time, ms since the app started; requests done then, during the load. */
  series?: Array<{ t: number; bytes: number; requests?: number }>;
  /** massif: slope of the heap over the requests after warm-up (Theil-Sen), with its interval. */
  heapTrend?: { bytesPerRequest: number; ciLow: number; ciHigh: number; points: number };
  /** jemalloc/tcmalloc: the two heap profiles diffed (first after warm-up, last), with the requests done at each. */
  profiles?: { first: { file: string; requests: number }; last: { file: string; requests: number }; dumps: number };
  /** jemalloc: whether the profiler was preloaded or the app's own jemalloc was used. */
  allocator?: string;
  /** How fingerprints were made (frames, lines): only sites of the same scheme are compared. */
  scheme?: string;
  /** The tool's output file, kept for a human to open. */
  file?: string;
  /**
   * Why the tool's final report is missing or cut short (no output file, truncated XML, app SIGKILLed): the sites
   * are then not the whole story, and the native-leak gate fails rather than pass on missing data.
   */
  incomplete?: string;
  note?: string;
}
