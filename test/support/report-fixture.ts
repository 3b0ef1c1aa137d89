// A synthetic report for tests of everything that reads reports (renderers, merge, baselines): trials with a
// known slope over a GC sawtooth, and a summary consistent with them.
import type { Report, Sample, TrialAnalysis, TrialReport, Verdict } from '../../src/core/types.js';
import { REPORT_SCHEMA_VERSION } from '../../src/core/types.js';

export const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Factory

export interface TrialSpec {
  verdict: Verdict;
  /** Retained bytes per request of the synthetic series. */
  slope: number;
  samples?: number;
  requestsPerSample?: number;
  outputTail?: string[];
  reason?: string;
}

export function makeSamples(n: number, requestsPerSample: number, slope: number): Sample[] {
  const samples: Sample[] = [];
  for (let i = -2; i < n; i++) {
    const requests = Math.max(0, i) * requestsPerSample;
    // A GC sawtooth on top of the trend, so resampling has something to average.
    const anon = 40 * MiB + slope * requests + (i % 4) * 64 * 1024;
    const total = { rss: anon + 20 * MiB, pss: anon + 10 * MiB, uss: anon + 5 * MiB, anon, swap: 0 };
    samples.push({
      t: i * 250,
      requests,
      total,
      processes: [
        { pid: 4242, ppid: 1, comm: 'node', ...total },
        { pid: 4243, ppid: 4242, comm: 'sh', rss: 1 * MiB, pss: 0.5 * MiB, uss: 0.25 * MiB, anon: 0.1 * MiB, swap: 0 },
      ],
    });
  }
  return samples;
}

export function makeTrial(index: number, spec: TrialSpec): TrialReport {
  const n = spec.samples ?? 80;
  const perSample = spec.requestsPerSample ?? 1000;
  const samples = makeSamples(n, perSample, spec.slope);
  const requests = (n - 1) * perSample;
  const leak = spec.verdict === 'leak';
  const analysis: TrialAnalysis = {
    metric: 'anon',
    verdict: spec.verdict,
    reason: spec.reason ?? (leak ? 'anon grows 178 B/req, p < 0.0001.' : 'No significant growth.'),
    warmupEndIndex: 20,
    warmupEndRequests: 20 * perSample,
    warmupEndMs: 5000,
    warmupMethod: 'plateau',
    points: 30,
    requestsAnalysed: requests - 20 * perSample,
    bytesPerRequest: spec.slope,
    ciLow: spec.slope - 8,
    ciHigh: spec.slope + 8,
    confidence: 0.95,
    pValue: leak ? 0.00001 : 0.42,
    mkS: leak ? 900 : 3,
    tau: leak ? 0.9 : 0.01,
    startBytes: 40 * MiB,
    endBytes: 40 * MiB + spec.slope * requests,
    peakBytes: 40 * MiB + spec.slope * requests + 192 * 1024,
    relativeGrowth: (spec.slope * requests) / (40 * MiB),
    bytesPerSecond: spec.slope * 4000,
    growthPerMillionRequests: spec.slope * 1e6,
  };
  return {
    index,
    startedAt: '2025-01-01T00:00:00.000Z',
    samples,
    load: {
      tool: 'autocannon',
      requests,
      ok: requests - 3,
      non2xx: 3,
      errors: 0,
      timeouts: 0,
      durationMs: 20_000,
      throughput: 4000,
      latency: { p50: 1, p90: 2, p99: 5, max: 20, mean: 1.2 },
    },
    exit: { code: null, signal: 'SIGTERM', early: false },
    analysis,
    outputTail: spec.outputTail ?? ['listening on :3000', 'GET / 200'],
  };
}

export function makeReport(specs: TrialSpec[], overrides: Partial<Report> = {}): Report {
  const trials = specs.map((s, i) => makeTrial(i, s));
  const first = trials[0]!.analysis;
  const leaking = trials.filter((t) => t.analysis.verdict === 'leak').length;
  const verdict: Verdict = leaking > trials.length / 2 ? 'leak' : first.verdict === 'inconclusive' ? 'inconclusive' : 'no-leak';
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'leakgate', version: '0.1.0' },
    name: 'api-server',
    createdAt: '2025-01-01T00:01:00.000Z',
    environment: {
      os: 'Linux',
      kernel: '6.8.0',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'AMD EPYC',
      memoryBytes: 8 * 1024 * MiB,
      node: 'v22.11.0',
      runner: 'GitHub Actions 2.320',
    },
    config: {},
    trials,
    summary: {
      verdict,
      reason: `${leaking} of ${trials.length} conclusive trials leak`,
      metric: 'anon',
      bytesPerRequest: first.bytesPerRequest,
      ciLow: first.ciLow,
      ciHigh: first.ciHigh,
      pValue: first.pValue,
      trialsLeaking: leaking,
      trialsConclusive: trials.length,
      requests: trials.reduce((a, t) => a + t.load.requests, 0),
      throughput: 4000,
      startBytes: first.startBytes,
      peakBytes: Math.max(...trials.map((t) => t.analysis.peakBytes)),
      growthPerMillionRequests: first.growthPerMillionRequests,
      memoryLimitBytes: null,
      secondsToLimit: null,
    },
    gate: leaking > 0 ? { failed: true, reasons: ['anon grows 178 B/req (limit 64 B/req)'] } : { failed: false, reasons: [] },
    error: null,
    comparison: null,
    baselineNote: null,
    ...overrides,
  } as Report;
}

