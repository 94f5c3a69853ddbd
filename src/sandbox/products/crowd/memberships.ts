// Direct group memberships (/user/group/direct and /group/user/direct), the group resource and the
// paging both listings share (start-index / max-results). Answers per Crowd's exception mappers and
// ApplicationServiceGeneric: adding an existing membership is 409 MEMBERSHIP_ALREADY_EXISTS, removing a
// missing one 404 MEMBERSHIP_NOT_FOUND, an unknown user 404 USER_NOT_FOUND; an unknown group named in the
// body of POST /user/group/direct is 400 GROUP_NOT_FOUND (the Crowd REST reference), in a query parameter
// 404; a directory that does not allow group updates 403 APPLICATION_PERMISSION_DENIED.
import { minimalUser, xmlEscape } from '../../crowd-rest.ts';
import { page, userExpansion } from '../../crowd-search.ts';
import { requireJson, type Reply, type RouteContext } from '../../reply.ts';
import type { GroupRecord, UserRecord } from '../../store.ts';
import {
  answer,
  type CrowdState,
  directoryName,
  entityOf,
  expands,
  fail,
  findGroup,
  findUser,
} from './state.ts';

const byName = (a: { name: string }, b: { name: string }) =>
  a.name.toLowerCase().localeCompare(b.name.toLowerCase());

export function groupEntity(ctx: RouteContext, group: GroupRecord, expanded: boolean) {
  const href = `${ctx.base}/rest/usermanagement/1/group?groupname=${encodeURIComponent(group.name)}`;
  const link = { href, rel: 'self' };
  if (!expanded) return { link, name: group.name };
  return {
    link,
    name: group.name,
    description: '',
    type: 'GROUP',
    active: true,
    attributes: { link: { href: href.replace('/group?', '/group/attribute?'), rel: 'self' } },
  };
}

const groupXml = (g: { name: string }) => `<group name="${xmlEscape(g.name)}"/>`;
const userItemXml = (u: { name: string }) => `<user name="${xmlEscape(u.name)}"/>`;

export function groupsAnswer(state: CrowdState, ctx: RouteContext, groups: GroupRecord[]): Reply {
  const expanded = expands(ctx).includes('group');
  const values = page(ctx, [...groups].sort(byName)).map((g) => groupEntity(ctx, g, expanded));
  return answer(
    state,
    ctx,
    200,
    { expand: 'group', groups: values },
    () => `<groups expand="group">${values.map(groupXml).join('')}</groups>`,
  );
}

/**
 * A page of users, expanded as asked; `attributes: false` leaves attribute lists out whatever was asked;
 * `sorted`: the users are already in name order (usersByName).
 */
export function usersAnswer(
  state: CrowdState,
  ctx: RouteContext,
  users: UserRecord[],
  options: { attributes?: boolean; sorted?: boolean } = {},
): Reply {
  const expand = userExpansion(ctx);
  const withAttributes = expand.attributes && options.attributes !== false;
  const values = page(ctx, options.sorted ? users : [...users].sort(byName)).map((u) =>
    expand.user ? entityOf(state, ctx, u, withAttributes) : minimalUser(ctx, u.name),
  );
  return answer(
    state,
    ctx,
    200,
    { expand: 'user', users: values },
    () => `<users expand="user">${values.map(userItemXml).join('')}</users>`,
  );
}

function userOr404(state: CrowdState, ctx: RouteContext, name: string | null): UserRecord | Reply {
  const user = name ? findUser(state, ctx, { username: name }) : undefined;
  return user ?? fail(state, ctx, 404, 'USER_NOT_FOUND', `User <${name ?? ''}> does not exist`);
}

function groupOr(
  state: CrowdState,
  ctx: RouteContext,
  name: string | null,
  status: number,
): GroupRecord | Reply {
  const group = name ? findGroup(state, ctx, name) : undefined;
  return group ?? fail(state, ctx, status, 'GROUP_NOT_FOUND', `Group <${name ?? ''}> does not exist`);
}

const isReply = (x: object): x is Reply => 'status' in x;

/** GET /user/group/direct?username[&groupname]: the user's direct groups, or one membership. */
export function userGroups(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = userOr404(state, ctx, ctx.query.get('username'));
    if (isReply(user)) return user;
    const groups = ctx.store
      .groupsOf(user)
      .map((n) => findGroup(state, ctx, n))
      .filter((g): g is GroupRecord => g !== undefined);
    const one = ctx.query.get('groupname');
    if (one === null) return groupsAnswer(state, ctx, groups);
    const g = groups.find((x) => x.name.toLowerCase() === one.toLowerCase());
    if (!g)
      return fail(
        state,
        ctx,
        404,
        'MEMBERSHIP_NOT_FOUND',
        `The child entity <${user.name}> is not a member of the parent <${one}>`,
      );
    const entity = groupEntity(ctx, g, true);
    return answer(state, ctx, 200, entity, () => groupXml(entity));
  };
}

/** GET /group/user/direct?groupname[&username]: a group's direct members, or one membership. */
export function groupUsers(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const group = groupOr(state, ctx, ctx.query.get('groupname'), 404);
    if (isReply(group)) return group;
    const members = ctx.store.membersOf(group.name).filter((u) => state.records.visible(u));
    const one = ctx.query.get('username');
    if (one === null) return usersAnswer(state, ctx, members);
    const u = members.find((x) => x.name.toLowerCase() === one.toLowerCase());
    if (!u)
      return fail(
        state,
        ctx,
        404,
        'MEMBERSHIP_NOT_FOUND',
        `The child entity <${one}> is not a member of the parent <${group.name}>`,
      );
    const entity = minimalUser(ctx, u.name);
    return answer(state, ctx, 200, entity, () => userItemXml(entity));
  };
}

