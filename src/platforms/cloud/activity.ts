// Activity and seats beyond the one bulk listing. Activity comes in bulk with the users (`expand:
// productAccess`); only users the answer lists without `productAccess` are read one by one with the v1
// `last-active-dates` call — serially (atlassian-api.md §6: serialise last-active calls; the HTTP client waits
// out 429s), and at most `limit` of them per snapshot: the rest have unknown activity, never inactivity.
// Seats: the products an access group grants, from its role assignments (billable roles only).
import { HttpError } from '../../http/index.ts';
import type { ActivitySource } from '../../model.ts';
import { plural } from '../../plural.ts';
import type { CloudApi, CloudUser, ProductAccess, RoleAssignment } from './api.ts';

/** At most this many per-user activity reads per snapshot (about 5 minutes at 200 requests a minute). */
export const FALLBACK_LIMIT = 1000;

const BULK = 'users/search productAccess (latest lastActiveTimestamp of the products that count)';

export interface ActivityReads {
  /** Account ids whose activity could not be read. */
  unknown: Set<string>;
  source: ActivitySource;
}

/**
 * Fills `productAccess` of the users listed without it from last-active-dates, up to `limit` users;
 * returns who is left unknown and how the snapshot's activity reads.
 */
export async function completeActivity(
  api: CloudApi,
  users: CloudUser[],
  limit = FALLBACK_LIMIT,
): Promise<ActivityReads> {
  const missing = users.filter((u) => !Array.isArray(u.productAccess));
  const unknown = new Set<string>();
  if (missing.length === 0) return { unknown, source: { source: BULK, available: true } };
  let read = 0;
  for (const u of missing) {
    if (read >= limit) {
      unknown.add(u.accountId);
      continue;
    }
    read++;
    try {
      const dates = await api.lastActiveDates(u.accountId);
      u.productAccess = (dates.product_access ?? []).map((p): ProductAccess => ({
        key: p.key,
        id: p.id,
        lastActiveTimestamp: p.last_active_timestamp ?? (p.last_active ? `${p.last_active}T00:00:00Z` : null),
      }));
      u.addedToOrg ??= dates.added_to_org_timestamp ?? dates.added_to_org ?? null;
    } catch (e) {
      // Gone since the listing: its activity stays unknown. Anything else fails the snapshot.
      if (e instanceof HttpError && e.status === 404) unknown.add(u.accountId);
      else throw e;
    }
  }
  const left = unknown.size;
  const detail =
    `users/search listed ${plural(missing.length, 'user')} without productAccess; ${plural(read, 'was', 'were')} read one by one with last-active-dates` +
    (left > 0 ? `, ${plural(left, 'user')} left with unknown activity (at most ${limit} per run)` : '');
  return {
    unknown,
    source: {
      source: left > 0 ? `${BULK}, partly last-active-dates` : `${BULK} and last-active-dates`,
      available: true,
      detail,
      ...(left > 0
        ? {
            remedy:
              'Run again to read the next users, or ask Atlassian why users/search omits productAccess for your organisation (it is the bulk source).',
          }
        : {}),
    },
  };
}

/** Roles that make a user billable in a product (the others — guest, customer, basic… — are free). */
const BILLABLE = new Set(['atlassian/user', 'atlassian/admin']);

/** The product of a role assignment: its resource owner, else the product in the resource ARI. */
export function productOf(a: RoleAssignment): string | null {
  if (a.resourceOwner) return a.resourceOwner;
  const m = /^ari:cloud:([^:]+)::/.exec(a.resourceId ?? '');
  return m?.[1] ?? null;
}

/** The products in which a group's role assignments grant a billable seat, sorted. */
export function billableProducts(assignments: readonly RoleAssignment[]): string[] {
  const out = new Set<string>();
  for (const a of assignments) {
    const roles = [...(a.roles ?? []), ...(a.defaultRole ? [a.defaultRole] : [])];
    const product = productOf(a);
    if (product && roles.some((r) => BILLABLE.has(r))) out.add(product);
  }
  return [...out].sort();
}
