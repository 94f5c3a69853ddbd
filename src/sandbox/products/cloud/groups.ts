// The organisation's groups (atlassian-api.md §1.1, §10; jira.js admin module):
// - POST …/directories/{dir|-}/groups/search: JSON body (groupIds, groupNames — exact, case-insensitive —,
//   searchTerm; groupNames with either is a 400), cursor paging; groups carry externalSynced and
//   managementAccess (a group of a read-only directory is synced from an identity provider);
// - GET …/groups/{groupId}/role-assignments: the products the group grants (role atlassian/user);
// - POST …/groups/{groupId}/memberships {accountId} and DELETE …/memberships/{accountId}: 204 by default;
//   adding a member again succeeds and changes nothing, removing a non-member is 404 (both assumed); a
//   synced or non-modifiable group is refused 403 with the spec's error body.
import { json, type Reply, type RouteContext } from '../../reply.ts';
import type { GroupRecord } from '../../store.ts';
import { cursorPage, decodeCursor, groupJson } from './beans.ts';
import { specError } from './errors.ts';
import { Answer, type CloudState, directoriesOf, jsonBody, segment, strings, written } from './state.ts';

const GROUP = /\/groups\/([^/]+)/;

export function listGroups(state: CloudState, ctx: RouteContext, body: Record<string, unknown>): Reply {
  const dirs = new Set(directoriesOf(state, ctx).map((d) => d.id));
  const ids = strings(body, 'groupIds');
  const names = strings(body, 'groupNames');
  const term = typeof body.searchTerm === 'string' ? body.searchTerm.toLowerCase() : undefined;
  if (names && (ids || term !== undefined))
    return specError(400, 'groupNames cannot be combined with searchTerm or groupIds.');
  const offset = decodeCursor(body.cursor);
  if (Number.isNaN(offset)) return specError(400, 'Invalid cursor.', 'ADMIN-400-INVALID-CURSOR');
  const limit = body.limit === undefined ? 20 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1) return specError(400, 'limit must be a positive integer.');
  const r = state.records;
  const wanted = names && new Set(names.map((n) => n.toLowerCase()));
  const groups = ctx.store
    .groups()
    .filter(
      (g) =>
        dirs.has(g.directoryId) &&
        (!ids || ids.includes(r.groupId(g))) &&
        (!wanted || wanted.has(g.name.toLowerCase())) &&
        (term === undefined || g.name.toLowerCase().includes(term)),
    );
  return json(
    200,
    cursorPage(ctx, groups, offset, limit, (g) => groupJson(ctx, r, g)),
  );
}

export const searchGroups =
  (state: CloudState) =>
  (ctx: RouteContext): Reply =>
    listGroups(state, ctx, jsonBody(ctx));

/** The group of the path in the path's directory. */
function groupOf(state: CloudState, ctx: RouteContext): GroupRecord {
  const dirs = new Set(directoriesOf(state, ctx).map((d) => d.id));
  const id = segment(ctx.path, GROUP, 1);
  const group = state.records.groupById(id);
  if (!group || !dirs.has(group.directoryId)) throw new Answer(specError(404, `Group ${id} not found.`));
  return group;
}

export const roleAssignments =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    const group = groupOf(state, ctx);
    const r = state.records;
    const offset = decodeCursor(ctx.query.get('cursor'));
    if (Number.isNaN(offset)) return specError(400, 'Invalid cursor.', 'ADMIN-400-INVALID-CURSOR');
    const limit = Number(ctx.query.get('limit') ?? 20);
    const assignments = r.grants(group).map((product) => ({
      resourceId: `ari:cloud:${product}::site/${r.siteId(product)}`,
      resourceOwner: product,
      defaultRole: 'atlassian/user',
      roles: ['atlassian/user'],
    }));
    return json(
      200,
      cursorPage(ctx, assignments, offset, Number.isInteger(limit) && limit > 0 ? limit : 20, (a) => a),
    );
  };

/** Why the members of the group cannot change, as the organisation answers it, or null. */
function refuseMembership(state: CloudState, group: GroupRecord): Reply | null {
  if (state.records.groupSynced(group))
    return specError(
      403,
      "You can't change the members of a group synced from an identity provider. Manage this group in your identity provider instead.",
    );
  if (!state.records.groupModifiable(group))
    return specError(403, `The members of group ${group.name} can't be changed.`);
  return null;
}

export const addMembership =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    const body = jsonBody(ctx);
    const group = groupOf(state, ctx);
    if (typeof body.accountId !== 'string' || body.accountId === '')
      return specError(400, 'accountId is required.');
    const user = ctx.store.userByKey(body.accountId);
    if (!user || state.records.isRemoving(user)) return specError(404, `User ${body.accountId} not found.`);
    const refused = refuseMembership(state, group);
    if (refused) return refused;
    if (!ctx.store.isDirectMember(group.name, user)) ctx.store.addMember(group.name, user);
    return written(state);
  };

export const removeMembership =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    const group = groupOf(state, ctx);
    const id = segment(ctx.path, /\/memberships\/([^/]+)$/, 1);
    const user = ctx.store.userByKey(id);
    if (!user) return specError(404, `User ${id} not found.`);
    const refused = refuseMembership(state, group);
    if (refused) return refused;
    if (!ctx.store.isDirectMember(group.name, user))
      return specError(404, `User ${id} is not a member of group ${group.name}.`);
    ctx.store.removeMember(group.name, user);
    return written(state);
  };

/**
 * POST …/directories/{dir|-}/groups `{name, description}`: 201 with the group, in the directory of the path (with
 * `-`, the first directory that is not synced); a name already taken in the organisation is a 409 (assumed).
 */
export const createGroup =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    const body = jsonBody(ctx);
    if (typeof body.name !== 'string' || body.name.trim() === '') return specError(400, 'name is required.');
    if (ctx.store.group(body.name)) return specError(409, `A group named ${body.name} already exists.`);
    const dir = directoriesOf(state, ctx).find((d) => !d.readOnly);
    if (!dir) return specError(403, 'Groups of this directory are managed by an identity provider.');
    const group = ctx.store.addGroup(body.name.trim(), dir.id);
    return json(201, { data: groupJson(ctx, state.records, group) });
  };

/** DELETE …/groups/{groupId}: 204; a group of another directory or none is a 404. */
export const deleteGroup =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    const group = groupOf(state, ctx);
    ctx.store.deleteGroup(group.name);
    return { status: 204 };
  };
