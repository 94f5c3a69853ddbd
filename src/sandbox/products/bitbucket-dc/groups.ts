// Bitbucket's groups (atlassian-api.md §4; the DC OpenAPI): GET admin/groups?filter&start&limit (every
// group, by name, as RestDetailedGroup {name, deletable}: groups of a read-only directory are not
// deletable) and GET admin/groups/more-members?context=<group>&filter (direct members as RestDetailedUser,
// by name; filter on username, display name or email). LICENSED_USER may call both.
import { json, type Reply, type RouteContext } from '../../reply.ts';
import { byName, detailedGroup, detailedUser, matchesFilter, page } from './beans.ts';
import { bitbucketError, EXCEPTIONS, noSuchGroup } from './errors.ts';

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

/** POST admin/groups?name=: 200 with the new group; an existing name is a 409 (DuplicateGroupException). */
export function createGroup(ctx: RouteContext): Reply {
  const name = ctx.query.get('name') ?? '';
  if (name.trim() === '')
    return bitbucketError(400, 'A group name is required.', EXCEPTIONS.validation, 'name');
  if (ctx.store.group(name))
    return bitbucketError(
      409,
      `A group named ${name} already exists.`,
      'com.atlassian.bitbucket.user.DuplicateGroupException',
    );
  return json(200, detailedGroup(ctx, ctx.store.addGroup(name.trim(), 1)));
}

/** DELETE admin/groups?name=: 200 with the deleted group; 404 when there is none. */
export function deleteGroup(ctx: RouteContext): Reply {
  const name = ctx.query.get('name') ?? '';
  const group = ctx.store.group(name);
  if (!group) return noSuchGroup(name);
  const bean = detailedGroup(ctx, group);
  ctx.store.deleteGroup(group.name);
  return json(200, bean);
}
