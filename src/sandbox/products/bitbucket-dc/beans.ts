// Bitbucket's JSON representations (the DC OpenAPI's RestDetailedUser, RestApplicationUser,
// RestDetailedGroup, as seen in BSERV-4117's example): field order and presence as the server writes them —
// `emailAddress` and `lastAuthenticationTimestamp` (epoch ms) are absent when unknown — and the paged
// envelope {size, limit, isLastPage, values, start, nextPageStart} (nextPageStart only when more follow).
// Paging: `start` (default 0), `limit` (default 25, at most 1000, lower with the sandbox's maxPageSize).
import { intParam, type RouteContext } from '../../reply.ts';
import type { GroupRecord, SandboxStore, UserRecord } from '../../store.ts';
import { recordsOf } from './records.ts';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

/** Bitbucket's user slug: the username made URL-safe (lower-cased, other characters as `_`). */
export function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]/g, '_');
}

/** What the user's directory lets Bitbucket do (read-only LDAP: nothing; with local groups: groups). */
export function directoryTraits(store: SandboxStore, user: UserRecord) {
  const dir = store.directory(user.directoryId);
  const readOnly = dir?.readOnly ?? false;
  return {
    directoryName: dir?.name ?? null,
    mutableDetails: !readOnly,
    mutableGroups: !readOnly || (dir?.localGroups ?? false),
    deletable: !readOnly,
  };
}

/** Groups of a read-only directory can be neither deleted nor changed. */
export function groupDeletable(store: SandboxStore, group: GroupRecord): boolean {
  return !(store.directory(group.directoryId)?.readOnly ?? false);
}

const links = (ctx: RouteContext, user: UserRecord) => ({
  self: [{ href: `${ctx.base}/users/${encodeURIComponent(slugOf(user.name))}` }],
});

/** RestApplicationUser (permission listings). */
export function applicationUser(ctx: RouteContext, user: UserRecord): Record<string, unknown> {
  return {
    name: user.name,
    ...(user.email ? { emailAddress: user.email } : {}),
    id: user.id,
    displayName: user.displayName,
    active: user.active,
    slug: slugOf(user.name),
    type: recordsOf(ctx.store).isService(user) ? 'SERVICE' : 'NORMAL',
    links: links(ctx, user),
  };
}

/** RestDetailedUser (admin/users, group members, the answer to a deletion). */
export function detailedUser(ctx: RouteContext, user: UserRecord): Record<string, unknown> {
  const t = directoryTraits(ctx.store, user);
  const { links: l, ...base } = applicationUser(ctx, user);
  return {
    ...base,
    ...(t.directoryName !== null ? { directoryName: t.directoryName } : {}),
    deletable: t.deletable,
    ...(user.lastLogin ? { lastAuthenticationTimestamp: Date.parse(user.lastLogin) } : {}),
    mutableDetails: t.mutableDetails,
    mutableGroups: t.mutableGroups,
    links: l,
  };
}

/** RestDetailedGroup. */
export function detailedGroup(ctx: RouteContext, group: GroupRecord): Record<string, unknown> {
  return { name: group.name, deletable: groupDeletable(ctx.store, group) };
}

export function paging(ctx: RouteContext): { start: number; limit: number } {
  const start = Math.max(0, intParam(ctx.query, 'start', 0));
  const asked = intParam(ctx.query, 'limit', DEFAULT_LIMIT);
  const cap = Math.min(MAX_LIMIT, ctx.maxPageSize ?? MAX_LIMIT);
  return { start, limit: Math.max(1, Math.min(asked > 0 ? asked : DEFAULT_LIMIT, cap)) };
}

/** One page of `all` as Bitbucket's envelope. */
export function page<T>(
  ctx: RouteContext,
  all: readonly T[],
  map: (item: T) => unknown,
): Record<string, unknown> {
  const { start, limit } = paging(ctx);
  const values = all.slice(start, start + limit).map(map);
  const isLastPage = start + values.length >= all.length;
  return {
    size: values.length,
    limit,
    isLastPage,
    values,
    start,
    ...(isLastPage ? {} : { nextPageStart: start + values.length }),
  };
}

/** `filter`: case-insensitive substring of any of the texts. */
export function matchesFilter(ctx: RouteContext, ...texts: (string | null)[]): boolean {
  const filter = (ctx.query.get('filter') ?? '').trim().toLowerCase();
  return filter === '' || texts.some((t) => t !== null && t.toLowerCase().includes(filter));
}

export const byName = (a: { name: string }, b: { name: string }): number =>
  a.name.toLowerCase().localeCompare(b.name.toLowerCase());
