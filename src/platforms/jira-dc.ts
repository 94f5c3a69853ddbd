// Jira Data Center / Server over REST v2 (atlassian-api.md §2 and the decisions of §9).
import { HttpError, paginateArray, paginateCursor, paginateStartAt } from '../http/index.ts';
import type { HttpClient } from '../http/types.ts';
import type { Change, DirectoryRef, Group, Snapshot, User } from '../model.ts';
import type { ActivityMap } from './activity-csv.ts';
import { type Activity, type CrowdActivity, readCrowdActivity } from './jira-dc-activity.ts';
import { classifyWriteError } from './outcomes.ts';
import type { ApplyOutcome, Capabilities, DirectoryAdapter } from './types.ts';

export interface JiraDcOptions {
  http: HttpClient;
  /** Jira as a Crowd server, with application credentials: login times and creation dates (decision 2). */
  crowd?: HttpClient;
  /** From `instance.activity: { source: csv }`; wins over every other source. */
  activityCsv?: ActivityMap;
  /** Groups whose memberships the plan needs (named by the policy); others are not read. */
  groups: string[];
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

export class JiraDcAdapter implements DirectoryAdapter {
  readonly platform = 'jira-dc' as const;
  readonly capabilities: Capabilities = { unsupported: {} };
  private readonly o: JiraDcOptions;
  private version: number[] = [];

  constructor(options: JiraDcOptions) {
    this.o = options;
  }

