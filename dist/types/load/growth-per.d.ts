import type { GrowthPer, LoadResult, TrialAnalysis } from '../core/types.js';
/**
 * Per connection only when connections were reopened during the load (load.reconnect-every): with keep-alive
 * connections held for the whole run, "bytes per connection" would divide by the handful opened at the start.
 * Per message for a WebSocket load (unit 'session'). Undefined when neither applies or nothing was counted.
 */
export declare function growthPerOf(analysis: Pick<TrialAnalysis, 'bytesPerRequest' | 'ciLow' | 'ciHigh' | 'points'>, load: LoadResult): GrowthPer | undefined;
