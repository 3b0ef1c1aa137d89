import type { Environment, MetricName, Report, TrialReport } from '../core/types.js';
import { type CusumOptions, type DifferentialResult } from './differential.js';
export { logGamma, regularizedIncompleteBeta, studentTCdf, studentTPdf, studentTQuantile, studentTUpperTail } from '../analyze/distributions.js';
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
export declare function welchTTest(a: readonly number[], b: readonly number[]): WelchResult;
/** Two-sided confidence interval for the difference of means of a Welch test: d ± t_{(1+c)/2,ν}·SE. */
export declare function welchConfidenceInterval(w: WelchResult, confidence: number): {
    low: number;
    high: number;
};
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
export declare function predictionTest(history: readonly number[], value: number): PredictionResult;
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
export declare const DEFAULT_COMPARE: CompareOptions;
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
export declare const ADVISORY_PREFIX = "regression check is advisory: ";
/**
 * Compare this commit's trials with the baseline reports (the newest first or in any order; all
 * their trials are pooled). `headEnv` and `headMetric` describe the head run, for the warnings.
 */
export declare function compareWithBaseline(head: TrialReport[], baselines: Report[], opts?: CompareOptions, headEnv?: Environment, headMetric?: MetricName): Comparison;
/** max(relative × |base|, absolute): the effect must clear both floors. */
export declare function practicalTolerance(base: number, relative: number, absolute: number): number;
/**
 * What makes a baseline from another machine or runtime not comparable: CPU count, memory (beyond
 * 5%, since identical runner types report slightly different totals), architecture, Node version, OS
 * (distribution), kernel, runner image (when both sides recorded it) and the app's runtime.
 */
export declare function environmentDifferences(headEnv: Environment, baselines: readonly Report[]): string[];
