// plan(snapshot, policy, { now }) → Plan. Pure and deterministic: no I/O, no clock, no environment.
import { type Change, CHANGE_KINDS, type Plan, type Snapshot } from '../model.ts';
import { ALL_SUPPORTED, type Capabilities } from '../platforms/types.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { keepLastAdmins } from './admins.ts';
import { makeContext, PlanInputError } from './context.ts';
import { planDeclared } from './declared.ts';
import { planGroups } from './groups.ts';
import { checkExceptions, planInactivity } from './inactivity.ts';
import { checkLimits } from './limits.ts';
import { fingerprint, summarise } from './summary.ts';

export { PlanInputError, type PlanProblem } from './context.ts';

export interface PlanOptions {
  now: Date;
  /** What the platform cannot do; such changes are listed as skipped `unsupported`. Default: everything. */
  capabilities?: Capabilities;
}

const KIND_ORDER = new Map(CHANGE_KINDS.map((k, i) => [k, i]));
const groupOf = (c: { group?: string }) => c.group ?? '';

function byKindUserGroup(
  a: { kind: Change['kind']; user: string; group?: string; rule?: string },
  b: typeof a,
): number {
  return (
    KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! ||
    a.user.toLowerCase().localeCompare(b.user.toLowerCase()) ||
    a.user.localeCompare(b.user) ||
    groupOf(a).localeCompare(groupOf(b)) ||
    (a.rule ?? '').localeCompare(b.rule ?? '')
  );
}

export function plan(snapshot: Snapshot, resolved: ResolvedPolicy, opts: PlanOptions): Plan {
  const ctx = makeContext(snapshot, resolved, opts.now, opts.capabilities ?? ALL_SUPPORTED);
  const declaredNames = new Map(resolved.declared.map((d) => [d.name.toLowerCase(), d.source]));

  if (snapshot.platform !== resolved.policy.instance.platform) {
    ctx.problems.push({
      field: ['instance', 'platform'],
      message: `instance.platform is ${resolved.policy.instance.platform} but the snapshot is of a ${snapshot.platform} instance`,
    });
  }
  checkExceptions(ctx);
  planDeclared(ctx);
  planInactivity(ctx, declaredNames);
  planGroups(ctx);
  if (ctx.problems.length > 0) throw new PlanInputError(ctx.problems);

  // A deleted account needs no other change.
  const deleted = new Set(ctx.changes.filter((c) => c.kind === 'delete').map((c) => c.userId));
  ctx.changes = ctx.changes.filter((c) => c.kind === 'delete' || c.userId === null || !deleted.has(c.userId));
  keepLastAdmins(ctx);

  const names = new Map(snapshot.users.map((u) => [u.id, u.displayName]));
  const changes = ctx.changes
    .map((c) =>
      c.kind === 'create-user' || c.userId === null ? c : { ...c, displayName: names.get(c.userId) },
    )
    .sort(byKindUserGroup);
  const skipped = ctx.skipped.sort((a, b) => a.why.localeCompare(b.why) || byKindUserGroup(a, b));
  const upcoming = ctx.upcoming.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.user.toLowerCase().localeCompare(b.user.toLowerCase()) ||
      a.rule.localeCompare(b.rule),
  );
  const limits = checkLimits(changes, snapshot.users.length, resolved.policy.limits);
  return {
    formatVersion: 1,
    generatedAt: opts.now.toISOString(),
    policy: { path: resolved.path, sha256: resolved.sha256 },
    snapshot: {
      platform: snapshot.platform,
      instance: snapshot.instance,
      takenAt: snapshot.takenAt,
      fingerprint: fingerprint(snapshot),
      users: snapshot.users.length,
    },
    applyable: limits.every((l) => !l.exceeded),
    changes,
    skipped,
    upcoming,
    limits,
    warnings: ctx.warnings,
    summary: summarise(snapshot, resolved.policy, changes, skipped, upcoming.length),
  };
}
