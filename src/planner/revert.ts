// planRevert(snapshot, policy, applied, { now }) → Plan: the inverse of what earlier runs applied, from their
// audit rows. Pure, like plan(): no I/O, no clock. Per account and per membership it takes the state before the
// first change the audit records and plans what brings the instance back to it — reactivate, deactivate,
// re-add or remove a membership, re-add the access groups — where the instance is not there already. Deletions
// cannot be undone over any API and are listed as irreversible, as are created accounts (undoing one would
// delete it). The result is a normal plan: the policy's protections, the platform's capabilities and the
// limits apply, and an apply of it is held to the reviewed revert plan like any other.
import {
  type Capabilities,
  type Change,
  CHANGE_KINDS,
  type ChangeKind,
  PLAN_FORMAT_VERSION,
  type Plan,
  type Snapshot,
  type User,
} from '../model.ts';
import { GENERIC_CAPABILITIES } from '../model/capabilities.ts';
import { canonical, compareNames, includesName } from '../model/identity.ts';
import type { RuleRef } from '../model/rules.ts';
import type { ResolvedPolicy } from '../policy/resolved.ts';
import { keepLastAdmins } from './admins.ts';
import { makeContext, propose, skip } from './context.ts';
import { checkLimits } from './limits.ts';
import { fingerprint, summarise } from './summary.ts';

/** One change an earlier run applied, as its audit row records it. */
export interface AppliedChange {
  kind: ChangeKind;
  userId: string | null;
  user: string;
  /** Its groups (memberships; the access groups of remove-access). */
  groups: string[];
  runId: string;
  /** When it was applied (ISO). */
  at: string;
  /** Where it is recorded: the audit file and its 1-based line. */
  file: string;
  line: number;
}

export interface RevertOptions {
  now: Date;
  capabilities?: Capabilities;
  /** The audit the plan reverts, in place of the policy file: `{ path, sha256 }` of audit.csv. */
  source: { path: string; sha256: string };
}

const ruleOf = (a: AppliedChange): RuleRef => ({ type: 'revert', file: a.file, line: a.line, run: a.runId });
const reasonOf = (a: AppliedChange) => ({ type: 'revert' as const, of: a.kind, run: a.runId, at: a.at });

/** The user of an audit row in the snapshot: by stable id, else by name. */
function find(snapshot: Snapshot, byId: Map<string, User>, a: AppliedChange): User | undefined {
  return (
    (a.userId ? byId.get(a.userId) : undefined) ??
    snapshot.users.find((u) => canonical(u.name) === canonical(a.user))
  );
}

