// Decides whether this commit's trials use more memory than the stored baseline of the base branch:
// per figure (bytes/request slope, peak memory) a regression / unchanged / improved verdict that
// needs both statistical significance and a practical size, plus a CUSUM of the two memory curves
// and warnings when the runs are not comparable. Pure: data in, data out.
//
// The test depends on how many trials each side has:
//   ≥ 2 vs ≥ 2   Welch's two-sample t-test (one-sided, for an increase)
//   1 vs ≥ 2     a prediction interval over the baseline history (and ≥ 2 vs 1 the mirror image)
//   1 vs 1       the head trial's own slope interval against the baseline value; peak by tolerance
// The Student t distribution these need is stdlib's (analyze/distributions.ts).

import { formatBytes, formatBytesPerRequest, formatPValue } from '../core/units.js';
import type { Environment, MetricName, Report, TrialReport } from '../core/types.js';
import { cusumDivergence, DEFAULT_CUSUM, notCompared, type CusumOptions, type DifferentialResult } from './differential.js';

// Student's t distribution and the special functions under it, from a maintained library; re-exported here so
// callers keep importing them from compare/.
export { logGamma, regularizedIncompleteBeta, studentTCdf, studentTPdf, studentTQuantile, studentTUpperTail } from '../analyze/distributions.js';
import { studentTCdf, studentTQuantile, studentTUpperTail } from '../analyze/distributions.js';

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Unbiased sample variance (n - 1 denominator); 0 below two values. */
function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1);
}

export interface WelchResult {
  meanA: number;
  meanB: number;
  /** meanA - meanB. */
  difference: number;
  /** Standard error of the difference, √(s²_A/n_A + s²_B/n_B). */
  standardError: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** One-sided p-value for meanA > meanB: P(T ≥ t). */
  pGreater: number;
  /** One-sided p-value for meanA < meanB: P(T ≤ t). */
  pLess: number;
  /** Two-sided p-value. */
  pTwoSided: number;
}

/**
 * Welch's unequal-variances t-test (Welch 1947, "The generalization of 'Student's' problem when
 * several different population variances are involved", Biometrika 34): t = (x̄_A - x̄_B)/SE with
 * SE² = s²_A/n_A + s²_B/n_B, and the Welch–Satterthwaite degrees of freedom
 * ν = SE⁴ / [(s²_A/n_A)²/(n_A-1) + (s²_B/n_B)²/(n_B-1)] (Satterthwaite 1946). Needs two values per
 * side. When both sides are constant the test is degenerate: any difference is then certain.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  const meanA = mean(a);
  const meanB = mean(b);
  const difference = meanA - meanB;
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const standardError = Math.sqrt(va + vb);
  if (!(standardError > 0)) {
    const pGreater = difference > 0 ? 0 : difference < 0 ? 1 : 0.5;
    const pLess = difference < 0 ? 0 : difference > 0 ? 1 : 0.5;
    const t = difference === 0 ? 0 : Math.sign(difference) * Infinity;
    return { meanA, meanB, difference, standardError: 0, t, df: a.length + b.length - 2, pGreater, pLess, pTwoSided: difference === 0 ? 1 : 0 };
  }
  const t = difference / standardError;
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const pGreater = studentTUpperTail(t, df);
  const pLess = studentTCdf(t, df);
  return { meanA, meanB, difference, standardError, t, df, pGreater, pLess, pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)) };
}

/** Two-sided confidence interval for the difference of means of a Welch test: d ± t_{(1+c)/2,ν}·SE. */
export function welchConfidenceInterval(w: WelchResult, confidence: number): { low: number; high: number } {
  if (!(w.standardError > 0)) return { low: w.difference, high: w.difference };
  const q = studentTQuantile(1 - (1 - confidence) / 2, w.df);
  return { low: w.difference - q * w.standardError, high: w.difference + q * w.standardError };
}

