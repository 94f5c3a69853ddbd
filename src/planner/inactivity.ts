// Inactivity rules: among the rules that select a user and whose threshold the user has passed, the one
// with the largest inactive_days wins (ties: the first listed). Unknown activity is never inactivity.
import type { Change, Reason, RuleRef, User } from '../model.ts';
import { canonical, includesName, sameName } from '../model/identity.ts';
import type { InactivityRule } from '../policy/schema.ts';
import { dayNumber, isoDay, reached, withinUpcoming } from '../days.ts';
import { type Ctx, directGrants, nameOf, propose, protection, seatGroups, skip } from './context.ts';
import { firstGroupOf, inactivityOf, Selection } from './select.ts';
import { heldText, heldUntil, type HistoryEntry, reactivatedByHand } from './history.ts';

interface CompiledRule {
  rule: InactivityRule;
  index: number;
  ref: RuleRef;
  select: Selection;
  excludeUsers: Selection;
  excludeEmails: Selection;
}

type Inactivity =
  | { known: false; detail: string }
  | {
      known: true;
      passed: boolean;
      /** The UTC day number on which the threshold is reached (src/days.ts). */
      crossingDay: number;
      reason: Extract<Reason, { type: 'inactive' }>;
    };

function compile(rules: InactivityRule[]): CompiledRule[] {
  return rules.map((rule, index) => ({
    rule,
    index,
    ref: { type: 'inactivity', name: rule.name, index },
    select: new Selection({
      ...rule.select,
      status: rule.select.status ?? (rule.action === 'delete' ? 'any' : 'active'),
    }),
    excludeUsers: new Selection({ users: rule.exclude.users }),
    excludeEmails: new Selection({ emails: rule.exclude.emails }),
  }));
}

function selects(r: CompiledRule, user: User): boolean {
  // Accounts that are not people (Bitbucket service users) are never touched by inactivity rules.
  if (user.service) return false;
  return r.select.matches(user);
}

function exclusion(r: CompiledRule, user: User): string | null {
  const g = firstGroupOf(user, r.rule.exclude.groups);
  if (g) return `member of excluded group ${g}`;
  if (r.rule.exclude.users.length > 0 && r.excludeUsers.matches(user)) return 'matches exclude.users';
  if (r.rule.exclude.emails.length > 0 && r.excludeEmails.matches(user)) return 'matches exclude.emails';
  return null;
}

function measure(
  r: InactivityRule,
  user: User,
  inactivity: ReturnType<typeof inactivityOf>,
  today: number,
): Inactivity {
  if (!inactivity.known) return inactivity;
  const { lastActive, neverLoggedIn, days } = inactivity;
  const threshold = neverLoggedIn ? (r.never_logged_in?.grace_days ?? r.inactive_days) : r.inactive_days;
  return {
    known: true,
    passed: reached(days, threshold),
    // days = today − the day of `since` (src/days.ts), so this is that day + threshold.
    crossingDay: today - days + threshold,
    reason: {
      type: 'inactive',
      lastActive,
      created: user.created,
      neverLoggedIn,
      days,
      thresholdDays: threshold,
    },
  };
}

/** The rule that wins among candidates: largest inactive_days, then the first listed. */
function winner(cands: CompiledRule[]): CompiledRule | undefined {
  return [...cands].sort((a, b) => b.rule.inactive_days - a.rule.inactive_days || a.index - b.index)[0];
}

