// Bitbucket's user administration (atlassian-api.md §4, §10; the DC OpenAPI):
// - GET admin/users?filter&start&limit: every user, by name (LICENSED_USER may call it);
// - GET admin/users/more-members?context=<user>: the user's groups as RestDetailedGroup (the spec's text is
//   ambiguous about the item type; groups are what the admin UI shows there);
// - DELETE admin/users?name=: 200 with the deleted user; 403 when the target has a higher permission than the
//   caller; 409 when deleting yourself; 404 unknown; a user of a read-only directory cannot be deleted (400,
//   assumed wording);
// - POST admin/users/add-groups {user, groups[]}: 200; every group must exist (404 otherwise, nothing added);
// - POST admin/users/remove-group {context: <user>, itemName: <group>} (BSERV-13706: the official example
//   has them reversed; sent that way, the group's name is looked up as a user: 404): 200.
// Membership writes are idempotent (already a member / not a member: 200, nothing changes: assumed); a
// group with a higher permission than the caller's answers 403; read-only directories answer 400.
import { json, requireJson, type Reply, type RouteContext } from '../../reply.ts';
import type { GroupRecord, UserRecord } from '../../store.ts';
import {
  byName,
  detailedGroup,
  detailedUser,
  directoryTraits,
  groupDeletable,
  matchesFilter,
  page,
} from './beans.ts';
import { bitbucketError, EXCEPTIONS, noSuchGroup, noSuchUser } from './errors.ts';
import { rank, recordsOf } from './records.ts';

export function listUsers(ctx: RouteContext): Reply {
  const users = ctx.store
    .users()
    .filter((u) => matchesFilter(ctx, u.name, u.displayName, u.email))
    .sort(byName);
  return json(
    200,
    page(ctx, users, (u) => detailedUser(ctx, u)),
  );
}

export function userGroups(ctx: RouteContext): Reply {
  const name = ctx.query.get('context') ?? '';
  const user = ctx.store.userByName(name);
  if (!user) return noSuchUser(name);
  const groups = ctx.store
    .groupsOf(user)
    .map((g) => ctx.store.group(g))
    .filter((g): g is GroupRecord => g !== undefined && matchesFilter(ctx, g.name));
  return json(
    200,
    page(ctx, groups, (g) => detailedGroup(ctx, g)),
  );
}

export function deleteUser(ctx: RouteContext): Reply {
  const name = ctx.query.get('name');
  if (!name) return bitbucketError(400, 'A username is required.', EXCEPTIONS.validation, 'name');
  const user = ctx.store.userByName(name);
  if (!user) return noSuchUser(name);
  const caller = ctx.caller as UserRecord;
  if (user.id === caller.id) return bitbucketError(409, 'You cannot delete yourself.', EXCEPTIONS.integrity);
  const records = recordsOf(ctx.store);
  if (rank(records.effective(user)) > rank(records.effective(caller))) {
    return bitbucketError(
      403,
      `You cannot delete ${user.name} because they have a higher global permission than you.`,
      EXCEPTIONS.permission,
    );
  }
  const t = directoryTraits(ctx.store, user);
  if (!t.deletable) {
    return bitbucketError(
      400,
      `User ${user.name} cannot be deleted: the directory ${t.directoryName} is read-only.`,
      EXCEPTIONS.readOnly,
    );
  }
  const body = detailedUser(ctx, user);
  records.forget(user);
  ctx.store.deleteUser(user);
  return json(200, body);
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
}

/** Why the membership of `user` in `group` cannot change, as Bitbucket's answer, or null. */
function refuseMembership(ctx: RouteContext, user: UserRecord, group: GroupRecord): Reply | null {
  const t = directoryTraits(ctx.store, user);
  if (!t.mutableGroups || !groupDeletable(ctx.store, group)) {
    const dir = !t.mutableGroups ? t.directoryName : ctx.store.directory(group.directoryId)?.name;
    return bitbucketError(
      400,
      `The group memberships of ${user.name} in ${group.name} cannot be changed: the directory ${dir} is read-only.`,
      EXCEPTIONS.readOnly,
    );
  }
  const records = recordsOf(ctx.store);
  if (rank(records.groupPermission(group.name)) > rank(records.effective(ctx.caller as UserRecord))) {
    return bitbucketError(
      403,
      `You cannot change the members of ${group.name} because it has a higher global permission than you.`,
      EXCEPTIONS.permission,
    );
  }
  return null;
}

export function addGroups(ctx: RouteContext): Reply {
  const wrongType = requireJson(ctx);
  if (wrongType) return wrongType;
  const body = (ctx.body ?? {}) as { user?: unknown; groups?: unknown };
  const groups = strings(body.groups);
  if (typeof body.user !== 'string' || body.user === '')
    return bitbucketError(400, 'A user is required.', EXCEPTIONS.validation, 'user');
  if (!groups || groups.length === 0)
    return bitbucketError(400, 'At least one group is required.', EXCEPTIONS.validation, 'groups');
  const user = ctx.store.userByName(body.user);
  if (!user) return noSuchUser(body.user);
  const records: GroupRecord[] = [];
  for (const name of groups) {
    const group = ctx.store.group(name);
    if (!group) return noSuchGroup(name);
    const refused = refuseMembership(ctx, user, group);
    if (refused) return refused;
    records.push(group);
  }
  for (const group of records)
    if (!ctx.store.isDirectMember(group.name, user)) ctx.store.addMember(group.name, user);
  return { status: 200 };
}

export function removeGroup(ctx: RouteContext): Reply {
  const wrongType = requireJson(ctx);
  if (wrongType) return wrongType;
  const body = (ctx.body ?? {}) as { context?: unknown; itemName?: unknown };
  if (typeof body.context !== 'string' || body.context === '')
    return bitbucketError(400, 'A user is required.', EXCEPTIONS.validation, 'context');
  if (typeof body.itemName !== 'string' || body.itemName === '')
    return bitbucketError(400, 'A group is required.', EXCEPTIONS.validation, 'itemName');
  const user = ctx.store.userByName(body.context);
  if (!user) return noSuchUser(body.context);
  const group = ctx.store.group(body.itemName);
  if (!group) return noSuchGroup(body.itemName);
  const refused = refuseMembership(ctx, user, group);
  if (refused) return refused;
  if (ctx.store.isDirectMember(group.name, user)) ctx.store.removeMember(group.name, user);
  return { status: 200 };
}