export interface PredictionResult {
  /** Mean and standard deviation of the history. */
  mean: number;
  sd: number;
  n: number;
  /** Scale of a new observation's deviation from the mean: s·√(1 + 1/n). */
  scale: number;
  /** (value - mean) / scale, Student t with n - 1 degrees of freedom under the null. */
  t: number;
  df: number;
  /** One-sided p-value that the new value comes from above the history: P(T ≥ t). */
  pGreater: number;
  pLess: number;
}

/**
 * Prediction test of one new observation against a normal history of n values: under the null,
 * (x - x̄)/(s·√(1 + 1/n)) follows Student's t with n - 1 degrees of freedom, so the prediction
 * interval is x̄ ± t_{n-1}·s·√(1 + 1/n) (Hahn & Meeker 1991, "Statistical Intervals", §4.7;
 * NIST/SEMATECH e-Handbook §7.1.3). Needs n ≥ 2; a constant history makes it degenerate.
 */
export function predictionTest(history: readonly number[], value: number): PredictionResult {
  const n = history.length;
  const m = mean(history);
  const sd = Math.sqrt(sampleVariance(history));
  const scale = sd * Math.sqrt(1 + 1 / n);
  const df = n - 1;
  const diff = value - m;
  if (!(scale > 0)) {
    return {
      mean: m, sd, n, scale: 0, df,
      t: diff === 0 ? 0 : Math.sign(diff) * Infinity,
      pGreater: diff > 0 ? 0 : diff < 0 ? 1 : 0.5,
      pLess: diff < 0 ? 0 : diff > 0 ? 1 : 0.5,
    };
  }
  const t = diff / scale;
  return { mean: m, sd, n, scale, t, df, pGreater: studentTUpperTail(t, df), pLess: studentTCdf(t, df) };
}

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

export interface CompareOptions {
  /** One-sided significance level of the regression test. */
  alpha: number;
  /** Practical floor: the effect must exceed this share of the baseline value. */
  relativeTolerance: number;
  /** Practical floor for the slope, bytes per request. */
  absoluteToleranceBytesPerRequest: number;
  /** Practical floor for the peak, bytes. */
  absoluteTolerancePeakBytes: number;
  /** Baseline trials needed before a regression may fail the gate; fewer make it advisory. */
  minHistory: number;
  /** Options of the CUSUM of the memory curves. */
  cusum?: CusumOptions;
}

export const DEFAULT_COMPARE: CompareOptions = {
  alpha: 0.01,
  relativeTolerance: 0.2,
  absoluteToleranceBytesPerRequest: 32,
  absoluteTolerancePeakBytes: 8 * 1024 * 1024,
  minHistory: 3,
};

export type ComparisonVerdict = 'regression' | 'unchanged' | 'improved';

/** 'none' when one side had no value to compare (no conclusive trial). */
export type ComparisonTest = 'welch-t' | 'prediction-interval' | 'ci-vs-value' | 'none';

export interface FigureComparison {
  verdict: ComparisonVerdict;
  test: ComparisonTest;
  /** One-sided p-value for an increase (head > baseline); null when the test gives none. */
  pValue: number | null;
  /** Head and baseline figures (means over trials). */
  head: number;
  base: number;
  /** head - base, with a (1 - 2·alpha) two-sided interval whose lower end is the one-sided bound. */
  effect: number;
  effectCiLow: number;
  effectCiHigh: number;
  /** The practical floor the effect had to clear: max(relative × |base|, absolute). */
  tolerance: number;
  /** Trials on each side. */
  headTrials: number;
  baseTrials: number;
  reason: string;
}

export interface BaselineInfo {
  name: string;
  createdAt: string;
  toolVersion: string;
}

export interface Comparison {
  slope: FigureComparison;
  peak: FigureComparison;
  differential: DifferentialResult;
  /** True when the comparison must not fail the gate (too little history, another metric). */
  advisory: boolean;
  /** Trials in the baseline reports that were used (reports holding an error are skipped). */
  baselineTrials: number;
  /** The newest baseline report used; null when there was none. */
  baseline: BaselineInfo | null;
  environmentWarnings: string[];
  /** One sentence: the overall outcome, and why it is advisory when it is. */
  reason: string;
}

