// Bitbucket's groups (atlassian-api.md §4; the DC OpenAPI): GET admin/groups?filter&start&limit (every
// group, by name, as RestDetailedGroup {name, deletable}: groups of a read-only directory are not
// deletable) and GET admin/groups/more-members?context=<group>&filter (direct members as RestDetailedUser,
// by name; filter on username, display name or email). LICENSED_USER may call both.
import { json, type Reply, type RouteContext } from '../../reply.ts';
import { byName, detailedGroup, detailedUser, matchesFilter, page } from './beans.ts';
import { noSuchGroup } from './errors.ts';

export function listGroups(ctx: RouteContext): Reply {
  const groups = ctx.store.groups().filter((g) => matchesFilter(ctx, g.name));
  return json(
    200,
    page(ctx, groups, (g) => detailedGroup(ctx, g)),
  );
}

export function groupMembers(ctx: RouteContext): Reply {
  const name = ctx.query.get('context') ?? '';
  const group = ctx.store.group(name);
  if (!group) return noSuchGroup(name);
  const members = ctx.store
    .membersOf(group.name)
    .filter((u) => matchesFilter(ctx, u.name, u.displayName, u.email))
    .sort(byName);
  return json(
    200,
    page(ctx, members, (u) => detailedUser(ctx, u)),
  );
}
