// Confluence's Person (KnownUser) as the driver reads it: username, userKey, displayName and, with
// ?expand=status, whether the account is enabled. The Person carries no email and no directory.
import { HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';

export interface PersonBean {
  type?: string;
  username?: string;
  userKey?: string;
  displayName?: string;
  /** With ?expand=status; values seen: ACTIVE / DEACTIVATED (spelling and case vary: read loosely). */
  status?: unknown;
}

export interface Person {
  key: string;
  username: string;
  displayName: string;
  active: boolean;
}

const enc = encodeURIComponent;

/** Whether a status value means enabled; anything unrecognised fails the read (never guessed). */
export function isActiveStatus(status: unknown, who: string): boolean {
  const text = typeof status === 'string' ? status.trim() : '';
  if (/^(active|current|enabled)$/i.test(text)) return true;
  if (/deactivat|disabl|inactive/i.test(text)) return false;
  throw new Error(
    `reading user ${who}: status ${JSON.stringify(status ?? null)} (asked with expand=status) is neither active nor deactivated; cannot tell whether the account is enabled`,
  );
}

export function toPerson(bean: PersonBean, where: string): Person {
  if (bean.type === 'anonymous' || !bean.userKey || !bean.username)
    throw new Error(
      `${where}: expected a known user with username and userKey, got ${JSON.stringify(bean).slice(0, 200)}`,
    );
  return {
    key: bean.userKey,
    username: bean.username,
    displayName: bean.displayName ?? bean.username,
    active: isActiveStatus(bean.status, bean.username),
  };
}

/** The user by key (or username when the key is not known), or null when Confluence has no such user. */
export async function readPerson(
  http: HttpClient,
  who: { key: string | null; username: string },
): Promise<Person | null> {
  const query = who.key ? { key: who.key, expand: 'status' } : { username: who.username, expand: 'status' };
  try {
    return toPerson(await http.getJson<PersonBean>('/rest/api/user', query), 'GET /rest/api/user');
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return null;
    throw e;
  }
}

export const adminUserPath = (username: string, action?: 'disable' | 'enable'): string =>
  `/rest/api/admin/user/${enc(username)}${action ? `/${action}` : ''}`;

export const membershipPath = (username: string, group: string): string =>
  `/rest/api/user/${enc(username)}/group/${enc(group)}`;
