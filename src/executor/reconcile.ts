// Closing what an earlier apply left in flight (pure): each of its pending intents (journal.ts) is looked up
// in the instance as this run read it. A change found in effect is audited as applied (its request did land);
// one that is not in effect is either applied again by this run (it is still planned) or audited as skipped.
// Platform-independent: it reads only the snapshot every driver produces.
import { canonical, includesName } from '../model/identity.ts';
import { type ApplyResult, type Change, changeKey, type Plan, type Snapshot, type User } from '../model.ts';
import type { PendingIntent } from './journal.ts';

/**
 * Whether the instance shows the change in effect: true, false, or null when the snapshot cannot tell (a
 * membership of a group it did not read, an account that no longer exists).
 */
export function changeInEffect(change: Change, snapshot: Snapshot): boolean | null {
  const user = findUser(snapshot, change);
  const read = (group: string) => snapshot.groups.some((g) => canonical(g.name) === canonical(group));
  switch (change.kind) {
    case 'create-user':
      return user !== undefined;
    case 'delete':
      return user === undefined;
    case 'activate':
    case 'deactivate':
      return user === undefined ? null : user.active === (change.kind === 'activate');
    case 'add-member':
    case 'remove-member': {
      if (user === undefined || !read(change.group)) return null;
      return includesName(user.groups, change.group) === (change.kind === 'add-member');
    }
    case 'remove-access': {
      if (user === undefined || !change.groups.every(read)) return null;
      const groupsGone = !change.groups.some((g) => includesName(user.groups, g));
      const direct = user.access?.direct ?? [];
      return groupsGone && !(change.direct ?? []).some((d) => direct.includes(d));
    }
  }
}

function findUser(snapshot: Snapshot, change: Change): User | undefined {
  return (
    (change.userId ? snapshot.users.find((u) => u.id === change.userId) : undefined) ??
    snapshot.users.find((u) => canonical(u.name) === canonical(change.user))
  );
}

export interface Closing {
  intent: PendingIntent;
  /** The audit row to write for it, or null when the audit already has one or this run applies it. */
  result: ApplyResult | null;
  /** What the journal records as its closing. */
  outcome: ApplyResult['outcome'] | 'retried';
  note: string;
}

export interface AuditedKey {
  runId: string;
  key: string;
}

/**
 * Decides how to close each pending intent of an earlier run, given the instance as this run read it, this
 * run's plan, and the audit rows already written (a kill between the audit row and the journal's outcome
 * leaves a pending intent that is already audited).
 */
export function reconcilePending(
  pending: readonly PendingIntent[],
  snapshot: Snapshot,
  plan: Plan,
  audited: readonly AuditedKey[],
  ctx: { runId: string; at: string },
): Closing[] {
  const planned = new Set(plan.changes.map(changeKey));
  const done = new Set(audited.map((a) => `${a.runId}\u0000${a.key}`));
  return pending.map((intent) => {
    const c = intent.change;
    const key = changeKey(c);
    const stopped = `in flight when run ${intent.run} stopped`;
    if (done.has(`${intent.run}\u0000${key}`)) {
      return { intent, result: null, outcome: 'retried', note: `${stopped}; already in its audit` };
    }
    const effect = changeInEffect(c, snapshot);
    const row = (outcome: ApplyResult['outcome'], note: string, cls?: ApplyResult['class']): Closing => ({
      intent,
      result: { change: c, outcome, error: note, ...(cls ? { class: cls } : {}), at: ctx.at },
      outcome,
      note,
    });
    if (effect === true) return row('applied', `${stopped}; found in effect by run ${ctx.runId}`);
    if (planned.has(key))
      return {
        intent,
        result: null,
        outcome: 'retried',
        note: `${stopped}; not in effect, applied again by run ${ctx.runId}`,
      };
    if (effect === false)
      return row('skipped', `${stopped}; not in effect and no longer planned (run ${ctx.runId})`);
    return row(
      'skipped',
      `${stopped}; run ${ctx.runId} cannot tell whether it took effect (the account or group is not in what it read)`,
      'unconfirmed',
    );
  });
}