/** How every advisory comparison's reason begins. */
export const ADVISORY_PREFIX = 'regression check is advisory: ';

interface FigureSpec {
  name: string;
  absoluteTolerance: number;
  format: (n: number) => string;
}

/**
 * Compare this commit's trials with the baseline reports (the newest first or in any order; all
 * their trials are pooled). `headEnv` and `headMetric` describe the head run, for the warnings.
 */
export function compareWithBaseline(
  head: TrialReport[],
  baselines: Report[],
  opts: CompareOptions = DEFAULT_COMPARE,
  headEnv?: Environment,
  headMetric?: MetricName,
): Comparison {
  const usable = baselines.filter((r) => r.error === null && r.trials.length > 0);
  const baseTrials = usable.flatMap((r) => r.trials);
  const metric = headMetric ?? head[0]?.analysis.metric ?? 'anon';

  const slopeSpec: FigureSpec = { name: 'slope', absoluteTolerance: opts.absoluteToleranceBytesPerRequest, format: formatBytesPerRequest };
  const peakSpec: FigureSpec = { name: 'peak memory', absoluteTolerance: opts.absoluteTolerancePeakBytes, format: formatBytes };
  let slope = compareFigure(conclusiveSlopes(head), conclusiveSlopes(baseTrials), slopeSpec, opts, slopeCi(head));
  let peak = compareFigure(
    head.map((t) => t.analysis.peakBytes),
    baseTrials.map((t) => t.analysis.peakBytes),
    peakSpec,
    opts,
    null,
  );

  const environmentWarnings = headEnv ? environmentDifferences(headEnv, usable) : [];
  const baseMetrics = [...new Set(baseTrials.map((t) => t.analysis.metric))];
  const otherMetric = baseMetrics.filter((m) => m !== metric);
  if (otherMetric.length > 0) {
    environmentWarnings.push(`metric differs: head measures ${metric}, the baseline ${baseMetrics.join(', ')}; the figures are not comparable`);
  }
  if (baselines.length > usable.length) {
    environmentWarnings.push(`${baselines.length - usable.length} baseline report(s) skipped: they hold an error or no trial`);
  }

  // Said in these exact words wherever the comparison shows (summary, terminal, log warning): with the defaults
  // (trials 1, min-history 3) a single stored run never gates, and that must not pass for a clean check.
  const advisoryWhy: string[] = [];
  if (baseTrials.length < opts.minHistory) {
    advisoryWhy.push(`the baseline has ${baseTrials.length} trial(s), min-history is ${opts.minHistory}`);
  }
  if (otherMetric.length > 0) advisoryWhy.push(`the baseline measured another metric (${otherMetric.join(', ')})`);
  const advisory = advisoryWhy.length > 0;
  if (advisory) {
    const note = `; ${ADVISORY_PREFIX}${advisoryWhy.join('; ')}`;
    slope = { ...slope, reason: slope.reason + note };
    peak = { ...peak, reason: peak.reason + note };
  }

  const differential = pickDifferential(head, baseTrials, metric, opts.cusum ?? DEFAULT_CUSUM);
  const newest = [...usable].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))[0];
  const baseline = newest ? { name: newest.name, createdAt: newest.createdAt, toolVersion: newest.tool.version } : null;

  const regressions = [slope, peak].filter((f) => f.verdict === 'regression').map((f) => (f === slope ? 'slope' : 'peak memory'));
  const outcome =
    usable.length === 0
      ? 'no baseline to compare with'
      : regressions.length > 0
        ? `${regressions.join(' and ')} regressed against the baseline`
        : `no regression against ${baseTrials.length} baseline trial${baseTrials.length === 1 ? '' : 's'}`;
  const reason = advisory ? `${ADVISORY_PREFIX}${advisoryWhy.join('; ')}, so it cannot fail the gate (${outcome})` : outcome;

  return { slope, peak, differential, advisory, baselineTrials: baseTrials.length, baseline, environmentWarnings, reason };
}