export function getGroup(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const group = groupOr(state, ctx, ctx.query.get('groupname'), 404);
    if (isReply(group)) return group;
    const entity = groupEntity(ctx, group, true);
    return answer(state, ctx, 200, entity, () => groupXml(entity));
  };
}

function bodyName(ctx: RouteContext): string | null {
  const b = ctx.body as { name?: unknown } | null;
  return b && typeof b.name === 'string' && b.name ? b.name : null;
}

function readOnly(
  state: CrowdState,
  ctx: RouteContext,
  user: UserRecord,
  group: GroupRecord,
  verb: 'add' | 'remove',
): Reply | null {
  const records = state.records;
  if (records.allows(user.directoryId, 'UPDATE_GROUP') && records.allows(group.directoryId, 'UPDATE_GROUP'))
    return null;
  const where = verb === 'add' ? 'to' : 'from';
  return fail(
    state,
    ctx,
    403,
    'APPLICATION_PERMISSION_DENIED',
    `Could not ${verb} user ${user.name} ${where} group ${group.name} in directory ${directoryName(ctx, user.directoryId)} because the directory or group is read-only.`,
  );
}

function add(state: CrowdState, ctx: RouteContext, user: UserRecord, group: GroupRecord): Reply {
  if (ctx.store.isDirectMember(group.name, user))
    return fail(
      state,
      ctx,
      409,
      'MEMBERSHIP_ALREADY_EXISTS',
      `Membership already exists in directory [${user.directoryId}] from child entity [${user.name}] to parent entity [${group.name}]`,
    );
  const refused = readOnly(state, ctx, user, group, 'add');
  if (refused) return refused;
  ctx.store.addMember(group.name, user);
  // 201 with no entity; Crowd still sends a JSON content type (atlassian-crowd-client insists on one).
  return {
    status: 201,
    headers: {
      'Content-Type': 'application/json;charset=UTF-8',
      Location: `${ctx.base}/rest/usermanagement/1/user/group/direct?username=${encodeURIComponent(user.name)}&groupname=${encodeURIComponent(group.name)}`,
    },
  };
}

function remove(state: CrowdState, ctx: RouteContext, user: UserRecord, group: GroupRecord): Reply {
  if (!ctx.store.isDirectMember(group.name, user))
    return fail(
      state,
      ctx,
      404,
      'MEMBERSHIP_NOT_FOUND',
      `The child entity <${user.name}> is not a member of the parent <${group.name}>`,
    );
  const refused = readOnly(state, ctx, user, group, 'remove');
  if (refused) return refused;
  ctx.store.removeMember(group.name, user);
  return { status: 204 };
}

/** POST /user/group/direct?username= {name: group}. */
export function addUserToGroup(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const unsupported = requireJson(ctx);
    if (unsupported) return unsupported;
    const user = userOr404(state, ctx, ctx.query.get('username'));
    if (isReply(user)) return user;
    const group = groupOr(state, ctx, bodyName(ctx), 400);
    return isReply(group) ? group : add(state, ctx, user, group);
  };
}

/** POST /group/user/direct?groupname= {name: user}. */
export function addGroupMember(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const unsupported = requireJson(ctx);
    if (unsupported) return unsupported;
    const group = groupOr(state, ctx, ctx.query.get('groupname'), 404);
    if (isReply(group)) return group;
    const name = bodyName(ctx);
    const user = name ? findUser(state, ctx, { username: name }) : undefined;
    if (!user) return fail(state, ctx, 400, 'USER_NOT_FOUND', `User <${name ?? ''}> does not exist`);
    return add(state, ctx, user, group);
  };
}

/** DELETE /user/group/direct?username&groupname and DELETE /group/user/direct?groupname&username. */
export function removeMembership(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const user = userOr404(state, ctx, ctx.query.get('username'));
    if (isReply(user)) return user;
    const group = groupOr(state, ctx, ctx.query.get('groupname'), 404);
    return isReply(group) ? group : remove(state, ctx, user, group);
  };
}

/**
 * POST /group `{name, type: "GROUP", active, description}`: created in the first mapped directory that allows
 * CREATE_GROUP (201); an existing name is 400 INVALID_GROUP, no such directory 403 OPERATION_FAILED.
 */
export function createGroup(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const name = bodyName(ctx);
    if (!name) return fail(state, ctx, 400, 'INVALID_GROUP', 'A group name is required');
    if (ctx.store.group(name))
      return fail(state, ctx, 400, 'INVALID_GROUP', `Group <${name}> already exists`);
    const dir = state.records.mapped.find((id) => state.records.allows(id, 'CREATE_GROUP'));
    if (dir === undefined)
      return fail(
        state,
        ctx,
        403,
        'OPERATION_FAILED',
        'No directory allows the application to create groups',
      );
    const group = ctx.store.addGroup(name, dir);
    const entity = groupEntity(ctx, group, true);
    return answer(state, ctx, 201, entity, () => groupXml(entity));
  };
}

/** DELETE /group?groupname=: 204; 404 GROUP_NOT_FOUND. */
export function deleteGroup(state: CrowdState) {
  return (ctx: RouteContext): Reply => {
    const group = groupOr(state, ctx, ctx.query.get('groupname'), 404);
    if (isReply(group)) return group;
    if (!state.records.allows(group.directoryId, 'DELETE_GROUP'))
      return fail(
        state,
        ctx,
        403,
        'OPERATION_FAILED',
        `The directory of <${group.name}> does not allow deleting groups`,
      );
    ctx.store.deleteGroup(group.name);
    return { status: 204 };
  };
}
