import { createRequire as __lgCreateRequire } from 'node:module'; const require = __lgCreateRequire(import.meta.url);

// src/core/types.ts
var METRIC_NAMES = ["anon", "rss", "pss", "uss"];
var ANALYSIS_METRICS = [...METRIC_NAMES, "heap"];

// src/report/format.ts
var BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
var NOT_AVAILABLE = "n/a";
function nonFinite(n) {
  if (Number.isNaN(n)) return NOT_AVAILABLE;
  if (n === Infinity) return "\u221E";
  if (n === -Infinity) return "-\u221E";
  return void 0;
}
function formatBytes(n) {
  const special = nonFinite(n);
  if (special !== void 0) return special === NOT_AVAILABLE ? special : `${special} B`;
  let value = Math.abs(n);
  const sign = n < 0 && Math.round(value) !== 0 ? "-" : "";
  if (Math.round(value) < 1024) return `${sign}${Math.round(value)} B`;
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${sign}${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}
function formatCount(n) {
  const special = nonFinite(n);
  if (special !== void 0) return special;
  const rounded = Math.round(Math.abs(n));
  const digits = String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${n < 0 && rounded !== 0 ? "-" : ""}${digits}`;
}

// src/lib/text-chart.ts
var BLOCKS = [" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"];
function textChart(values, opts = {}) {
  const rows = opts.rows ?? 4;
  const width = Math.min(opts.width ?? 60, values.length);
  if (width === 0) return [];
  const cols = Array.from({ length: width }, (_, c) => {
    const from = Math.floor(c * values.length / width);
    const to = Math.max(from + 1, Math.floor((c + 1) * values.length / width));
    const part = values.slice(from, to);
    return part.reduce((a, b) => a + b, 0) / part.length;
  });
  const lo = Math.min(...cols);
  const hi = Math.max(...cols);
  const eighths = cols.map((v) => 1 + Math.round((hi > lo ? (v - lo) / (hi - lo) : 0) * (rows * 8 - 1)));
  const lines = [];
  for (let r = rows - 1; r >= 0; r--) {
    lines.push(eighths.map((e) => BLOCKS[Math.max(0, Math.min(8, e - r * 8))]).join("").replace(/ +$/, ""));
  }
  return lines;
}

// src/lib/leak-message.ts
function describeLeak(r) {
  const level = Math.round(r.confidence * 100);
  const signal = r.metric === "heap" ? "live heap after GC" : "anonymous memory";
  const lines = [
    `${r.verdict === "leak" ? "leaks" : r.verdict === "no-leak" ? "does not leak" : "inconclusive"}: ${signal} grows ${round(r.bytesPerIteration)} B/iteration (${level}% CI ${round(r.ciLow)}..${round(r.ciHigh)}), p = ${pValue(r.pValue)}, floor ${round(r.floorBytesPerIteration)} B/iteration`,
    `  ${r.reason}`,
    `  ${r.iterations} iterations after ${r.warmupIterations} warm-up, ${Math.round(r.elapsedMs)} ms, GC through ${r.gc}`
  ];
  const heap = r.series.heap.map((s) => s.total.anon);
  if (heap.length > 1) {
    lines.push(`  live heap after GC, ${formatBytes(Math.min(...heap))}..${formatBytes(Math.max(...heap))} over ${r.iterations} iterations:`);
    for (const l of textChart(heap, { rows: 4, width: 60 })) lines.push(`  |${l}`);
  }
  return lines.join("\n");
}
function round(v) {
  return Math.abs(v) >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
}
function pValue(p) {
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

// src/analyze/robust-series.ts
var DEFAULT_TARGET_WINDOWS = 30;
var DEFAULT_MIN_WINDOW = 3;
function robustWindowSize(sampleCount, options = {}) {
  const target = Math.max(1, options.targetWindows ?? DEFAULT_TARGET_WINDOWS);
  const minWindow = Math.max(1, options.minWindow ?? DEFAULT_MIN_WINDOW);
  return Math.max(minWindow, Math.floor(sampleCount / target));
}
function robustSeries(samples, options) {
  const n = samples.length;
  const windowSize = robustWindowSize(n, options);
  const windows = Math.floor(n / windowSize);
  const series = { x: [], y: [], index: [], windowSize };
  for (let w = 0; w < windows; w++) {
    const start = Math.round(w * n / windows);
    const end = Math.round((w + 1) * n / windows);
    const at = floorIndex(samples, start, end, options.metric);
    series.x.push(samples[at].requests);
    series.y.push(samples[at].total[options.metric]);
    series.index.push(at);
  }
  return series;
}
function floorIndex(samples, start, end, metric) {
  let best = start;
  for (let i = start + 1; i < end; i++) {
    if (samples[i].total[metric] < samples[best].total[metric]) best = i;
  }
  return best;
}

// src/analyze/stats.ts
function median(values) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return medianOfSorted(sorted);
}
function medianOfSorted(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
function atRank(sorted, rank2) {
  const r = Math.min(Math.max(rank2, 1), sorted.length);
  const lo = Math.floor(r);
  const frac = r - lo;
  const a = sorted[lo - 1];
  return frac === 0 || lo >= sorted.length ? a : a + frac * (sorted[lo] - a);
}
function normalCdf(x) {
  if (Number.isNaN(x)) return 0.5;
  const ax = Math.abs(x);
  let tail;
  if (ax > 37) {
    tail = 0;
  } else if (ax < 7.07106781186547) {
    const e = Math.exp(-(ax * ax) / 2);
    let num = 0.0352624965998911 * ax + 0.700383064443688;
    num = num * ax + 6.37396220353165;
    num = num * ax + 33.912866078383;
    num = num * ax + 112.079291497871;
    num = num * ax + 221.213596169931;
    num = num * ax + 220.206867912376;
    let den = 0.0883883476483184 * ax + 1.75566716318264;
    den = den * ax + 16.064177579207;
    den = den * ax + 86.7807322029461;
    den = den * ax + 296.564248779674;
    den = den * ax + 637.333633378831;
    den = den * ax + 793.826512519948;
    den = den * ax + 440.413735824752;
    tail = e * num / den;
  } else {
    const e = Math.exp(-(ax * ax) / 2);
    let cf = ax + 0.65;
    cf = ax + 4 / cf;
    cf = ax + 3 / cf;
    cf = ax + 2 / cf;
    cf = ax + 1 / cf;
    tail = e / cf / 2.506628274631;
  }
  return x > 0 ? 1 - tail : tail;
}
var A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
var B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
var C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
var D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
function poly(coefs, x) {
  return coefs.reduce((acc, c) => acc * x + c, 0);
}
function normalQuantile(p) {
  if (!(p > 0)) return -38;
  if (!(p < 1)) return 38;
  const pLow = 0.02425;
  let x;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = poly(A, r) * q / (poly(B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -poly(C, q) / (poly(D, q) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
  const refined = x - u / (1 + x * u / 2);
  return Number.isFinite(refined) ? refined : x;
}
function mannKendallVariance(y) {
  const n = y.length;
  let ties = 0;
  const counts = /* @__PURE__ */ new Map();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const t of counts.values()) ties += t * (t - 1) * (2 * t + 5);
  return Math.max(0, (n * (n - 1) * (2 * n + 5) - ties) / 18);
}
function mannKendallS(y) {
  let s = 0;
  for (let i = 0; i < y.length - 1; i++) {
    for (let j = i + 1; j < y.length; j++) s += Math.sign(y[j] - y[i]);
  }
  return s;
}
function theilSen(x, y, confidence, varS = mannKendallVariance(y)) {
  const n = Math.min(x.length, y.length);
  const slopes = pairwiseSlopes(x, y, n);
  if (slopes.length === 0) {
    return { slope: 0, intercept: median(y.slice(0, n)), ciLow: 0, ciHigh: 0 };
  }
  slopes.sort((a, b) => a - b);
  const slope = medianOfSorted(slopes);
  const residuals = [];
  for (let i = 0; i < n; i++) residuals.push(y[i] - slope * x[i]);
  const intercept = median(residuals);
  const c = normalQuantile(1 - (1 - clampConfidence(confidence)) / 2) * Math.sqrt(Math.max(0, varS));
  const m1 = (slopes.length - c) / 2;
  const m2 = (slopes.length + c) / 2;
  return { slope, intercept, ciLow: atRank(slopes, m1), ciHigh: atRank(slopes, m2 + 1) };
}
function pairwiseSlopes(x, y, n) {
  const slopes = [];
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx !== 0) slopes.push((y[j] - y[i]) / dx);
    }
  }
  return slopes;
}
function clampConfidence(confidence) {
  return Number.isFinite(confidence) ? Math.min(Math.max(confidence, 1e-6), 1 - 1e-12) : 0.95;
}
function mannKendall(y, options = {}) {
  const n = y.length;
  if (n < 2) return { s: 0, varS: 0, z: 0, pUp: 1, tau: 0, nEffectiveRatio: 1 };
  const s = mannKendallS(y);
  const ratio = options.correctAutocorrelation === false ? 1 : hamedRaoRatio(y, options.acfAlpha ?? 0.05);
  const nEffectiveRatio = Math.max(1, ratio);
  const varS = mannKendallVariance(y) * nEffectiveRatio;
  const sd = Math.sqrt(varS);
  const z = sd === 0 || s === 0 ? 0 : (s - Math.sign(s)) / sd;
  return { s, varS, z, pUp: 1 - normalCdf(z), tau: s / (n * (n - 1) / 2), nEffectiveRatio };
}
function hamedRaoRatio(y, acfAlpha = 0.05) {
  const n = y.length;
  if (n < 3) return 1;
  const index = y.map((_, i) => i);
  const slope = theilSen(index, y, 0.95, 0).slope;
  const ranks = rank(y.map((v, i) => v - slope * i));
  const bound = normalQuantile(1 - acfAlpha / 2) / Math.sqrt(n);
  let sum = 0;
  for (let k = 1; k < n - 2; k++) {
    const rho = autocorrelation(ranks, k);
    if (Math.abs(rho) > bound) sum += (n - k) * (n - k - 1) * (n - k - 2) * rho;
  }
  const ratio = 1 + 2 / (n * (n - 1) * (n - 2)) * sum;
  return Number.isFinite(ratio) ? ratio : 1;
}
function rank(values) {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
    const avg = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = avg;
    start = end + 1;
  }
  return ranks;
}
function autocorrelation(values, k) {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let den = 0;
  for (const v of values) den += (v - mean) ** 2;
  if (den === 0) return 0;
  let num = 0;
  for (let t = 0; t + k < n; t++) num += (values[t] - mean) * (values[t + k] - mean);
  return num / den;
}

// src/analyze/warmup.ts
var PLATEAU_LATEST = 0.6;
var PLATEAU_SLOPE_RATIO = 0.25;
var PLATEAU_RSS_RATIO = 0.7;
var MIN_SEGMENT_POINTS = 4;
function findWarmupEnd(samples, metric, options) {
  if (samples.length === 0) return { method: "fixed", index: 0 };
  const fraction = clamp(options.fraction, 0, 0.9);
  const fixed = firstIndexAtRequests(samples, requestsAtFraction(samples, fraction));
  if (options.mode !== "auto") return { method: "fixed", index: fixed };
  const plateau = findPlateauStart(samples, metric, fraction);
  return plateau !== null && plateau > fixed ? { method: "plateau", index: plateau } : { method: "fixed", index: fixed };
}
function findPlateauStart(samples, metric, fraction) {
  const series = robustSeries(samples, { metric });
  const n = series.x.length;
  if (n < 2 * MIN_SEGMENT_POINTS) return null;
  const x0 = samples[0].requests;
  const span = samples[samples.length - 1].requests - x0;
  if (!(span > 0)) return null;
  const u = series.x.map((x) => (x - x0) / span);
  const yRef = series.y[0];
  const yScale = Math.max(1, ...series.y.map((y) => Math.abs(y - yRef)));
  const v = series.y.map((y) => (y - yRef) / yScale);
  const line = leastSquares([u.map(() => 1), u], v);
  if (line === null) return null;
  let best = null;
  for (let i = MIN_SEGMENT_POINTS; i <= n - MIN_SEGMENT_POINTS; i++) {
    const k = u[i];
    if (k < fraction || k > PLATEAU_LATEST) continue;
    const fit = leastSquares([u.map(() => 1), u, u.map((ui) => Math.max(0, ui - k))], v);
    if (fit === null) continue;
    if (best === null || fit.rss < best.rss) {
      best = { k, rss: fit.rss, before: fit.coef[1], after: fit.coef[1] + fit.coef[2] };
    }
  }
  if (best === null || !(best.before > 0)) return null;
  if (best.after >= PLATEAU_SLOPE_RATIO * best.before) return null;
  if (best.rss > PLATEAU_RSS_RATIO * line.rss) return null;
  return firstIndexAtRequests(samples, x0 + best.k * span);
}
function requestsAtFraction(samples, fraction) {
  const first = samples[0].requests;
  return first + fraction * (samples[samples.length - 1].requests - first);
}
function firstIndexAtRequests(samples, requests) {
  const i = samples.findIndex((s) => s.requests >= requests);
  return i < 0 ? samples.length - 1 : i;
}
function clamp(value, lo, hi) {
  return Number.isFinite(value) ? Math.min(Math.max(value, lo), hi) : lo;
}
function leastSquares(columns, y) {
  const p = columns.length;
  const ata = columns.map((ci) => columns.map((cj) => dot(ci, cj)));
  const aty = columns.map((ci) => dot(ci, y));
  const coef = solve(ata, aty);
  if (coef === null) return null;
  let rss = 0;
  for (let r = 0; r < y.length; r++) {
    let fitted = 0;
    for (let c = 0; c < p; c++) fitted += coef[c] * columns[c][r];
    rss += (y[r] - fitted) ** 2;
  }
  return { coef, rss };
}
function dot(a, b) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function solve(matrix, rhs) {
  const n = rhs.length;
  const m = matrix.map((row, i) => [...row, rhs[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
}

// src/analyze/analyze-trial.ts
var DEFAULT_ANALYSIS = {
  metric: "anon",
  warmup: { mode: "auto", fraction: 0.25 },
  alpha: 0.01,
  confidence: 0.95,
  minBytesPerRequest: 32,
  minBytesPerSecond: 1024,
  minRelativeGrowth: 0.02,
  minRequests: 1e3,
  minPoints: 12
};
function analyzeTrial(samples, opts, throughput) {
  const running = samples.map((s, i) => ({ s, i })).filter(({ s }) => s.t >= 0);
  const warmup = findWarmupEnd(running.map(({ s }) => s), opts.metric, opts.warmup);
  const window = running.slice(warmup.index).map(({ s }) => s);
  const first = running[warmup.index];
  const fit = fitWindow(window, opts);
  const slope = fit.ts.slope;
  const base = {
    metric: opts.metric,
    warmupEndIndex: first?.i ?? 0,
    warmupEndRequests: first?.s.requests ?? 0,
    warmupEndMs: first?.s.t ?? 0,
    warmupMethod: warmup.method,
    points: fit.points,
    requestsAnalysed: fit.requestsAnalysed,
    bytesPerRequest: finite(slope),
    ciLow: finite(fit.ts.ciLow),
    ciHigh: finite(fit.ts.ciHigh),
    confidence: opts.confidence,
    pValue: finite(fit.mk.pUp, 1),
    mkS: fit.mk.s,
    tau: finite(fit.mk.tau),
    startBytes: finite(fit.startBytes),
    endBytes: finite(fit.endBytes),
    peakBytes: peak(samples, opts.metric),
    relativeGrowth: fit.startBytes > 0 ? finite(slope * fit.requestsAnalysed / fit.startBytes) : 0,
    bytesPerSecond: finite(slope * throughput),
    growthPerMillionRequests: finite(slope * 1e6)
  };
  const decided = decide(base, opts);
  if (decided.verdict !== "leak") return { ...base, ...decided };
  const steady = steadyGrowth(fit, opts);
  if (steady.notLeak !== null) return { ...base, verdict: "no-leak", reason: `no leak: ${steady.notLeak}` };
  if (steady.jumps.length === 0) return { ...base, ...decided };
  const mk = mannKendall(steady.y);
  const ts = theilSen(fit.x, steady.y, opts.confidence, mk.varS);
  const adjusted = {
    ...base,
    bytesPerRequest: finite(ts.slope),
    ciLow: finite(ts.ciLow),
    ciHigh: finite(ts.ciHigh),
    pValue: finite(mk.pUp, 1),
    mkS: mk.s,
    tau: finite(mk.tau),
    relativeGrowth: fit.startBytes > 0 ? finite(ts.slope * fit.requestsAnalysed / fit.startBytes) : 0,
    bytesPerSecond: finite(ts.slope * throughput),
    growthPerMillionRequests: finite(ts.slope * 1e6)
  };
  const again = decide(adjusted, opts);
  return { ...adjusted, ...again, reason: `${again.reason} (one-off jumps of ${steady.jumps.join(", ")} taken out)` };
}
function unitsOf(opts) {
  return opts.per === "second" ? { slope: "B/s", span: (x) => `${round2(x)} s of load` } : { slope: "B/req", span: (x) => `${formatCount(x)} requests` };
}
function passes(x, y, opts) {
  if (y.length < 4) return { ok: false, slope: 0 };
  const mk = mannKendall(y);
  const ts = theilSen(x, y, opts.confidence, mk.varS);
  const start = ts.intercept + ts.slope * x[0];
  const growth = start > 0 ? ts.slope * (x[x.length - 1] - x[0]) / start : 0;
  return { ok: mk.pUp < opts.alpha && ts.ciLow > opts.minBytesPerRequest && growth > opts.minRelativeGrowth, slope: ts.slope };
}
function steadyGrowth(fit, opts) {
  const x = fit.x;
  let y = [...fit.y];
  const jumps = [];
  for (let round3 = 0; round3 < 3; round3++) {
    const diffs = y.slice(1).map((v, i) => v - y[i]);
    const j = diffs.reduce((best, d, i) => d > diffs[best] ? i : best, 0);
    const jump = diffs[j] ?? 0;
    const rise = y[y.length - 1] - y[0];
    const typical = median(diffs.map(Math.abs));
    if (!(jump > 0.25 * rise && jump > 5 * typical)) break;
    const at = unitsOf(opts).span(x[j + 1]);
    y = y.map((v, i) => i > j ? v - jump : v);
    jumps.push(`${formatBytes(jump)} at ${at}`);
    if (!passes(x, y, opts).ok) {
      const notLeak = `memory rose in a one-off jump of ${formatBytes(jump)} at ${at} (${percent(jump / rise)} of the rise), not steadily${opts.per === "second" ? "" : " per request"}; without the jump there is no significant growth`;
      return { notLeak, y, jumps };
    }
  }
  const half = Math.floor(y.length / 2);
  const first = passes(x.slice(0, half), y.slice(0, half), opts);
  const second = passes(x.slice(half), y.slice(half), opts);
  if (second.slope < 0.5 * first.slope && !second.ok) {
    const unit = unitsOf(opts).slope;
    const notLeak = `growth is slowing down (${round2(first.slope)} ${unit} in the first half of the window, ${round2(second.slope)} ${unit} in the second) and the second half alone shows no leak: this looks like warm-up that has not finished; a longer run would tell`;
    return { notLeak, y, jumps };
  }
  return { notLeak: null, y, jumps };
}
function fitWindow(window, opts) {
  const minWindow = window.length >= 3 * opts.minPoints ? 3 : Math.max(1, Math.floor(window.length / opts.minPoints));
  const series = robustSeries(window, { metric: opts.metric, minWindow });
  const mk = mannKendall(series.y);
  const ts = theilSen(series.x, series.y, opts.confidence, mk.varS);
  const requestsAnalysed = window.length > 0 ? window[window.length - 1].requests - window[0].requests : 0;
  const xStart = window[0]?.requests ?? 0;
  const xEnd = window[window.length - 1]?.requests ?? 0;
  const fitted = (x) => ts.intercept + ts.slope * x;
  const startBytes = fitted(xStart) > 0 ? fitted(xStart) : series.y[0] ?? 0;
  const endBytes = fitted(xEnd) > 0 ? fitted(xEnd) : series.y[series.y.length - 1] ?? 0;
  return { points: series.y.length, ts, mk, startBytes, endBytes, requestsAnalysed, x: series.x, y: series.y };
}
function decide(a, opts) {
  const units = unitsOf(opts);
  if (a.requestsAnalysed < opts.minRequests) {
    return inconclusive(
      opts.per === "second" ? `only ${units.span(a.requestsAnalysed)} after warm-up, fewer than the ${units.span(opts.minRequests)} that hold min-requests at the reported throughput: run longer` : `only ${formatCount(a.requestsAnalysed)} requests after warm-up, fewer than the ${formatCount(opts.minRequests)} needed: run longer or send load faster`
    );
  }
  if (a.points < opts.minPoints) {
    return inconclusive(
      `only ${a.points} memory points after warm-up, fewer than the ${opts.minPoints} needed: run longer or sample more often`
    );
  }
  const slope = describeSlope(a, units.slope);
  const failed = [];
  if (!(a.pValue < opts.alpha)) {
    failed.push(`the upward trend is not significant (one-sided Mann-Kendall p = ${pValue2(a.pValue)}, alpha ${opts.alpha})`);
  }
  if (!(a.ciLow > opts.minBytesPerRequest)) {
    const floor = `${formatBytes(opts.minBytesPerRequest)}${units.slope.slice(1)} floor`;
    failed.push(
      a.bytesPerRequest <= opts.minBytesPerRequest ? `${slope} is below the ${floor}` : `${slope} could be as low as ${round2(a.ciLow)} ${units.slope}, not clear of the ${floor}`
    );
  }
  if (!(a.relativeGrowth > opts.minRelativeGrowth)) {
    failed.push(
      `predicted growth over ${units.span(a.requestsAnalysed)} is ${percent(a.relativeGrowth)} of ${formatBytes(a.startBytes)}, below the ${percent(opts.minRelativeGrowth)} floor`
    );
  }
  if (failed.length === 0) {
    return {
      verdict: "leak",
      reason: `memory grows ${slope}, p = ${pValue2(a.pValue)}: +${percent(a.relativeGrowth)} over ${units.span(a.requestsAnalysed)}`
    };
  }
  return { verdict: "no-leak", reason: `no leak: ${failed.join("; ")}` };
}
function inconclusive(reason) {
  return { verdict: "inconclusive", reason: `inconclusive: ${reason}` };
}
function describeSlope(a, unit) {
  const level = Math.round(a.confidence * 100);
  return `slope ${round2(a.bytesPerRequest)} ${unit} (${level}% CI ${round2(a.ciLow)}..${round2(a.ciHigh)})`;
}
function peak(samples, metric) {
  let max = 0;
  for (const s of samples) if (Number.isFinite(s.total[metric])) max = Math.max(max, s.total[metric]);
  return max;
}
function finite(value, fallback = 0) {
  return Number.isFinite(value) ? value : fallback;
}
function round2(value) {
  return Math.abs(value) >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}
function percent(value) {
  return `${round2(value * 100)}%`;
}
function pValue2(p) {
  return p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
}

// src/analyze/multi-signal.ts
function analyzeSignals(inputs, opts, throughput, preference = []) {
  if (inputs.length === 0) throw new Error("analyzeSignals needs at least one signal");
  const run = (s, alpha) => {
    const o = { ...opts, alpha, metric: s.field ?? "anon", minBytesPerRequest: s.minBytesPerRequest };
    const a = (s.analyse ?? analyzeTrial)(s.samples, o, throughput);
    return { ...a, metric: s.metric };
  };
  const first = inputs.map((s) => run(s, opts.alpha));
  const k = first.filter((a) => a.verdict !== "inconclusive").length;
  const order = first.map((a, i) => ({ a, i })).filter(({ a }) => a.verdict !== "inconclusive").sort((x, y) => x.a.pValue - y.a.pValue);
  const signals = first.map((a) => notTested(a, opts.alpha));
  let stopped = false;
  order.forEach(({ i }, rank3) => {
    const level = opts.alpha / (k - rank3);
    if (stopped) {
      signals[i] = notTested(first[i], opts.alpha);
      return;
    }
    const a = level === opts.alpha ? first[i] : run(inputs[i], level);
    signals[i] = { ...stripExtras(a), alphaTested: level };
    if (!(a.pValue < level)) stopped = true;
  });
  const leaking = signals.filter((a) => a.verdict === "leak").map((a) => a.metric);
  const rank2 = (m) => {
    const i = preference.indexOf(m);
    return i === -1 ? preference.length : i;
  };
  const byPreference = [...signals].sort((x, y) => rank2(x.metric) - rank2(y.metric));
  const primary = byPreference.find((a) => a.verdict === "leak") ?? byPreference.find((a) => a.verdict === "no-leak") ?? byPreference[0];
  return { signals, primary, leaking };
}
function stripExtras(a) {
  const { signals: _s, leakingSignals: _l, oom: _o, ...figures } = a;
  return figures;
}
function notTested(a, alpha) {
  const figures = stripExtras(a);
  if (a.verdict !== "leak") return { ...figures, alphaTested: null };
  return {
    ...figures,
    verdict: "no-leak",
    reason: `no leak: significant at alpha ${alpha} alone, but not tested after Holm's correction over the signals stopped at a smaller p-value that was not significant`,
    alphaTested: null
  };
}

