// The config-level `accept:` entry as a grant: for local runs and CI outside GitHub. Pure: the date is passed in.
// An expired entry grants nothing and says so; so does one in a pull request from a fork, whose config is the
// fork's own and so can never accept its own growth.
import type { AcceptEntry } from '../config/accept-history-sections.js';
import type { Grant } from './apply-acceptance.js';

export interface ConfigGrant {
  grant: Grant | null;
  /** Why the entry was not used (a warning), when it was not. */
  warning?: string;
}

export function configGrant(entry: AcceptEntry | null, today: Date, fromFork: boolean): ConfigGrant {
  if (!entry) return { grant: null };
  if (fromFork) {
    return { grant: null, warning: "the config's accept entry was ignored: this pull request comes from a fork, whose config cannot accept its own growth (a maintainer can add the label or comment /leakgate accept <reason>)" };
  }
  const end = Date.parse(`${entry.expires}T23:59:59.999Z`);
  if (today.getTime() > end) {
    return { grant: null, warning: `the config's accept entry expired on ${entry.expires} and was ignored (reason was: ${entry.reason}); remove it, or renew it with a new date` };
  }
  const inf = Number.MAX_VALUE;
  return {
    grant: {
      by: 'config',
      at: today.toISOString(),
      reason: entry.reason,
      source: 'config',
      expires: entry.expires,
      bounds: {
        bytesPerRequest: entry.maxBytesPerRequest ?? inf,
        peakBytes: entry.maxPeakBytes ?? inf,
        maxBytesPerRequest: entry.maxBytesPerRequest ?? inf,
        maxPeakBytes: entry.maxPeakBytes ?? inf,
      },
    },
  };
}