function conclusiveSlopes(trials: readonly TrialReport[]): number[] {
  return trials.filter((t) => t.analysis.verdict !== 'inconclusive').map((t) => t.analysis.bytesPerRequest);
}

/** The head's own slope interval, used when one head trial meets one baseline value. */
function slopeCi(head: readonly TrialReport[]): { low: number; high: number; confidence: number } | null {
  const conclusive = head.filter((t) => t.analysis.verdict !== 'inconclusive');
  if (conclusive.length !== 1) return null;
  const a = conclusive[0]!.analysis;
  return { low: a.ciLow, high: a.ciHigh, confidence: a.confidence };
}

/** max(relative × |base|, absolute): the effect must clear both floors. */
export function practicalTolerance(base: number, relative: number, absolute: number): number {
  return Math.max(relative * Math.abs(base), absolute);
}

function compareFigure(
  headValues: readonly number[],
  baseValues: readonly number[],
  spec: FigureSpec,
  opts: CompareOptions,
  headCi: { low: number; high: number; confidence: number } | null,
): FigureComparison {
  const nh = headValues.length;
  const nb = baseValues.length;
  const headMean = nh > 0 ? mean(headValues) : 0;
  const baseMean = nb > 0 ? mean(baseValues) : 0;
  const effect = headMean - baseMean;
  const tolerance = practicalTolerance(baseMean, opts.relativeTolerance, spec.absoluteTolerance);
  const f = spec.format;
  const common = { head: headMean, base: baseMean, effect, tolerance, headTrials: nh, baseTrials: nb };
  const level = `${round((1 - 2 * opts.alpha) * 100)}%`;

  if (nh === 0 || nb === 0) {
    const side = nh === 0 ? 'this run' : 'the baseline';
    return {
      ...common, verdict: 'unchanged', test: 'none', pValue: null, effectCiLow: effect, effectCiHigh: effect,
      reason: `${spec.name} not compared: ${side} has no conclusive trial`,
    };
  }

  if (nh >= 2 && nb >= 2) {
    const w = welchTTest(headValues, baseValues);
    const ci = welchConfidenceInterval(w, 1 - 2 * opts.alpha);
    const verdict = decide(effect, w.pGreater, w.pLess, tolerance, opts.alpha);
    const stat = `Welch t = ${round2(w.t)}, df ${round2(w.df)}, one-sided ${pText(w.pGreater)}`;
    return {
      ...common, verdict, test: 'welch-t', pValue: w.pGreater, effectCiLow: ci.low, effectCiHigh: ci.high,
      reason: describe(spec, verdict, effect, tolerance, `${f(headMean)} (${nh} trials) vs ${f(baseMean)} (${nb} trials), ${level} CI ${f(ci.low)}..${f(ci.high)}; ${stat}`, w.pGreater, w.pLess, opts.alpha),
    };
  }

  if (nh === 1 || nb === 1) {
    if (nh === 1 && nb === 1) return compareOneToOne(headMean, baseMean, spec, opts, headCi, common);
    // One value against a history of ≥ 2: predict where the lone value should fall. With one
    // baseline and several head trials the roles swap: is the baseline value plausible for the head?
    const headIsLone = nh === 1;
    const history = headIsLone ? baseValues : headValues;
    const lone = headIsLone ? headMean : baseMean;
    const pt = predictionTest(history, lone);
    const pGreater = headIsLone ? pt.pGreater : pt.pLess;
    const pLess = headIsLone ? pt.pLess : pt.pGreater;
    const q = pt.scale > 0 ? studentTQuantile(1 - opts.alpha, pt.df) : 0;
    const verdict = decide(effect, pGreater, pLess, tolerance, opts.alpha);
    const over = headIsLone ? `the ${nb} baseline trials` : `the ${nh} head trials`;
    const interval = `${level} prediction interval over ${over} ${f(pt.mean - q * pt.scale)}..${f(pt.mean + q * pt.scale)}`;
    return {
      ...common, verdict, test: 'prediction-interval', pValue: pGreater,
      effectCiLow: effect - q * pt.scale, effectCiHigh: effect + q * pt.scale,
      reason: describe(spec, verdict, effect, tolerance, `${f(headMean)} vs ${f(baseMean)}, ${interval}, one-sided ${pText(pGreater)}`, pGreater, pLess, opts.alpha),
    };
  }
  throw new Error('unreachable');
}

