// When a run becomes a baseline. Pure: the caller gathers the facts (event, branch, default branch) and the
// report; this decides. A push to a save-on branch (the default branch unless configured) saves every completed
// run, leak or not, since a leak on main is still what main is; a run that errored, could not decide, or was made
// for a pull request never does. A store that writes into the checkout (file) saves only when asked.
import type { Report } from '../core/types.js';

export interface SaveFacts {
  /** GitHub event name (push, pull_request, workflow_dispatch, ...) or 'local' for the CLI outside Actions. */
  event: string;
  /** The branch this run measured (for a push: the pushed branch). */
  branch: string | null;
  /** The repository's default branch, when known. */
  defaultBranch: string | null;
  /** Configured branches that save; empty = the default branch. */
  saveOn: readonly string[];
  /** Explicit request to save (CLI --save-baseline, or baseline.save: true). */
  forced: boolean;
  /**
   * The store writes into the checkout (the file store): it saves only when asked (`forced`), never just because
   * this is a push to a save-on branch, so a run does not leave an uncommitted change behind. Default false.
   */
  onlyWhenAsked?: boolean;
}

export interface SaveDecision {
  save: boolean;
  /** One line for the log and the summary. */
  reason: string;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'merge_group']);

export function decideSave(facts: SaveFacts, report: Pick<Report, 'error' | 'summary' | 'trials'>): SaveDecision {
  if (report.error !== null) return { save: false, reason: 'not saved as a baseline: the app could not be measured' };
  if (report.trials.length === 0) return { save: false, reason: 'not saved as a baseline: no trial ran' };
  if (report.summary.verdict === 'inconclusive') {
    return { save: false, reason: 'not saved as a baseline: the verdict is inconclusive, so it would make a poor reference' };
  }
  if (PR_EVENTS.has(facts.event)) return { save: false, reason: 'not saved as a baseline: pull requests never write baselines' };
  if (facts.forced) return { save: true, reason: `saved as the baseline of ${facts.branch ?? 'this branch'} (requested)` };
  if (facts.onlyWhenAsked) {
    return { save: false, reason: 'not saved as a baseline: the file store writes only when asked (baseline.save: true, or --save-baseline true / input save-baseline: true)' };
  }
  if (facts.event !== 'push') {
    return { save: false, reason: `not saved as a baseline: only pushes save (this is a ${facts.event} run; set baseline.save to force it)` };
  }
  const branches = facts.saveOn.length > 0 ? facts.saveOn : facts.defaultBranch ? [facts.defaultBranch] : [];
  if (facts.branch === null || !branches.includes(facts.branch)) {
    const which = branches.length > 0 ? branches.join(', ') : 'the default branch (unknown here: set baseline.save-on)';
    return { save: false, reason: `not saved as a baseline: ${facts.branch ?? 'this ref'} is not a save-on branch (${which})` };
  }
  return { save: true, reason: `saved as the baseline of ${facts.branch}` };
}
