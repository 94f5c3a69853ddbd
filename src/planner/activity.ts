// Activity as the policy counts it: the latest activity in the products it names (all products by default),
// and how much of the instance's activity the plan could see — a plan that could not see it says so first.
import type { PlanActivity, User } from '../model.ts';
import { includesName } from '../model/identity.ts';
import type { Ctx } from './context.ts';

export type EffectiveActivity = { known: true; lastActive: string | null } | { known: false; detail: string };

/**
 * The user's last activity in the products that count. Without per-product data (Data Center) it is the
 * user's one last activity. With per-product data and `products` given, the latest of those products; a
 * user who never used any of them never logged in as far as the policy is concerned.
 */
export function effectiveActivity(user: User, products: readonly string[] | undefined): EffectiveActivity {
  if (!user.activityKnown) return { known: false, detail: 'the activity source has no record for this user' };
  if (!products || products.length === 0 || !user.products)
    return { known: true, lastActive: user.lastActive };
  let latest: string | null = null;
  for (const p of user.products) {
    if (!includesName(products, p.product) || p.lastActive === null) continue;
    if (latest === null || Date.parse(p.lastActive) > Date.parse(latest)) latest = p.lastActive;
  }
  return { known: true, lastActive: latest };
}

/** Share of selected users with unknown activity from which the plan alerts (besides an unavailable source). */
export const UNKNOWN_ALERT_SHARE = 0.1;

/**
 * How much activity the inactivity rules could see. `alert` is set when it matters: the policy has
 * inactivity rules and the source is unavailable, or activity is unknown for at least 10% of the users
 * the rules select. It names the reason and the remedy the driver gave.
 */
export function planActivity(ctx: Ctx, selected: User[]): PlanActivity | null {
  if (ctx.policy.inactivity.length === 0) return null;
  const source = ctx.snapshot.activity;
  const unknown = selected.filter((u) => !u.activityKnown).length;
  const name = source?.source ?? 'not recorded in the snapshot';
  const available = source?.available ?? true;
  let alert: string | null = null;
  const count = `${unknown} of ${selected.length} user${selected.length === 1 ? '' : 's'}`;
  if (!available || (selected.length > 0 && unknown / selected.length >= UNKNOWN_ALERT_SHARE)) {
    const why = source?.detail ? `: ${source.detail}` : '';
    const remedy = source?.remedy ? ` ${source.remedy}` : '';
    const head = available
      ? `Activity is unknown for ${count} the inactivity rules select (source: ${name})${why}.`
      : `Activity is unavailable (source: ${name})${why}, so it is unknown for ${count} the inactivity rules select.`;
    alert = `${head} No inactivity rule acts on a user whose activity is unknown, so this plan cannot show dormant accounts.${remedy}`;
  }
  return { source: name, available, selected: selected.length, unknown, alert };
}
