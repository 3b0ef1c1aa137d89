// The drift (slow creep) test on synthetic histories: false alarms on histories of unchanged code, and detection of
// a +20 B/req-per-commit creep over 10 commits, with the test run on every save (each prefix of the history), as
// main's runs do. Per-commit slope noise is drawn per point from the bench corpus's typical interval widths
// (sd 15-30 B/req: 95% intervals of roughly +-30 to +-60 B/req for a 30 s run of the clean examples).
import { detectDrift, type DriftPoint } from '../src/history/change-point.js';
import { gaussian, mulberry32 } from '../test/support/random.js';

export interface DriftBenchOptions {
  seed?: number;
  histories?: number;
  /** Commits per history. */
  commits?: number;
  /** Creep per commit, B/req, and for how many commits. */
  step?: number;
  creepCommits?: number;
  sdMin?: number;
  sdMax?: number;
  /** Alarm must come at the latest on this commit of the creep (1 = its first commit). */
  within?: number;
  threshold?: number;
}

export interface DriftBenchResult {
  histories: number;
  commits: number;
  falseAlarms: number;
  falseAlarmRate: number;
  detected: number;
  detectionRate: number;
  /** Median commit of the creep (1-based) on which the alarm came, among detected. */
  medianDelay: number;
  /** Share of detections whose named start range holds the true start (or the commit before it). */
  startNamedRate: number;
}

/** A synthetic history: level 40 B/req, noise sd drawn per commit; a creep from commit `creepStart` (0-based). */
export function syntheticHistory(random: () => number, o: Required<Pick<DriftBenchOptions, 'commits' | 'step' | 'creepCommits' | 'sdMin' | 'sdMax'>>, creepStart: number | null): DriftPoint[] {
  const out: DriftPoint[] = [];
  for (let i = 0; i < o.commits; i++) {
    const sd = o.sdMin + (o.sdMax - o.sdMin) * random();
    const level = 40 + (creepStart !== null && i >= creepStart ? o.step * Math.min(o.creepCommits, i - creepStart + 1) : 0);
    const v = level + sd * gaussian(random);
    out.push({ value: v, ciLow: v - 1.96 * sd, ciHigh: v + 1.96 * sd });
  }
  return out;
}

export function runDriftBench(opts: DriftBenchOptions = {}): DriftBenchResult {
  const o = { seed: 1, histories: 1000, commits: 50, step: 20, creepCommits: 10, sdMin: 15, sdMax: 30, within: 5, ...opts };
  const random = mulberry32(o.seed);
  const test = (p: DriftPoint[]) => detectDrift(p, o.threshold !== undefined ? { threshold: o.threshold } : {});
  let falseAlarms = 0;
  for (let h = 0; h < o.histories; h++) {
    const p = syntheticHistory(random, o, null);
    for (let t = 1; t <= p.length; t++) {
      if (test(p.slice(0, t)).drift) {
        falseAlarms++;
        break;
      }
    }
  }
  let detected = 0;
  let named = 0;
  const delays: number[] = [];
  for (let h = 0; h < o.histories; h++) {
    // The creep starts after at least 10 commits and leaves room for the creep to finish.
    const start = 10 + Math.floor(random() * (o.commits - 10 - o.creepCommits));
    const p = syntheticHistory(random, o, start);
    for (let t = start + 1; t <= Math.min(p.length, start + o.within); t++) {
      const r = test(p.slice(0, t));
      if (r.drift) {
        detected++;
        delays.push(t - start);
        if (r.rangeStart - 1 <= start && start <= r.rangeEnd + 1) named++;
        break;
      }
    }
  }
  delays.sort((a, b) => a - b);
  return {
    histories: o.histories,
    commits: o.commits,
    falseAlarms,
    falseAlarmRate: falseAlarms / o.histories,
    detected,
    detectionRate: detected / o.histories,
    medianDelay: delays.length ? delays[delays.length >> 1]! : NaN,
    startNamedRate: detected ? named / detected : 0,
  };
}
