// An Atlassian Cloud organisation over its admin API (atlassian-api.md §1, §10): reads the directories the
// policy manages into a snapshot — per directory one users/search listing that carries activity, groups and
// admin roles, one groups/search listing, and the role assignments of the access groups — and applies
// changes one at a time (writes.ts). About `users / 100` requests for the whole organisation.
import { HttpError } from '../../http/index.ts';
import type { HttpClient } from '../../http/types.ts';
import type { Capabilities, Change, Snapshot } from '../../model.ts';
import { canonical, includesName } from '../../model/identity.ts';
import type { Directory, LeaseStore, ReadScope } from '../driver.ts';
import { cloudLeaseStore } from './lease.ts';
import type { ApplyOutcome } from '../shared/write-outcomes.ts';
import { billableProducts, completeActivity } from './activity.ts';
import { CloudApi, type CloudUser, USER_EXPAND } from './api.ts';
import { CLOUD_CAPABILITIES, KEY_HINT } from './capabilities.ts';
import { buildSnapshot, type ListedGroup, type ListedUser } from './snapshot.ts';
import { CloudWrites } from './writes.ts';

export interface CloudOptions {
  http: HttpClient;
  scope: ReadScope;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Per-user activity reads at most (the fallback); default activity.ts FALLBACK_LIMIT. */
  fallbackLimit?: number;
}

export class CloudDirectory implements Directory {
  readonly capabilities: Capabilities = CLOUD_CAPABILITIES;
  private readonly o: CloudOptions;
  private readonly api: CloudApi;
  private readonly writes: CloudWrites;

  /** Where applies record their lease: marker groups (src/app/lease.ts). */
  readonly lease: LeaseStore;

  constructor(options: CloudOptions) {
    this.o = options;
    const org = options.scope.org;
    if (!org) throw new Error('instance.org is not set: the organisation id is required for platform cloud');
    this.api = new CloudApi(options.http, org);
    this.lease = cloudLeaseStore(options.http, org, () => this.directoryIds());
    this.writes = new CloudWrites(this.api, {
      directories: () => this.directoryIds(),
      sleep: options.sleep,
    });
  }

  get clients(): HttpClient[] {
    return [this.o.http];
  }

  close(): Promise<void> {
    return this.o.http.close();
  }

  private chosen: { id: string; name: string }[] | undefined;

  /** The directories the policy manages: `instance.directory` (id or name), else every one the key can read. */
  private async directoryIds(): Promise<{ id: string; name: string }[]> {
    if (this.chosen) return this.chosen;
    const all: { id: string; name: string }[] = [];
    try {
      for await (const d of this.api.directories())
        all.push({ id: d.directoryId, name: d.name || d.directoryId });
    } catch (e) {
      throw explain(e, this.api.org);
    }
    const wanted = this.o.scope.directory;
    const list = (): string => all.map((d) => `${d.name} (${d.id})`).join(', ') || 'none';
    if (wanted === undefined) {
      if (all.length === 0)
        throw new Error(`organisation ${this.api.org}: the API key can read no directory of it`);
      return (this.chosen = all);
    }
    const match = all.filter((d) => d.id === wanted || canonical(d.name) === canonical(wanted));
    if (match.length !== 1)
      throw new Error(
        `instance.directory ${JSON.stringify(wanted)}: ${match.length === 0 ? 'no directory of the organisation has this id or name' : 'several directories have this name; give the id'} (the API key reads: ${list()})`,
      );
    return (this.chosen = match);
  }

  async snapshot(): Promise<Snapshot> {
    try {
      return await this.read();
    } catch (e) {
      throw explain(e, this.api.org);
    }
  }

  private async read(): Promise<Snapshot> {
    const directories = await this.directoryIds();
    const users: ListedUser[] = [];
    const groups: ListedGroup[] = [];
    const seen = new Map<string, string>();
    for (const d of directories) {
      for await (const g of this.api.groups(d.id)) groups.push({ dir: d.id, group: g });
      for await (const u of this.api.users(d.id, { expand: [...USER_EXPAND] })) {
        const where = seen.get(u.accountId);
        if (where !== undefined)
          throw new Error(
            where === d.id
              ? `listing users of directory ${d.name}: account ${u.accountId} returned twice; the listing is not reliable`
              : `account ${u.accountId} is in directories ${directories.find((x) => x.id === where)?.name} and ${d.name}; set instance.directory to manage one directory at a time`,
          );
        seen.set(u.accountId, d.id);
        users.push({ dir: d.id, user: u });
      }
    }
    this.checkGroupNames(groups, directories);
    await this.readGrants(groups);
    const activity = await completeActivity(
      this.api,
      users.map((l) => l.user),
      this.o.fallbackLimit,
    );
    this.writes.remember(users, groups);
    return buildSnapshot(
      { directories, users, groups, unknownActivity: activity.unknown, activity: activity.source },
      this.o.scope,
      {
        instance: `${this.o.http.baseUrl}/admin/v2/orgs/${this.api.org}`,
        takenAt: this.o.clock().toISOString(),
        capabilities: this.capabilities,
      },
    );
  }

  /** A group the policy names must be one group: the same name in two directories is ambiguous. */
  private checkGroupNames(groups: ListedGroup[], directories: { id: string; name: string }[]): void {
    for (const name of this.o.scope.groups) {
      const found = groups.filter((g) => canonical(g.group.name) === canonical(name));
      if (found.length < 2) continue;
      const where = found.map((g) => directories.find((d) => d.id === g.dir)?.name ?? g.dir).join(', ');
      throw new Error(
        `group ${name} exists in several directories (${where}); set instance.directory to manage one directory at a time`,
      );
    }
  }

  /** The products each access group grants a seat in: per-product seats and savings. */
  private async readGrants(groups: ListedGroup[]): Promise<void> {
    for (const g of groups) {
      if (!includesName(this.o.scope.accessGroups, g.group.name)) continue;
      const assignments = [];
      for await (const a of this.api.roleAssignments(g.dir, g.group.id)) assignments.push(a);
      g.grants = billableProducts(assignments);
    }
  }

  apply(change: Change): Promise<ApplyOutcome> {
    return this.writes.apply(change);
  }
}

/** Names what to check when the organisation refuses a read: the org id (404) or the key (403). */
function explain(e: unknown, org: string): unknown {
  if (!(e instanceof HttpError) || e.status === undefined) return e;
  if (e.detail?.includes(KEY_HINT) || e.detail?.includes('instance.org')) return e;
  const detail = e.detail ? `${e.detail}; ` : '';
  if (e.status === 404 && /\/directories$/.test(e.path))
    return new HttpError({
      method: e.method,
      path: e.path,
      status: e.status,
      detail: `${detail}instance.org ${org} is not an organisation this API key belongs to (the id is the UUID in admin.atlassian.com/o/<id>/overview)`,
      cause: e,
    });
  if (e.status === 403)
    return new HttpError({
      method: e.method,
      path: e.path,
      status: e.status,
      detail: `${detail}${KEY_HINT}`,
      cause: e,
    });
  return e;
}

export type { CloudUser };
