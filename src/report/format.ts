// Shared wording and counting for every renderer, so the terminal, the PR comment and the CSVs
// name things the same way. Pure: no I/O, no clock.
import { CHANGE_KINDS, SKIP_REASONS } from '../model.ts';
import type { Change, ChangeKind, Plan, SkipReason, Skipped, User } from '../model.ts';
import { daysBetween } from '../days.ts';
import { formatInt, plural } from '../plural.ts';

export { daysAgo, formatInt, plural } from '../plural.ts';

export const KIND_LABELS: Record<ChangeKind, string> = {
  'create-user': 'Create user',
  activate: 'Activate',
  'add-member': 'Add to group',
  'remove-member': 'Remove from group',
  'remove-access': 'Remove product access',
  deactivate: 'Deactivate',
  delete: 'Delete',
};

/** "N to …" phrases of the one-line plan summary. */
const KIND_PHRASES: Record<ChangeKind, [one: string, many: string]> = {
  'create-user': ['user to create', 'users to create'],
  activate: ['to activate', 'to activate'],
  'add-member': ['membership to add', 'memberships to add'],
  'remove-member': ['membership to remove', 'memberships to remove'],
  'remove-access': ['to lose product access', 'to lose product access'],
  deactivate: ['to deactivate', 'to deactivate'],
  delete: ['to delete', 'to delete'],
};

export const SKIP_LABELS: Record<SkipReason, string> = {
  protected: 'protected',
  excluded: 'excluded by the rule',
  exception: 'exception',
  'read-only-directory': 'read-only directory',
  'activity-unknown': 'activity unknown',
  unsupported: 'not supported by the platform',
  irreversible: 'cannot be reverted',
  'reactivated-by-hand': 're-activated by hand',
};

const DECIMAL = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** Limits and fractions: integers as formatInt, others with up to 4 decimals (0.645161 → "0.6452"). */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? formatInt(n) : DECIMAL.format(n);
}

/** Money: whole amounts without decimals, others with two (16.3 → "16.30"). */
export function formatAmount(n: number): string {
  const digits = Number.isInteger(n) ? 0 : 2;
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** YYYY-MM-DD (UTC) of an ISO timestamp; the input unchanged when it is not a date. */
export function ymd(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 10);
}

/** The group(s) a change acts on (none for account-level kinds). */
export function changeGroups(c: Change): string[] {
  if (c.kind === 'add-member' || c.kind === 'remove-member') return [c.group];
  if (c.kind === 'remove-access') return c.groups;
  return [];
}

/**
 * What a remove-access change takes away: its access groups and the direct grants the platform reports
 * (Bitbucket's own LICENSED_USER permission) — "stash-users and the direct LICENSED_USER permission".
 */
export function seatText(groups: readonly string[], direct: readonly string[] = []): string {
  const grants = direct.length > 0 ? [`the direct ${direct.join(', ')} permission`] : [];
  const parts = [...(groups.length > 0 ? [groups.join(', ')] : []), ...grants];
  return parts.join(' and ');
}

/** "deactivate", "remove from group developers": what a skipped entry would have done. */
export function intentText(kind: ChangeKind, group?: string): string {
  const verb = KIND_LABELS[kind].toLowerCase();
  return group ? `${verb} ${group}` : verb;
}

export function countByKind(plan: Plan): Record<ChangeKind, number> {
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of plan.changes) counts[c.kind] += 1;
  return counts;
}

export function changesOfKind<K extends ChangeKind>(plan: Plan, kind: K): Extract<Change, { kind: K }>[] {
  return plan.changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);
}

/** Skipped entries grouped by reason, in SKIP_REASONS order, empty groups left out. */
export function skippedByReason(plan: Plan): [SkipReason, Skipped[]][] {
  return SKIP_REASONS.map((why): [SkipReason, Skipped[]] => [
    why,
    plan.skipped.filter((s) => s.why === why),
  ]).filter(([, list]) => list.length > 0);
}

/** Distinct usernames in first-seen order (one user can be skipped for several changes). */
export function distinctUsers(entries: readonly { user: string }[]): string[] {
  return [...new Set(entries.map((e) => e.user))];
}

export function exceededLimits(plan: Plan): Plan['limits'] {
  return plan.limits.filter((l) => l.exceeded);
}

/** "3 to deactivate, 2 memberships to add" — non-zero kinds in CHANGE_KINDS order. */
export function countsPhrase(plan: Plan): string {
  const counts = countByKind(plan);
  return CHANGE_KINDS.filter((k) => counts[k] > 0)
    .map((k) => plural(counts[k], ...KIND_PHRASES[k]))
    .join(', ');
}

/** "Upcoming in the next 14 days": the plan's window (report.upcoming_days, its last day included). */
export function upcomingTitle(plan: Pick<Plan, 'upcomingDays'>): string {
  return plan.upcomingDays === undefined
    ? 'Upcoming'
    : `Upcoming in the next ${plural(plan.upcomingDays, 'day')}`;
}

/**
 * The one-line verdict shared by the terminal and the Markdown summary, e.g.
 * `Plan: 3 to deactivate, 2 memberships to add. 12 skipped. Applyable.`
 * Limit messages are returned separately so each renderer can escape them its own way.
 */
export function verdict(plan: Plan): { text: string; applyable: boolean; limitMessages: string[] } {
  const skipped = plan.skipped.length > 0 ? ` ${formatInt(plan.skipped.length)} skipped.` : '';
  const limitMessages = exceededLimits(plan).map((l) => l.message);
  // With activity missing, "no changes" would read as "no dormant accounts": say what could not be seen.
  const blind = plan.activity?.alert
    ? ` Activity is unknown for ${formatInt(plan.activity.unknown)} of ${plural(plan.activity.selected, 'user')} the inactivity rules select.`
    : '';
  const text =
    plan.changes.length === 0
      ? blind
        ? `No changes found, but the plan cannot see dormant accounts.${blind}${skipped}`
        : `No changes. The instance matches the policy.${skipped}`
      : `Plan: ${countsPhrase(plan)}.${blind}${skipped}`;
  return { text, applyable: plan.applyable, limitMessages };
}

/**
 * UTC calendar days between a user's last activity and `now` (src/days.ts; 0 for activity in the
 * future); null when the user never logged in or the activity source could not tell. Feeds
 * inventory.csv, `aup list` and the Markdown activity chart, and counts as the planner does.
 */
export function daysSinceActive(user: Pick<User, 'lastActive' | 'activityKnown'>, now: Date): number | null {
  if (!user.activityKnown || user.lastActive === null) return null;
  const days = daysBetween(user.lastActive, now);
  if (Number.isNaN(days)) return null;
  return Math.max(0, days);
}
