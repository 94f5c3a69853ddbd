// Jira DC group resources: group/member (paged, nested members included), group/user (add/remove),
// group (get with users[a:b] expand, create, delete) and groups/picker (atlassian-api.md §2.4).
// Status codes and validation order follow Jira's GroupResource.
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
import type { GroupRecord, SandboxStore, UserRecord } from '../../store.ts';
import { byName, userJson } from './beans.ts';
import { jiraError } from './errors.ts';
import { ADMIN_GROUP, applicationRoles } from './records.ts';

const enc = encodeURIComponent;
/** Jira's GroupResource.MAX_EXPANDED_USERS_COUNT. */
const MAX_EXPANDED_USERS = 50;

function targetGroup(ctx: RouteContext, name: string | null): GroupRecord | Reply {
  if (!name) return jiraError(400, ['Group name must not be empty.']);
  return ctx.store.group(name.trim()) ?? jiraError(404, [`Specified group does not exist: '${name}'.`]);
}

const isReply = (x: GroupRecord | Reply): x is Reply => 'status' in x;

/** Group memberships are stored per directory: a read-only directory refuses them. */
function readOnlyRefusal(ctx: RouteContext, group: GroupRecord, user: UserRecord): Reply | null {
  const userDir = ctx.store.directory(user.directoryId);
  const groupDir = ctx.store.directory(group.directoryId);
  const userBlocked = userDir?.readOnly && !(userDir.localGroups && !groupDir?.readOnly);
  const dir = groupDir?.readOnly ? groupDir : userBlocked ? userDir : undefined;
  return dir ? jiraError(400, [`Directory '${dir.name}' does not allow updates.`]) : null;
}

const memberCache = new WeakMap<SandboxStore, { revision: number; lists: Map<string, UserRecord[]> }>();

/** Members (nested included) sorted by username, cached until the store changes: paging 100k is cheap. */
function sortedMembers(store: SandboxStore, group: string, includeInactive: boolean): UserRecord[] {
  let cache = memberCache.get(store);
  if (!cache || cache.revision !== store.revision) {
    cache = { revision: store.revision, lists: new Map() };
    memberCache.set(store, cache);
  }
  const key = `${includeInactive}:${group.toLowerCase()}`;
  let list = cache.lists.get(key);
  if (!list) {
    list = store
      .membersOf(group, { nested: true })
      .filter((u) => includeInactive || u.active)
      .sort(byName);
    cache.lists.set(key, list);
  }
  return list;
}

function groupBean(ctx: RouteContext, group: GroupRecord, range?: { start: number; end: number }) {
  const active = sortedMembers(ctx.store, group.name, false);
  const start = range?.start ?? 0;
  const items = range ? active.slice(start, Math.min(range.end + 1, start + MAX_EXPANDED_USERS)) : [];
  return {
    name: group.name,
    self: `${ctx.base}/rest/api/2/group?groupname=${enc(group.name)}`,
    users: {
      size: active.length,
      items: items.map((u) => userJson(ctx, u)),
      'max-results': MAX_EXPANDED_USERS,
      'start-index': range ? start : 0,
      'end-index': range && items.length > 0 ? start + items.length - 1 : 0,
    },
    expand: 'users',
  };
}

/** "users" → 0..49; "users[10:15]" → 10..15 (indexes are 0-based and inclusive). */
function usersRange(expand: string | null): { start: number; end: number } | undefined {
  for (const part of (expand ?? '').split(',')) {
    const m = /^\s*users(?:\[(-?\d*):(-?\d*)\])?\s*$/.exec(part);
    if (!m) continue;
    const start = m[1] ? Math.max(0, Number(m[1])) : 0;
    const end = m[2] ? Number(m[2]) : start + MAX_EXPANDED_USERS - 1;
    return { start, end };
  }
  return undefined;
}

export function getGroup(ctx: RouteContext): Reply {
  const group = targetGroup(ctx, ctx.query.get('groupname'));
  if (isReply(group)) return group;
  return json(200, groupBean(ctx, group, usersRange(ctx.query.get('expand'))));
}

export function getGroupMembers(ctx: RouteContext): Reply {
  const group = targetGroup(ctx, ctx.query.get('groupname'));
  if (isReply(group)) return group;
  const includeInactive = boolParam(ctx.query, 'includeInactiveUsers', false);
  const startAt = Math.max(0, intParam(ctx.query, 'startAt', 0));
  const maxResults = Math.max(1, pageSize(ctx, intParam(ctx.query, 'maxResults', 50), 50));
  const members = sortedMembers(ctx.store, group.name, includeInactive);
  const values = members.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= members.length;
  const page: Record<string, unknown> = { self: `${ctx.base}${ctx.path}${queryString(ctx.query)}` };
  if (!isLast) {
    const next = new URLSearchParams(ctx.query);
    next.set('startAt', String(startAt + maxResults));
    next.set('maxResults', String(maxResults));
    page.nextPage = `${ctx.base}${ctx.path}?${next.toString()}`;
  }
  Object.assign(page, { maxResults, startAt, total: members.length, isLast });
  page.values = values.map((u) => userJson(ctx, u));
  return json(200, page);
}

