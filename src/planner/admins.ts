// The last active member of each set of administrators is never deactivated, deleted, stripped of its seat
// or removed from the admin group.
import type { AdminSet, Change, Snapshot } from '../model.ts';
import { compareNames, includesName, sameName } from '../model/identity.ts';
import { type Ctx, skip } from './context.ts';

function removes(c: Change, set: AdminSet): boolean {
  if (c.kind === 'deactivate' || c.kind === 'delete') return true;
  if (!set.group) return c.kind === 'remove-access';
  if (c.kind === 'remove-member') return sameName(c.group, set.group);
  if (c.kind === 'remove-access') return includesName(c.groups, set.group);
  return false;
}

/** The snapshot's admin sets; a format-1 snapshot's adminGroups are read as sets of their members. */
export function adminSets(snapshot: Snapshot): AdminSet[] {
  if (snapshot.admins) return snapshot.admins;
  return (snapshot.adminGroups ?? []).map((group) => ({
    label: `group ${group}`,
    group,
    members: snapshot.users.filter((u) => includesName(u.groups, group)).map((u) => u.id),
  }));
}

export function keepLastAdmins(ctx: Ctx): void {
  const sets = adminSets(ctx.snapshot);
  if (sets.length === 0) return;
  const byId = ctx.byId;
  // The changes of each user, once: not a scan of every change for every admin.
  const changesOf = new Map<string, Change[]>();
  for (const c of ctx.changes) {
    if (c.userId === null) continue;
    const list = changesOf.get(c.userId);
    if (list) list.push(c);
    else changesOf.set(c.userId, [c]);
  }
  for (const set of sets) {
    const active = set.members.map((id) => byId.get(id)).filter((u) => u !== undefined && u.active);
    if (active.length === 0) continue;
    const leaving = active.filter((u) => (changesOf.get(u!.id) ?? []).some((c) => removes(c, set)));
    if (leaving.length < active.length) continue;
    // Keep the most recently active one (then the first by name): the likeliest to still be in charge.
    const keep = [...leaving].sort(
      (a, b) => (b!.lastActive ?? '').localeCompare(a!.lastActive ?? '') || compareNames(a!.name, b!.name),
    )[0]!;
    const dropped = (changesOf.get(keep.id) ?? []).filter((c) => removes(c, set));
    if (dropped.length === 0) continue;
    const gone = new Set(dropped);
    ctx.changes = ctx.changes.filter((c) => !gone.has(c));
    changesOf.set(
      keep.id,
      (changesOf.get(keep.id) ?? []).filter((c) => !gone.has(c)),
    );
    for (const c of dropped)
      skip(
        ctx,
        keep,
        c.rule,
        c.kind,
        'protected',
        `last active member of admin ${set.label}`,
        'group' in c ? c.group : undefined,
      );
  }
}
