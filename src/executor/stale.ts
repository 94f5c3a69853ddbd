// The stale-plan guard: apply only what a reviewer saw. A live change missing from the reviewed plan makes
// the reviewed plan stale (refused); reviewed changes that are no longer needed are dropped and reported.
import { type Change, changeKey, type Plan } from '../model.ts';
import { plural } from '../plural.ts';

export interface StaleCheck {
  stale: boolean;
  /** Why the reviewed plan cannot be applied, one line each. */
  problems: string[];
  /** Live changes that were not in the reviewed plan. */
  unreviewed: Change[];
  /** Reviewed changes the live instance no longer needs (already in state, user gone…). */
  noLongerNeeded: Change[];
}

export function checkReviewedPlan(reviewed: Plan, live: Plan): StaleCheck {
  const problems: string[] = [];
  if (reviewed.policy.sha256 !== live.policy.sha256) {
    problems.push(
      `the reviewed plan was made from another version of the policy (sha256 ${reviewed.policy.sha256.slice(0, 12)}…, now ${live.policy.sha256.slice(0, 12)}…)`,
    );
  }
  if (
    reviewed.snapshot.platform !== live.snapshot.platform ||
    reviewed.snapshot.instance !== live.snapshot.instance
  ) {
    problems.push(
      `the reviewed plan is for ${reviewed.snapshot.platform} ${reviewed.snapshot.instance}, not ${live.snapshot.platform} ${live.snapshot.instance}`,
    );
  }
  const reviewedKeys = new Set(reviewed.changes.map(changeKey));
  const liveKeys = new Set(live.changes.map(changeKey));
  const unreviewed = live.changes.filter((c) => !reviewedKeys.has(changeKey(c)));
  const noLongerNeeded = reviewed.changes.filter((c) => !liveKeys.has(changeKey(c)));
  if (unreviewed.length > 0) {
    problems.push(
      `the live instance needs ${plural(unreviewed.length, 'change')} the reviewed plan does not contain`,
    );
  }
  return { stale: problems.length > 0, problems, unreviewed, noLongerNeeded };
}
