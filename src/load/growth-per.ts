// The slope of a trial restated per new connection and per WebSocket message. Pure: the load's counts scale the
// analysis's bytes per request (or per session), interval included.
import type { GrowthPer, LoadResult, TrialAnalysis } from '../core/types.js';

/**
 * Per connection only when connections were reopened during the load (load.reconnect-every): with keep-alive
 * connections held for the whole run, "bytes per connection" would divide by the handful opened at the start.
 * Per message for a WebSocket load (unit 'session'). Undefined when neither applies or nothing was counted.
 */
export function growthPerOf(analysis: Pick<TrialAnalysis, 'bytesPerRequest' | 'ciLow' | 'ciHigh' | 'points'>, load: LoadResult): GrowthPer | undefined {
  if (analysis.points === 0 || load.requests === 0) return undefined;
  const scaled = (count: number) => {
    const k = load.requests / count;
    return { bytes: analysis.bytesPerRequest * k, ciLow: analysis.ciLow * k, ciHigh: analysis.ciHigh * k };
  };
  const out: GrowthPer = {};
  const opened = load.connectionsOpened ?? 0;
  if (load.unit !== 'session' && (load.reconnectEvery ?? 0) > 0 && opened > 0) out.connection = { opened, ...scaled(opened) };
  if (load.unit === 'session' && (load.messages ?? 0) > 0) out.message = { count: load.messages!, ...scaled(load.messages!) };
  return out.connection || out.message ? out : undefined;
}
