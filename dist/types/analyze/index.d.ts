export { analyzeTrial, DEFAULT_ANALYSIS, type AnalysisOptions } from './analyze-trial.js';
export { combineTrials, type CombinedAnalysis } from './combine-trials.js';
export { robustSeries, robustWindowSize, type RobustSeries, type RobustSeriesOptions } from './robust-series.js';
export { hamedRaoRatio, mannKendall, mannKendallS, mannKendallVariance, median, normalCdf, normalQuantile, theilSen, type MannKendallOptions, type MannKendallResult, type TheilSenResult, } from './stats.js';
export { findPlateauStart, findWarmupEnd, type WarmupEnd, type WarmupOptions } from './warmup.js';
