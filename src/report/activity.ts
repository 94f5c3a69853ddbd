// The data behind the activity chart: days since last activity per user, and the rule thresholds.
import type { Snapshot } from '../model.ts';
import type { Policy } from '../policy/schema.ts';

const DAY_MS = 86_400_000;

export interface ActivityData {
  days: (number | null)[];
  thresholds: { rule: string; days: number }[];
}

export function activityOf(snapshot: Snapshot, policy: Policy, now: Date): ActivityData {
  return {
    days: snapshot.users.map((u) =>
      u.activityKnown && u.lastActive
        ? Math.max(0, Math.floor((now.getTime() - Date.parse(u.lastActive)) / DAY_MS))
        : null,
    ),
    thresholds: policy.inactivity.map((r) => ({ rule: r.name, days: r.inactive_days })),
  };
}
