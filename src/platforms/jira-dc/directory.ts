// Jira Data Center / Server over REST v2 (atlassian-api.md §2 and the decisions of §9): reads the instance
// into a snapshot and applies changes one at a time.
import { HttpError, paginateArray, paginateCursor, paginateStartAt } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type {
  ActivitySource,
  AdminSet,
  Capabilities,
  Change,
  DirectoryRef,
  Group,
  Snapshot,
  User,
} from '../../model.ts';
import { canonical, compareNames, uniqueNames } from '../../model/identity.ts';
import type { Directory, LeaseStore, ReadScope } from '../driver.ts';
import { type ApplyOutcome, classifyWriteError, notCarriedOut } from '../shared/write-outcomes.ts';
import { type CrowdActivity, readCrowdActivity } from './activity.ts';
import { capabilitiesFor, JIRA_OUTCOMES } from './capabilities.ts';
import { jiraLeaseStore } from './lease.ts';

export interface JiraDcOptions {
  http: HttpClient;
  /** Jira as a Crowd server, with application credentials: login times and creation dates (decision 2). */
  crowd?: HttpClient;
  scope: ReadScope;
  /** Groups that grant administration (their last active member is protected). */
  adminGroups?: string[];
  /** Now, for the snapshot's takenAt. */
  clock: () => Date;
}

interface UserBean {
  key: string;
  name: string;
  emailAddress?: string;
  displayName?: string;
  active: boolean;
  lastLoginTime?: string;
}

interface ServerInfo {
  version?: string;
  versionNumbers?: number[];
}

/** The Jira REST user bean names no directory (§2.5): read-only accounts show up as write errors at apply time. */
const DIRECTORY: DirectoryRef = { id: 'jira', name: 'Jira user directories', readOnly: false };
const DEFAULT_ADMIN_GROUPS = ['jira-administrators', 'jira-system-administrators'];
/** How many group names the group picker is asked for (suggestions for misspelt groups, group counts). */
const PICKER_MAX = 1000;

export class JiraDcDirectory implements Directory {
  private readonly o: JiraDcOptions;
  private version: number[] = [];
  capabilities: Capabilities = capabilitiesFor([]);

  /** Where applies record their lease: marker groups (src/app/lease.ts). */
  readonly lease: LeaseStore;

  /**
   * The active flag of each user (by key) as this connection last read or wrote it: an apply after a snapshot
   * writes without reading each user first (one request per change). A user not in it is read first.
   */
  private readonly activeByKey = new Map<string, boolean>();

  constructor(options: JiraDcOptions) {
    this.o = options;
    this.lease = jiraLeaseStore(options.http);
  }

  get clients(): HttpClient[] {
    return this.o.crowd ? [this.o.http, this.o.crowd] : [this.o.http];
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }

  /** Major.minor of the instance, read once from serverInfo (decision 3). */
  async detectVersion(): Promise<number[]> {
    if (this.version.length) return this.version;
    const info = await this.o.http.getJson<ServerInfo>('/rest/api/2/serverInfo');
    const nums = info.versionNumbers ?? (info.version ?? '').split('.').map(Number);
    if (!nums.length || nums.some((n) => Number.isNaN(n)))
      throw new Error(`reading serverInfo: no version in ${JSON.stringify(info).slice(0, 200)}`);
    this.version = nums;
    this.capabilities = capabilitiesFor(nums);
    return nums;
  }

  private async *listUsers(): AsyncGenerator<UserBean> {
    const [major = 0, minor = 0] = await this.detectVersion();
    if (major > 10 || (major === 10 && minor >= 3)) {
      yield* paginateCursor<UserBean>(this.o.http, '/rest/api/2/user/list', { pageSize: 1000 });
    } else if (major >= 10) {
      throw new Error(
        `listing users of Jira ${this.version.join('.')}: user/search is capped at 100 results on 10.0–10.2 and user/list arrived in 10.3; upgrade to 10.3 LTS or export a snapshot another way`,
      );
    } else {
      yield* paginateArray<UserBean>(this.o.http, '/rest/api/2/user/search', {
        query: { username: '.', includeActive: true, includeInactive: true },
        pageSize: 1000,
      });
    }
  }

  private async groupMembers(name: string): Promise<{ name: string; members: string[] } | null> {
    const members: string[] = [];
    try {
      for await (const m of paginateStartAt<{ key: string; name: string }>(
        this.o.http,
        '/rest/api/2/group/member',
        {
          query: { groupname: name, includeInactiveUsers: true },
          pageSize: 50,
        },
      )) {
        members.push(m.key);
      }
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return null; // the group does not exist
      throw e;
    }
    return { name, members };
  }

