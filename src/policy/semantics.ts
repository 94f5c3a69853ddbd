// Checks the schema cannot express: uniqueness, cross-references, contradictions.
import { canonical } from '../model/identity.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { Locator } from './parse.ts';
import type { Platform } from '../model.ts';
import type { Policy } from './schema.ts';
import { plural } from '../plural.ts';

/** Platforms whose `instance.directories` restricts the users read (platforms.md, instance keys). */
const DIRECTORY_SCOPED: readonly Platform[] = ['crowd'];

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
