// The organisation's users (atlassian-api.md §1.1, §10; jira.js admin module):
// - POST …/directories/{dir|-}/users/search: the filter in a JSON body (accountIds, emails or searchTerm —
//   not both, 400 —, groupIds, status, expand[productAccess, groups, platformRoles]), cursor paging;
// - POST …/users/{accountId}/suspend and …/restore (JSON body, `{}` is enough: without the JSON content type
//   the gateway answers 415), DELETE …/users/{accountId} (removal from the directory); 204 by default;
//   repeats change nothing and succeed (assumed); users synced from an identity provider are refused 403;
//   restoring a user whose Atlassian account is deactivated is refused 400 (assumed);
// - GET /admin/v1/orgs/{org}/directory/users/{accountId}/last-active-dates: one user's activity.
import { json, type Reply, type RouteContext } from '../../reply.ts';
import type { DirectoryRecord, UserRecord } from '../../store.ts';
import { cursorPage, decodeCursor, type Expand, userJson } from './beans.ts';
import { specError } from './errors.ts';
import {
  Answer,
  checkOrg,
  type CloudState,
  directoriesOf,
  jsonBody,
  segment,
  strings,
  userIn,
  V1_ORG,
  written,
} from './state.ts';

const USER = /\/users\/([^/]+)(\/[a-z-]+)?$/;
const EXPANDS: readonly Expand[] = ['productAccess', 'groups', 'platformRoles', 'counts.resources'];

/** Users of the directories in creation order, cached per store revision (100k-user organisations). */
const cache = new WeakMap<CloudState, { key: string; users: UserRecord[] }>();
function usersOf(state: CloudState, ctx: RouteContext, dirs: DirectoryRecord[]): UserRecord[] {
  const key = `${ctx.store.revision}|${dirs.map((d) => d.id).join(',')}`;
  const hit = cache.get(state);
  if (hit?.key === key) return hit.users;
  const ids = new Set(dirs.map((d) => d.id));
  const users = ctx.store.users().filter((u) => ids.has(u.directoryId));
  cache.set(state, { key, users });
  return users;
}

/** Users/search as the body (or a deprecated GET's query) asks. */
export function listUsers(state: CloudState, ctx: RouteContext, body: Record<string, unknown>): Reply {
  const dirs = directoriesOf(state, ctx);
  const accountIds = strings(body, 'accountIds');
  const emails = strings(body, 'emails');
  const groupIds = strings(body, 'groupIds');
  const status = strings(body, 'status');
  const expand = new Set(
    (strings(body, 'expand') ?? []).filter((e): e is Expand => EXPANDS.includes(e as Expand)),
  );
  const term = typeof body.searchTerm === 'string' ? body.searchTerm.toLowerCase() : undefined;
  if (emails && term !== undefined)
    return specError(400, 'searchTerm and emails are mutually exclusive; provide one of them.');
  const offset = decodeCursor(body.cursor);
  if (Number.isNaN(offset)) return specError(400, 'Invalid cursor.', 'ADMIN-400-INVALID-CURSOR');
  const limit = body.limit === undefined ? 50 : Number(body.limit);
  if (!Number.isInteger(limit) || limit < 1) return specError(400, 'limit must be a positive integer.');
  const r = state.records;
  const ids = accountIds && new Set(accountIds);
  const mails = emails && new Set(emails.map((e) => e.toLowerCase()));
  const groups = groupIds?.map((id) => r.groupById(id)?.name).filter((g): g is string => g !== undefined);
  let users = usersOf(state, ctx, dirs);
  if (ids || mails || groups || status || term !== undefined)
    users = users.filter(
      (u) =>
        (!ids || ids.has(u.key)) &&
        (!mails || (u.email !== null && mails.has(u.email.toLowerCase()))) &&
        (!groups || groups.some((g) => ctx.store.isDirectMember(g, u))) &&
        (!status || status.includes(u.active ? 'active' : 'suspended')) &&
        (term === undefined ||
          u.displayName.toLowerCase().includes(term) ||
          (u.email ?? '').toLowerCase().includes(term)),
    );
  const page = cursorPage(ctx, users, offset, limit, (u) =>
    userJson(ctx, r, u, expand, state.knobs.productAccessExpand),
  );
  // A removal in progress shows in a few more listings, then is done.
  for (const u of users.slice(offset, offset + page.data.length)) r.listed(u);
  return json(200, page);
}

export const searchUsers =
  (state: CloudState) =>
  (ctx: RouteContext): Reply =>
    listUsers(state, ctx, jsonBody(ctx));

function target(state: CloudState, ctx: RouteContext): UserRecord {
  const user = userIn(state, ctx, directoriesOf(state, ctx), segment(ctx.path, USER, 1));
  if (state.records.synced(user))
    throw new Answer(
      specError(
        403,
        `User ${user.key} is managed by an identity provider (synced): manage their access in your identity provider.`,
      ),
    );
  return user;
}

export const suspendUser =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    jsonBody(ctx);
    const user = target(state, ctx);
    if (user.active) ctx.store.update(user, { active: false });
    return written(state);
  };

export const restoreUser =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    jsonBody(ctx);
    const user = target(state, ctx);
    if (state.records.accountStatusOf(user) !== 'active')
      return specError(
        400,
        `The Atlassian account of ${user.key} is deactivated; reactivate the account before restoring its access.`,
      );
    if (!user.active) ctx.store.update(user, { active: true });
    return written(state);
  };

export const removeUser =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    const user = target(state, ctx);
    state.records.remove(user, state.knobs.removalLag);
    return written(state);
  };

const day = (iso: string): string => iso.slice(0, 10);

export const lastActiveDates =
  (state: CloudState) =>
  (ctx: RouteContext): Reply => {
    checkOrg(state, ctx, V1_ORG);
    const id = segment(ctx.path, /\/users\/([^/]+)\/last-active-dates$/, 1);
    const user = ctx.store.userByKey(id);
    if (!user) return specError(404, `User ${id} not found.`);
    const r = state.records;
    return json(200, {
      data: {
        product_access: r
          .activityOf(user)
          .filter((e): e is [string, string] => e[1] !== null)
          .map(([key, at]) => ({ id: r.siteId(key), key, last_active: day(at), last_active_timestamp: at })),
        added_to_org: day(user.created),
        added_to_org_timestamp: user.created,
      },
      links: { next: null },
    });
  };
