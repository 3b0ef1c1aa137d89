/** The figures of wrk's end-of-run summary. Latency in milliseconds. */
export interface WrkSummary {
    /** "N requests in 20.00s": responses received, any status. */
    requests: number;
    durationMs: number;
    /** "Requests/sec:". */
    throughput: number;
    /** "X MB read", in bytes. */
    bytesRead: number;
    /** "Non-2xx or 3xx responses: N" (wrk counts status > 399 here). */
    non2xx: number;
    /** Sum of the "Socket errors:" figures (connect, read, write, timeout). */
    errors: number;
    timeouts: number;
    /** Thread Stats Latency Avg / Max; p50/p90/p99 from the --latency distribution, else 0. */
    latency: {
        p50: number;
        p90: number;
        p99: number;
        max: number;
        mean: number;
    };
    /** False without --latency: p50/p90/p99 are then unknown (0). */
    hasDistribution: boolean;
}
/**
 * Parses the summary wrk prints when it ends (also after SIGINT), e.g.
 * ```
 *   Thread Stats   Avg      Stdev     Max   +/- Stdev
 *     Latency   220.33us  583.59us  13.52ms   95.91%
 *   Latency Distribution            (only with --latency)
 *      50%  107.00us
 *      99%    2.68ms
 *   63033 requests in 2.00s, 7.45MB read
 *   Socket errors: connect 0, read 8, write 0, timeout 0
 *   Non-2xx or 3xx responses: 12
 * Requests/sec:  31476.52
 * ```
 * Throws an Error naming the line when a required line ("N requests in", "Requests/sec:", "Latency") is missing
 * or malformed.
 */
export declare function parseWrkSummary(text: string, source?: string): WrkSummary;
/**
 * A request count from a counter's text: a plain number ("123\n"), or JSON holding a number at `field`
 * (dotted for nesting: "stats.requests"), or a bare JSON number. `source` names the URL or file in messages.
 */
export declare function parseCounterValue(text: string, field?: string, source?: string): number;
/** Compiles a counter regex, checking it has a capturing group for the count. */
export declare function counterRegex(pattern: string | RegExp): RegExp;
/**
 * The count in the last match of `regex` in `text` (its first capturing group, thousands separators allowed),
 * e.g. lastRegexCount("done 100\ndone 200\n", "done (\\d+)") = 200. Matches whose group is not a number are
 * skipped; null when nothing matches.
 */
export declare function lastRegexCount(text: string, regex: string | RegExp): number | null;
