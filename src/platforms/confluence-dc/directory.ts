// Confluence Data Center / Server over REST (atlassian-api.md §3, §10): reads the instance into a snapshot
// and applies changes one at a time (writes.ts).
import { HttpError, paginateConfluence } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { AdminSet, Capabilities, Change, DirectoryRef, Group, Snapshot, User } from '../../model.ts';
import { canonical, compareNames, includesName, uniqueNames } from '../../model/identity.ts';
import type { Directory, LeaseStore, ReadScope } from '../driver.ts';
import type { ApplyOutcome } from '../shared/write-outcomes.ts';
import { activitySource, type ActiveEntry, readActiveList } from './activity.ts';
import { atLeast, capabilitiesFor, USER_LIST_SINCE } from './capabilities.ts';
import type { TaskWait } from './longtask.ts';
import { type Person, type PersonBean, toPerson } from './people.ts';
import { readConfluenceVersion } from './version.ts';
import { applyChange } from './writes.ts';
import { confluenceLeaseStore } from './lease.ts';

export const ADMIN_GROUP = 'confluence-administrators';
/** The group that grants "Can use" on a fresh Confluence: licensed users when the policy names no access groups. */
export const DEFAULT_ACCESS_GROUP = 'confluence-users';

/** The Person names no directory: read-only accounts show up when a write is read back unchanged. */
const DIRECTORY: DirectoryRef = { id: 'confluence', name: 'Confluence user directories', readOnly: false };

export interface ConfluenceDcOptions {
  http: HttpClient;
  scope: ReadScope;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** How long a deletion's long task is waited for. */
  taskWait?: TaskWait;
}

export class ConfluenceDcDirectory implements Directory {
  private readonly o: ConfluenceDcOptions;
  private version: number[] = [];
  capabilities: Capabilities = capabilitiesFor([]);

  /** Where applies record their lease: marker groups (src/app/lease.ts). */
  readonly lease: LeaseStore;

  constructor(options: ConfluenceDcOptions) {
    this.o = options;
    this.lease = confluenceLeaseStore(options.http);
  }

  get clients(): HttpClient[] {
    return [this.o.http];
  }

  async close(): Promise<void> {
    await this.o.http.close();
  }

  async detectVersion(): Promise<number[]> {
    if (this.version.length) return this.version;
    this.version = await readConfluenceVersion(this.o.http);
    this.capabilities = capabilitiesFor(this.version);
    return this.version;
  }

  /** The groups whose seats count as licences: the policy's access groups, else confluence-users. */
  private licensedGroups(): string[] {
    return this.o.scope.accessGroups.length > 0 ? this.o.scope.accessGroups : [DEFAULT_ACCESS_GROUP];
  }

  private async members(name: string): Promise<string[] | null> {
    const keys: string[] = [];
    try {
      for await (const p of paginateConfluence<PersonBean>(
        this.o.http,
        `/rest/api/group/${encodeURIComponent(name)}/member`,
        { pageSize: 200 },
      ))
        if (p.userKey) keys.push(p.userKey);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return null; // gone since the group listing
      throw e;
    }
    return keys;
  }

  async snapshot(): Promise<Snapshot> {
    const version = await this.detectVersion();
    const v = version.join('.');
    if (!atLeast(version, USER_LIST_SINCE))
      throw new Error(
        `listing users of Confluence ${v}: GET /rest/api/user/list arrived in 8.4; upgrade to 8.4 or later`,
      );
    const self = toPerson(
      { ...(await this.o.http.getJson<PersonBean>('/rest/api/user/current')), status: 'active' },
      'GET /rest/api/user/current (the account behind the credentials; anonymous means they were not accepted)',
    );
    const people: Person[] = [];
    const seen = new Set<string>();
    for await (const b of paginateConfluence<PersonBean>(this.o.http, '/rest/api/user/list', {
      query: { expand: 'status' },
      pageSize: 200,
    })) {
      const p = toPerson(b, 'GET /rest/api/user/list');
      if (seen.has(p.key))
        throw new Error(`listing users: user key ${p.key} returned twice; the listing is not reliable`);
      seen.add(p.key);
      people.push(p);
    }
    const allGroups: string[] = [];
    for await (const g of paginateConfluence<{ name: string }>(this.o.http, '/rest/api/group', {
      pageSize: 200,
    }))
      allGroups.push(g.name);

    const licensed = this.licensedGroups();
    const wanted = uniqueNames(
      [...this.o.scope.groups, ...licensed, ADMIN_GROUP, ...(this.o.scope.allGroups ? allGroups : [])].map(
        (n) => n.trim(),
      ),
    );
    const groups: Group[] = [];
    const membersOf = new Map<string, string[]>();
    const groupsOf = new Map<string, string[]>();
    for (const asked of wanted) {
      const name = allGroups.find((g) => canonical(g) === canonical(asked));
      if (!name) continue;
      const keys = await this.members(name);
      if (!keys) continue;
      groups.push({ name, readOnly: false });
      membersOf.set(canonical(name), keys);
      for (const key of keys) groupsOf.set(key, [...(groupsOf.get(key) ?? []), name]);
    }

    const list = await readActiveList(this.o.http, version);
    const isLicensed = (key: string) => (groupsOf.get(key) ?? []).some((g) => includesName(licensed, g));
    const licensedEnabled = people.filter((p) => p.active && isLicensed(p.key)).length;
    const activity = activitySource(list, version, licensedEnabled);
    const entryOf = (p: Person): ActiveEntry | undefined =>
      list.entries?.get(p.key) ?? list.entries?.get(p.username.toLowerCase());

    const users: User[] = people.map((p) => {
      const entry = entryOf(p);
      const known = ((): { activityKnown: boolean; lastActive: string | null } => {
        if (!activity.available) return { activityKnown: false, lastActive: null };
        if (entry) {
          if (entry.unreadable) return { activityKnown: false, lastActive: null };
          return { activityKnown: true, lastActive: entry.lastLogin ?? null };
        }
        // Absent from the list of licensed active users: never logged in if licensed and enabled, else unknown.
        return p.active && isLicensed(p.key)
          ? { activityKnown: true, lastActive: null }
          : { activityKnown: false, lastActive: null };
      })();
      const member = (groupsOf.get(p.key) ?? []).sort();
      return {
        id: p.key,
        name: p.username,
        email: entry?.email ?? null,
        displayName: p.displayName,
        active: p.active,
        ...known,
        created: null,
        directory: DIRECTORY,
        groups: member,
      };
    });

    const admins: AdminSet[] = groups
      .filter((g) => canonical(g.name) === canonical(ADMIN_GROUP))
      .map((g) => ({
        label: `group ${g.name}`,
        group: g.name,
        members: membersOf.get(canonical(g.name)) ?? [],
      }));

    return {
      formatVersion: 2,
      platform: 'confluence-dc',
      instance: this.o.http.baseUrl,
      version: v,
      takenAt: this.o.clock().toISOString(),
      self: self.key,
      admins,
      capabilities: this.capabilities,
      activity,
      directories: null,
      allGroups,
      users: users.sort((a, b) => compareNames(a.name, b.name)),
      groups: groups.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  async apply(change: Change): Promise<ApplyOutcome> {
    return applyChange({ http: this.o.http, sleep: this.o.sleep, taskWait: this.o.taskWait }, change);
  }
}
