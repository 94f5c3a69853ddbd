// Every name the policy relies on must exist on the instance. A protection or exclusion naming a group that
// does not exist protects nobody — the most dangerous typo this tool can have — so an unknown group or
// directory is a plan error located in the policy, with the closest existing name as a suggestion. Users and
// patterns that match no one are warnings (people leave).
import type { Snapshot } from '../model.ts';
import { canonical, includesName, uniqueNames } from '../model/identity.ts';
import { didYouMean } from '../model/suggest.ts';
import { formatPath as dotted } from '../policy/diagnostics.ts';
import { compileGlob, hasWildcards, matchCompiled } from '../policy/glob.ts';
import type { Ctx } from './context.ts';

type Field = (string | number)[];

type Names = Pick<Snapshot, 'allGroups' | 'groups' | 'directories' | 'users' | 'platform'>;

/** The message for a group name the instance does not have (or that the snapshot did not read). */
export function unknownGroupMessage(snapshot: Names, where: string, name: string): string {
  const all = snapshot.allGroups;
  if (all && includesName(all, name))
    return `${where}: group "${name}" exists on the instance but is not in this snapshot (it was taken for another policy); take a new snapshot with this policy`;
  const known = all ?? snapshot.groups.map((g) => g.name);
  return `${where}: group "${name}" does not exist on the instance${didYouMean(name, known)}`;
}

/** Directory names the instance has; null when the platform cannot say which directory a user is in. */
function instanceDirectories(snapshot: Names): string[] | null {
  const d = snapshot.directories;
  if (d === null) return null;
  return d ?? uniqueNames(snapshot.users.map((u) => u.directory.name));
}

/** Why a directory name can match no user of the instance, or null when the instance has it. */
export function unknownDirectoryMessage(snapshot: Names, where: string, name: string): string | null {
  const dirs = instanceDirectories(snapshot);
  if (dirs === null)
    return `${where}: ${snapshot.platform} does not say over its API which directory a user is in, so directory "${name}" can match no user; remove it (users the instance refuses as read-only are carried from the last apply's refusals instead)`;
  if (includesName(dirs, name)) return null;
  const known = dirs.length > 0 ? ` (the instance has: ${dirs.join(', ')})` : '';
  return `${where}: directory "${name}" does not exist on the instance${didYouMean(name, dirs) || known}`;
}

export function checkNames(ctx: Ctx): void {
  const p = ctx.policy;
  const groupRefs: [Field, string][] = [
    ...p.instance.access_groups.map((g, i): [Field, string] => [['instance', 'access_groups', i], g]),
    ...p.protect.groups.map((g, i): [Field, string] => [['protect', 'groups', i], g]),
    ...p.inactivity.flatMap((r, i) => [
      ...(r.select.groups ?? []).map((g, j): [Field, string] => [
        ['inactivity', i, 'select', 'groups', j],
        g,
      ]),
      ...r.exclude.groups.map((g, j): [Field, string] => [['inactivity', i, 'exclude', 'groups', j], g]),
    ]),
    ...Object.keys(p.groups).map((g): [Field, string] => [['groups', g], g]),
  ];
  for (const [field, name] of groupRefs) {
    if (ctx.groups.has(name)) continue;
    ctx.problems.push({ field, message: unknownGroupMessage(ctx.snapshot, dotted(field), name) });
  }

  const dirRefs: [Field, string][] = [
    ...(p.instance.directories ?? []).map((d, i): [Field, string] => [['instance', 'directories', i], d]),
    ...p.instance.external_directories.map((d, i): [Field, string] => [
      ['instance', 'external_directories', i],
      d,
    ]),
    ...p.inactivity.flatMap((r, i) =>
      (r.select.directories ?? []).map((d, j): [Field, string] => [
        ['inactivity', i, 'select', 'directories', j],
        d,
      ]),
    ),
  ];
  for (const [field, name] of dirRefs) {
    const message = unknownDirectoryMessage(ctx.snapshot, dotted(field), name);
    if (message) ctx.problems.push({ field, message });
  }

  checkProducts(ctx);

  const users = ctx.snapshot.users;
  const matchesSomeone = (pattern: string, emailsOnly = false): boolean => {
    const glob = hasWildcards(pattern) ? compileGlob(pattern) : null;
    const key = canonical(pattern);
    return users.some((u) =>
      (emailsOnly ? [u.email] : [u.name, ...(u.aliases ?? []), u.email]).some(
        (v) => v !== null && (glob ? matchCompiled(glob, v) : canonical(v) === key),
      ),
    );
  };
  const warnUnmatched = (field: Field, patterns: string[], emailsOnly = false) => {
    for (const pattern of patterns) {
      if (matchesSomeone(pattern, emailsOnly)) continue;
      const what = hasWildcards(pattern) ? 'pattern' : emailsOnly ? 'email' : 'user';
      ctx.warnings.push(`${dotted(field)}: ${what} "${pattern}" matches no user of the instance`);
    }
  };
  warnUnmatched(['protect', 'users'], p.protect.users);
  p.inactivity.forEach((r, i) => {
    warnUnmatched(['inactivity', i, 'exclude', 'users'], r.exclude.users);
    warnUnmatched(['inactivity', i, 'exclude', 'emails'], r.exclude.emails, true);
    if (r.select.emails) warnUnmatched(['inactivity', i, 'select', 'emails'], r.select.emails, true);
  });
  p.exceptions.forEach((e, i) => {
    if (!matchesSomeone(e.user))
      ctx.warnings.push(`exceptions[${i}]: exception for ${e.user} names no user of the instance`);
  });
}

/**
 * `instance.activity.products` must name products the instance reports activity for. A misspelt key would
 * make everyone look as if they never used the products that count: when none of the keys is known, the
 * plan cannot be made; a key no user has activity in is a warning (a product nobody used yet).
 */
function checkProducts(ctx: Ctx): void {
  const listed = ctx.policy.instance.activity.products;
  if (!listed || listed.length === 0) return;
  const seen = uniqueNames(ctx.snapshot.users.flatMap((u) => (u.products ?? []).map((p) => p.product)));
  if (seen.length === 0) return;
  const unknown = listed.filter((p) => !includesName(seen, p));
  if (unknown.length === 0) return;
  const field = ['instance', 'activity', 'products'];
  const known = `the instance reports activity in: ${[...seen].sort().join(', ')}`;
  if (unknown.length === listed.length) {
    ctx.problems.push({
      field,
      message: `${dotted(field)}: none of ${listed.join(', ')} is a product the instance reports activity in, so every user would count as never active (${known})`,
    });
    return;
  }
  for (const p of unknown)
    ctx.warnings.push(
      `${dotted(field)}: no user has activity in product "${p}"${didYouMean(p, seen) || ` (${known})`}`,
    );
}
