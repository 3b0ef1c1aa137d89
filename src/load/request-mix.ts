// Turns the configured request list into what every load connection sends, in order: the list as
// given ('sequence') or a weighted mix interleaved by smooth weighted round-robin ('mix'), and the
// `{id}` substitution of per-request ids. Pure: no I/O, no timers.

/** One configured request (the shape of the config's load.requests items). */
export interface MixRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Share of this request in a 'mix', relative to the others (integer or decimal, > 0). Default 1. */
  weight?: number;
  /** Values substituted for `{id}` in path, headers and body, the next one for every request sent. */
  ids?: string[];
}

/**
 * - 'sequence': every connection sends the requests in the listed order, over and over (autocannon's
 *   own behaviour for a request list), e.g. create then read then delete. Weights are not allowed.
 * - 'mix': every connection sends a fixed interleaved cycle in which each request appears in
 *   proportion to its weight (weights 3:1 -> A A B A, repeated), so any run of requests has the
 *   configured proportions to within one request of each kind per connection.
 */
export type RequestMode = 'sequence' | 'mix';

export const REQUEST_MODES: readonly RequestMode[] = ['sequence', 'mix'];

/** The placeholder replaced by the next id of the request's `ids`. */
export const ID_PLACEHOLDER = '{id}';

/** Longest mix cycle: each connection keeps one prebuilt request per cycle entry. */
export const MAX_CYCLE = 1000;

/** Shortest cycle limit, whatever the number of connections (keeps mixes of few requests exact). */
export const MIN_CYCLE_LIMIT = 100;

/** One thing wrong with a request list, in the config's terms (path like `load.requests[1].weight`). */
export interface MixProblem {
  path: string;
  value: unknown;
  message: string;
}

/** The mode in effect: the one given, else 'mix' when any request has a weight, else 'sequence'. */
export function resolveMode(requests: readonly MixRequest[], mode?: RequestMode): RequestMode {
  if (mode !== undefined) return mode;
  return requests.some((r) => r.weight !== undefined) ? 'mix' : 'sequence';
}

/**
 * Everything wrong with a request list for the given mode, for config validation; empty when it is
 * usable. `prefix` names the list in messages (e.g. 'load.requests').
 */
export function requestMixProblems(requests: readonly MixRequest[], mode?: RequestMode, prefix = 'load.requests'): MixProblem[] {
  const problems: MixProblem[] = [];
  if (mode !== undefined && !REQUEST_MODES.includes(mode)) {
    problems.push({ path: 'load.mix', value: mode, message: `must be one of ${REQUEST_MODES.join(', ')}` });
    return problems;
  }
  const effective = resolveMode(requests, mode);
  requests.forEach((r, i) => {
    const at = `${prefix}[${i}]`;
    if (r.weight !== undefined) {
      if (effective === 'sequence') {
        problems.push({ path: `${at}.weight`, value: r.weight, message: "only applies when load.mix is 'mix' (in 'sequence' every request is sent once per round)" });
      } else if (typeof r.weight !== 'number' || !Number.isFinite(r.weight) || r.weight <= 0) {
        problems.push({ path: `${at}.weight`, value: r.weight, message: 'must be a number > 0 (integer or decimal); remove the request to leave it out' });
      }
    }
    if (r.ids !== undefined) {
      if (!Array.isArray(r.ids) || r.ids.length === 0) {
        problems.push({ path: `${at}.ids`, value: r.ids, message: 'must be a non-empty list of id strings' });
      } else {
        r.ids.forEach((id, j) => {
          if (typeof id !== 'string' || id === '' || /[\u0000-\u001f\u007f]/.test(id)) {
            problems.push({ path: `${at}.ids[${j}]`, value: id, message: 'must be a non-empty string without control characters (no CR/LF, tabs)' });
          }
        });
        if (!usesId(r)) {
          problems.push({ path: `${at}.ids`, value: r.ids, message: `are given but ${ID_PLACEHOLDER} appears nowhere in the request's path, headers or body` });
        }
      }
    }
  });
  if (effective === 'mix' && requests.length > MAX_CYCLE) {
    problems.push({ path: prefix, value: `${requests.length} requests`, message: `must hold at most ${MAX_CYCLE} requests in 'mix' mode` });
  }
  return problems;
}

/** True when `{id}` appears in the request's path, a header value, or its body. */
export function usesId(r: MixRequest): boolean {
  return (
    r.path.includes(ID_PLACEHOLDER) ||
    Object.values(r.headers).some((v) => v.includes(ID_PLACEHOLDER)) ||
    (r.body !== undefined && r.body.includes(ID_PLACEHOLDER))
  );
}

/** The request with `{id}` replaced: percent-encoded in the path (one segment or query value), as is in header values and body. */
export function withId<R extends MixRequest>(r: R, id: string): R {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k] = v.replaceAll(ID_PLACEHOLDER, id);
  return {
    ...r,
    path: r.path.replaceAll(ID_PLACEHOLDER, encodeURIComponent(id)),
    headers,
    ...(r.body !== undefined ? { body: r.body.replaceAll(ID_PLACEHOLDER, id) } : {}),
  };
}