// src/lib/force-gc.ts
import { Session } from "node:inspector";
function openForceGc() {
  const gc = globalThis.gc;
  if (typeof gc === "function") return { method: "expose-gc", collect: async () => gc(), close: () => {
  } };
  const session = new Session();
  session.connect();
  const collect = () => new Promise((resolve, reject) => {
    session.post("HeapProfiler.collectGarbage", (err) => err ? reject(err) : resolve());
  });
  return { method: "inspector", collect, close: () => session.disconnect() };
}

// src/lib/read-self-memory.ts
import { readFileSync } from "node:fs";

// src/sample/procfs.ts
var KIB = 1024;
var STATUS_MEMORY = /^(VmRSS|RssAnon|RssFile|RssShmem|VmSwap):[\t ]+(\d+) kB$/gm;
function parseStatusMemory(text) {
  let vmRss = -1;
  let rssAnon = -1;
  let rssFile = 0;
  let rssShmem = 0;
  let vmSwap = 0;
  for (const m of text.matchAll(STATUS_MEMORY)) {
    const bytes = Number(m[2]) * KIB;
    switch (m[1]) {
      case "VmRSS":
        vmRss = bytes;
        break;
      case "RssAnon":
        rssAnon = bytes;
        break;
      case "RssFile":
        rssFile = bytes;
        break;
      case "RssShmem":
        rssShmem = bytes;
        break;
      default:
        vmSwap = bytes;
    }
  }
  if (vmRss < 0) {
    if (/^VmRSS:/m.test(text)) throw new Error(`status: field 'VmRSS' is not a number of kB: '${/^VmRSS:(.*)$/m.exec(text)[1].trim()}'`);
    return null;
  }
  if (rssAnon < 0) throw new Error("status: field 'RssAnon' is missing or not a number of kB (it needs Linux 4.5 or later)");
  return { vmRss, rssAnon, rssFile, rssShmem, vmSwap };
}

