// Inactivity rules: among the rules that select a user and whose threshold the user has passed, the one
// with the largest inactive_days wins (ties: the first listed). Unknown activity is never inactivity.
import type { Change, Reason, User } from '../model.ts';
import { Matcher } from '../policy/glob.ts';
import type { InactivityRule } from '../policy/schema.ts';
import { type Ctx, DAY_MS, inGroup, isoDay, propose, protection, skip } from './context.ts';

interface CompiledRule {
  rule: InactivityRule;
  index: number;
  selectEmails: Matcher | null;
  excludeUsers: Matcher;
  excludeEmails: Matcher;
}

type Inactivity =
  | { known: false; detail: string }
  | { known: true; passed: boolean; crossing: Date; reason: Extract<Reason, { type: 'inactive' }> };

function compile(rules: InactivityRule[]): CompiledRule[] {
  return rules.map((rule, index) => ({
    rule,
    index,
    selectEmails: rule.select.emails ? new Matcher(rule.select.emails) : null,
    excludeUsers: new Matcher(rule.exclude.users),
    excludeEmails: new Matcher(rule.exclude.emails),
  }));
}

function selects(r: CompiledRule, user: User): boolean {
  const s = r.rule.select;
  const status = s.status ?? (r.rule.action === 'delete' ? 'any' : 'active');
  if (status === 'active' && !user.active) return false;
  if (status === 'inactive' && user.active) return false;
  if (s.groups && !s.groups.some((g) => inGroup(user, g))) return false;
  if (s.directories && !s.directories.some((d) => d.toLowerCase() === user.directory.name.toLowerCase()))
    return false;
  if (r.selectEmails && !r.selectEmails.matches(user.email)) return false;
  return true;
}

function exclusion(r: CompiledRule, user: User): string | null {
  const g = r.rule.exclude.groups.find((eg) => inGroup(user, eg));
  if (g) return `member of excluded group ${g}`;
  if (r.excludeUsers.matchesAny(user.name, user.email)) return 'matches exclude.users';
  if (r.excludeEmails.matches(user.email)) return 'matches exclude.emails';
  return null;
}

