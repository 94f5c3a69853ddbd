// Jira DC user resources: /rest/api/2/user (GET/PUT/POST/DELETE), user/search, user/list, user/application,
// myself (atlassian-api.md §2.2, §2.3). Paging and caps follow the version being emulated.
import {
  boolParam,
  intParam,
  json,
  pageSize,
  queryString,
  requireJson,
  type Reply,
  type RouteContext,
} from '../../reply.ts';
import type { SandboxStore, UserRecord } from '../../store.ts';
import { byDisplayName, expandSet, userBean } from './beans.ts';
import { jiraError } from './errors.ts';
import { applicationRoles } from './records.ts';
import { traitsOf } from './versions.ts';

const READ_ONLY_USER = "The user's directory is read only.";
const READ_ONLY_DELETE = 'Cannot delete user, the user directory is read-only.';

/** The user named by ?username= or ?key=, or the 404 Jira answers. */
function targetUser(ctx: RouteContext): UserRecord | Reply {
  const username = ctx.query.get('username');
  const key = ctx.query.get('key');
  if (username)
    return ctx.store.userByName(username) ?? jiraError(404, [`The user named '${username}' does not exist`]);
  if (key)
    return ctx.store.userByKey(key) ?? jiraError(404, [`The user with the key '${key}' does not exist`]);
  return jiraError(404, ["The user named 'null' does not exist"]);
}

const isReply = (x: UserRecord | Reply): x is Reply => 'status' in x;

function isReadOnly(ctx: RouteContext, user: UserRecord): boolean {
  return ctx.store.directory(user.directoryId)?.readOnly ?? false;
}

type Body = { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply };

function bodyObject(ctx: RouteContext): Body {
  const invalid = requireJson(ctx);
  if (invalid) return { ok: false, reply: invalid };
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body)) {
    return { ok: false, reply: jiraError(400, ['The request body must be a JSON object.']) };
  }
  return { ok: true, value: ctx.body as Record<string, unknown> };
}

export function getUser(ctx: RouteContext): Reply {
  const user = targetUser(ctx);
  if (isReply(user)) return user;
  return json(200, userBean(ctx, user, expandSet(ctx.query.get('expand'))));
}

export function getMyself(ctx: RouteContext): Reply {
  return json(200, userBean(ctx, ctx.caller as UserRecord, expandSet(ctx.query.get('expand'))));
}

/** PUT user: {"active":false|true} (8.3+) and profile fields; renames keep the key. */
export function updateUser(ctx: RouteContext): Reply {
  const body = bodyObject(ctx);
  if (!body.ok) return body.reply;
  const user = targetUser(ctx);
  if (isReply(user)) return user;
  const patch = body.value;
  if ('active' in patch && typeof patch.active !== 'boolean') {
    return jiraError(400, ["Can not deserialize value of type boolean for field 'active'"]);
  }
  if (isReadOnly(ctx, user)) return jiraError(400, [READ_ONLY_USER]);
  if (patch.active === false && ctx.caller?.id === user.id) {
    return jiraError(400, ['You cannot deactivate the currently logged in user.']);
  }
  const newName = typeof patch.name === 'string' ? patch.name : undefined;
  if (newName && newName.toLowerCase() !== user.name.toLowerCase() && ctx.store.userByName(newName)) {
    return jiraError(400, [], { username: 'A user with that username already exists.' });
  }
  if (newName && newName !== user.name) ctx.store.rename(user, newName);
  ctx.store.update(user, {
    ...(typeof patch.active === 'boolean' ? { active: patch.active } : {}),
    ...(typeof patch.displayName === 'string' ? { displayName: patch.displayName } : {}),
    ...(typeof patch.emailAddress === 'string' ? { email: patch.emailAddress } : {}),
    ...(typeof patch.password === 'string' ? { password: patch.password } : {}),
  });
  return json(200, userBean(ctx, user));
}

export function deleteUser(ctx: RouteContext): Reply {
  const user = targetUser(ctx);
  if (isReply(user)) return user;
  if (ctx.caller?.id === user.id) return jiraError(400, ['You cannot delete the currently logged in user.']);
  if (isReadOnly(ctx, user)) return jiraError(400, [READ_ONLY_DELETE]);
  ctx.store.deleteUser(user);
  return { status: 204 };
}

/** POST user: created in the internal directory, with the default groups of its applications. */
export function createUser(ctx: RouteContext): Reply {
  const body = bodyObject(ctx);
  if (!body.ok) return body.reply;
  const b = body.value;
  const str = (k: string): string => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  const errors: Record<string, string> = {};
  if (!str('name')) errors.username = 'You must specify a username.';
  else if (ctx.store.userByName(str('name'))) errors.username = 'A user with that username already exists.';
  if (!str('emailAddress')) errors.email = 'You must specify an email address.';
  if (!str('displayName')) errors.fullname = 'You must specify a full name.';
  const keys = Array.isArray(b.applicationKeys) ? b.applicationKeys.map(String) : undefined;
  const roles = keys
    ? keys.map((k) => applicationRoles(ctx.store).find((r) => r.key === k))
    : applicationRoles(ctx.store).filter((r) => r.selectedByDefault);
  if (roles.some((r) => r === undefined)) errors.applicationKeys = 'Application key is not valid.';
  if (Object.keys(errors).length > 0) return jiraError(400, [], errors);
  const user = ctx.store.addUser({
    name: str('name'),
    displayName: str('displayName'),
    email: str('emailAddress'),
    created: new Date(ctx.now).toISOString(),
    password: str('password') || null,
  });
  for (const role of roles) for (const g of role?.defaultGroups ?? []) ctx.store.addMember(g, user);
  const bean = userBean(ctx, user);
  return json(201, bean, { Location: String(bean.self) });
}