// src/lib/read-self-memory.ts
function readSelfMemory() {
  const m = process.memoryUsage();
  return { heapBytes: m.heapUsed + m.external, anonBytes: readAnon() };
}
function readAnon() {
  try {
    return parseStatusMemory(readFileSync("/proc/self/status", "utf8"))?.rssAnon ?? null;
  } catch {
    return null;
  }
}

// src/lib/measure-leak.ts
var DEFAULTS = { durationMs: 1500, warmupMs: 300, samples: 30, maxBytesPerIteration: 8, alpha: 0.01, minIterations: 100, minWarmupIterations: 1e3, minGrowthBytes: 256 * 1024 };
function resolveOptions(o = {}) {
  const maxBytesPerIteration = o.maxBytesPerIteration ?? DEFAULTS.maxBytesPerIteration;
  const r = {
    iterations: o.iterations ?? null,
    durationMs: o.durationMs ?? DEFAULTS.durationMs,
    warmupMs: o.warmupMs ?? DEFAULTS.warmupMs,
    samples: o.samples ?? DEFAULTS.samples,
    maxBytesPerIteration,
    maxAnonBytesPerIteration: o.maxAnonBytesPerIteration ?? Math.max(64, 8 * maxBytesPerIteration),
    alpha: o.alpha ?? DEFAULTS.alpha,
    minIterations: o.minIterations ?? DEFAULTS.minIterations,
    minWarmupIterations: o.minWarmupIterations ?? DEFAULTS.minWarmupIterations,
    minGrowthBytes: o.minGrowthBytes ?? DEFAULTS.minGrowthBytes,
    signals: o.signals ?? ["heap", "anon"]
  };
  const positive = (key, v, min) => {
    if (v !== null && !(Number.isFinite(v) && v >= min)) throw new RangeError(`measureLeak: option '${key}' must be a number >= ${min}, got ${String(v)}`);
  };
  positive("iterations", r.iterations, 1);
  positive("durationMs", r.durationMs, 1);
  positive("warmupMs", r.warmupMs, 0);
  positive("samples", r.samples, 12);
  positive("maxBytesPerIteration", r.maxBytesPerIteration, 0);
  positive("maxAnonBytesPerIteration", r.maxAnonBytesPerIteration, 0);
  positive("minIterations", r.minIterations, 0);
  positive("minWarmupIterations", r.minWarmupIterations, 0);
  positive("minGrowthBytes", r.minGrowthBytes, 0);
  if (!(r.alpha > 0 && r.alpha < 1)) throw new RangeError(`measureLeak: option 'alpha' must be between 0 and 1, got ${String(r.alpha)}`);
  if (r.signals.length === 0 || r.signals.some((s) => s !== "heap" && s !== "anon")) {
    throw new RangeError(`measureLeak: option 'signals' must list 'heap' and/or 'anon', got ${JSON.stringify(r.signals)}`);
  }
  return r;
}
async function measureLeak(fn, options = {}) {
  if (typeof fn !== "function") throw new TypeError(`measureLeak: expected a function, got ${typeof fn}`);
  const o = resolveOptions(options);
  const gc = openForceGc();
  const started = performance.now();
  try {
    const call = async () => {
      const r = fn();
      if (r !== null && typeof r === "object" && typeof r.then === "function") await r;
    };
    let warmupIterations = 0;
    const w0 = performance.now();
    do {
      await call();
      warmupIterations++;
    } while (performance.now() - w0 < o.warmupMs || warmupIterations < o.minWarmupIterations && performance.now() - w0 < 4 * o.warmupMs);
    await gc.collect();
    const heap = [];
    const anon = [];
    let done = 0;
    let runMs = 0;
    const record = () => {
      const m = readSelfMemory();
      const t = runMs;
      heap.push(sample(t, done, m.heapBytes));
      if (m.anonBytes !== null) anon.push(sample(t, done, m.anonBytes));
    };
    record();
    for (let point = 1; point <= o.samples; point++) {
      const b0 = performance.now();
      if (o.iterations !== null) {
        const target = Math.round(o.iterations * point / o.samples);
        while (done < target) {
          await call();
          done++;
        }
      } else {
        const until = o.durationMs * point / o.samples;
        do {
          await call();
          done++;
        } while (runMs + (performance.now() - b0) < until);
      }
      runMs += performance.now() - b0;
      await gc.collect();
      record();
    }
    const inputs = [];
    const heapInput = { metric: "heap", samples: heap, field: "anon", minBytesPerRequest: o.maxBytesPerIteration, analyse: growthFloor(o.minGrowthBytes) };
    if (o.signals.includes("heap")) inputs.push(heapInput);
    if (o.signals.includes("anon") && anon.length > 0) {
      inputs.push({ metric: "anon", samples: anon, field: "anon", minBytesPerRequest: o.maxAnonBytesPerIteration, analyse: growthFloor(4 * o.minGrowthBytes) });
    }
    if (inputs.length === 0) inputs.push(heapInput);
    const opts = {
      ...DEFAULT_ANALYSIS,
      alpha: o.alpha,
      minRequests: o.minIterations,
      // Set per signal from minGrowthBytes (growthFloor): a share of the runner's heap would depend on the runner.
      minRelativeGrowth: 0
    };
    const throughput = runMs > 0 ? done * 1e3 / runMs : 0;
    const result = analyzeSignals(inputs, opts, throughput, ["heap", "anon"]);
    const { alphaTested: _a, ...primary } = result.primary;
    const analysis = { ...primary, signals: result.signals, leakingSignals: result.leaking };
    const floor = inputs.find((i) => i.metric === primary.metric)?.minBytesPerRequest ?? o.maxBytesPerIteration;
    return {
      verdict: primary.verdict,
      reason: perIteration(primary.reason, primary.metric === "heap" ? o.minGrowthBytes : 4 * o.minGrowthBytes),
      metric: primary.metric,
      bytesPerIteration: primary.bytesPerRequest,
      ciLow: primary.ciLow,
      ciHigh: primary.ciHigh,
      confidence: primary.confidence,
      pValue: primary.pValue,
      floorBytesPerIteration: floor,
      signals: result.signals,
      leakingSignals: result.leaking,
      analysis,
      series: { heap, anon },
      gc: gc.method,
      iterations: done,
      warmupIterations,
      elapsedMs: performance.now() - started
    };
  } finally {
    gc.close();
  }
}
function perIteration(reason, growthFloor2) {
  return reason.replaceAll("B/req", "B/iteration").replaceAll(" requests", " iterations").replace(/below the [\d.]+% floor/, `below the ${formatBytes(growthFloor2)} floor (minGrowthBytes)`);
}
function growthFloor(bytes) {
  return (samples, opts, throughput) => {
    const start = samples[0]?.total.anon ?? 0;
    return analyzeTrial(samples, { ...opts, minRelativeGrowth: start > 0 ? bytes / start : 0 }, throughput);
  };
}
function sample(t, requests, bytes) {
  return { t, requests, total: { anon: bytes, rss: bytes, pss: bytes, uss: bytes, swap: 0 }, processes: [] };
}

// src/lib/matcher.ts
async function toLeak(received, options = {}) {
  if (typeof received !== "function") throw new TypeError(`toLeak expects a function (sync or async), got ${typeof received}`);
  const r = await measureLeak(received, options);
  const pass = r.verdict === "leak";
  return {
    pass,
    message: () => pass ? `expected the function not to leak, but it ${describeLeak(r)}` : `expected the function to leak, but it ${describeLeak(r)}`
  };
}

// src/lib/jest.ts
if (typeof expect === "undefined") throw new Error("leakgate/jest: Jest's global expect is not defined; load it from setupFilesAfterEach");
expect.extend({ toLeak });