function measure(r: InactivityRule, user: User, now: Date): Inactivity {
  if (!user.activityKnown) return { known: false, detail: 'the activity source has no record for this user' };
  const neverLoggedIn = user.lastActive === null;
  const since = neverLoggedIn ? user.created : user.lastActive;
  if (since === null) return { known: false, detail: 'never logged in and the creation date is unknown' };
  const start = new Date(since);
  const days = Math.floor((now.getTime() - start.getTime()) / DAY_MS);
  const threshold = neverLoggedIn ? (r.never_logged_in?.grace_days ?? r.inactive_days) : r.inactive_days;
  return {
    known: true,
    passed: days >= threshold,
    crossing: new Date(start.getTime() + threshold * DAY_MS),
    reason: {
      type: 'inactive',
      lastActive: user.lastActive,
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

export function planInactivity(ctx: Ctx, declaredNames: Map<string, string>): void {
  const rules = compile(ctx.policy.inactivity);
  if (rules.length === 0) return;
  const today = isoDay(ctx.now);
  const exceptions = new Map<string, { until: string; reason: string }>();
  for (const e of ctx.policy.exceptions) {
    const prev = exceptions.get(e.user.toLowerCase());
    if (!prev || prev.until < e.until)
      exceptions.set(e.user.toLowerCase(), { until: e.until, reason: e.reason });
  }
  const upcomingEnd = ctx.now.getTime() + ctx.policy.report.upcoming_days * DAY_MS;
  const memberOf = namedMembers(ctx);

  for (const user of ctx.snapshot.users) {
    const selecting = rules.filter((r) => selects(r, user));
    if (selecting.length === 0) continue;
    const measured = selecting.map((r) => ({ r, m: measure(r.rule, user, ctx.now) }));
    const unknown = measured.find((x) => !x.m.known);
    if (unknown && !unknown.m.known) {
      skip(
        ctx,
        user,
        selecting.map((r) => r.rule.name).join(', '),
        unknown.r.rule.action,
        'activity-unknown',
        unknown.m.detail,
      );
      continue;
    }
    const passed = measured.filter((x) => x.m.known && x.m.passed).map((x) => x.r);
    const declared = declaredNames.get(user.name.toLowerCase());
    const exception =
      exceptions.get(user.name.toLowerCase()) ??
      (user.email ? exceptions.get(user.email.toLowerCase()) : undefined);

    let top = winner(passed);
    if (top && declared) {
      skip(ctx, user, top.rule.name, top.rule.action, 'excluded', `desired state declared in ${declared}`);
      continue;
    }
    // Exclusions apply to the rule that names them: a lower rule may still apply. So do the policy's own
    // group declarations, which win over a rule that would undo them (no flapping between runs): a named
    // member is not deleted, nor removed from a group the policy puts them in.
    const named = memberOf.get(user.name.toLowerCase()) ?? [];
    let eligible = passed;
    while (top) {
      const why = exclusion(top, user) ?? conflict(ctx, top.rule, user, named);
      if (!why) break;
      skip(ctx, user, top.rule.name, top.rule.action, 'excluded', why);
      eligible = eligible.filter((r) => r !== top);
      top = winner(eligible);
    }

    if (!declared && !protection(ctx, user)) {
      const beyond = top?.rule.inactive_days ?? 0;
      for (const { r, m } of measured) {
        if (!m.known || m.passed || r.rule.inactive_days <= beyond || exclusion(r, user)) continue;
        const t = m.crossing.getTime();
        if (t > upcomingEnd) continue;
        if (exception && exception.until >= isoDay(m.crossing)) continue;
        ctx.upcoming.push({
          user: user.name,
          userId: user.id,
          rule: r.rule.name,
          action: r.rule.action,
          date: isoDay(m.crossing),
          inDays: Math.max(0, Math.ceil((t - ctx.now.getTime()) / DAY_MS)),
        });
      }
    }
    if (!top) continue;

    const m = measured.find((x) => x.r === top)!.m;
    if (!m.known) continue;
    const rule = top.rule;
    if (exception && exception.until >= today) {
      skip(ctx, user, rule.name, rule.action, 'exception', `until ${exception.until}: ${exception.reason}`);
      continue;
    }
    let change: Change;
    if (rule.action === 'remove-access') {
      // Access groups the policy names the user a member of stay (conflict() skipped the rule if that is all).
      const groups = ctx.policy.instance.access_groups.filter((g) => inGroup(user, g) && !isNamed(named, g));
      if (groups.length === 0) continue; // holds no seat: nothing to remove
      change = {
        kind: 'remove-access',
        user: user.name,
        userId: user.id,
        rule: rule.name,
        reason: m.reason,
        groups,
      };
    } else if (rule.action === 'deactivate') {
      if (!user.active) continue;
      change = { kind: 'deactivate', user: user.name, userId: user.id, rule: rule.name, reason: m.reason };
    } else {
      change = { kind: 'delete', user: user.name, userId: user.id, rule: rule.name, reason: m.reason };
    }
    propose(ctx, user, change);
  }
}

/** Warnings for exceptions that expired or name nobody. */
export function checkExceptions(ctx: Ctx): void {
  const today = isoDay(ctx.now);
  for (const e of ctx.policy.exceptions) {
    const key = e.user.toLowerCase();
    const exists = ctx.byName.has(key) || ctx.snapshot.users.some((u) => u.email?.toLowerCase() === key);
    if (!exists) ctx.warnings.push(`exception for ${e.user} names no user of the instance`);
    else if (e.until < today)
      ctx.warnings.push(`exception for ${e.user} expired on ${e.until} (${e.reason}): the rules apply again`);
  }
}

const isNamed = (named: string[], group: string) =>
  named.some((n) => n.toLowerCase() === group.toLowerCase());

/** Why the rule would undo the policy's own declaration for this user, or null. */
function conflict(ctx: Ctx, rule: InactivityRule, user: User, named: string[]): string | null {
  if (named.length === 0) return null;
  if (rule.action === 'delete') return `named as a member of ${named.join(', ')} by the policy`;
  if (rule.action !== 'remove-access') return null;
  const held = ctx.policy.instance.access_groups.filter((g) => inGroup(user, g));
  return held.length > 0 && held.every((g) => isNamed(named, g))
    ? `named as a member of ${held.join(', ')} by the policy`
    : null;
}

/** user (lower-cased) → the groups the policy names them a member of (groups.*.members, users[].groups, imports). */
function namedMembers(ctx: Ctx): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (user: string, group: string) => {
    const list = out.get(user.toLowerCase()) ?? [];
    if (!list.some((g) => g.toLowerCase() === group.toLowerCase())) list.push(group);
    out.set(user.toLowerCase(), list);
  };
  for (const [group, g] of Object.entries(ctx.policy.groups)) for (const m of g.members) add(m, group);
  for (const d of ctx.resolved.declared) if (d.state === 'active') for (const g of d.groups) add(d.name, g);
  return out;
}
