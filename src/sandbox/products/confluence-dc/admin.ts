// Confluence DC user administration (atlassian-api.md §3, §10): PUT admin/user/{u}/disable|enable
// (idempotent, 204), DELETE admin/user/{u} (202 + long task), and GET admin/users/list/active (9.3+):
// licensed, enabled users who have logged in, oldest login first (CONFSERVER-37100), each with its email,
// and `lastLogin` when expanded on a version that has the expansion.
// Users of a read-only directory: disable/enable answer 204 and change nothing; delete answers 400
// "User is not removable" (decompiled 8.x behaviour, UNCONFIRMED on 9/10).
import { json, pathParam, type Reply, type RouteContext } from '../../reply.ts';
import type { SandboxStore, UserRecord } from '../../store.ts';
import { expandSet, page, paging, person } from './beans.ts';
import { confluenceDateTime, confluenceError } from './errors.ts';
import { submission } from './longtasks.ts';
import { readOnly, type ConfluenceState } from './state.ts';
import { traitsOf } from './versions.ts';

export const ADMIN_USER = /^\/rest\/api\/admin\/user\/([^/]+)$/;
export const ADMIN_USER_STATE = /^\/rest\/api\/admin\/user\/([^/]+)\/(disable|enable)$/;

function userOr404(ctx: RouteContext, username: string): UserRecord | Reply {
  return ctx.store.userByName(username) ?? confluenceError(404, `No user found with username: ${username}`);
}

const isReply = (x: UserRecord | Reply): x is Reply => 'status' in x;

export function setEnabled(ctx: RouteContext): Reply {
  const user = userOr404(ctx, pathParam(ctx.path, ADMIN_USER_STATE));
  if (isReply(user)) return user;
  const active = pathParam(ctx.path, ADMIN_USER_STATE, 2) === 'enable';
  if (!readOnly(ctx.store, user) && user.active !== active) ctx.store.update(user, { active });
  return { status: 204 };
}

export function deleteUser(state: ConfluenceState) {
  return (ctx: RouteContext): Reply => {
    const user = userOr404(ctx, pathParam(ctx.path, ADMIN_USER));
    if (isReply(user)) return user;
    if (readOnly(ctx.store, user)) return confluenceError(400, 'User is not removable');
    const task = state.tasks.startDelete(user, ctx.caller, ctx.now);
    return json(202, submission(task, ctx.contextPath));
  };
}

const sortedCache = new WeakMap<SandboxStore, { revision: number; users: UserRecord[] }>();

/** Licensed, enabled, logged-in users by last login (oldest first), cached until the directory changes. */
function activeUsers(state: ConfluenceState): UserRecord[] {
  const cached = sortedCache.get(state.store);
  if (cached && cached.revision === state.store.revision) return cached.users;
  const users = state.store
    .users()
    .filter((u) => u.active && u.lastLogin !== null && state.mayUse(u))
    .sort(
      (a, b) =>
        (a.lastLogin ?? '').localeCompare(b.lastLogin ?? '') ||
        a.name.toLowerCase().localeCompare(b.name.toLowerCase()),
    );
  sortedCache.set(state.store, { revision: state.store.revision, users });
  return users;
}

export function listActiveUsers(state: ConfluenceState) {
  return (ctx: RouteContext): Reply => {
    const { start, limit } = paging(ctx, 100, 200);
    const expand = expandSet(ctx.query.get('expand'));
    const lastLogin = expand.has('lastLogin') && traitsOf(ctx).lastLoginExpansion;
    const users = activeUsers(state);
    const results = users.slice(start, start + limit).map((u) => {
      const { _links, _expandable, ...bean } = person(ctx, u, expand);
      const entry: Record<string, unknown> = { ...bean, email: u.email ?? '' };
      if (lastLogin && u.lastLogin) {
        entry.lastLogin =
          state.lastLoginFormat === 'epoch-ms' ? Date.parse(u.lastLogin) : confluenceDateTime(u.lastLogin);
      }
      return { ...entry, _links, ...(_expandable ? { _expandable } : {}) };
    });
    return json(200, page(ctx, results, start, limit, users.length));
  };
}
