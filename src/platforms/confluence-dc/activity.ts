// Login times and emails from GET /rest/api/admin/users/list/active?expand=lastLogin (9.3+, lastLogin from
// 10.2; atlassian-api.md §10): licensed, enabled users who have logged in, each with its email. Whoever is
// absent is a never-logged-in licensed user, or someone the list does not cover (disabled, unlicensed)
// whose activity is unknown. What could not be read is said in the snapshot's activity source.
import { HttpError, paginateConfluence } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { ActivitySource } from '../../model.ts';
import { plural } from '../../plural.ts';
import { ACTIVE_LIST_SINCE, atLeast } from './capabilities.ts';

export interface ActiveEntry {
  /** ISO last login; null = listed without one; undefined = no lastLogin field at all. */
  lastLogin: string | null | undefined;
  email: string | null;
  /** A lastLogin value that is not a date. */
  unreadable?: string;
}

export interface ActiveList {
  /** userKey (or lower-cased username when the entry has no key) → entry; null = the list could not be had. */
  entries: Map<string, ActiveEntry> | null;
  /** Why there is no list (version, 404). */
  missing?: string;
}

interface ActiveBean {
  username?: string;
  userKey?: string;
  email?: unknown;
  emailAddress?: unknown;
  lastLogin?: unknown;
}

const CSV_REMEDY =
  'or export login times from the Confluence database (e.g. cwd_user joined through user_mapping to logininfo.successdate) to a CSV with columns username,last_login and set instance.activity: { source: csv, csv: <file> }.';

function loginTime(value: unknown): { iso: string | null } | { unreadable: string } {
  if (value === null) return { iso: null };
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{10,}$/.test(value.trim())
        ? Number(value)
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  return Number.isFinite(ms) ? { iso: new Date(ms).toISOString() } : { unreadable: JSON.stringify(value) };
}

/**
 * The list, read once more when a user comes back twice: the list is ordered by last login, so someone who
 * logs in while it is paged moves to its end and shifts the pages (one entry would be skipped). A list that
 * keeps moving fails the read.
 */
export async function readActiveList(http: HttpClient, version: readonly number[]): Promise<ActiveList> {
  if (!atLeast(version, ACTIVE_LIST_SINCE))
    return {
      entries: null,
      missing: `Confluence ${version.join('.')} has no admin/users/list/active (it arrived in 9.3)`,
    };
  let moved = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const read = await readOnce(http, version);
    if (!('duplicate' in read)) return read;
    moved = read.duplicate;
  }
  throw new Error(
    `listing active users (GET /rest/api/admin/users/list/active): the list changed while it was paged, in two reads (${moved} came back twice: someone logging in moves to its end); plan again`,
  );
}

async function readOnce(
  http: HttpClient,
  version: readonly number[],
): Promise<ActiveList | { duplicate: string }> {
  const entries = new Map<string, ActiveEntry>();
  try {
    for await (const b of paginateConfluence<ActiveBean>(http, '/rest/api/admin/users/list/active', {
      query: { expand: 'lastLogin' },
      pageSize: 200,
    })) {
      const id = b.userKey ?? b.username?.toLowerCase();
      if (!id) continue;
      if (entries.has(id)) return { duplicate: b.username ?? id };
      const email =
        typeof b.email === 'string' ? b.email : typeof b.emailAddress === 'string' ? b.emailAddress : '';
      const entry: ActiveEntry = { lastLogin: undefined, email: email.trim() || null };
      if ('lastLogin' in b) {
        const t = loginTime(b.lastLogin);
        if ('iso' in t) entry.lastLogin = t.iso;
        else entry.unreadable = t.unreadable;
      }
      entries.set(id, entry);
    }
  } catch (e) {
    // The resource is not there (an older build, a disabled module): activity is unknown, not empty.
    if (e instanceof HttpError && e.status === 404)
      return {
        entries: null,
        missing: `GET /rest/api/admin/users/list/active answered 404 on Confluence ${version.join('.')}`,
      };
    throw e;
  }
  return { entries };
}

/** Whether the list carries login times at all, and the activity source the snapshot reports. */
export function activitySource(
  list: ActiveList,
  version: readonly number[],
  licensedEnabled: number,
): ActivitySource {
  const v = version.join('.');
  if (!list.entries)
    return {
      source: 'none',
      available: false,
      detail: `${list.missing ?? `Confluence ${v} has no list of active users`}, so login times cannot be read over REST`,
      remedy: `Upgrade to Confluence 10.2 or later (admin/users/list/active arrived in 9.3, its lastLogin in 10.2), ${CSV_REMEDY}`,
    };
  const entries = [...list.entries.values()];
  if (entries.length === 0 && licensedEnabled > 0)
    return {
      source: 'admin/users/list/active lastLogin',
      available: false,
      detail: `admin/users/list/active listed nobody although ${plural(licensedEnabled, 'licensed user')} ${licensedEnabled === 1 ? 'is' : 'are'} enabled (the list comes from the search index: is it being rebuilt?)`,
      remedy: `Plan again once the search index is complete (Confluence administration → Content indexing), ${CSV_REMEDY}`,
    };
  // No login time on any entry (absent or null): the list cannot tell logins on this version.
  if (entries.length > 0 && entries.every((e) => !e.lastLogin && !e.unreadable))
    return {
      source: 'admin/users/list/active',
      available: false,
      detail: `Confluence ${v} lists active users without lastLogin${atLeast(version, [10, 2]) ? ' values' : ' (expand=lastLogin is documented from 10.2)'}`,
      remedy: `Upgrade to Confluence 10.2 or later, ${CSV_REMEDY}`,
    };
  const unreadable = entries.filter((e) => e.unreadable);
  return {
    source: 'admin/users/list/active lastLogin',
    available: true,
    ...(unreadable.length > 0
      ? {
          detail: `${plural(unreadable.length, 'lastLogin value')} ${unreadable.length === 1 ? 'is not a date' : 'are not dates'} (e.g. ${unreadable[0]!.unreadable}): activity unknown for ${unreadable.length === 1 ? 'that user' : 'those users'}`,
        }
      : {}),
  };
}
