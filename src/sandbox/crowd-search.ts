// Crowd's user search (/rest/usermanagement/1/search?entity-type=user), shared by the Crowd product and Jira's
// embedded Crowd: the restriction — CQL in ?restriction= on GET (none = every user), or a
// SearchRestrictionEntity as the JSON body of POST, the form Atlassian's RestCrowdClient
// (searchUsersWithAttributes) sends —, paging by start-index / max-results, and the expansions: expand=user
// gives whole user entities, expand=user,attributes each with its attribute list.
import { compileRestriction, CqlError, type Fields, USER_PROPERTIES } from './crowd-cql.ts';
import { intParam, pageSize, type RouteContext } from './reply.ts';
import type { SandboxStore, UserRecord } from './store.ts';

/** Crowd's default and largest max-results for the sandbox (the real ones are not documented). */
export const DEFAULT_MAX_RESULTS = 1000;
export const MAX_RESULTS_CAP = 10_000;

/** One page of `items` per start-index / max-results (clamped to the cap and the sandbox's page knob). */
export function page<T>(ctx: RouteContext, items: T[]): T[] {
  const start = Math.max(0, intParam(ctx.query, 'start-index', 0));
  const size = pageSize(ctx, intParam(ctx.query, 'max-results', DEFAULT_MAX_RESULTS), MAX_RESULTS_CAP);
  return items.slice(start, start + size);
}

const sortedCache = new WeakMap<SandboxStore, { revision: number; users: UserRecord[] }>();

/**
 * Every user of the store in Crowd's order (lower-cased name), sorted once per store revision: a listing
 * paged 1000 at a time must not cost a sort of every user per page (the sandbox is not what is measured).
 */
export function usersByName(store: SandboxStore): UserRecord[] {
  const cached = sortedCache.get(store);
  if (cached && cached.revision === store.revision) return cached.users;
  const keyed = store.users().map((u) => ({ u, k: u.name.toLowerCase() }));
  keyed.sort((a, b) => a.k.localeCompare(b.k));
  const users = keyed.map((x) => x.u);
  sortedCache.set(store, { revision: store.revision, users });
  return users;
}

/** `expand` values of the request, split on commas. */
export function expands(ctx: RouteContext): string[] {
  return ctx.query
    .getAll('expand')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim());
}

/** What a user search expands: whole users (expand=user), and their attribute lists (…,attributes). */
export function userExpansion(ctx: RouteContext): { user: boolean; attributes: boolean } {
  const e = expands(ctx);
  return {
    user: e.some((x) => x === 'user' || x.startsWith('user.')),
    attributes: e.includes('attributes') || e.includes('user.attributes'),
  };
}

/**
 * The user predicate of a search: GET's ?restriction= (CQL; none = null, every user), or POST's
 * SearchRestrictionEntity body. Throws CqlError (answered 400) for what the sandbox does not understand.
 */
export function userRestriction(ctx: RouteContext): ((fields: Fields) => boolean) | null {
  if (ctx.method === 'POST') return entityRestriction(ctx.body);
  const text = ctx.query.get('restriction');
  return text?.trim() ? compileRestriction(text, USER_PROPERTIES) : null;
}

const MATCH_MODES: Record<string, (actual: string, wanted: string) => boolean> = {
  EXACTLY_MATCHES: (a, w) => a === w,
  STARTS_WITH: (a, w) => a.startsWith(w),
  ENDS_WITH: (a, w) => a.endsWith(w),
  CONTAINS: (a, w) => a.includes(w),
};

/**
 * Crowd's SearchRestrictionEntity as JSON: null-search-restriction (everyone), property-search-restriction
 * ({property: {name, type}, match-mode, value}) and boolean-search-restriction ({boolean-logic: and|or,
 * restrictions: […]}). Case-insensitive, as Crowd's matching is.
 */
export function entityRestriction(body: unknown): (fields: Fields) => boolean {
  if (!isRecord(body)) throw new CqlError('the search body must be a search restriction object');
  const type = body['restriction-type'];
  if (type === 'null-search-restriction') return () => true;
  if (type === 'property-search-restriction') {
    const property = isRecord(body.property) ? body.property.name : undefined;
    if (typeof property !== 'string' || !(USER_PROPERTIES as readonly string[]).includes(property))
      throw new CqlError(
        `unknown property ${JSON.stringify(property)} (known: ${USER_PROPERTIES.join(', ')})`,
      );
    const mode = MATCH_MODES[String(body['match-mode'])];
    if (!mode) throw new CqlError(`unsupported match-mode ${JSON.stringify(body['match-mode'])}`);
    const wanted = String(body.value ?? '').toLowerCase();
    return (fields) => mode(String(fields[property] ?? '').toLowerCase(), wanted);
  }
  if (type === 'boolean-search-restriction') {
    const logic = String(body['boolean-logic'] ?? '').toLowerCase();
    if (logic !== 'and' && logic !== 'or')
      throw new CqlError(`boolean-logic must be and or or, got ${JSON.stringify(body['boolean-logic'])}`);
    const parts = Array.isArray(body.restrictions) ? body.restrictions.map(entityRestriction) : [];
    return logic === 'and' ? (f) => parts.every((p) => p(f)) : (f) => parts.some((p) => p(f));
  }
  throw new CqlError(`unknown restriction-type ${JSON.stringify(type)}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
