// The read scope: the groups whose memberships a plan needs are the groups the policy names.
import { uniqueNames } from '../../model/identity.ts';
import type { ResolvedPolicy } from '../../policy/resolved.ts';

/** Every group name the policy mentions, in first spelling (compared canonically). */
export function groupsNamedBy(r: ResolvedPolicy): string[] {
  const p = r.policy;
  return uniqueNames([
    ...p.instance.access_groups,
    ...p.protect.groups,
    ...Object.keys(p.groups),
    ...p.inactivity.flatMap((rule) => [...(rule.select.groups ?? []), ...rule.exclude.groups]),
    ...r.declared.flatMap((d) => d.groups),
  ]);
}