/**
 * One trial against one: no spread to test against. The slope uses the head trial's own Theil-Sen
 * interval: a regression only when even its lower end sits above baseline + tolerance. The peak has
 * no interval, so only the tolerance decides.
 */
function compareOneToOne(
  headValue: number,
  baseValue: number,
  spec: FigureSpec,
  opts: CompareOptions,
  headCi: { low: number; high: number; confidence: number } | null,
  common: Omit<FigureComparison, 'verdict' | 'test' | 'pValue' | 'effectCiLow' | 'effectCiHigh' | 'reason'>,
): FigureComparison {
  const f = spec.format;
  const { tolerance, effect } = common;
  const low = headCi ? headCi.low - baseValue : effect;
  const high = headCi ? headCi.high - baseValue : effect;
  const verdict: ComparisonVerdict = low > tolerance ? 'regression' : high < -tolerance ? 'improved' : 'unchanged';
  const what = headCi
    ? `${f(headValue)} (${round(headCi.confidence * 100)}% CI ${f(headCi.low)}..${f(headCi.high)}) vs ${f(baseValue)}, one trial each`
    : `${f(headValue)} vs ${f(baseValue)}, one trial each, no interval: tolerance only`;
  let reason: string;
  if (verdict === 'regression') reason = `${spec.name} regressed by ${f(effect)}: ${what}; even the interval's low end is ${f(low)} above, more than the ${f(tolerance)} tolerance`;
  else if (verdict === 'improved') reason = `${spec.name} improved by ${f(-effect)}: ${what}; even the interval's high end is ${f(-high)} below, more than the ${f(tolerance)} tolerance`;
  else reason = `${spec.name} unchanged: ${what}; the difference ${headCi ? `could be ${f(low)}..${f(high)}, ` : `of ${f(effect)} is `}not clear of the ${f(tolerance)} tolerance`;
  return { ...common, verdict, test: 'ci-vs-value', pValue: null, effectCiLow: low, effectCiHigh: high, reason };
}

/** Regression needs significance AND an effect above the tolerance; improvement symmetrically. */
function decide(effect: number, pGreater: number, pLess: number, tolerance: number, alpha: number): ComparisonVerdict {
  if (pGreater < alpha && effect > tolerance) return 'regression';
  if (pLess < alpha && effect < -tolerance) return 'improved';
  return 'unchanged';
}

function describe(
  spec: FigureSpec,
  verdict: ComparisonVerdict,
  effect: number,
  tolerance: number,
  figures: string,
  pGreater: number,
  pLess: number,
  alpha: number,
): string {
  const f = spec.format;
  if (verdict === 'regression') return `${spec.name} regressed by ${f(effect)}: ${figures}`;
  if (verdict === 'improved') return `${spec.name} improved by ${f(-effect)}: ${figures}`;
  const p = effect >= 0 ? pGreater : pLess;
  const why: string[] = [];
  if (!(p < alpha)) why.push(`not significant at alpha ${alpha}`);
  if (!(Math.abs(effect) > tolerance)) why.push(`within the ${f(tolerance)} tolerance`);
  return `${spec.name} unchanged (${f(effect)}, ${why.join(' and ')}): ${figures}`;
}

