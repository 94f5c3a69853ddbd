// The data behind the activity chart: days since last activity per user, and the rule thresholds.
import type { Snapshot } from '../model.ts';
import type { Policy } from '../policy/schema.ts';
import { daysSinceActive } from './format.ts';
import type { ActivityData } from './markdown.ts';

export function activityOf(snapshot: Snapshot, policy: Policy, now: Date): ActivityData {
  return {
    days: snapshot.users.map((u) => daysSinceActive(u, now)),
    thresholds: policy.inactivity.map((r) => ({ rule: r.name, days: r.inactive_days })),
  };
}
