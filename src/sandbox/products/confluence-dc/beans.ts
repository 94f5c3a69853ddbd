// Confluence's JSON representations: the Person (KnownUser, as seen on real 7.x/8.x instances: type,
// username, userKey, profilePicture, displayName, _links.self, _expandable.status — and no email), the
// anonymous Person, the Group, and the paged collection {results, start, limit, size, _links} whose
// _links.next/prev are RELATIVE to _links.base (atlassian-api.md §10).
import { queryString, type RouteContext } from '../../reply.ts';
import type { UserRecord } from '../../store.ts';

const enc = encodeURIComponent;

/**
 * The expanded `status` of a user (?expand=status). UNCONFIRMED: the DC OpenAPI declares a
 * Reference<UserStatus> without its values; the sandbox answers these two.
 */
export const USER_STATUS = { active: 'ACTIVE', disabled: 'DEACTIVATED' } as const;

export function expandSet(value: string | null): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

function picture(ctx: RouteContext, file: string) {
  return {
    path: `${ctx.contextPath}/images/icons/profilepics/${file}`,
    width: 48,
    height: 48,
    isDefault: true,
  };
}

/** A KnownUser. `status` only when expanded; otherwise listed in _expandable. */
export function person(
  ctx: RouteContext,
  user: UserRecord,
  expand: Set<string> = new Set(),
): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    type: 'known',
    username: user.name,
    userKey: user.key,
    profilePicture: picture(ctx, 'default.svg'),
    displayName: user.displayName,
  };
  if (expand.has('status')) bean.status = user.active ? USER_STATUS.active : USER_STATUS.disabled;
  bean._links = { self: `${ctx.base}/rest/api/user?key=${enc(user.key)}` };
  if (!expand.has('status')) bean._expandable = { status: '' };
  return bean;
}

export function anonymousPerson(ctx: RouteContext): Record<string, unknown> {
  return {
    type: 'anonymous',
    profilePicture: picture(ctx, 'anonymous.svg'),
    displayName: 'Anonymous',
    _links: { self: `${ctx.base}/rest/api/user/anonymous` },
  };
}

export function groupBean(ctx: RouteContext, name: string): Record<string, unknown> {
  return { type: 'group', name, _links: { self: `${ctx.base}/rest/api/group/${enc(name)}` } };
}

/** A page link below the base: the request's path and query with another start. */
function pageLink(ctx: RouteContext, start: number, limit: number): string {
  const q = new URLSearchParams(ctx.query);
  q.set('limit', String(limit));
  q.set('start', String(start));
  return `${ctx.path}?${q.toString()}`;
}

/** The paged collection envelope around `results` (a slice of `total` items from `start`). */
export function page(
  ctx: RouteContext,
  results: unknown[],
  start: number,
  limit: number,
  total: number,
): Record<string, unknown> {
  const links: Record<string, string> = {
    base: ctx.base,
    context: ctx.contextPath,
    self: `${ctx.base}${ctx.path}${queryString(ctx.query)}`,
  };
  if (start + results.length < total) links.next = pageLink(ctx, start + results.length, limit);
  if (start > 0) links.prev = pageLink(ctx, Math.max(0, start - limit), limit);
  return { results, start, limit, size: results.length, _links: links };
}

/** start/limit of a paged request: start ≥ 0, limit clamped to the route's cap and the sandbox knob. */
export function paging(
  ctx: RouteContext,
  defaultLimit: number,
  cap: number,
): { start: number; limit: number } {
  const num = (name: string, fallback: number): number => {
    const n = Number.parseInt(ctx.query.get(name) ?? '', 10);
    return Number.isFinite(n) ? n : fallback;
  };
  const start = Math.max(0, num('start', 0));
  const requested = num('limit', defaultLimit);
  const limit = Math.max(1, Math.min(requested > 0 ? requested : defaultLimit, cap, ctx.maxPageSize ?? cap));
  return { start, limit };
}