/** CUSUM of the median-slope head trial against the median-slope baseline trial. */
function pickDifferential(head: readonly TrialReport[], base: readonly TrialReport[], metric: MetricName, opts: CusumOptions): DifferentialResult {
  const h = medianTrial(head);
  const b = medianTrial(base);
  if (!h || !b) return notCompared(h ? 'no baseline trial' : 'no head trial');
  return cusumDivergence(h, b, metric, opts);
}

function medianTrial(trials: readonly TrialReport[]): TrialReport | undefined {
  const conclusive = trials.filter((t) => t.analysis.verdict !== 'inconclusive');
  const pool = [...(conclusive.length > 0 ? conclusive : trials)].sort((a, b) => a.analysis.bytesPerRequest - b.analysis.bytesPerRequest);
  return pool[(pool.length - 1) >> 1];
}

/**
 * What makes a baseline from another machine or runtime not comparable: CPU count, memory (beyond
 * 5%, since identical runner types report slightly different totals), architecture, Node version, OS
 * (distribution), kernel, runner image (when both sides recorded it) and the app's runtime.
 */
export function environmentDifferences(headEnv: Environment, baselines: readonly Report[]): string[] {
  const warnings: string[] = [];
  const check = (what: string, headValue: string, differs: (r: Report) => boolean, show: (r: Report) => string): void => {
    const odd = baselines.filter(differs);
    if (odd.length === 0) return;
    const values = [...new Set(odd.map(show))].join(', ');
    const of = baselines.length > 1 ? ` (${odd.length} of ${baselines.length} baseline reports)` : '';
    warnings.push(`${what} differs: head ${headValue}, baseline ${values}${of}`);
  };
  check('CPU count', String(headEnv.cpus), (r) => r.environment.cpus !== headEnv.cpus, (r) => String(r.environment.cpus));
  check(
    'memory',
    formatBytes(headEnv.memoryBytes),
    (r) => Math.abs(r.environment.memoryBytes - headEnv.memoryBytes) > 0.05 * Math.max(headEnv.memoryBytes, r.environment.memoryBytes),
    (r) => formatBytes(r.environment.memoryBytes),
  );
  check('architecture', headEnv.arch, (r) => r.environment.arch !== headEnv.arch, (r) => r.environment.arch);
  check('Node version', headEnv.node, (r) => r.environment.node !== headEnv.node, (r) => r.environment.node);
  // The OS by its distribution when both sides recorded one (older reports did not), else by its kernel's name.
  check('OS', osName(headEnv), (r) => osName(r.environment, headEnv) !== osName(headEnv, r.environment), (r) => osName(r.environment, headEnv));
  check('kernel', headEnv.kernel, (r) => r.environment.kernel !== headEnv.kernel, (r) => r.environment.kernel);
  // Only when both recorded an image: a self-hosted runner or an older report says nothing either way.
  if (headEnv.runnerImage) {
    check('runner image', headEnv.runnerImage, (r) => r.environment.runnerImage !== undefined && r.environment.runnerImage !== headEnv.runnerImage, (r) => r.environment.runnerImage ?? '');
  }
  if (headEnv.appRuntime) {
    check('app runtime', headEnv.appRuntime, (r) => r.environment.appRuntime !== undefined && r.environment.appRuntime !== headEnv.appRuntime, (r) => r.environment.appRuntime ?? '');
  }
  return warnings;
}

/**
 * "Ubuntu 24.04.1 LTS", or the OS name without the kernel release ("Linux") when `env`, or the side compared
 * with, has no distribution recorded.
 */
function osName(env: Environment, other?: Environment): string {
  if (env.distro && (other === undefined || other.distro)) return env.distro;
  const release = env.kernel && env.os.endsWith(env.kernel) ? env.os.slice(0, -env.kernel.length) : env.os;
  return release.trim() || env.os;
}

/** "p = 0.042", or "p < 0.0001" when the formatter already gives a bound. */
function pText(p: number): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function round2(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 100) / 100) : String(value);
}
