// Login times and creation dates from Jira acting as a Crowd server (/rest/usermanagement/1, application
// credentials): attribute login.lastLoginMillis of cwd_user_attributes, and the entity's created-date.
import { HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';

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

const iso = (ms: number | undefined) =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;

/**
 * One request per user, bounded by the client's concurrency. A user Crowd does not know (404) gets no entry,
 * so their activity stays unknown; any other failure fails the snapshot (never a silent "never logged in").
 */
export async function readCrowdActivity(
  crowd: HttpClient,
  users: { key: string; name: string }[],
): Promise<CrowdActivity> {
  const out: CrowdActivity = new Map();
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const u = users[next++]!;
      let entity: CrowdUser;
      try {
        entity = await crowd.getJson<CrowdUser>('/rest/usermanagement/1/user', {
          username: u.name,
          expand: 'attributes',
        });
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) continue;
        throw e;
      }
      const attrs = entity.attributes?.attributes ?? [];
      const last = attrs.find((a) => a.name === 'login.lastLoginMillis')?.values[0];
      out.set(u.key, { lastLogin: last ? iso(Number(last)) : null, created: iso(entity['created-date']) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, users.length) }, worker));
  return out;
}
