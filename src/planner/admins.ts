// The last active member of an admin group is never deactivated, deleted or removed from it.
import type { Change } from '../model.ts';
import { type Ctx, inGroup, skip } from './context.ts';

function removes(c: Change, group: string): boolean {
  if (c.kind === 'deactivate' || c.kind === 'delete') return true;
  if (c.kind === 'remove-member') return c.group.toLowerCase() === group.toLowerCase();
  if (c.kind === 'remove-access') return c.groups.some((g) => g.toLowerCase() === group.toLowerCase());
  return false;
}

export function keepLastAdmins(ctx: Ctx): void {
  for (const group of ctx.snapshot.adminGroups ?? []) {
    const active = ctx.snapshot.users.filter((u) => u.active && inGroup(u, group));
    if (active.length === 0) continue;
    const leaving = active.filter((u) => ctx.changes.some((c) => c.userId === u.id && removes(c, group)));
    if (leaving.length < active.length) continue;
    // Keep the most recently active one (then the first by name): the likeliest to still be in charge.
    const keep = [...leaving].sort(
      (a, b) =>
        (b.lastActive ?? '').localeCompare(a.lastActive ?? '') ||
        a.name.toLowerCase().localeCompare(b.name.toLowerCase()),
    )[0]!;
    const dropped = ctx.changes.filter((c) => c.userId === keep.id && removes(c, group));
    ctx.changes = ctx.changes.filter((c) => !dropped.includes(c));
    for (const c of dropped)
      skip(
        ctx,
        keep,
        c.rule,
        c.kind,
        'protected',
        `last active member of admin group ${group}`,
        'group' in c ? c.group : undefined,
      );
  }
}
