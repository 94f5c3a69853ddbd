// Counts, seats freed, saving, and the snapshot fingerprint.
import { canonical } from '../model/identity.ts';
import { createHash } from 'node:crypto';
import {
  type Change,
  CHANGE_KINDS,
  type ChangeKind,
  isDestructive,
  type PlanSummary,
  type Skipped,
  type Snapshot,
} from '../model.ts';
import type { Policy } from '../policy/schema.ts';
import { type Ctx, directGrants, seatGroups } from './context.ts';

export function summarise(
  ctx: Ctx,
  policy: Policy,
  changes: Change[],
  skipped: Skipped[],
  upcoming: number,
): PlanSummary {
  const snapshot = ctx.snapshot;
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const c of changes) counts[c.kind]++;
  const skippedCounts: PlanSummary['skipped'] = {};
  for (const s of skipped) skippedCounts[s.why] = (skippedCounts[s.why] ?? 0) + 1;

  const byId = new Map(snapshot.users.map((u) => [u.id, u]));
  const freed = new Set<string>();
  for (const c of changes) {
    if (c.kind !== 'deactivate' && c.kind !== 'delete' && c.kind !== 'remove-access') continue;
    const u = c.userId ? byId.get(c.userId) : undefined;
    if (!u || !u.active) continue;
    // A seat is freed when the user holds one: through an access group or a direct grant (or, without
    // access groups in the policy, any active account counts as a seat).
    const holds = seatGroups(ctx, u).length > 0 || directGrants(u).length > 0;
    if ((policy.instance.access_groups.length === 0 && !u.access) || holds) freed.add(u.id);
  }
  const cost = policy.report.seat_cost;
  return {
    users: snapshot.users.length,
    counts,
    total: changes.length,
    destructive: changes.filter((c) => isDestructive(c.kind)).length,
    skipped: skippedCounts,
    upcoming,
    seatsFreed: freed.size,
    saving: cost
      ? { amount: Math.round(freed.size * cost.amount * 100) / 100, currency: cost.currency, per: cost.per }
      : null,
  };
}

/** A digest of what the plan depends on in the snapshot (not when it was taken). */
export function fingerprint(snapshot: Snapshot): string {
  // Format-2 fields (access, products, read-only marks) change plans only through the fields hashed here
  // or through the policy; carried refusals are part of the plan inputs, not of the instance.
  const h = createHash('sha256');
  h.update(`${snapshot.platform}\n${snapshot.instance}\n`);
  const users = [...snapshot.users].sort((a, b) => a.id.localeCompare(b.id));
  for (const u of users) {
    const groups = [...u.groups]
      .map((g) => canonical(g))
      .sort()
      .join(',');
    const access = u.access ? `${u.access.groups.join(',')}/${u.access.direct.join(',')}` : '';
    const products = (u.products ?? []).map((p) => `${p.product}=${p.lastActive ?? ''}`).join(',');
    h.update(
      `${u.id}\t${canonical(u.name)}\t${u.active}\t${u.lastActive ?? ''}\t${u.activityKnown}\t${u.directory.readOnly}\t${groups}\t${access}\t${products}\t${u.service ? 1 : 0}\n`,
    );
  }
  for (const g of [...snapshot.groups].sort((a, b) => a.name.localeCompare(b.name)))
    h.update(`${g.name}\t${g.readOnly}\n`);
  return `sha256:${h.digest('hex')}`;
}
