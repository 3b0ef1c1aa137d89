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
export declare const REQUEST_MODES: readonly RequestMode[];
/** The placeholder replaced by the next id of the request's `ids`. */
export declare const ID_PLACEHOLDER = "{id}";
/** Longest mix cycle: each connection keeps one prebuilt request per cycle entry. */
export declare const MAX_CYCLE = 1000;
/** Shortest cycle limit, whatever the number of connections (keeps mixes of few requests exact). */
export declare const MIN_CYCLE_LIMIT = 100;
/** One thing wrong with a request list, in the config's terms (path like `load.requests[1].weight`). */
export interface MixProblem {
    path: string;
    value: unknown;
    message: string;
}
/** The mode in effect: the one given, else 'mix' when any request has a weight, else 'sequence'. */
export declare function resolveMode(requests: readonly MixRequest[], mode?: RequestMode): RequestMode;
/**
 * Everything wrong with a request list for the given mode, for config validation; empty when it is
 * usable. `prefix` names the list in messages (e.g. 'load.requests').
 */
export declare function requestMixProblems(requests: readonly MixRequest[], mode?: RequestMode, prefix?: string): MixProblem[];
/** True when `{id}` appears in the request's path, a header value, or its body. */
export declare function usesId(r: MixRequest): boolean;
/** The request with `{id}` replaced: percent-encoded in the path (one segment or query value), as is in header values and body. */
export declare function withId<R extends MixRequest>(r: R, id: string): R;
/** A round-robin over `ids`: each call returns the next one, wrapping around. */
export declare function idRotation(ids: readonly string[]): () => string;
/** The longest mix cycle for this many connections: 1000 entries, down to 100 when there are many connections. */
export declare function maxCycleLength(connections: number): number;
/**
 * Positive weights (integers or decimals) as the smallest whole numbers in the same proportions,
 * e.g. [0.75, 0.25] -> [3, 1], [2, 4] -> [1, 2]. When those would add up to more than `maxTotal`,
 * they are scaled to `maxTotal` by largest remainder, each kept >= 1 (shares then off by < 1/maxTotal).
 */
export declare function integerWeights(weights: readonly number[], maxTotal?: number): number[];
/**
 * Smooth weighted round-robin (as in nginx): one full cycle of indices for integer weights, each
 * index appearing weights[i] times, spread as evenly as possible; ties go to the lower index.
 * [3, 1] -> [0, 0, 1, 0]; [1, 1, 1] -> [0, 1, 2]; [5, 1, 1] -> [0, 0, 1, 0, 2, 0, 0].
 */
export declare function smoothWeightedCycle(weights: readonly number[]): number[];
/**
 * The indices into `requests` that one connection sends, cycling: the list in order for 'sequence',
 * the smooth weighted round-robin of the weights (missing weight = 1) for 'mix'.
 * Throws an Error naming the problem when the list does not suit the mode.
 */
export declare function requestCycle(requests: readonly MixRequest[], mode: RequestMode | undefined, maxLength?: number): number[];
/** Problems as one message: "load.requests[1].weight: must be ... (got -1); ...". */
export declare function formatProblems(problems: readonly MixProblem[]): string;
