// Confluence DC user reads (atlassian-api.md §3): GET user?username|key, user/current, user/anonymous,
// user/list (8.4+, every user incl. disabled, start/limit paging) and user/memberof (direct groups).
import { json, type Reply, type RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import { anonymousPerson, expandSet, groupBean, page, paging, person } from './beans.ts';
import { confluenceError } from './errors.ts';
import type { ConfluenceState } from './state.ts';

/** The user named by ?username= or ?key=, or the error Confluence answers. */
export function userFromQuery(ctx: RouteContext): UserRecord | Reply {
  const username = ctx.query.get('username');
  const key = ctx.query.get('key');
  if (username) {
    return ctx.store.userByName(username) ?? confluenceError(404, `No user found with username: ${username}`);
  }
  if (key) return ctx.store.userByKey(key) ?? confluenceError(404, `No user found with key: ${key}`);
  return confluenceError(400, 'A username or a key is required');
}

export const isReply = (x: UserRecord | Reply): x is Reply => 'status' in x;

export function getUser(ctx: RouteContext): Reply {
  const user = userFromQuery(ctx);
  if (isReply(user)) return user;
  return json(200, person(ctx, user, expandSet(ctx.query.get('expand'))));
}

export function listUsers(ctx: RouteContext): Reply {
  const { start, limit } = paging(ctx, 200, 200);
  const expand = expandSet(ctx.query.get('expand'));
  const all = ctx.store.users();
  const results = all.slice(start, start + limit).map((u) => person(ctx, u, expand));
  return json(200, page(ctx, results, start, limit, all.length));
}

export function memberOf(ctx: RouteContext): Reply {
  const user = userFromQuery(ctx);
  if (isReply(user)) return user;
  const { start, limit } = paging(ctx, 200, 200);
  const groups = ctx.store.groupsOf(user);
  const results = groups.slice(start, start + limit).map((g) => groupBean(ctx, g));
  return json(200, page(ctx, results, start, limit, groups.length));
}

export function currentUser(state: ConfluenceState) {
  return (ctx: RouteContext): Reply => {
    if (ctx.caller) return json(200, person(ctx, ctx.caller, expandSet(ctx.query.get('expand'))));
    return state.anonymousAccess
      ? json(200, anonymousPerson(ctx))
      : confluenceError(403, 'Anonymous users are not permitted to use Confluence');
  };
}

export function anonymousUser(state: ConfluenceState) {
  return (ctx: RouteContext): Reply => {
    const allowed = ctx.caller ? state.mayUse(ctx.caller) : state.anonymousAccess;
    return allowed
      ? json(200, anonymousPerson(ctx))
      : confluenceError(403, 'The calling user does not have permission to use Confluence');
  };
}