/** Plans the inactivity rules; returns the users they select (for the activity summary). */
export function planInactivity(
  ctx: Ctx,
  declaredNames: Map<string, string>,
  history: readonly HistoryEntry[] = [],
): User[] {
  const rules = compile(ctx.policy.inactivity);
  const selected: User[] = [];
  if (rules.length === 0) return selected;
  const today = isoDay(ctx.now);
  const exceptions = new Map<string, { until: string; reason: string }>();
  for (const e of ctx.policy.exceptions) {
    const key = canonical(nameOf(ctx, e.user));
    const prev = exceptions.get(key);
    if (!prev || prev.until < e.until) exceptions.set(key, { until: e.until, reason: e.reason });
  }
  const products = ctx.policy.instance.activity.products;
  const todayNumber = dayNumber(ctx.now);
  const memberOf = namedMembers(ctx);

  for (const user of ctx.snapshot.users) {
    const selecting = rules.filter((r) => selects(r, user));
    if (selecting.length === 0) continue;
    selected.push(user);
    const inactivity = inactivityOf(user, ctx.now, products);
    const measured = selecting.map((r) => ({ r, m: measure(r.rule, user, inactivity, todayNumber) }));
    const unknown = measured.find((x) => !x.m.known);
    if (unknown && !unknown.m.known) {
      // Skipped under the rule that would act first; the detail names every rule that could not be evaluated.
      const first = [...selecting].sort(
        (a, b) => a.rule.inactive_days - b.rule.inactive_days || a.index - b.index,
      )[0]!;
      const others = selecting.length > 1 ? ` (rules ${selecting.map((r) => r.rule.name).join(', ')})` : '';
      skip(ctx, user, first.ref, first.rule.action, 'activity-unknown', `${unknown.m.detail}${others}`);
      continue;
    }
    const passed = measured.filter((x) => x.m.known && x.m.passed).map((x) => x.r);
    const declared = declaredNames.get(canonical(user.name));
    const exception =
      exceptions.get(canonical(user.name)) ??
      (user.email ? exceptions.get(canonical(user.email)) : undefined);

    let top = winner(passed);
    if (top && declared) {
      skip(ctx, user, top.ref, top.rule.action, 'excluded', `desired state declared in ${declared}`);
      continue;
    }
    // Exclusions apply to the rule that names them: a lower rule may still apply. So do the policy's own
    // group declarations, which win over a rule that would undo them (no flapping between runs): a named
    // member is not deleted, nor removed from a group the policy puts them in.
    const named = memberOf.get(canonical(user.name)) ?? [];
    let eligible = passed;
    while (top) {
      const why = exclusion(top, user) ?? conflict(ctx, top.rule, user, named);
      if (!why) break;
      skip(ctx, user, top.ref, top.rule.action, 'excluded', why);
      eligible = eligible.filter((r) => r !== top);
      top = winner(eligible);
    }

    if (!declared && !protection(ctx, user)) {
      const beyond = top?.rule.inactive_days ?? 0;
      for (const { r, m } of measured) {
        if (!m.known || m.passed || r.rule.inactive_days <= beyond || exclusion(r, user)) continue;
        const inDays = m.crossingDay - todayNumber;
        if (!withinUpcoming(inDays, ctx.policy.report.upcoming_days)) continue;
        const date = isoDay(m.crossingDay);
        if (exception && exception.until >= date) continue;
        ctx.upcoming.push({
          user: user.name,
          userId: user.id,
          rule: r.ref,
          action: r.rule.action,
          date,
          inDays,
        });
      }
    }
    if (!top) continue;

    const m = measured.find((x) => x.r === top)!.m;
    if (!m.known) continue;
    const rule = top.rule;
    const ref = top.ref;
    if (exception && exception.until >= today) {
      skip(ctx, user, ref, rule.action, 'exception', `until ${exception.until}: ${exception.reason}`);
      continue;
    }
    // An admin re-activated a user this tool deactivated: left alone for the cooldown, whatever the rule.
    const back = history.length > 0 ? reactivatedByHand(user, history) : null;
    const cooldown = ctx.policy.reactivation_cooldown_days;
    const until = back ? heldUntil(back, ctx.now, cooldown) : null;
    if (back && until) {
      skip(ctx, user, ref, rule.action, 'reactivated-by-hand', heldText(back, until, cooldown));
      continue;
    }
    let change: Change;
    if (rule.action === 'remove-access') {
      // Access groups the policy names the user a member of stay (conflict() skipped the rule if that is all).
      const groups = seatGroups(ctx, user).filter((g) => !includesName(named, g));
      const direct = directGrants(user);
      if (groups.length === 0 && direct.length === 0) continue; // holds no seat: nothing to remove
      change = {
        kind: 'remove-access',
        user: user.name,
        userId: user.id,
        rule: ref,
        reason: m.reason,
        groups,
        ...(direct.length > 0 ? { direct } : {}),
      };
    } else if (rule.action === 'deactivate') {
      if (!user.active) continue;
      change = { kind: 'deactivate', user: user.name, userId: user.id, rule: ref, reason: m.reason };
    } else {
      change = { kind: 'delete', user: user.name, userId: user.id, rule: ref, reason: m.reason };
    }
    propose(ctx, user, change);
  }
  return selected;
}

/** Warnings for exceptions that expired (exceptions naming nobody are reported with the other names). */
export function checkExceptions(ctx: Ctx): void {
  const today = isoDay(ctx.now);
  for (const e of ctx.policy.exceptions) {
    const exists =
      ctx.byName.has(e.user) || ctx.snapshot.users.some((u) => u.email && sameName(u.email, e.user));
    if (exists && e.until < today)
      ctx.warnings.push(`exception for ${e.user} expired on ${e.until} (${e.reason}): the rules apply again`);
  }
}

/** Why the rule would undo the policy's own declaration for this user, or null. */
function conflict(ctx: Ctx, rule: InactivityRule, user: User, named: string[]): string | null {
  if (named.length === 0) return null;
  if (rule.action === 'delete') return `named as a member of ${named.join(', ')} by the policy`;
  if (rule.action !== 'remove-access') return null;
  const held = seatGroups(ctx, user);
  return held.length > 0 && directGrants(user).length === 0 && held.every((g) => includesName(named, g))
    ? `named as a member of ${held.join(', ')} by the policy`
    : null;
}

/** user (lower-cased) → the groups the policy names them a member of (groups.*.members, users[].groups, imports). */
function namedMembers(ctx: Ctx): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (user: string, group: string) => {
    const list = out.get(canonical(user)) ?? [];
    if (!includesName(list, group)) list.push(group);
    out.set(canonical(user), list);
  };
  for (const [group, g] of Object.entries(ctx.policy.groups))
    for (const m of g.members) add(nameOf(ctx, m), group);
  for (const d of ctx.resolved.declared)
    if (d.state === 'active') for (const g of d.groups) add(nameOf(ctx, d.name), g);
  return out;
}