export function planRevert(
  snapshot: Snapshot,
  resolved: ResolvedPolicy,
  applied: readonly AppliedChange[],
  opts: RevertOptions,
): Plan {
  const caps = opts.capabilities ?? snapshot.capabilities ?? GENERIC_CAPABILITIES;
  const ctx = makeContext(snapshot, resolved, opts.now, caps);
  const byId = new Map(snapshot.users.map((u) => [u.id, u]));
  const key = (a: AppliedChange) => a.userId ?? `name:${canonical(a.user)}`;

  // The first and last change of each fact, in the order the audit recorded them.
  const accounts = new Map<string, { first: AppliedChange; last: AppliedChange }>();
  const memberships = new Map<
    string,
    { first: AppliedChange; last: AppliedChange; group: string; added: boolean }
  >();
  const seen = (
    m: Map<string, { first: AppliedChange; last: AppliedChange }>,
    k: string,
    a: AppliedChange,
  ) => {
    const prior = m.get(k);
    if (prior) prior.last = a;
    return prior;
  };
  for (const a of applied) {
    const who = { name: a.user, id: a.userId };
    if (a.kind === 'delete') {
      skip(
        ctx,
        who,
        ruleOf(a),
        'delete',
        'irreversible',
        `deleted by run ${a.runId}: a deleted account cannot be restored over the API; recreate it, or restore it from a backup`,
      );
      continue;
    }
    if (a.kind === 'create-user') {
      skip(
        ctx,
        who,
        ruleOf(a),
        'create-user',
        'irreversible',
        `created by run ${a.runId}: a revert does not delete accounts; delete it yourself, or declare it absent in a policy, if it should go`,
      );
      continue;
    }
    if (a.kind === 'activate' || a.kind === 'deactivate') {
      if (!seen(accounts, key(a), a)) accounts.set(key(a), { first: a, last: a });
      continue;
    }
    const added = a.kind === 'add-member';
    for (const group of a.groups) {
      const k = `${key(a)}|${canonical(group)}`;
      const prior = seen(memberships, k, a);
      if (!prior) memberships.set(k, { first: a, last: a, group, added });
      else memberships.get(k)!.added = added;
    }
  }

  const gone = (a: AppliedChange) =>
    skip(
      ctx,
      { name: a.user, id: a.userId },
      ruleOf(a),
      a.kind,
      'irreversible',
      `the account of ${a.user} no longer exists on the instance`,
    );

  for (const { first } of accounts.values()) {
    const user = find(snapshot, byId, first);
    if (!user) {
      gone(first);
      continue;
    }
    // Before the first change the account was in the opposite state of that change.
    const wasActive = first.kind === 'deactivate';
    if (user.active === wasActive) continue;
    const kind = wasActive ? 'activate' : 'deactivate';
    propose(ctx, user, {
      kind,
      user: user.name,
      userId: user.id,
      rule: ruleOf(first),
      reason: reasonOf(first),
    });
  }

  for (const m of memberships.values()) {
    const user = find(snapshot, byId, m.first);
    if (!user) {
      gone(m.first);
      continue;
    }
    const wasMember = m.first.kind !== 'add-member';
    const group = ctx.groups.get(m.group);
    if (!group) {
      skip(
        ctx,
        { name: user.name, id: user.id },
        ruleOf(m.first),
        wasMember ? 'add-member' : 'remove-member',
        'irreversible',
        `group ${m.group} does not exist on the instance any more`,
        m.group,
      );
      continue;
    }
    if (includesName(user.groups, m.group) === wasMember) continue;
    const kind = wasMember ? 'add-member' : 'remove-member';
    propose(ctx, user, {
      kind,
      user: user.name,
      userId: user.id,
      group: group.name,
      rule: ruleOf(m.first),
      reason: reasonOf(m.first),
    });
  }

  if (applied.some((a) => a.kind === 'remove-access'))
    ctx.warnings.push(
      "remove-access is reverted by re-adding the access groups it left; a grant that is not a group membership (Bitbucket's direct LICENSED_USER permission) is not in the audit and is not restored: grant it again where the platform manages it",
    );
  keepLastAdmins(ctx);

  const names = new Map(snapshot.users.map((u) => [u.id, u.displayName]));
  const order = (a: { kind: ChangeKind; user: string; group?: string }, b: typeof a) =>
    CHANGE_KINDS.indexOf(a.kind) - CHANGE_KINDS.indexOf(b.kind) ||
    compareNames(a.user, b.user) ||
    (a.group ?? '').localeCompare(b.group ?? '');
  const changes: Change[] = ctx.changes
    .map((c) =>
      c.kind === 'create-user' || c.userId === null ? c : { ...c, displayName: names.get(c.userId) },
    )
    .sort(order);
  const skipped = ctx.skipped.sort((a, b) => a.why.localeCompare(b.why) || order(a, b));
  const limits = checkLimits(changes, snapshot.users.length, resolved.policy.limits);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    generatedAt: opts.now.toISOString(),
    policy: opts.source,
    snapshot: {
      platform: snapshot.platform,
      instance: snapshot.instance,
      takenAt: snapshot.takenAt,
      fingerprint: fingerprint(snapshot),
      users: snapshot.users.length,
      ...(snapshot.version ? { version: snapshot.version } : {}),
    },
    applyable: limits.every((l) => !l.exceeded),
    changes,
    skipped,
    upcoming: [],
    limits,
    warnings: ctx.warnings,
    activity: null,
    summary: summarise(ctx, resolved.policy, changes, skipped, 0),
  };
}
