// Small summaries shared by the bench sections: quantiles, rates, relative errors.

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export interface Rate {
  hits: number;
  n: number;
  rate: number;
}

export function rate(hits: number, n: number): Rate {
  return { hits, n, rate: n > 0 ? hits / n : NaN };
}

/** Summary of signed relative errors: median, median of |e|, 95th percentile of |e|, the worst. */
export interface ErrorSummary {
  n: number;
  median: number;
  medianAbs: number;
  p95Abs: number;
  /** The error with the largest magnitude, signed. */
  worst: number;
  /** Share with |e| <= 20%. */
  within20: number;
}

export function summarizeErrors(errors: readonly number[]): ErrorSummary {
  const abs = errors.map(Math.abs);
  let worst = NaN;
  for (const e of errors) if (!(Math.abs(e) <= Math.abs(worst))) worst = e;
  return {
    n: errors.length,
    median: median(errors),
    medianAbs: median(abs),
    p95Abs: quantile(abs, 0.95),
    worst,
    within20: errors.length > 0 ? abs.filter((a) => a <= 0.2).length / errors.length : NaN,
  };
}
