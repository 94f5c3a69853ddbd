// The Bitbucket Data Center REST 1.0 calls the driver makes (atlassian-api.md §4, §10; the DC OpenAPI
// published in @coderabbitai/bitbucket), typed, one method each. Listings page with start/limit until
// isLastPage and fail closed; lookups by name use `filter` (a substring match) and keep the exact name.
import { HttpError, paginateBitbucket } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import { sameName } from '../../model/identity.ts';

const API = '/rest/api/1.0';
/** Bitbucket's largest page. */
const PAGE = 1000;

/** RestDetailedUser (admin/users, group members). */
export interface RestUser {
  name: string;
  emailAddress?: string;
  id: number;
  displayName?: string;
  active?: boolean;
  slug?: string;
  type?: 'NORMAL' | 'SERVICE';
  directoryName?: string;
  deletable?: boolean;
  mutableDetails?: boolean;
  mutableGroups?: boolean;
  /** Epoch ms; absent (or null) when the user never authenticated. */
  lastAuthenticationTimestamp?: number | null;
}

export interface RestGroup {
  name: string;
  deletable?: boolean;
}

export interface UserPermission {
  user: { name: string; id: number };
  permission: string;
}

export interface GroupPermission {
  group: { name: string };
  permission: string;
}

/** Global permissions, lowest first; each implies the ones before it. */
export const GLOBAL_PERMISSIONS = ['LICENSED_USER', 'PROJECT_CREATE', 'ADMIN', 'SYS_ADMIN'] as const;
export const isAdminPermission = (p: string): boolean => p === 'ADMIN' || p === 'SYS_ADMIN';

const notFound = (e: unknown): boolean => e instanceof HttpError && e.status === 404;

export class BitbucketApi {
  readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  /** The version (application-properties) and who the request ran as (X-AUSERNAME), when Bitbucket says. */
  async about(): Promise<{ version: string; username: string | null }> {
    const res = await this.http.get<{ version?: unknown }>(`${API}/application-properties`);
    const version = res.body && typeof res.body === 'object' ? res.body.version : undefined;
    if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version))
      throw new Error(
        `reading application-properties: no version in ${JSON.stringify(res.body).slice(0, 200)}; is the URL a Bitbucket Data Center base URL?`,
      );
    const header = res.headers['x-ausername'];
    const username = (Array.isArray(header) ? header[0] : header) || null;
    return { version, username };
  }

  users(filter?: string): AsyncGenerator<RestUser> {
    return paginateBitbucket<RestUser>(this.http, `${API}/admin/users`, {
      pageSize: PAGE,
      ...(filter ? { query: { filter } } : {}),
    });
  }

  groups(): AsyncGenerator<RestGroup> {
    return paginateBitbucket<RestGroup>(this.http, `${API}/admin/groups`, { pageSize: PAGE });
  }

  members(group: string): AsyncGenerator<RestUser> {
    return paginateBitbucket<RestUser>(this.http, `${API}/admin/groups/more-members`, {
      pageSize: PAGE,
      query: { context: group },
    });
  }

  userPermissions(filter?: string): AsyncGenerator<UserPermission> {
    return paginateBitbucket<UserPermission>(this.http, `${API}/admin/permissions/users`, {
      pageSize: PAGE,
      ...(filter ? { query: { filter } } : {}),
    });
  }

  groupPermissions(): AsyncGenerator<GroupPermission> {
    return paginateBitbucket<GroupPermission>(this.http, `${API}/admin/permissions/groups`, {
      pageSize: PAGE,
    });
  }

  /** Directory names from admin/user-directories, or null when the credentials may not read them. */
  async directories(): Promise<string[] | null> {
    try {
      const body = await this.http.getJson<unknown>(`${API}/admin/user-directories`, {
        includeInactive: true,
        limit: PAGE,
      });
      const list = Array.isArray(body)
        ? body
        : body && typeof body === 'object' && Array.isArray((body as { values?: unknown }).values)
          ? (body as { values: unknown[] }).values
          : [body];
      return list
        .map((d) => (d && typeof d === 'object' ? (d as { name?: unknown }).name : undefined))
        .filter((n): n is string => typeof n === 'string' && n !== '');
    } catch (e) {
      if (e instanceof HttpError && (e.status === 401 || e.status === 403 || e.status === 404)) return null;
      throw e;
    }
  }

  /** The user named exactly `name` (case-insensitive), or null. */
  async findUser(name: string): Promise<RestUser | null> {
    for await (const u of this.users(name)) if (sameName(u.name, name)) return u;
    return null;
  }

  /** Whether `user` is a direct member of `group`; null when the user does not exist. */
  async isMember(user: string, group: string): Promise<boolean | null> {
    try {
      for await (const g of paginateBitbucket<RestGroup>(this.http, `${API}/admin/users/more-members`, {
        pageSize: PAGE,
        query: { context: user, filter: group },
      })) {
        if (sameName(g.name, group)) return true;
      }
      return false;
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  /** The global permission granted to the user directly, or null. */
  async directPermission(user: string): Promise<string | null> {
    for await (const p of this.userPermissions(user)) if (sameName(p.user.name, user)) return p.permission;
    return null;
  }

  addToGroup(user: string, group: string): Promise<unknown> {
    // Adding a member again changes nothing; removing one that is gone answers 404 (already-in-state).
    return this.http.post(`${API}/admin/users/add-groups`, {
      body: { user, groups: [group] },
      idempotent: true,
    });
  }

  /** `context` is the user and `itemName` the group (BSERV-13706: the official example has them reversed). */
  removeFromGroup(user: string, group: string): Promise<unknown> {
    return this.http.post(`${API}/admin/users/remove-group`, {
      body: { context: user, itemName: group },
      idempotent: true,
    });
  }

  deleteUser(name: string): Promise<unknown> {
    return this.http.delete(`${API}/admin/users`, { query: { name } });
  }

  /** Revokes every global permission granted to the user directly. */
  revokeUserPermissions(name: string): Promise<unknown> {
    return this.http.delete(`${API}/admin/permissions/users`, { query: { name } });
  }
}
