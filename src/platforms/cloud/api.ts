// The Atlassian Cloud organisation admin API calls the driver makes (atlassian-api.md §1, §10; the shapes
// of the spec-generated jira.js admin module), typed, one method each. Listings use the search POSTs with
// cursor paging — never the deprecated `GET …/users` and `GET …/groups` lists — and fail closed.
import { paginateCloud, paginateCloudSearch } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';

/** The search POSTs only read: plan mode allows them (and the client may repeat them after a 5xx). */
export const SEARCHES = /^\/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/(users|groups)\/search$/;

/** The largest page the driver asks for (the API's default is 50 users and 20 groups). */
export const PAGE = 100;

export interface CloudDirectoryInfo {
  directoryId: string;
  name?: string;
}

export interface ProductAccess {
  /** Product key: `jira-software`, `confluence`, … */
  key?: string;
  /** The product instance (site) id. */
  id?: string;
  /** ISO-8601; absent when the user never used the product. */
  lastActiveTimestamp?: string | null;
}

export interface CloudUser {
  accountId: string;
  accountType?: string;
  /** active | suspended | not_invited | deactivated | for_deletion. */
  status?: string;
  /** active | inactive | closed: the Atlassian account itself. */
  accountStatus?: string;
  /** active | suspended | no_membership. */
  membershipStatus?: string;
  addedToOrg?: string | null;
  name?: string;
  nickname?: string;
  email?: string | null;
  /** invited | synced | null. */
  managementSource?: string | null;
  platformRoles?: string[];
  productAccess?: ProductAccess[];
  groups?: { id: string; name?: string | null }[];
}

export interface CloudGroup {
  id: string;
  name: string;
  directoryId?: string;
  externalSynced?: boolean;
  managementAccess?: { readable?: boolean; modifiable?: boolean; deletable?: boolean };
  managedBy?: string;
}

export interface RoleAssignment {
  resourceId?: string;
  resourceOwner?: string;
  defaultRole?: string | null;
  roles?: string[];
}

/** v1 last-active-dates: one user's activity per product (the fallback: one request per user). */
export interface LastActiveDates {
  product_access?: { id?: string; key?: string; last_active?: string; last_active_timestamp?: string }[];
  added_to_org?: string | null;
  added_to_org_timestamp?: string | null;
}

/** Everything the snapshot needs of a user, in one listing. */
export const USER_EXPAND = ['productAccess', 'groups', 'platformRoles'] as const;

const enc = encodeURIComponent;

export class CloudApi {
  readonly http: HttpClient;
  readonly org: string;

  constructor(http: HttpClient, org: string) {
    this.http = http;
    this.org = org;
  }

  private v2(dir?: string): string {
    const base = `/admin/v2/orgs/${enc(this.org)}`;
    return dir === undefined ? base : `${base}/directories/${enc(dir)}`;
  }

  directories(): AsyncGenerator<CloudDirectoryInfo> {
    return paginateCloud<CloudDirectoryInfo>(this.http, `${this.v2()}/directories`, { pageSize: PAGE });
  }

  /** Users of a directory: `POST …/users/search` with `body` as the filter. */
  users(dir: string, body: Record<string, unknown> = {}): AsyncGenerator<CloudUser> {
    return paginateCloudSearch<CloudUser>(this.http, `${this.v2(dir)}/users/search`, {
      pageSize: PAGE,
      body,
    });
  }

  groups(dir: string, body: Record<string, unknown> = {}): AsyncGenerator<CloudGroup> {
    return paginateCloudSearch<CloudGroup>(this.http, `${this.v2(dir)}/groups/search`, {
      pageSize: PAGE,
      body,
    });
  }

  roleAssignments(dir: string, groupId: string): AsyncGenerator<RoleAssignment> {
    return paginateCloud<RoleAssignment>(
      this.http,
      `${this.v2(dir)}/groups/${enc(groupId)}/role-assignments`,
      { pageSize: PAGE },
    );
  }

  /** One user of a directory with its groups, or null when the directory does not list them. */
  async user(dir: string, accountId: string): Promise<CloudUser | null> {
    for await (const u of this.users(dir, { accountIds: [accountId], expand: ['groups'] }))
      if (u.accountId === accountId) return u;
    return null;
  }

  /** A group of a directory by its exact name (case-insensitive, as Atlassian compares them), or null. */
  async group(dir: string, name: string): Promise<CloudGroup | null> {
    for await (const g of this.groups(dir, { groupNames: [name] }))
      if (g.name.toLowerCase() === name.toLowerCase()) return g;
    return null;
  }

  /** The per-user activity call (v1, not deprecated), every page of it. */
  async lastActiveDates(accountId: string): Promise<LastActiveDates> {
    const path = `/admin/v1/orgs/${enc(this.org)}/directory/users/${enc(accountId)}/last-active-dates`;
    const out: LastActiveDates = { product_access: [] };
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const body = await this.http.getJson<{ data?: LastActiveDates; links?: { next?: string | null } }>(
        path,
        { cursor },
      );
      const data = body?.data ?? {};
      out.product_access!.push(...(data.product_access ?? []));
      out.added_to_org ??= data.added_to_org;
      out.added_to_org_timestamp ??= data.added_to_org_timestamp;
      const next = body?.links?.next;
      if (!next) return out;
      if (next === cursor) throw new Error(`GET ${path}: links.next does not advance`);
      cursor = next;
    }
    throw new Error(`GET ${path}: paging did not end after 100 pages`);
  }

  // Writes. POSTs always carry a JSON body ({} when there is nothing to say): the gateway answers a POST
  // without one 415.

  // Suspending a suspended user, restoring a restored one or adding a member twice changes nothing (the
  // writes read the state first and back after): these POSTs may be repeated after a 5xx or a lost answer.
  suspend(dir: string, accountId: string): Promise<unknown> {
    return this.http.post(`${this.v2(dir)}/users/${enc(accountId)}/suspend`, { body: {}, idempotent: true });
  }

  restore(dir: string, accountId: string): Promise<unknown> {
    return this.http.post(`${this.v2(dir)}/users/${enc(accountId)}/restore`, { body: {}, idempotent: true });
  }

  remove(dir: string, accountId: string): Promise<unknown> {
    return this.http.delete(`${this.v2(dir)}/users/${enc(accountId)}`);
  }

  addMember(dir: string, groupId: string, accountId: string): Promise<unknown> {
    return this.http.post(`${this.v2(dir)}/groups/${enc(groupId)}/memberships`, {
      body: { accountId },
      idempotent: true,
    });
  }

  removeMember(dir: string, groupId: string, accountId: string): Promise<unknown> {
    return this.http.delete(`${this.v2(dir)}/groups/${enc(groupId)}/memberships/${enc(accountId)}`);
  }
}
