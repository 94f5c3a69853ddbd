// plan(snapshot, policy, { now }) → Plan. Pure and deterministic: no I/O, no clock, no environment.
// The planner never names a platform: what a platform can do comes in as capability data.
import {
  type Capabilities,
  type Change,
  CHANGE_KINDS,
  PLAN_FORMAT_VERSION,
  type Plan,
  type Snapshot,
} from '../model.ts';
import { GENERIC_CAPABILITIES } from '../model/capabilities.ts';
import { canonical } from '../model/identity.ts';
import { ruleText } from '../model/rules.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { planActivity } from './activity.ts';
import { keepLastAdmins } from './admins.ts';
import { makeContext, nameOf, PlanInputError } from './context.ts';
import { planDeclared } from './declared.ts';
import { planGroups } from './groups.ts';
import { checkExceptions, planInactivity } from './inactivity.ts';
import { checkLimits } from './limits.ts';
import { checkNames } from './names.ts';
import { type Refusal, withRefusals } from './refusals.ts';
import { type HistoryEntry, planReturns } from './history.ts';
import { fingerprint, summarise } from './summary.ts';

export { PlanInputError, type PlanProblem } from './context.ts';
export type { Refusal } from './refusals.ts';
export { HELD_BACK, type HistoryEntry } from './history.ts';

export interface PlanOptions {
  now: Date;
  /**
   * What the platform can do; unsupported changes are listed as skipped `unsupported`. Default: the
   * snapshot's own (its driver declared them), else every kind supported with generic operation names.
   */
  capabilities?: Capabilities;
  /** What the instance refused as read-only in earlier applies: those changes are planned as skipped. */
  refusals?: readonly Refusal[];
  /**
   * What earlier runs of this tool did (their audit): users re-activated by hand are held back for the policy's
   * reactivation_cooldown_days; restore_on_return gives access groups back to users active again.
   */
  history?: readonly HistoryEntry[];
}

const KIND_ORDER = new Map(CHANGE_KINDS.map((k, i) => [k, i]));

type Sortable = { kind: Change['kind']; user: string; group?: string; rule?: Change['rule'] };

/**
 * Sorts by kind, user (compareNames), group, rule. The keys are computed once per item, not per comparison:
 * a million changes take ~40 million comparisons, and canonical() in each made sorting most of the plan's time.
 */
function sortByKindUserGroup<T extends Sortable>(items: T[], first?: (t: T) => string): T[] {
  const keyed = items.map((item) => ({
    item,
    first: first ? first(item) : '',
    kind: KIND_ORDER.get(item.kind)!,
    canonical: canonical(item.user),
    group: item.group ?? '',
    rule: item.rule ? ruleText(item.rule) : '',
  }));
  keyed.sort(
    (a, b) =>
      a.first.localeCompare(b.first) ||
      a.kind - b.kind ||
      a.canonical.localeCompare(b.canonical) ||
      a.item.user.localeCompare(b.item.user) ||
      a.group.localeCompare(b.group) ||
      a.rule.localeCompare(b.rule),
  );
  for (let i = 0; i < keyed.length; i++) items[i] = keyed[i]!.item;
  return items;
}

export function plan(input: Snapshot, resolved: ResolvedPolicy, opts: PlanOptions): Plan {
  const snapshot = withRefusals(input, opts.refusals ?? []);
  const caps = opts.capabilities ?? snapshot.capabilities ?? GENERIC_CAPABILITIES;
  const ctx = makeContext(snapshot, resolved, opts.now, caps);
  const declaredNames = new Map(
    resolved.declared.map((d) => [canonical(nameOf(ctx, d.name)), ruleText(d.ref)]),
  );

  if (snapshot.platform !== resolved.policy.instance.platform) {
    ctx.problems.push({
      field: ['instance', 'platform'],
      message: `instance.platform is ${resolved.policy.instance.platform} but the snapshot is of a ${snapshot.platform} instance`,
    });
  }
  checkNames(ctx);
  checkExceptions(ctx);
  planDeclared(ctx);
  const selected = planInactivity(ctx, declaredNames, opts.history ?? []);
  planGroups(ctx);
  planReturns(ctx, opts.history ?? []);
  if (ctx.problems.length > 0) throw new PlanInputError(ctx.problems);

  // A deleted account needs no other change.
  const deleted = new Set(ctx.changes.filter((c) => c.kind === 'delete').map((c) => c.userId));
  ctx.changes = ctx.changes.filter((c) => c.kind === 'delete' || c.userId === null || !deleted.has(c.userId));
  keepLastAdmins(ctx);

  const changes = sortByKindUserGroup(
    ctx.changes.map((c) =>
      c.kind === 'create-user' || c.userId === null
        ? c
        : { ...c, displayName: ctx.byId.get(c.userId)?.displayName },
    ),
  );
  const skipped = sortByKindUserGroup(ctx.skipped, (s) => s.why);
  const upcoming = sortUpcoming(ctx.upcoming);
  const limits = checkLimits(changes, snapshot.users.length, resolved.policy.limits);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: opts.now.toISOString(),
    policy: { path: resolved.path, sha256: resolved.sha256 },
    snapshot: {
      platform: snapshot.platform,
      instance: snapshot.instance,
      takenAt: snapshot.takenAt,
      fingerprint: fingerprint(input),
      users: snapshot.users.length,
      ...(snapshot.version ? { version: snapshot.version } : {}),
    },
    applyable: limits.every((l) => !l.exceeded),
    changes,
    skipped,
    upcoming,
    upcomingDays: resolved.policy.report.upcoming_days,
    limits,
    warnings: ctx.warnings,
    activity: planActivity(ctx, selected),
    summary: summarise(ctx, resolved.policy, changes, skipped, upcoming.length),
  };
}

/** Upcoming changes by date, user (compareNames), rule; keys computed once per item. */
function sortUpcoming<T extends { date: string; user: string; rule: Change['rule'] }>(items: T[]): T[] {
  const keyed = items.map((item) => ({ item, canonical: canonical(item.user), rule: ruleText(item.rule) }));
  keyed.sort(
    (a, b) =>
      a.item.date.localeCompare(b.item.date) ||
      a.canonical.localeCompare(b.canonical) ||
      a.item.user.localeCompare(b.item.user) ||
      a.rule.localeCompare(b.rule),
  );
  for (let i = 0; i < keyed.length; i++) items[i] = keyed[i]!.item;
  return items;
}