export function addUserToGroup(ctx: RouteContext): Reply {
  const group = targetGroup(ctx, ctx.query.get('groupname'));
  if (isReply(group)) return group;
  const invalid = requireJson(ctx);
  if (invalid) return invalid;
  const name = (ctx.body as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name === '') return jiraError(400, ['User name must not be empty.']);
  const user = ctx.store.userByName(name);
  if (!user) return jiraError(404, [`The user named '${name}' does not exist`]);
  if (ctx.store.isDirectMember(group.name, user)) {
    return jiraError(400, [`Cannot add user. User is already a member of '${group.name}'`]);
  }
  const refusal = readOnlyRefusal(ctx, group, user);
  if (refusal) return refusal;
  ctx.store.addMember(group.name, user);
  const bean = groupBean(ctx, group);
  return json(201, bean, { Location: bean.self });
}

export function removeUserFromGroup(ctx: RouteContext): Reply {
  const group = targetGroup(ctx, ctx.query.get('groupname'));
  if (isReply(group)) return group;
  const name = ctx.query.get('username') ?? '';
  const user = ctx.store.userByName(name);
  if (!user) return jiraError(404, [`The user named '${name}' does not exist`]);
  if (!ctx.store.isDirectMember(group.name, user)) {
    return jiraError(400, [
      `Cannot remove user '${user.name}' from group '${group.name}' since user is not a member of '${group.name}'`,
    ]);
  }
  const refusal = readOnlyRefusal(ctx, group, user);
  if (refusal) return refusal;
  ctx.store.removeMember(group.name, user);
  return { status: 200 };
}

export function createGroup(ctx: RouteContext): Reply {
  const invalid = requireJson(ctx);
  if (invalid) return invalid;
  const name = (ctx.body as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || name.trim() === '')
    return jiraError(400, ['Group name must not be empty.']);
  if (ctx.store.group(name) || ctx.store.userByName(name)) {
    return jiraError(400, ['A group or user with this name already exists.']);
  }
  const group = ctx.store.addGroup(name.trim(), 1);
  const bean = groupBean(ctx, group);
  return json(201, bean, { Location: bean.self });
}

export function deleteGroup(ctx: RouteContext): Reply {
  const group = targetGroup(ctx, ctx.query.get('groupname'));
  if (isReply(group)) return group;
  const dir = ctx.store.directory(group.directoryId);
  if (dir?.readOnly) return jiraError(400, [`Directory '${dir.name}' does not allow updates.`]);
  const swap = ctx.query.get('swapGroup');
  if (swap && !ctx.store.group(swap)) return jiraError(404, [`Specified group does not exist: '${swap}'.`]);
  ctx.store.deleteGroup(group.name);
  return { status: 200 };
}

// ---- groups/picker: the only group listing Jira DC has ----

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function highlight(name: string, query: string): string {
  const i = query ? name.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (i < 0) return escapeHtml(name);
  const hit = name.slice(i, i + query.length);
  return `${escapeHtml(name.slice(0, i))}<b>${escapeHtml(hit)}</b>${escapeHtml(name.slice(i + query.length))}`;
}

function labels(ctx: RouteContext, group: GroupRecord): { text: string; title: string; type: string }[] {
  const out: { text: string; title: string; type: string }[] = [];
  if (group.name.toLowerCase() === ADMIN_GROUP) {
    out.push({
      text: 'Admin',
      title: 'Users added to this group will be given administrative access.',
      type: 'ADMIN',
    });
  }
  for (const role of applicationRoles(ctx.store)) {
    if (role.groups.some((g) => g.toLowerCase() === group.name.toLowerCase())) {
      out.push({
        text: role.name,
        title: `Users added to this group will be given access to ${role.name}.`,
        type: 'SINGLE',
      });
    }
  }
  return out;
}

export function pickGroups(ctx: RouteContext): Reply {
  const query = ctx.query.get('query') ?? '';
  const exclude = new Set(ctx.query.getAll('exclude').map((e) => e.toLowerCase()));
  const maxResults = Math.max(0, intParam(ctx.query, 'maxResults', 20));
  const matching = ctx.store
    .groups()
    .filter((g) => !exclude.has(g.name.toLowerCase()) && g.name.toLowerCase().includes(query.toLowerCase()));
  const shown = matching.slice(0, maxResults);
  return json(200, {
    header: `Showing ${shown.length} of ${matching.length} matching groups`,
    total: matching.length,
    groups: shown.map((g) => ({ name: g.name, html: highlight(g.name, query), labels: labels(ctx, g) })),
  });
}