// ---- user/search (≤9: the export path; 10+: capped at 100 results in total) ----

const sortedCache = new WeakMap<SandboxStore, { revision: number; users: UserRecord[] }>();

function usersByDisplayName(store: SandboxStore): UserRecord[] {
  const cached = sortedCache.get(store);
  if (cached && cached.revision === store.revision) return cached.users;
  const users = store.users().sort(byDisplayName);
  sortedCache.set(store, { revision: store.revision, users });
  return users;
}

function matches(user: UserRecord, q: string): boolean {
  if (q === '.') return true;
  const needle = q.toLowerCase();
  return (
    user.name.toLowerCase().startsWith(needle) ||
    (user.email ?? '').toLowerCase().startsWith(needle) ||
    user.displayName
      .toLowerCase()
      .split(/\s+/)
      .some((w) => w.startsWith(needle)) ||
    user.displayName.toLowerCase().startsWith(needle)
  );
}

export function searchUsers(ctx: RouteContext): Reply {
  const q = ctx.query.get('username');
  if (!q) return jiraError(400, ['The username query parameter was not provided']);
  const includeActive = boolParam(ctx.query, 'includeActive', true);
  const includeInactive = boolParam(ctx.query, 'includeInactive', false);
  if (!includeActive && !includeInactive) {
    return jiraError(400, ["At least one of 'includeActive' or 'includeInactive' parameters must be true"]);
  }
  // Anonymous callers lack "Browse users": Jira answers an empty list, not an error.
  if (!ctx.caller) return json(200, []);
  const startAt = Math.max(0, intParam(ctx.query, 'startAt', 0));
  const maxResults = pageSize(ctx, intParam(ctx.query, 'maxResults', 50), 1000);
  const found = usersByDisplayName(ctx.store).filter(
    (u) => (u.active ? includeActive : includeInactive) && matches(u, q),
  );
  const reachable = found.slice(0, traitsOf(ctx).userSearchTotalCap);
  return json(
    200,
    reachable.slice(startAt, startAt + maxResults).map((u) => userBean(ctx, u)),
  );
}

// ---- user/list (10.3 LTS, 11.0+): cursor paging over every user, active or not ----

const encodeCursor = (id: number): string => Buffer.from(`u:${id}`).toString('base64url');

function decodeCursor(cursor: string): number | null {
  const m = /^u:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}

export function listUsers(ctx: RouteContext): Reply {
  const cursor = ctx.query.get('cursor');
  const after = cursor ? decodeCursor(cursor) : 0;
  if (after === null) return jiraError(400, [`Invalid cursor: ${cursor}`]);
  const requested = intParam(ctx.query, 'maxResults', 2000);
  const maxResults = Math.max(1, pageSize(ctx, requested > 0 ? requested : 2000, 2000));
  const rest = ctx.store.users().filter((u) => u.id > after);
  const values = rest.slice(0, maxResults);
  const isLast = values.length === rest.length;
  const page: Record<string, unknown> = {
    self: `${ctx.base}${ctx.path}${queryString(ctx.query)}`,
    maxResults,
    isLast,
    values: values.map((u) => userBean(ctx, u)),
  };
  const last = values[values.length - 1];
  if (!isLast && last) {
    page.nextCursor = encodeCursor(last.id);
    page.nextPage = `${ctx.base}${ctx.path}?cursor=${page.nextCursor}&maxResults=${maxResults}`;
  }
  return json(200, page);
}

// ---- user/application: application access is group based ----

export function changeApplicationAccess(ctx: RouteContext): Reply {
  const user = targetUser(ctx);
  if (isReply(user)) return user;
  const key = ctx.query.get('applicationKey') ?? '';
  const role = applicationRoles(ctx.store).find((r) => r.key === key);
  if (!role) return jiraError(400, [`Application with key '${key}' does not exist.`]);
  if (isReadOnly(ctx, user)) return jiraError(400, [READ_ONLY_USER]);
  if (ctx.method === 'POST') {
    if (role.defaultGroups.length === 0) {
      return jiraError(400, [`Application '${role.name}' has no default groups to add the user to.`]);
    }
    for (const g of role.defaultGroups) ctx.store.addMember(g, user);
  } else {
    for (const g of role.groups) ctx.store.removeMember(g, user);
  }
  return { status: 200 };
}
