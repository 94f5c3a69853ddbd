// Refusals carried from earlier applies: a change the instance refused because the account or group is
// read-only comes back in every plan unless the plan knows. Such changes are planned as skipped
// (read-only-directory) with the instance's answer and the date, not as changes that fail on every run.
import type { ChangeKind, Snapshot, User } from '../model.ts';
import { canonical } from '../model/identity.ts';

/** What the instance answered to a change in an earlier apply (from that apply's refusals file). */
export interface Refusal {
  userId: string | null;
  user: string;
  kind: ChangeKind;
  /** Groups of a membership change, joined with ';' as in the audit. */
  group: string | null;
  /** The instance's message. */
  message: string;
  /** When the instance refused (ISO). */
  at: string;
  /** The run that saw it, when known. */
  runId: string | null;
  /** The policy file whose apply saw it (a repository may hold several). */
  policy?: string | null;
}

/** The snapshot with each refused user's changes marked read-only (pure; the snapshot is not modified). */
export function withRefusals(snapshot: Snapshot, refusals: readonly Refusal[]): Snapshot {
  if (refusals.length === 0) return snapshot;
  const byId = new Map<string, Refusal[]>();
  const byName = new Map<string, Refusal[]>();
  for (const r of refusals) {
    const map = r.userId ? byId : byName;
    const key = r.userId ?? canonical(r.user);
    map.set(key, [...(map.get(key) ?? []), r]);
  }
  const users = snapshot.users.map((u): User => {
    const found = [...(byId.get(u.id) ?? []), ...(byName.get(canonical(u.name)) ?? [])];
    if (found.length === 0) return u;
    const marks = found.map((r) => ({
      kinds: [r.kind],
      ...(r.group ? { groups: r.group.split(';') } : {}),
      reason: `the instance refused this change on ${r.at.slice(0, 10)}${r.runId ? ` (run ${r.runId})` : ''}: ${r.message}; change it where the account is managed (its directory), or protect or exclude it in the policy`,
    }));
    return { ...u, readOnly: [...(u.readOnly ?? []), ...marks] };
  });
  return { ...snapshot, users };
}
