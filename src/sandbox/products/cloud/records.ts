// The organisation beside the directory, kept as a store extension: its id, each directory's and group's
// id, the products and which groups grant a seat in them, each user's activity per product, platform roles,
// account status and type, and removals still in progress. Users are the store's (their key is the account
// id); a suspended user is a store user with active false.
import { createHash } from 'node:crypto';
import type { Scenario, ScenarioCloud } from '../../scenario.ts';
import type { DirectoryRecord, GroupRecord, SandboxStore, StoreExtension, UserRecord } from '../../store.ts';
import {
  CLOUD_ORG_ID,
  CLOUD_ORG_NAME,
  DEFAULT_GRANTS,
  DEFAULT_PRODUCTS,
  ORG_ADMIN,
  ORG_ADMINS_GROUP,
  SITE_ADMIN,
  SITE_ADMINS_GROUP,
} from './names.ts';

const EXTENSION = 'cloud';
const lower = (s: string): string => s.toLowerCase();

/** A UUID-shaped id from a text, stable across runs. */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id the organisation gives a store directory (deterministic, for tests that name paths). */
export function cloudDirectoryId(orgId: string, storeDirectoryId: number): string {
  return uuidOf(`directory:${orgId}:${storeDirectoryId}`);
}

/** The organisation's account id style: 24 hex digits. */
export function accountIdOf(id: number): string {
  return `5b10a2844c2016570${id.toString(16).padStart(7, '0')}`;
}

export class CloudRecords implements StoreExtension {
  readonly orgId: string;
  readonly orgName: string;
  readonly products: string[];
  private readonly store: SandboxStore;
  private readonly scenario: ScenarioCloud;
  /** lower-cased group name → the group's spelling and the products it grants. */
  private readonly grantsByGroup = new Map<string, { group: string; products: string[] }>();
  private readonly activity = new Map<number, Map<string, string | null>>();
  private readonly roles = new Map<number, string[]>();
  private readonly accountStatus = new Map<number, 'inactive' | 'closed'>();
  private readonly apps = new Set<number>();
  private readonly fixed = new Set<string>();
  /** user id → users/search answers that still list the removed user. */
  private readonly removing = new Map<number, number>();

  constructor(store: SandboxStore, scenario: ScenarioCloud = {}) {
    this.store = store;
    this.scenario = scenario;
    this.orgId = scenario.org?.id ?? CLOUD_ORG_ID;
    this.orgName = scenario.org?.name ?? CLOUD_ORG_NAME;
    this.products = scenario.products ?? DEFAULT_PRODUCTS;
    for (const [group, products] of Object.entries(scenario.grants ?? DEFAULT_GRANTS))
      this.grantsByGroup.set(lower(group), { group, products: [...products] });
    const user = (name: string, where: string): UserRecord => {
      const u = store.userByName(name);
      if (!u) throw new Error(`scenario cloud.${where}: no user named ${name}`);
      return u;
    };
    for (const [name, products] of Object.entries(scenario.activity ?? {}))
      this.activity.set(user(name, 'activity').id, new Map(Object.entries(products)));
    for (const [name, roles] of Object.entries(scenario.roles ?? {}))
      this.roles.set(user(name, 'roles').id, [...roles]);
    for (const [name, status] of Object.entries(scenario.accountStatus ?? {}))
      this.accountStatus.set(user(name, 'accountStatus').id, status);
    for (const name of scenario.apps ?? []) this.apps.add(user(name, 'apps').id);
    for (const g of scenario.fixedGroups ?? []) this.fixed.add(lower(g));
  }

  directoryId(d: DirectoryRecord | number): string {
    return cloudDirectoryId(this.orgId, typeof d === 'number' ? d : d.id);
  }

  directoryById(id: string): DirectoryRecord | undefined {
    return this.store.directories.find((d) => this.directoryId(d) === id);
  }

  groupId(g: GroupRecord | string): string {
    return uuidOf(`group:${this.orgId}:${lower(typeof g === 'string' ? g : g.name)}`);
  }

  groupById(id: string): GroupRecord | undefined {
    return this.store.groups().find((g) => this.groupId(g) === id);
  }

  siteId(product: string): string {
    return uuidOf(`site:${this.orgId}:${product}`);
  }