/** A round-robin over `ids`: each call returns the next one, wrapping around. */
export function idRotation(ids: readonly string[]): () => string {
  if (ids.length === 0) throw new Error('idRotation needs at least one id, got an empty list');
  let next = 0;
  return () => {
    const id = ids[next]!;
    next = (next + 1) % ids.length;
    return id;
  };
}

/** The longest mix cycle for this many connections: 1000 entries, down to 100 when there are many connections. */
export function maxCycleLength(connections: number): number {
  return Math.min(MAX_CYCLE, Math.max(MIN_CYCLE_LIMIT, Math.floor(100_000 / Math.max(1, connections))));
}

/**
 * Positive weights (integers or decimals) as the smallest whole numbers in the same proportions,
 * e.g. [0.75, 0.25] -> [3, 1], [2, 4] -> [1, 2]. When those would add up to more than `maxTotal`,
 * they are scaled to `maxTotal` by largest remainder, each kept >= 1 (shares then off by < 1/maxTotal).
 */
export function integerWeights(weights: readonly number[], maxTotal: number = MAX_CYCLE): number[] {
  if (weights.length === 0) throw new Error('integerWeights needs at least one weight, got none');
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
      throw new Error(`weight ${i} must be a finite number > 0, got ${String(w)}`);
    }
  });
  if (weights.length > maxTotal) {
    throw new Error(`a mix of ${weights.length} requests needs a cycle longer than the limit of ${maxTotal}`);
  }
  let ints: number[] | undefined;
  for (let k = 0; k <= 6 && !ints; k++) {
    const scaled = weights.map((w) => w * 10 ** k);
    if (scaled.every((s) => Math.abs(s - Math.round(s)) <= 1e-9 * Math.max(1, s))) ints = scaled.map((s) => Math.round(s));
  }
  ints ??= weights.map((w) => Math.max(1, Math.round(w * 1e6)));
  ints = reduceByGcd(ints);
  const total = ints.reduce((a, b) => a + b, 0);
  if (total <= maxTotal) return ints;
  return reduceByGcd(largestRemainder(ints, maxTotal));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function reduceByGcd(ints: number[]): number[] {
  const g = ints.reduce(gcd);
  return g > 1 ? ints.map((n) => n / g) : ints;
}

/** Scales positive integers to sum exactly `target` (>= their count), each >= 1, by largest remainder. */
function largestRemainder(ints: readonly number[], target: number): number[] {
  const total = ints.reduce((a, b) => a + b, 0);
  const quotas = ints.map((n) => (n * target) / total);
  const out = quotas.map((q) => Math.max(1, Math.floor(q)));
  let left = target - out.reduce((a, b) => a + b, 0);
  const byRemainder = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) out[byRemainder[k]!.i]! += 1;
  // Raising small quotas to 1 can overshoot: take the excess from the largest entries.
  while (left < 0) {
    let big = 0;
    for (let i = 1; i < out.length; i++) if (out[i]! > out[big]!) big = i;
    out[big]! -= 1;
    left++;
  }
  return out;
}

/**
 * Smooth weighted round-robin (as in nginx): one full cycle of indices for integer weights, each
 * index appearing weights[i] times, spread as evenly as possible; ties go to the lower index.
 * [3, 1] -> [0, 0, 1, 0]; [1, 1, 1] -> [0, 1, 2]; [5, 1, 1] -> [0, 0, 1, 0, 2, 0, 0].
 */
export function smoothWeightedCycle(weights: readonly number[]): number[] {
  weights.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1) throw new Error(`smoothWeightedCycle: weight ${i} must be an integer >= 1, got ${String(w)}`);
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const current = weights.map(() => 0);
  const out: number[] = [];
  for (let step = 0; step < total; step++) {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    out.push(best);
  }
  return out;
}

/**
 * The indices into `requests` that one connection sends, cycling: the list in order for 'sequence',
 * the smooth weighted round-robin of the weights (missing weight = 1) for 'mix'.
 * Throws an Error naming the problem when the list does not suit the mode.
 */
export function requestCycle(requests: readonly MixRequest[], mode: RequestMode | undefined, maxLength: number = MAX_CYCLE): number[] {
  if (requests.length === 0) return [];
  const problems = requestMixProblems(requests, mode);
  if (problems.length > 0) throw new Error(formatProblems(problems));
  if (resolveMode(requests, mode) === 'sequence') return requests.map((_, i) => i);
  return smoothWeightedCycle(integerWeights(requests.map((r) => r.weight ?? 1), maxLength));
}

/** Problems as one message: "load.requests[1].weight: must be ... (got -1); ...". */
export function formatProblems(problems: readonly MixProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message} (got ${shorten(p.value)})`).join('; ');
}

function shorten(v: unknown): string {
  let s: string;
  try {
    s = typeof v === 'string' ? `'${v}'` : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
