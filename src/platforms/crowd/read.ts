// Reading Crowd into a snapshot: the users the application sees with their attributes (search, paged,
// expand=user,attributes — how Atlassian's RestCrowdClient.searchUsersWithAttributes reads them), one GET
// /user?expand=attributes per user only for entries the search answered without attributes (bounded), the
// memberships of the groups the plan needs, the group names, and — with an administrator's credentials —
// each user's directory.
import { HttpError, paginateCrowd } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { canonical } from '../../model/identity.ts';
import { type CrowdUser, UM, userId } from './entities.ts';

const PAGE = 1000;
const WORKERS = 8;

/** Every user the application sees; with `attributes`, each entry asks for its attribute list too. */
export async function listUsers(app: HttpClient, o: { attributes?: boolean } = {}): Promise<CrowdUser[]> {
  const users: CrowdUser[] = [];
  const seen = new Set<string>();
  for await (const u of paginateCrowd<CrowdUser>(app, `${UM}/search`, {
    query: { 'entity-type': 'user', expand: o.attributes ? 'user,attributes' : 'user' },
    pageSize: PAGE,
  })) {
    if (typeof u?.name !== 'string' || typeof u.active !== 'boolean')
      throw new Error(
        `listing users: an entry without name or active flag (${JSON.stringify(u).slice(0, 200)}); was expand=user ignored?`,
      );
    const key = canonical(u.name);
    if (seen.has(key))
      throw new Error(`listing users: ${u.name} returned twice; the listing is not reliable`);
    seen.add(key);
    users.push(u);
  }
  return users;
}

/**
 * Each user with its attributes, by username; a user gone since the listing (404) is left out (its
 * activity stays unknown); any other failure fails the snapshot.
 */
export async function readAttributes(app: HttpClient, users: CrowdUser[]): Promise<Map<string, CrowdUser>> {
  const out = new Map<string, CrowdUser>();
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const u = users[next++]!;
      try {
        const full = await app.getJson<CrowdUser>(`${UM}/user`, { username: u.name, expand: 'attributes' });
        out.set(canonical(u.name), full);
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) continue;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKERS, users.length) }, worker));
  return out;
}

/** Whether a listed entry carries its attribute list (the server honoured expand=attributes). */
export const hasAttributes = (u: CrowdUser): boolean => Array.isArray(u.attributes?.attributes);

/**
 * Each user with its attributes, by username: the listed entry where it carries them, else one GET per user
 * (readAttributes) — a server that ignores expand=attributes on search costs what it did before.
 */
export async function attributesOf(app: HttpClient, users: CrowdUser[]): Promise<Map<string, CrowdUser>> {
  const out = new Map<string, CrowdUser>();
  const missing: CrowdUser[] = [];
  for (const u of users) {
    if (hasAttributes(u)) out.set(canonical(u.name), u);
    else missing.push(u);
  }
  for (const [name, full] of await readAttributes(app, missing)) out.set(name, full);
  return out;
}

/** Direct members (usernames) of a group, or null when the application sees no such group. */
export async function groupMembers(app: HttpClient, group: string): Promise<string[] | null> {
  const names: string[] = [];
  try {
    for await (const m of paginateCrowd<{ name: string }>(app, `${UM}/group/user/direct`, {
      query: { groupname: group },
      pageSize: PAGE,
    }))
      names.push(m.name);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return null;
    throw e;
  }
  return names;
}

/** The names of every group the application sees. */
export async function groupNames(app: HttpClient): Promise<string[]> {
  const names: string[] = [];
  for await (const g of paginateCrowd<{ name: string }>(app, `${UM}/search`, {
    query: { 'entity-type': 'group' },
    pageSize: PAGE,
    itemsKey: 'groups',
  }))
    names.push(g.name);
  return names;
}

/** username (canonical) → id, for turning member lists into ids. */
export function idsByName(users: CrowdUser[]): Map<string, string> {
  return new Map(users.map((u) => [canonical(u.name), userId(u)]));
}
