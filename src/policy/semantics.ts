// Checks the schema cannot express: uniqueness, cross-references, contradictions.
import { canonical } from '../model/identity.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { FieldLocator as Locator } from './parse.ts';
import type { Platform } from '../model.ts';
import type { Policy } from './schema.ts';
import { plural } from '../plural.ts';

/** Platforms whose `instance.directories` restricts the users read (platforms.md, instance keys). */
const DIRECTORY_SCOPED: readonly Platform[] = ['crowd'];
/** Platforms of an organisation: `instance.org` (required) and `instance.directory` (platforms.md). */
const ORGANISATIONS: readonly Platform[] = ['cloud'];
/** Platforms that bill per product, so `report.seat_cost.products` can price the seats freed. */
const PER_PRODUCT_SEATS: readonly Platform[] = ['cloud'];

export function checkSemantics(p: Policy, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];

  const ruleNames = new Map<string, number>();
  p.inactivity.forEach((r, i) => {
    const key = canonical(r.name);
    const first = ruleNames.get(key);
    if (first !== undefined)
      out.push(
        loc.error(
          ['inactivity', i, 'name'],
          `duplicate rule name "${r.name}" (first used by inactivity[${first}])`,
        ),
      );
    else ruleNames.set(key, i);
    if (r.action === 'remove-access' && p.instance.access_groups.length === 0) {
      out.push(
        loc.error(
          ['inactivity', i, 'action'],
          'remove-access needs instance.access_groups (the groups that grant a licensed seat)',
        ),
      );
    }
    if (r.restore_on_return && r.action !== 'remove-access') {
      out.push(
        loc.error(
          ['inactivity', i, 'restore_on_return'],
          `restore_on_return gives back the access groups a remove-access rule removed; this rule's action is ${r.action}`,
        ),
      );
    }
    if (r.never_logged_in && r.never_logged_in.grace_days > r.inactive_days) {
      out.push(
        loc.warning(
          ['inactivity', i, 'never_logged_in', 'grace_days'],
          `grace_days ${r.never_logged_in.grace_days} is longer than inactive_days ${r.inactive_days}`,
        ),
      );
    }
  });

  // Stages are expected in the order remove-access < deactivate < delete; inverted, a rule may hide a later
  // stage for one run (the user passes through both on consecutive runs).
  const stage = { 'remove-access': 0, deactivate: 1, delete: 2 } as const;
  p.inactivity.forEach((r, i) => {
    p.inactivity.forEach((o, j) => {
      if (stage[r.action] < stage[o.action] && r.inactive_days > o.inactive_days) {
        out.push(
          loc.warning(
            ['inactivity', i, 'inactive_days'],
            `${r.action} at ${plural(r.inactive_days, 'day')} comes after ${o.action} at ${plural(o.inactive_days, 'day')} (inactivity[${j}]); users then pass through both on consecutive runs`,
          ),
        );
      }
    });
  });

  const dirs = p.instance.directories;
  if (dirs !== undefined && !DIRECTORY_SCOPED.includes(p.instance.platform)) {
    out.push(
      loc.error(
        ['instance', 'directories'],
        `instance.directories (only users of these directories) is a key of platform ${DIRECTORY_SCOPED.join(', ')}, not of ${p.instance.platform}; remove it (to leave users of a directory alone, exclude them in the rules)`,
      ),
    );
  } else if (dirs !== undefined && dirs.length === 0) {
    out.push(
      loc.error(
        ['instance', 'directories'],
        'an empty list would read no user at all; name directories or remove the key',
      ),
    );
  }

  out.push(...organisationKeys(p, loc), ...seatCost(p, loc));

  if (p.instance.activity.source === 'csv' && !p.instance.activity.csv) {
    out.push(
      loc.error(['instance', 'activity'], 'source csv needs `csv: <path>` (columns username,last_login)'),
    );
  }

  const declared = new Map<string, number>();
  p.users.forEach((u, i) => {
    const key = canonical(u.name);
    const first = declared.get(key);
    if (first !== undefined)
      out.push(loc.error(['users', i, 'name'], `user "${u.name}" is already declared in users[${first}]`));
    else declared.set(key, i);
    if (u.state !== 'active' && u.groups.length > 0) {
      out.push(
        loc.error(
          ['users', i, 'groups'],
          `groups are only managed for users with state active, got state ${u.state}`,
        ),
      );
    }
  });

  for (const [name, g] of Object.entries(p.groups)) {
    const seen = new Set<string>();
    g.members.forEach((m, i) => {
      const key = canonical(m);
      if (seen.has(key)) out.push(loc.error(['groups', name, 'members', i], `"${m}" is listed twice`));
      seen.add(key);
      const d = declared.get(key);
      if (d !== undefined && p.users[d]?.state === 'absent') {
        out.push(
          loc.error(
            ['groups', name, 'members', i],
            `"${m}" is declared absent in users[${d}] and cannot be a member`,
          ),
        );
      }
    });
  }

  const excepted = new Set<string>();
  p.exceptions.forEach((e, i) => {
    const key = canonical(e.user);
    if (excepted.has(key))
      out.push(
        loc.warning(
          ['exceptions', i, 'user'],
          `"${e.user}" has more than one exception; the latest until wins`,
        ),
      );
    excepted.add(key);
  });

  return out;
}

/** `instance.org` is required for an organisation's platform and a key of no other; so is `directory`. */
function organisationKeys(p: Policy, loc: Locator): Diagnostic[] {
  const platform = p.instance.platform;
  const out: Diagnostic[] = [];
  if (ORGANISATIONS.includes(platform)) {
    if (p.instance.org === undefined)
      out.push(
        loc.error(
          ['instance', 'org'],
          `platform ${platform} needs instance.org: the organisation id, the UUID in admin.atlassian.com/o/<id>/overview`,
        ),
      );
    return out;
  }
  for (const key of ['org', 'directory'] as const) {
    if (p.instance[key] === undefined) continue;
    out.push(
      loc.error(
        ['instance', key],
        `instance.${key} is a key of platform ${ORGANISATIONS.join(', ')} (an Atlassian organisation), not of ${platform}; remove it`,
      ),
    );
  }
  return out;
}

/** `report.seat_cost` prices a seat with `amount` or per product with `products`, exactly one of them. */
function seatCost(p: Policy, loc: Locator): Diagnostic[] {
  const cost = p.report.seat_cost;
  if (!cost) return [];
  const where = ['report', 'seat_cost'];
  if (cost.amount !== undefined && cost.products !== undefined)
    return [
      loc.error(
        [...where, 'products'],
        'give either amount (one price per seat) or products (a price per product), not both',
      ),
    ];
  if (cost.amount === undefined && cost.products === undefined)
    return [
      loc.error(
        where,
        'expected amount (the price of one seat) or products (a price per product key, e.g. jira-software: 8.60)',
      ),
    ];
  if (cost.products !== undefined && !PER_PRODUCT_SEATS.includes(p.instance.platform))
    return [
      loc.error(
        [...where, 'products'],
        `seats per product are known on platform ${PER_PRODUCT_SEATS.join(', ')}, not on ${p.instance.platform}, where a seat is the product's one licence; give amount instead`,
      ),
    ];
  if (cost.products !== undefined && Object.keys(cost.products).length === 0)
    return [loc.error([...where, 'products'], 'name at least one product and its price')];
  return [];
}
