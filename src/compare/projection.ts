// Turns a growth rate into the figure a user acts on: at the measured throughput, when does the
// process reach its memory limit. Pure arithmetic on numbers; formatting is the report's job.

export interface Projection {
  /** Seconds until memory reaches the limit at this throughput; null when not growing or no throughput. */
  secondsToLimit: number | null;
  /** Requests until memory reaches the limit; null when not growing or already at the limit. */
  requestsToLimit: number | null;
}

/**
 * Linear projection of memory m(r) = current + slope·r to the limit: R = (limit - current) / slope
 * requests, T = R / throughput seconds. Null when memory does not grow (slope ≤ 0), is already at
 * or above the limit, or an input is not a finite number.
 */
export function projectTimeToLimit(bytesPerRequest: number, throughput: number, currentBytes: number, limitBytes: number): Projection {
  const none: Projection = { secondsToLimit: null, requestsToLimit: null };
  if (![bytesPerRequest, currentBytes, limitBytes].every(Number.isFinite)) return none;
  if (!(bytesPerRequest > 0) || currentBytes >= limitBytes) return none;
  const requestsToLimit = (limitBytes - currentBytes) / bytesPerRequest;
  const secondsToLimit = Number.isFinite(throughput) && throughput > 0 ? requestsToLimit / throughput : null;
  return { secondsToLimit, requestsToLimit };
}

/**
 * Memory after serving `requests` more requests, or running `seconds` more at `throughput`, on the
 * same linear model: current + slope·requests. A negative slope is kept (memory shrinking).
 */
export function projectBytesAfter(
  bytesPerRequest: number,
  currentBytes: number,
  after: { requests: number } | { seconds: number; throughput: number },
): number {
  const requests = 'requests' in after ? after.requests : after.seconds * after.throughput;
  return currentBytes + bytesPerRequest * requests;
}
