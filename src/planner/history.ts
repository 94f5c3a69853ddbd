// What earlier runs of this tool did, from their audit: the planner's memory for two rules. Pure.
// - Reactivation cooldown: a user this tool deactivated and an admin re-activated by hand is not deactivated (or
//   removed, or deleted) again by an inactivity rule for `reactivation_cooldown_days`, counted from the first run
//   that saw the re-activation (an apply records it in its audit as a held-back row), else from today.
// - Welcome back: a user whose access a `restore_on_return` rule removed, and who has been active since, gets the
//   access groups back as planned add-member changes.
import type { ChangeKind, Outcome, User } from '../model.ts';
import { canonical, includesName } from '../model/identity.ts';
import { dayNumber, isoDay } from '../days.ts';
import { type Ctx, propose } from './context.ts';

/** One change an earlier run recorded in its audit. */
export interface HistoryEntry {
  /** When it was recorded (ISO). */
  at: string;
  run: string;
  kind: ChangeKind;
  userId: string | null;
  user: string;
  groups: string[];
  /** The rule text as audited (an inactivity rule's name). */
  rule: string;
  outcome: Outcome;
  /** The audit's error or skip reason. */
  error: string | null;
}

/** How an apply records a held-back user in its audit (outcome skipped); the next runs count from the first. */
export const HELD_BACK = 'held back: re-activated by hand';

const sameUser = (e: HistoryEntry, u: User): boolean =>
  e.userId !== null && e.userId === u.id ? true : canonical(e.user) === canonical(u.name);

const byTime = (a: HistoryEntry, b: HistoryEntry) => Date.parse(a.at) - Date.parse(b.at);

export interface Reactivation {
  /** When this tool deactivated the user (ISO), and in which run. */
  deactivatedAt: string;
  run: string;
  /** The first run that saw the user active again (ISO); null: this one. */
  seenAt: string | null;
}

/** The user is active although this tool's last word on them was a deactivation: re-activated by hand. */
export function reactivatedByHand(user: User, history: readonly HistoryEntry[]): Reactivation | null {
  if (!user.active) return null;
  const mine = history.filter((e) => sameUser(e, user)).sort(byTime);
  let last: HistoryEntry | undefined;
  for (const e of mine) {
    if (e.outcome !== 'applied') continue;
    if (e.kind === 'deactivate') last = e;
    else if (e.kind === 'activate' || e.kind === 'delete') last = undefined;
  }
  if (!last) return null;
  const seen = mine.find(
    (e) => e.outcome === 'skipped' && e.error?.startsWith(HELD_BACK) && byTime(e, last!) >= 0,
  );
  return { deactivatedAt: last.at, run: last.run, seenAt: seen?.at ?? null };
}

/** The last day of the hold (YYYY-MM-DD), or null when the cooldown is over (or 0). */
export function heldUntil(r: Reactivation, now: Date, cooldownDays: number): string | null {
  if (cooldownDays <= 0) return null;
  const from = dayNumber(r.seenAt ?? now);
  const last = from + cooldownDays - 1;
  return dayNumber(now) <= last ? isoDay(last) : null;
}

/** The skip detail of a held-back user; starts with HELD_BACK, which the apply's audit row carries. */
export function heldText(r: Reactivation, until: string, cooldownDays: number): string {
  const seen = r.seenAt ? `first seen ${r.seenAt.slice(0, 10)}` : 'first seen today';
  return `${HELD_BACK} after this tool deactivated it on ${r.deactivatedAt.slice(0, 10)} (run ${r.run}), ${seen}; left alone until ${until} (reactivation_cooldown_days ${cooldownDays})`;
}

/** Welcome back: plans the access groups of users a restore_on_return rule removed and who have been active since. */
export function planReturns(ctx: Ctx, history: readonly HistoryEntry[]): void {
  const rules = ctx.policy.inactivity
    .map((rule, index) => ({ rule, index }))
    .filter((r) => r.rule.action === 'remove-access' && r.rule.restore_on_return);
  if (rules.length === 0 || history.length === 0) return;
  for (const user of ctx.snapshot.users) {
    if (!user.active || !user.activityKnown || !user.lastActive) continue;
    const mine = history.filter((e) => sameUser(e, user)).sort(byTime);
    for (const { rule, index } of rules) {
      const removal = [...mine]
        .reverse()
        .find(
          (e) =>
            e.kind === 'remove-access' &&
            e.outcome === 'applied' &&
            canonical(e.rule) === canonical(rule.name),
        );
      if (!removal || Date.parse(user.lastActive) <= Date.parse(removal.at)) continue;
      for (const group of removal.groups) {
        if (includesName(user.groups, group) || !ctx.groups.has(group)) continue;
        const planned = ctx.changes.some(
          (c) => c.kind === 'add-member' && c.userId === user.id && canonical(c.group) === canonical(group),
        );
        if (planned) continue;
        propose(ctx, user, {
          kind: 'add-member',
          user: user.name,
          userId: user.id,
          group,
          rule: { type: 'inactivity', name: rule.name, index },
          reason: { type: 'returned', removedAt: removal.at, run: removal.run, lastActive: user.lastActive },
        });
      }
    }
  }
}
