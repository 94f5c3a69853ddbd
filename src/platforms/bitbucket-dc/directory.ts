// Bitbucket Data Center / Server over REST 1.0 (atlassian-api.md §4, §10): reads the instance into a
// snapshot (users, groups, memberships, global permissions, directories) and applies changes one at a time.
import { collect, HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { Capabilities, Change, Snapshot } from '../../model.ts';
import type { Directory, LeaseStore, ReadScope } from '../driver.ts';
import type { ApplyOutcome } from '../shared/write-outcomes.ts';
import { BitbucketApi, type RestUser } from './api.ts';
import { BITBUCKET_CAPABILITIES } from './capabilities.ts';
import { buildSnapshot, groupsToRead } from './snapshot.ts';
import { addMember, deleteUser, removeAccess, removeMember } from './writes.ts';
import { bitbucketLeaseStore } from './lease.ts';

export interface BitbucketDcOptions {
  http: HttpClient;
  scope: ReadScope;
  /** The Basic username, when the credentials are a password: who the account is if Bitbucket does not say. */
  username?: string;
  clock: () => Date;
}

export class BitbucketDcDirectory implements Directory {
  readonly capabilities: Capabilities = BITBUCKET_CAPABILITIES;
  private readonly o: BitbucketDcOptions;
  private readonly api: BitbucketApi;

  /** Where applies record their lease: marker groups (src/app/lease.ts). */
  readonly lease: LeaseStore;

  constructor(options: BitbucketDcOptions) {
    this.o = options;
    this.lease = bitbucketLeaseStore(options.http);
    this.api = new BitbucketApi(options.http);
  }

  get clients(): HttpClient[] {
    return [this.o.http];
  }

  close(): Promise<void> {
    return this.o.http.close();
  }

  async snapshot(): Promise<Snapshot> {
    const about = await this.api.about();
    const self = about.username ?? this.o.username;
    if (!self)
      throw new Error(
        'reading application-properties: Bitbucket did not name the account behind the token (no X-AUSERNAME header), so it could not be protected; use ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD instead',
      );
    const users: RestUser[] = [];
    const seen = new Set<number>();
    for await (const u of this.api.users()) {
      if (seen.has(u.id))
        throw new Error(`listing users: user id ${u.id} returned twice; the listing is not reliable`);
      seen.add(u.id);
      users.push(u);
    }
    const groups = await collect(this.api.groups());
    const userPermissions = await collect(this.api.userPermissions()).catch(needsAdmin);
    const groupPermissions = await collect(this.api.groupPermissions()).catch(needsAdmin);
    const members = new Map<string, number[]>();
    for (const group of groupsToRead(this.o.scope, groups, groupPermissions)) {
      const ids: number[] = [];
      for await (const m of this.api.members(group)) ids.push(m.id);
      members.set(group, ids);
    }
    const directories = await this.api.directories();
    return buildSnapshot(
      {
        version: about.version,
        self,
        users,
        groups,
        members,
        userPermissions,
        groupPermissions,
        directories,
      },
      this.o.scope,
      {
        instance: this.o.http.baseUrl,
        takenAt: this.o.clock().toISOString(),
        capabilities: this.capabilities,
      },
    );
  }

  async apply(change: Change): Promise<ApplyOutcome> {
    switch (change.kind) {
      case 'delete':
        return deleteUser(this.api, change);
      case 'add-member':
        return addMember(this.api, change.user, change.group);
      case 'remove-member':
        return removeMember(this.api, change.user, change.group);
      case 'remove-access':
        return removeAccess(this.api, change);
      case 'activate':
      case 'deactivate':
      case 'create-user': {
        const c = this.capabilities[change.kind];
        return {
          outcome: 'skipped',
          error: `unsupported: ${c.supported ? c.operation : c.reason}`,
        };
      }
    }
  }
}

/** The permission listings need ADMIN: without them administrators could not be protected. */
function needsAdmin(e: unknown): never {
  if (e instanceof HttpError && (e.status === 401 || e.status === 403))
    throw new Error(
      `${e.message} — reading global permissions needs the ADMIN (or SYS_ADMIN) permission: without them administrators cannot be protected`,
      { cause: e },
    );
  throw e;
}
