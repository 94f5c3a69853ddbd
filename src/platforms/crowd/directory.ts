// Crowd Data Center through its usermanagement REST API (atlassian-api.md §5, §10), as an application, plus
// the admin REST API when an administrator's credentials are given (which directory each user is in, what
// the directory allows). Reads the instance into a snapshot and applies changes one at a time.
import type { HttpClient } from '../../http/types.ts';
import type { ActivitySource, AdminSet, Change, Group, Snapshot, User } from '../../model.ts';
import { canonical, compareNames, includesName, uniqueNames } from '../../model/identity.ts';
import type { Directory, LeaseStore, ReadScope } from '../driver.ts';
import { ConfigError } from '../driver.ts';
import type { ApplyOutcome } from '../shared/write-outcomes.ts';
import { readUserDirectories, type UserDirectories } from './admin.ts';
import { CROWD_CAPABILITIES } from './capabilities.ts';
import { activityOf, type CrowdUser, explainXml, isoOf, userId } from './entities.ts';
import { directoryView, type DirectoryView, UNKNOWN_DIRECTORY } from './marks.ts';
import { attributesOf, groupMembers, groupNames, idsByName, listUsers } from './read.ts';
import { applyChange } from './write.ts';
import { crowdLeaseStore } from './lease.ts';

/** Groups whose members administer Crowd (their last active member is protected). */
export const CROWD_ADMIN_GROUPS = ['crowd-administrators'];

export const ACTIVITY_SOURCE =
  'Crowd attributes lastAuthenticated / lastActive (they move only when people authenticate through Crowd)';

export interface CrowdOptions {
  /** The application's client (/rest/usermanagement/1). */
  app: HttpClient;
  /** An administrator's client (/rest/admin/1.0), when ATLASSIAN_USERNAME/PASSWORD are set. */
  admin?: HttpClient;
  /** The administrator's username: the account behind the credentials (an application has none). */
  self?: string;
  scope: ReadScope;
  clock: () => Date;
}

export class CrowdDirectory implements Directory {
  readonly capabilities = CROWD_CAPABILITIES;
  private readonly o: CrowdOptions;

  /** Where applies record their lease: marker groups (src/app/lease.ts). */
  readonly lease: LeaseStore;

  constructor(options: CrowdOptions) {
    this.o = options;
    this.lease = crowdLeaseStore(options.app);
  }

  get clients(): HttpClient[] {
    return this.o.admin ? [this.o.app, this.o.admin] : [this.o.app];
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }

  async snapshot(): Promise<Snapshot> {
    try {
      return await this.read();
    } catch (e) {
      throw explainXml(e);
    }
  }

  private async read(): Promise<Snapshot> {
    const scope = this.o.scope;
    if (scope.directories && !this.o.admin)
      throw new ConfigError(
        `instance.directories (${scope.directories.join(', ')}): reading only the users of these directories needs a Crowd administrator's credentials (ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD): the application API does not say which directory a user is in`,
      );
    // The admin API first: its requests log the administrator in (lastAuthenticated moves), and the listing
    // after it then carries that login, as the store has it once the snapshot is taken.
    const dirs = this.o.admin ? await readUserDirectories(this.o.admin) : null;
    const listed = await listUsers(this.o.app, { attributes: !scope.activityFromCsv });
    const views = new Map<number, DirectoryView>(
      [...(dirs?.directories.values() ?? [])].map((d) => [d.id, directoryView(d)]),
    );
    const viewOf = (u: CrowdUser): DirectoryView | null => {
      if (!dirs) return UNKNOWN_DIRECTORY;
      const id = dirs.byUser.get(canonical(u.name));
      return id === undefined ? null : (views.get(id) ?? null);
    };
    const inScope = listed.filter((u) => {
      if (!scope.directories) return true;
      const v = viewOf(u);
      return v !== null && includesName(scope.directories, v.ref.name);
    });
    const full = scope.activityFromCsv
      ? new Map<string, CrowdUser>()
      : await attributesOf(this.o.app, inScope);
    const ids = idsByName(listed);
    const allGroups = await groupNames(this.o.app);
    const wanted = uniqueNames(
      [...scope.groups, ...CROWD_ADMIN_GROUPS, ...(scope.allGroups ? allGroups : [])].map((n) => n.trim()),
    );
    const groups: Group[] = [];
    const groupsOf = new Map<string, string[]>();
    const membersOf = new Map<string, string[]>();
    for (const name of wanted) {
      const members = await groupMembers(this.o.app, name);
      if (members === null) continue;
      groups.push({ name, readOnly: false });
      const memberIds = members.map((m) => ids.get(canonical(m))).filter((x): x is string => x !== undefined);
      membersOf.set(canonical(name), memberIds);
      for (const id of memberIds) groupsOf.set(id, [...(groupsOf.get(id) ?? []), name]);
    }
    const users = inScope.map((u) => this.user(u, full.get(canonical(u.name)), viewOf(u), groupsOf, dirs));
    const admins: AdminSet[] = CROWD_ADMIN_GROUPS.filter((a) => membersOf.has(canonical(a))).map((a) => ({
      label: `group ${a}`,
      group: a,
      members: membersOf.get(canonical(a)) ?? [],
    }));
    const selfUser = this.o.self
      ? listed.find((u) => canonical(u.name) === canonical(this.o.self!))
      : undefined;
    return {
      formatVersion: 2,
      platform: 'crowd',
      instance: this.o.app.baseUrl,
      takenAt: this.o.clock().toISOString(),
      self: selfUser ? userId(selfUser) : null,
      admins,
      capabilities: this.capabilities,
      activity: this.activitySource(),
      directories: dirs ? [...dirs.directories.values()].map((d) => d.name).sort(compareNames) : null,
      allGroups,
      users: users.sort((a, b) => compareNames(a.name, b.name)),
      groups: groups.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  private user(
    u: CrowdUser,
    full: CrowdUser | undefined,
    view: DirectoryView | null,
    groupsOf: Map<string, string[]>,
    dirs: UserDirectories | null,
  ): User {
    const id = userId(u);
    const activity = full ? activityOf(full) : { known: false, lastActive: null };
    const v = view ?? {
      ...UNKNOWN_DIRECTORY,
      ref: {
        id: 'unknown',
        name: dirs ? 'not in the admin API answer' : UNKNOWN_DIRECTORY.ref.name,
        readOnly: false,
      },
    };
    return {
      id,
      name: u.name,
      email: u.email || null,
      displayName: u['display-name'] || u.name,
      active: u.active,
      lastActive: activity.lastActive,
      activityKnown: activity.known,
      created: isoOf(u['created-date'] ?? full?.['created-date']),
      directory: v.ref,
      groups: (groupsOf.get(id) ?? []).sort(),
      ...(v.readOnly.length > 0 ? { readOnly: v.readOnly } : {}),
      ...(v.notes.length > 0 ? { notes: v.notes } : {}),
    };
  }

  private activitySource(): ActivitySource {
    return { source: ACTIVITY_SOURCE, available: true };
  }

  apply(change: Change): Promise<ApplyOutcome> {
    return applyChange(this.o.app, change);
  }
}
