// Counts, seats freed, saving, and the snapshot fingerprint.
import { canonical, includesName, NameMap } from '../model/identity.ts';
import { createHash } from 'node:crypto';
import {
  type Change,
  CHANGE_KINDS,
  type ChangeKind,
  type Group,
  isDestructive,
  type PlanSaving,
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

  const byId = ctx.byId;
  const freed = new Set<string>();
  const perProduct = new ProductSeats(snapshot.groups);
  for (const c of changes) {
    if (c.kind !== 'deactivate' && c.kind !== 'delete' && c.kind !== 'remove-access') continue;
    const u = c.userId ? byId.get(c.userId) : undefined;
    if (!u || !u.active) continue;
    // A seat is freed when the user holds one: through an access group or a direct grant (or, without
    // access groups in the policy, any active account counts as a seat).
    const held = seatGroups(ctx, u);
    const holds = held.length > 0 || directGrants(u).length > 0;
    if ((policy.instance.access_groups.length === 0 && !u.access) || holds) freed.add(u.id);
    // Per product: leaving the access groups frees what they grant and the groups kept do not.
    const left = c.kind === 'remove-access' ? c.groups : held;
    const kept = held.filter((g) => !includesName(left, g));
    perProduct.free(u.id, left, kept);
  }
  const seatsByProduct = perProduct.counts();
  return {
    users: snapshot.users.length,
    counts,
    total: changes.length,
    destructive: changes.filter((c) => isDestructive(c.kind)).length,
    skipped: skippedCounts,
    upcoming,
    seatsFreed: freed.size,
    ...(seatsByProduct ? { seatsByProduct } : {}),
    saving: saving(policy.report.seat_cost, freed.size, seatsByProduct),
  };
}

type SeatCost = Policy['report']['seat_cost'];

/** The saving: seats × amount, or with prices per product the sum over the products priced. */
function saving(
  cost: SeatCost,
  seats: number,
  byProduct: Record<string, number> | undefined,
): PlanSaving | null {
  if (!cost) return null;
  const round = (n: number) => Math.round(n * 100) / 100;
  const base = { currency: cost.currency, per: cost.per };
  if (!cost.products) return { amount: round(seats * (cost.amount ?? 0)), ...base };
  const prices = new NameMap<number>();
  for (const [product, price] of Object.entries(cost.products)) prices.set(product, price);
  const priced: Record<string, number> = {};
  const unpriced: string[] = [];
  for (const [product, n] of Object.entries(byProduct ?? {})) {
    const price = prices.get(product);
    if (price === undefined) unpriced.push(product);
    else priced[product] = round(n * price);
  }
  const amount = round(Object.values(priced).reduce((a, b) => a + b, 0));
  return { amount, ...base, byProduct: priced, ...(unpriced.length > 0 ? { unpriced } : {}) };
}

/** Seats freed per product, from the products each access group grants (where the platform says). */
class ProductSeats {
  private readonly grants = new NameMap<string[]>();
  private readonly freed = new Map<string, Set<string>>();
  private readonly known: boolean;

  constructor(groups: readonly Group[]) {
    for (const g of groups) if (g.grants) this.grants.set(g.name, g.grants);
    this.known = this.grants.size > 0;
  }

  private products(groups: readonly string[]): Set<string> {
    return new Set(groups.flatMap((g) => this.grants.get(g) ?? []));
  }

  free(userId: string, left: readonly string[], kept: readonly string[]): void {
    if (!this.known) return;
    const still = this.products(kept);
    for (const p of this.products(left)) {
      if (still.has(p)) continue;
      const set = this.freed.get(p) ?? new Set<string>();
      set.add(userId);
      this.freed.set(p, set);
    }
  }

  /** Product → seats, sorted by product; undefined when no group says what it grants. */
  counts(): Record<string, number> | undefined {
    if (!this.known) return undefined;
    return Object.fromEntries(
      [...this.freed.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, s]) => [p, s.size]),
    );
  }
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