  /** Group names of the instance (the only group listing Jira DC has), and how many there are. */
  private async groupNames(): Promise<{ names: string[]; total: number }> {
    const page = await this.o.http.getJson<{ total?: number; groups?: { name: string }[] }>(
      '/rest/api/2/groups/picker',
      { query: '', maxResults: PICKER_MAX },
    );
    const names = (page.groups ?? []).map((g) => g.name);
    return { names, total: typeof page.total === 'number' ? page.total : names.length };
  }

  async snapshot(): Promise<Snapshot> {
    const version = await this.detectVersion();
    const self = await this.o.http.getJson<UserBean>('/rest/api/2/myself');
    const beans: UserBean[] = [];
    const seen = new Set<string>();
    for await (const b of this.listUsers()) {
      if (seen.has(b.key))
        throw new Error(`listing users: user key ${b.key} returned twice; the listing is not reliable`);
      seen.add(b.key);
      beans.push(b);
    }
    this.activeByKey.clear();
    for (const b of beans) this.activeByKey.set(b.key, b.active);
    const all = await this.groupNames();
    // Jira group names are case-insensitive: read each group once, under the first spelling that names it.
    const adminGroups = this.o.adminGroups ?? DEFAULT_ADMIN_GROUPS;
    const wanted = uniqueNames(
      [...this.o.scope.groups, ...adminGroups, ...(this.o.scope.allGroups ? all.names : [])].map((n) =>
        n.trim(),
      ),
    );
    const groups: Group[] = [];
    const groupsOf = new Map<string, string[]>();
    const membersOf = new Map<string, string[]>();
    for (const name of wanted) {
      const g = await this.groupMembers(name);
      if (!g) continue;
      groups.push({ name: g.name, readOnly: false });
      membersOf.set(canonical(g.name), g.members);
      for (const key of g.members) groupsOf.set(key, [...(groupsOf.get(key) ?? []), g.name]);
    }
    const crowd =
      this.o.scope.activityFromCsv || !this.o.crowd ? null : await readCrowdActivity(this.o.crowd, beans);
    const users: User[] = beans.map((b) => {
      const known = b.lastLoginTime
        ? { known: true, lastActive: new Date(b.lastLoginTime).toISOString() }
        : crowd?.has(b.key)
          ? { known: true, lastActive: crowd.get(b.key)!.lastLogin }
          : { known: false, lastActive: null };
      return {
        id: b.key,
        name: b.name,
        email: b.emailAddress || null,
        displayName: b.displayName ?? b.name,
        active: b.active,
        lastActive: known.lastActive,
        activityKnown: known.known,
        created: crowd?.get(b.key)?.created ?? null,
        directory: DIRECTORY,
        groups: (groupsOf.get(b.key) ?? []).sort(),
      };
    });
    const admins: AdminSet[] = adminGroups
      .map((a) => groups.find((g) => canonical(g.name) === canonical(a)))
      .filter((g): g is Group => g !== undefined)
      .map((g) => ({
        label: `group ${g.name}`,
        group: g.name,
        members: membersOf.get(canonical(g.name)) ?? [],
      }));
    return {
      formatVersion: 2,
      platform: 'jira-dc',
      instance: this.o.http.baseUrl,
      version: version.join('.'),
      takenAt: this.o.clock().toISOString(),
      self: self.key,
      admins,
      capabilities: this.capabilities,
      activity: this.activitySource(beans, crowd),
      directories: null,
      allGroups: all.names,
      ...(all.total > all.names.length ? { groupCount: all.total } : {}),
      users: users.sort((a, b) => compareNames(a.name, b.name)),
      groups: groups.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  /** Where login times come from on this instance, and what to set when they cannot be read. */
  private activitySource(beans: UserBean[], crowd: CrowdActivity | null): ActivitySource {
    const v = this.version.join('.');
    if (beans.some((b) => b.lastLoginTime)) return { source: 'user bean lastLoginTime', available: true };
    if (crowd) return { source: 'embedded Crowd login.lastLoginMillis', available: true };
    return {
      source: 'none',
      available: false,
      detail: `Jira ${v} has no login times in its REST user bean, and ATLASSIAN_APP_NAME / ATLASSIAN_APP_PASSWORD (Jira's embedded Crowd) are not set`,
      remedy:
        'Set ATLASSIAN_APP_NAME and ATLASSIAN_APP_PASSWORD to a "Jira User Server" application (Jira administration → User management → Jira user server; allow the runner\'s IP address), or export login times to a CSV and set instance.activity: { source: csv, csv: <file> }.',
    };
  }

  async apply(change: Change): Promise<ApplyOutcome> {
    try {
      return await this.applyOne(change);
    } catch (e) {
      return classifyWriteError(e, JIRA_OUTCOMES, change.kind);
    }
  }

  private async applyOne(change: Change): Promise<ApplyOutcome> {
    const http = this.o.http;
    const byKey = { key: change.userId ?? undefined, username: change.userId ? undefined : change.user };
    switch (change.kind) {
      case 'activate':
      case 'deactivate': {
        // One request per change after a snapshot: the flag this connection read tells whether the PUT is
        // needed, and the PUT answers the user as it now is (checked below); an unknown user is a 404
        // (JIRA_OUTCOMES). A user this connection did not read is read first.
        const want = change.kind === 'activate';
        const known = change.userId ? this.activeByKey.get(change.userId) : undefined;
        if (known === undefined) {
          const current = await this.currentUser(byKey);
          if (!current)
            return { outcome: 'skipped', class: 'not-found', error: `user ${change.user} no longer exists` };
          if (current.active === want) return { outcome: 'already-in-state' };
        } else if (known === want) return { outcome: 'already-in-state' };
        const res = await http.put<UserBean>('/rest/api/2/user', { query: byKey, body: { active: want } });
        // PUT answers the updated user: applied only when it says the flag changed.
        if (res.body && typeof res.body === 'object' && res.body.active !== want)
          return notCarriedOut('the active flag');
        if (change.userId) this.activeByKey.set(change.userId, want);
        return { outcome: 'applied' };
      }
      case 'delete':
        // No read first: a user already gone answers 404, already-in-state (JIRA_OUTCOMES).
        await http.delete('/rest/api/2/user', { query: byKey });
        if (change.userId) this.activeByKey.delete(change.userId);
        return { outcome: 'applied' };
      case 'create-user': {
        const current = await this.currentUser({ username: change.user });
        if (current) return { outcome: 'already-in-state' };
        if (!change.email) return { outcome: 'failed', error: 'creating a user needs an email address' };
        await http.post('/rest/api/2/user', {
          body: { name: change.user, emailAddress: change.email, displayName: change.displayName },
          // A repeat answers 400 "already exists": already-in-state (JIRA_OUTCOMES).
          idempotent: true,
        });
        return { outcome: 'applied' };
      }
      case 'add-member':
        return this.addMember(change.group, change.user);
      case 'remove-member':
        return this.removeMember(change.group, change.user);
      case 'remove-access': {
        const results: ApplyOutcome[] = [];
        for (const g of change.groups)
          results.push(
            await this.removeMember(g, change.user).catch((e: unknown) =>
              classifyWriteError(e, JIRA_OUTCOMES),
            ),
          );
        const failed = results.find((r) => r.outcome === 'failed' || r.outcome === 'skipped');
        if (failed) return failed;
        return { outcome: results.some((r) => r.outcome === 'applied') ? 'applied' : 'already-in-state' };
      }
    }
  }

  private async currentUser(query: { key?: string; username?: string }): Promise<UserBean | null> {
    try {
      return await this.o.http.getJson<UserBean>('/rest/api/2/user', query);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return null;
      throw e;
    }
  }

  private async addMember(group: string, username: string): Promise<ApplyOutcome> {
    try {
      await this.o.http.post('/rest/api/2/group/user', {
        query: { groupname: group },
        body: { name: username },
        // A repeat answers 400 "already a member": already-in-state (JIRA_OUTCOMES).
        idempotent: true,
      });
      return { outcome: 'applied' };
    } catch (e) {
      return classifyWriteError(e, JIRA_OUTCOMES, 'add-member');
    }
  }

  private async removeMember(group: string, username: string): Promise<ApplyOutcome> {
    try {
      await this.o.http.delete('/rest/api/2/group/user', { query: { groupname: group, username } });
      return { outcome: 'applied' };
    } catch (e) {
      // Jira lists members of nested groups too, but removes only direct memberships: a "not a member" answer is
      // already-in-state only when the user is no longer listed at all.
      if (e instanceof HttpError && e.status === 400 && /not a member/i.test(e.detail ?? '')) {
        const still = await this.groupMembers(group);
        const listed = still?.members.length && (await this.currentUser({ username }));
        if (listed && still.members.includes(listed.key)) {
          return {
            outcome: 'skipped',
            class: 'refused',
            error: `${username} is a member of ${group} through a nested group; remove them from that group`,
          };
        }
        return { outcome: 'already-in-state' };
      }
      return classifyWriteError(e, JIRA_OUTCOMES, 'remove-member');
    }
  }
}