  /** Users of an identity provider's directory (a read-only one) are synced; the others invited. */
  synced(user: UserRecord): boolean {
    return this.store.directory(user.directoryId)?.readOnly ?? false;
  }

  groupSynced(group: GroupRecord): boolean {
    return this.store.directory(group.directoryId)?.readOnly ?? false;
  }

  groupModifiable(group: GroupRecord): boolean {
    return !this.groupSynced(group) && !this.fixed.has(lower(group.name));
  }

  /** Makes a group's members unchangeable (managementAccess.modifiable false), or changeable again. */
  setFixed(group: string, fixed: boolean): void {
    this.store.revision++;
    if (fixed) this.fixed.add(lower(group));
    else this.fixed.delete(lower(group));
  }

  /** Products a group's members hold a billable seat in. */
  grants(group: GroupRecord): string[] {
    return this.grantsByGroup.get(lower(group.name))?.products ?? [];
  }

  /** Product → last active (null: never used), for the products the user has a record in. */
  activityOf(user: UserRecord): [string, string | null][] {
    const explicit = this.activity.get(user.id);
    if (explicit) return [...explicit.entries()];
    return user.lastLogin ? [[this.products[0] ?? 'jira-software', user.lastLogin]] : [];
  }

  setActivity(user: UserRecord, product: string, at: string | null): void {
    const map = this.activity.get(user.id) ?? new Map(this.activityOf(user));
    map.set(product, at);
    this.activity.set(user.id, map);
  }

  rolesOf(user: UserRecord): string[] {
    const roles = new Set(this.roles.get(user.id) ?? []);
    if (this.store.isDirectMember(ORG_ADMINS_GROUP, user)) roles.add(ORG_ADMIN);
    if (this.store.isDirectMember(SITE_ADMINS_GROUP, user)) roles.add(SITE_ADMIN);
    return [...roles].sort();
  }

  accountStatusOf(user: UserRecord): 'active' | 'inactive' | 'closed' {
    return this.accountStatus.get(user.id) ?? 'active';
  }

  isApp(user: UserRecord): boolean {
    return this.apps.has(user.id);
  }

  /** Starts removing a user: gone at once, or after `lag` more listings that still show them. */
  remove(user: UserRecord, lag: number): void {
    if (lag > 0) this.removing.set(user.id, lag);
    else this.forget(user);
  }

  isRemoving(user: UserRecord): boolean {
    return this.removing.has(user.id);
  }

  /** A listing showed the user: one answer fewer until the removal is done. */
  listed(user: UserRecord): void {
    const left = this.removing.get(user.id);
    if (left === undefined) return;
    if (left <= 1) this.forget(user);
    else this.removing.set(user.id, left - 1);
  }

  private forget(user: UserRecord): void {
    this.removing.delete(user.id);
    this.activity.delete(user.id);
    this.roles.delete(user.id);
    this.accountStatus.delete(user.id);
    this.apps.delete(user.id);
    this.store.deleteUser(user);
  }

  toScenario(): Partial<Scenario> {
    const byName = <T>(m: Map<number, T>): Record<string, T> => {
      const out: Record<string, T> = {};
      for (const u of this.store.users()) if (m.has(u.id)) out[u.name] = m.get(u.id)!;
      return out;
    };
    const activity: Record<string, Record<string, string | null>> = {};
    for (const [name, m] of Object.entries(byName(this.activity))) activity[name] = Object.fromEntries(m);
    return {
      cloud: {
        ...this.scenario,
        org: { id: this.orgId, name: this.orgName },
        products: [...this.products],
        grants: Object.fromEntries([...this.grantsByGroup.values()].map((g) => [g.group, g.products])),
        activity,
        roles: byName(this.roles),
        accountStatus: byName(this.accountStatus),
        apps: this.store
          .users()
          .filter((u) => this.apps.has(u.id))
          .map((u) => u.name),
      },
    };
  }
}

export function attachCloudRecords(store: SandboxStore, scenario: Scenario): CloudRecords {
  const records = new CloudRecords(store, scenario.cloud);
  store.attach(EXTENSION, records);
  return records;
}

export function cloudRecords(store: SandboxStore): CloudRecords {
  const records = store.extension<CloudRecords>(EXTENSION);
  if (!records) throw new Error('the store has no Cloud organisation records');
  return records;
}