  /** Major.minor of the instance, read once from serverInfo (decision 3). */
  async detectVersion(): Promise<number[]> {
    if (this.version.length) return this.version;
    const info = await this.o.http.getJson<ServerInfo>('/rest/api/2/serverInfo');
    const nums = info.versionNumbers ?? (info.version ?? '').split('.').map(Number);
    if (!nums.length || nums.some((n) => Number.isNaN(n)))
      throw new Error(`reading serverInfo: no version in ${JSON.stringify(info).slice(0, 200)}`);
    this.version = nums;
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

  async snapshot(): Promise<Snapshot> {
    await this.detectVersion();
    const self = await this.o.http.getJson<UserBean>('/rest/api/2/myself');
    const beans: UserBean[] = [];
    const seen = new Set<string>();
    for await (const b of this.listUsers()) {
      if (seen.has(b.key))
        throw new Error(`listing users: user key ${b.key} returned twice; the listing is not reliable`);
      seen.add(b.key);
      beans.push(b);
    }
    // Jira group names are case-insensitive: read each group once, under the first spelling that names it.
    const wanted = new Map<string, string>();
    for (const g of [...this.o.groups, ...(this.o.adminGroups ?? DEFAULT_ADMIN_GROUPS)].map((n) => n.trim()))
      if (!wanted.has(g.toLowerCase())) wanted.set(g.toLowerCase(), g);
    const groups: Group[] = [];
    const groupsOf = new Map<string, string[]>();
    for (const name of wanted.values()) {
      const g = await this.groupMembers(name);
      if (!g) continue;
      groups.push({ name: g.name, readOnly: false });
      for (const key of g.members) groupsOf.set(key, [...(groupsOf.get(key) ?? []), g.name]);
    }
    const crowd = this.o.activityCsv ? null : await this.crowdActivity(beans);
    const users: User[] = beans.map((b) => {
      const a = this.activityOf(b, crowd);
      return {
        id: b.key,
        name: b.name,
        email: b.emailAddress || null,
        displayName: b.displayName ?? b.name,
        active: b.active,
        lastActive: a.lastActive,
        activityKnown: a.known,
        created: crowd?.get(b.key)?.created ?? null,
        directory: DIRECTORY,
        groups: (groupsOf.get(b.key) ?? []).sort(),
      };
    });
    const admins = this.o.adminGroups ?? DEFAULT_ADMIN_GROUPS;
    return {
      formatVersion: 1,
      platform: 'jira-dc',
      instance: this.o.http.baseUrl,
      takenAt: this.o.clock().toISOString(),
      self: self.key,
      adminGroups: admins.filter((a) => groups.some((g) => g.name.toLowerCase() === a.toLowerCase())),
      users: users.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
      groups: groups.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  private async crowdActivity(beans: UserBean[]): Promise<CrowdActivity | null> {
    if (!this.o.crowd) return null;
    return readCrowdActivity(this.o.crowd, beans);
  }

  /** Activity by source: CSV (declared), else the bean's lastLoginTime, else embedded Crowd; otherwise unknown. */
  private activityOf(b: UserBean, crowd: CrowdActivity | null): Activity {
    if (this.o.activityCsv) {
      const v = this.o.activityCsv.get(b.name.toLowerCase());
      return v === undefined ? { known: false, lastActive: null } : { known: true, lastActive: v };
    }
    if (b.lastLoginTime) return { known: true, lastActive: new Date(b.lastLoginTime).toISOString() };
    const c = crowd?.get(b.key);
    if (c) return { known: true, lastActive: c.lastLogin };
    return { known: false, lastActive: null };
  }

  async apply(change: Change): Promise<ApplyOutcome> {
    try {
      return await this.applyOne(change);
    } catch (e) {
      return classifyWriteError(e);
    }
  }

  private async applyOne(change: Change): Promise<ApplyOutcome> {
    const http = this.o.http;
    const byKey = { key: change.userId ?? undefined, username: change.userId ? undefined : change.user };
    switch (change.kind) {
      case 'activate':
      case 'deactivate': {
        const want = change.kind === 'activate';
        const current = await this.currentUser(byKey);
        if (!current) return { outcome: 'skipped', error: `user ${change.user} no longer exists` };
        if (current.active === want) return { outcome: 'already-in-state' };
        await http.put('/rest/api/2/user', { query: byKey, body: { active: want } });
        return { outcome: 'applied' };
      }
      case 'delete': {
        const current = await this.currentUser(byKey);
        if (!current) return { outcome: 'already-in-state' };
        await http.delete('/rest/api/2/user', { query: byKey });
        return { outcome: 'applied' };
      }
      case 'create-user': {
        const current = await this.currentUser({ username: change.user });
        if (current) return { outcome: 'already-in-state' };
        if (!change.email) return { outcome: 'failed', error: 'creating a user needs an email address' };
        await http.post('/rest/api/2/user', {
          body: { name: change.user, emailAddress: change.email, displayName: change.displayName },
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
          results.push(await this.removeMember(g, change.user).catch(classifyWriteError));
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
      });
      return { outcome: 'applied' };
    } catch (e) {
      if (e instanceof HttpError && e.status === 400 && /already a member/i.test(e.detail ?? ''))
        return { outcome: 'already-in-state' };
      throw e;
    }
  }

  private async removeMember(group: string, username: string): Promise<ApplyOutcome> {
    try {
      await this.o.http.delete('/rest/api/2/group/user', { query: { groupname: group, username } });
      return { outcome: 'applied' };
    } catch (e) {
      // 404 on remove (decision 6): the user or the group no longer exists, so neither does the membership.
      if (e instanceof HttpError && e.status === 404 && /does not exist/i.test(e.detail ?? ''))
        return { outcome: 'already-in-state' };
      // Jira lists members of nested groups too, but removes only direct memberships: a "not a member" answer is
      // already-in-state only when the user is no longer listed at all.
      if (e instanceof HttpError && e.status === 400 && /not a member/i.test(e.detail ?? '')) {
        const still = await this.groupMembers(group);
        const listed = still?.members.length && (await this.currentUser({ username }));
        if (listed && still.members.includes(listed.key)) {
          return {
            outcome: 'skipped',
            error: `${username} is a member of ${group} through a nested group; remove them from that group`,
          };
        }
        return { outcome: 'already-in-state' };
      }
      throw e;
    }
  }
}
