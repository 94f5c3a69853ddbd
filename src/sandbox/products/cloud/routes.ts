// The organisation admin API routes the sandbox models (below /admin), every one for the organisation API
// key (Bearer), with the scope a key with scopes needs (assumed where the docs name none). The deprecated
// lists (`GET …/users`, `GET …/groups`, v1 users/search, v1 suspend-access and restore-access) are served
// until the `retireDeprecated` knob retires them (410). Anything not listed answers 501 naming the route.
import { json, type Reply, type Route, type RouteContext } from '../../reply.ts';
import { cursorPage, decodeCursor } from './beans.ts';
import { retired, specError } from './errors.ts';
import {
  addMembership,
  createGroup,
  deleteGroup,
  listGroups,
  removeMembership,
  roleAssignments,
  searchGroups,
} from './groups.ts';
import { type CloudState, checkOrg, jsonBody, scoped, segment, V1_ORG, V2_ORG } from './state.ts';
import { lastActiveDates, listUsers, removeUser, restoreUser, searchUsers, suspendUser } from './users.ts';

const ID = '[^/]+';
const DIR = `^/admin/v2/orgs/${ID}/directories/${ID}`;
const re = (s: string): RegExp => new RegExp(`${s}$`);

const READ_DIRECTORIES = 'read:directories:admin';
const READ_GROUPS = 'read:groups:admin';
const READ_ACCOUNTS = 'read:accounts:admin';

function directories(state: CloudState) {
  return (ctx: RouteContext): Reply => {
    checkOrg(state, ctx, V2_ORG);
    const offset = decodeCursor(ctx.query.get('cursor'));
    if (Number.isNaN(offset)) return specError(400, 'Invalid cursor.', 'ADMIN-400-INVALID-CURSOR');
    const limit = Number(ctx.query.get('limit') ?? 20);
    return json(
      200,
      cursorPage(
        ctx,
        ctx.store.directories,
        offset,
        Number.isInteger(limit) && limit > 0 ? limit : 20,
        (d) => ({
          directoryId: state.records.directoryId(d),
          name: d.name,
          icon: null,
        }),
      ),
    );
  };
}

/** The query of a deprecated GET list as a search body. */
function queryBody(ctx: RouteContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of new Set(ctx.query.keys())) {
    const all = ctx.query.getAll(key);
    body[key] = ['cursor', 'limit', 'searchTerm'].includes(key) ? all[0] : all;
  }
  if (body.limit !== undefined) body.limit = Number(body.limit);
  return body;
}

/** A deprecated route: served as it still is, or retired. */
function deprecated(state: CloudState, replacement: string, serve: (ctx: RouteContext) => Reply) {
  return (ctx: RouteContext): Reply => (state.knobs.retireDeprecated ? retired(replacement) : serve(ctx));
}

/** v1 suspend-access / restore-access: 200 with a message (atlassian-api.md §10), on the v2 semantics. */
function v1Access(state: CloudState, active: boolean) {
  return (ctx: RouteContext): Reply => {
    checkOrg(state, ctx, V1_ORG);
    jsonBody(ctx);
    const user = ctx.store.userByKey(segment(ctx.path, /\/users\/([^/]+)\//, 1));
    if (!user) return specError(404, 'User not found.');
    ctx.store.update(user, { active });
    return json(200, { message: `User access ${active ? 'restored' : 'suspended'}` });
  };
}

export function cloudRoutes(state: CloudState): Route[] {
  const route = (
    method: string,
    path: string,
    scope: string,
    handle: (ctx: RouteContext) => Reply,
  ): Route => ({
    method,
    path: re(path),
    access: 'application',
    handle: scoped(state, scope, handle),
  });
  return [
    route('GET', `^/admin/v2/orgs/${ID}/directories`, READ_DIRECTORIES, directories(state)),
    route('POST', `${DIR}/users/search`, READ_DIRECTORIES, searchUsers(state)),
    route('POST', `${DIR}/groups/search`, READ_GROUPS, searchGroups(state)),
    route('GET', `${DIR}/groups/${ID}/role-assignments`, READ_GROUPS, roleAssignments(state)),
    route('POST', `${DIR}/users/${ID}/suspend`, 'write', suspendUser(state)),
    route('POST', `${DIR}/users/${ID}/restore`, 'write', restoreUser(state)),
    route('DELETE', `${DIR}/users/${ID}`, 'write', removeUser(state)),
    route('POST', `${DIR}/groups`, 'write', createGroup(state)),
    route('DELETE', `${DIR}/groups/${ID}`, 'write', deleteGroup(state)),
    route('POST', `${DIR}/groups/${ID}/memberships`, 'write', addMembership(state)),
    route('DELETE', `${DIR}/groups/${ID}/memberships/${ID}`, 'write', removeMembership(state)),
    route(
      'GET',
      `^/admin/v1/orgs/${ID}/directory/users/${ID}/last-active-dates`,
      READ_ACCOUNTS,
      lastActiveDates(state),
    ),
    // Deprecated (atlassian-api.md §10): GET lists stop after 2027-06-30, the v1 calls after 2026-06-30.
    route(
      'GET',
      `${DIR}/users`,
      READ_DIRECTORIES,
      deprecated(state, 'POST …/users/search', (ctx) => listUsers(state, ctx, queryBody(ctx))),
    ),
    route(
      'GET',
      `${DIR}/groups`,
      READ_GROUPS,
      deprecated(state, 'POST …/groups/search', (ctx) => listGroups(state, ctx, queryBody(ctx))),
    ),
    route(
      'POST',
      `^/admin/v1/orgs/${ID}/users/search`,
      READ_ACCOUNTS,
      deprecated(state, 'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search', (ctx) => {
        checkOrg(state, ctx, V1_ORG);
        jsonBody(ctx);
        return json(200, { data: [], links: { next: null } });
      }),
    ),
    route(
      'POST',
      `^/admin/v1/orgs/${ID}/directory/users/${ID}/suspend-access`,
      'write',
      deprecated(state, 'POST …/users/{accountId}/suspend', v1Access(state, false)),
    ),
    route(
      'POST',
      `^/admin/v1/orgs/${ID}/directory/users/${ID}/restore-access`,
      'write',
      deprecated(state, 'POST …/users/{accountId}/restore', v1Access(state, true)),
    ),
  ];
}
