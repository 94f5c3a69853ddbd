// Jira's JSON representations of users and groups, field for field (atlassian-api.md §2.2, §2.4).
import type { RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';
import { jiraDateTime } from './errors.ts';
import { rolesOf } from './records.ts';
import { traitsOf } from './versions.ts';

const enc = encodeURIComponent;

export function avatarUrls(ctx: RouteContext, user: UserRecord): Record<string, string> {
  const url = (size: string): string =>
    `${ctx.base}/secure/useravatar?${size ? `size=${size}&` : ''}ownerId=${enc(user.key)}&avatarId=10122`;
  return { '48x48': url(''), '24x24': url('small'), '16x16': url('xsmall'), '32x32': url('medium') };
}

export function userSelf(ctx: RouteContext, user: UserRecord): string {
  return `${ctx.base}/rest/api/2/user?username=${enc(user.name)}`;
}

/** The full user bean of GET user, myself, user/search and user/list. */
export function userBean(
  ctx: RouteContext,
  user: UserRecord,
  expand: Set<string> = new Set(),
): Record<string, unknown> {
  const groups = ctx.store.groupsOf(user, { nested: true });
  const roles = rolesOf(ctx.store, user);
  const bean: Record<string, unknown> = {
    self: userSelf(ctx, user),
    key: user.key,
    name: user.name,
    emailAddress: user.email ?? '',
    avatarUrls: avatarUrls(ctx, user),
    displayName: user.displayName,
    active: user.active,
    deleted: false,
    timeZone: user.timeZone,
    locale: user.locale,
    groups: {
      size: groups.length,
      items: expand.has('groups') ? groups.map((name) => groupRef(ctx, name)) : [],
    },
    applicationRoles: {
      size: roles.length,
      items: expand.has('applicationRoles') ? roles.map((r) => ({ key: r.key, name: r.name })) : [],
    },
    expand: 'groups,applicationRoles',
  };
  if (traitsOf(ctx).lastLoginTime && user.lastLogin) bean.lastLoginTime = jiraDateTime(user.lastLogin);
  return bean;
}

/** The smaller UserJsonBean used inside group/member pages and the group bean. */
export function userJson(ctx: RouteContext, user: UserRecord): Record<string, unknown> {
  return {
    self: userSelf(ctx, user),
    name: user.name,
    key: user.key,
    emailAddress: user.email ?? '',
    avatarUrls: avatarUrls(ctx, user),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

export function groupRef(ctx: RouteContext, name: string): { name: string; self: string } {
  return { name, self: `${ctx.base}/rest/api/2/group?groupname=${enc(name)}` };
}

/** Parses Jira's expand parameter ("groups,applicationRoles" or "users[10:15]"). */
export function expandSet(value: string | null): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim().replace(/\[.*\]$/, ''))
      .filter(Boolean),
  );
}

/** Sorts the way Jira's user pickers do: display name, then username, case-insensitively. */
export function byDisplayName(a: UserRecord, b: UserRecord): number {
  return (
    a.displayName.toLowerCase().localeCompare(b.displayName.toLowerCase()) ||
    a.name.toLowerCase().localeCompare(b.name.toLowerCase())
  );
}

export function byName(a: UserRecord, b: UserRecord): number {
  return a.name.toLowerCase().localeCompare(b.name.toLowerCase());
}
