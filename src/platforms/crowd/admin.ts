// The directory of each user, from Crowd's admin REST API with an administrator's credentials (the
// application API does not say): POST /rest/admin/1.0/users/search (RestPage of UserData with directory
// {id, displayName, directoryType}), and each directory's allowed operations and attributes from
// GET /rest/admin/1.0/directory/{id} (path and shape ASSUMED: no public reference found; when Crowd does not
// answer it, the directory's permissions are unknown and said so, never guessed).
import { HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { canonical } from '../../model/identity.ts';

export const USERS_SEARCH = '/rest/admin/1.0/users/search';
const PAGE = 1000;
const MAX_PAGES = 10_000;

export interface DirectoryFacts {
  id: number;
  name: string;
  type: string;
  /** Crowd's OperationType values the directory allows; null = could not be read. */
  allowedOperations: string[] | null;
  implementationClass: string | null;
  attributes: Record<string, string>;
  /** Why the details are missing, when they are. */
  unknown?: string;
}

export interface UserDirectories {
  /** Canonical username → directory id. */
  byUser: Map<string, number>;
  directories: Map<number, DirectoryFacts>;
}

interface UserData {
  username?: string;
  directory?: { id?: number; displayName?: string; directoryType?: string };
}

interface RestPage {
  values?: UserData[];
  size?: number;
  start?: number;
  isLastPage?: boolean;
}

/** Every user's directory, page by page; fails closed on any page that is not a RestPage. */
export async function readUserDirectories(admin: HttpClient): Promise<UserDirectories> {
  const byUser = new Map<string, number>();
  const directories = new Map<number, DirectoryFacts>();
  for (let start = 0, pages = 0; ; pages++) {
    if (pages >= MAX_PAGES) throw new Error(`POST ${USERS_SEARCH}: no last page after ${MAX_PAGES} pages`);
    const res = await admin.post<RestPage>(USERS_SEARCH, { query: { start, limit: PAGE }, body: {} });
    const page = res.body;
    if (!page || typeof page !== 'object' || !Array.isArray(page.values))
      throw new Error(
        `POST ${USERS_SEARCH}: expected a page of users ({values, isLastPage}), got ${describe(page)}`,
      );
    for (const u of page.values) {
      const id = u.directory?.id;
      if (!u.username || typeof id !== 'number')
        throw new Error(
          `POST ${USERS_SEARCH}: a user without username or directory id (${JSON.stringify(u).slice(0, 200)})`,
        );
      byUser.set(canonical(u.username), id);
      if (!directories.has(id))
        directories.set(id, {
          id,
          name: u.directory?.displayName ?? String(id),
          type: u.directory?.directoryType ?? 'UNKNOWN',
          allowedOperations: null,
          implementationClass: null,
          attributes: {},
        });
    }
    if (page.isLastPage === true) break;
    if (page.values.length === 0)
      throw new Error(`POST ${USERS_SEARCH}: an empty page at ${start} that is not the last one`);
    start += page.values.length;
  }
  for (const facts of directories.values()) await readDetails(admin, facts);
  return { byUser, directories };
}

interface DirectoryDetails {
  allowedOperations?: unknown;
  implementationClass?: unknown;
  attributes?: unknown;
}

async function readDetails(admin: HttpClient, facts: DirectoryFacts): Promise<void> {
  const path = `/rest/admin/1.0/directory/${facts.id}`;
  let d: DirectoryDetails;
  try {
    d = await admin.getJson<DirectoryDetails>(path);
  } catch (e) {
    if (e instanceof HttpError && (e.status === 404 || e.status === 405)) {
      facts.unknown = `GET ${path} answered ${e.status}: this Crowd does not tell which operations the directory allows`;
      return;
    }
    throw e;
  }
  if (!Array.isArray(d.allowedOperations)) {
    facts.unknown = `GET ${path} named no allowedOperations`;
    return;
  }
  facts.allowedOperations = d.allowedOperations.map(String);
  facts.implementationClass = typeof d.implementationClass === 'string' ? d.implementationClass : null;
  if (d.attributes && typeof d.attributes === 'object')
    for (const [k, v] of Object.entries(d.attributes as Record<string, unknown>))
      facts.attributes[k] = String(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'an empty body';
  return typeof v === 'string' ? `text (${v.slice(0, 80)})` : JSON.stringify(v).slice(0, 120);
}
