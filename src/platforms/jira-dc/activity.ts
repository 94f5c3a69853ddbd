// Login times and creation dates from Jira acting as a Crowd server (/rest/usermanagement/1, application
// credentials): attribute login.lastLoginMillis of cwd_user_attributes, and the entity's created-date.
// In bulk first: Crowd's user search with expand=user,attributes (what Atlassian's RestCrowdClient
// .searchUsersWithAttributes reads), 1000 users a request; then one GET /user?expand=attributes per user
// only for the users the search did not return, or returned without their attribute list.
import { HttpError, paginateCrowd } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { canonical } from '../../model/identity.ts';

export interface Activity {
  known: boolean;
  lastActive: string | null;
}

/** user key → last login (null = never logged in) and creation date. */
export type CrowdActivity = Map<string, { lastLogin: string | null; created: string | null }>;

interface CrowdUser {
  name: string;
  'created-date'?: number;
  attributes?: { attributes?: { name: string; values: string[] }[] };
}

const UM = '/rest/usermanagement/1';
const PAGE = 1000;
const WORKERS = 8;

/**
 * Statuses that say the search resource itself is not served (an older embedded Crowd, a proxy that passes
 * only /user): the per-user reads still work, so every user is read that way. Any other failure of the
 * search fails the snapshot, as a failed per-user read does.
 */
const SEARCH_NOT_SERVED = new Set([404, 405, 501]);

const iso = (ms: number | undefined) =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;

function activityOf(entity: CrowdUser): { lastLogin: string | null; created: string | null } {
  const attrs = entity.attributes?.attributes ?? [];
  const last = attrs.find((a) => a.name === 'login.lastLoginMillis')?.values[0];
  return { lastLogin: last ? iso(Number(last)) : null, created: iso(entity['created-date']) };
}

/**
 * Login times of `users` (Jira's user beans): the bulk search, then per-user reads for the rest. A user
 * Crowd does not know (404) gets no entry, so their activity stays unknown; any other failure fails the
 * snapshot (never a silent "never logged in").
 */
export async function readCrowdActivity(
  crowd: HttpClient,
  users: { key: string; name: string }[],
): Promise<CrowdActivity> {
  const out: CrowdActivity = new Map();
  const listed = await searchWithAttributes(crowd);
  const rest: { key: string; name: string }[] = [];
  for (const u of users) {
    const entity = listed?.get(canonical(u.name));
    if (entity) out.set(u.key, activityOf(entity));
    else rest.push(u);
  }
  for (const [key, activity] of await readEach(crowd, rest)) out.set(key, activity);
  return out;
}

/**
 * Every user the embedded Crowd lists with its attribute list, by canonical username; entries without one
 * (the server ignored expand=attributes) are left out, to be read one by one. null = no search resource.
 */
async function searchWithAttributes(crowd: HttpClient): Promise<Map<string, CrowdUser> | null> {
  const byName = new Map<string, CrowdUser>();
  const seen = new Set<string>();
  try {
    for await (const u of paginateCrowd<CrowdUser>(crowd, `${UM}/search`, {
      query: { 'entity-type': 'user', expand: 'user,attributes' },
      pageSize: PAGE,
    })) {
      if (typeof u?.name !== 'string')
        throw new Error(
          `listing login times: an entry without a name (${JSON.stringify(u).slice(0, 200)}); was expand=user ignored?`,
        );
      const name = canonical(u.name);
      if (seen.has(name))
        throw new Error(`listing login times: ${u.name} returned twice; the listing is not reliable`);
      seen.add(name);
      if (Array.isArray(u.attributes?.attributes)) byName.set(name, u);
    }
  } catch (e) {
    if (e instanceof HttpError && e.status !== undefined && SEARCH_NOT_SERVED.has(e.status)) return null;
    throw e;
  }
  return byName;
}

/** One request per user, bounded (WORKERS at a time); a 404 leaves the user out. */
async function readEach(crowd: HttpClient, users: { key: string; name: string }[]): Promise<CrowdActivity> {
  const out: CrowdActivity = new Map();
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const u = users[next++]!;
      let entity: CrowdUser;
      try {
        entity = await crowd.getJson<CrowdUser>(`${UM}/user`, { username: u.name, expand: 'attributes' });
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) continue;
        throw e;
      }
      out.set(u.key, activityOf(entity));
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKERS, users.length) }, worker));
  return out;
}
