// Bitbucket's own records beside the directory: global permissions (granted to users directly or to groups;
// LICENSED_USER < PROJECT_CREATE < ADMIN < SYS_ADMIN, each implying the ones before) and which accounts are
// of type SERVICE. Kept as a store extension so they travel with the scenario and lose a group when it goes.
import type { Scenario, ScenarioGlobalPermission } from '../../scenario.ts';
import type { SandboxStore, StoreExtension, UserRecord } from '../../store.ts';
import { STASH_USERS_GROUP, SYS_ADMINS_GROUP } from './names.ts';

export type GlobalPermission = ScenarioGlobalPermission;
export const GLOBAL_PERMISSIONS: readonly GlobalPermission[] = [
  'LICENSED_USER',
  'PROJECT_CREATE',
  'ADMIN',
  'SYS_ADMIN',
];

export function isGlobalPermission(value: unknown): value is GlobalPermission {
  return typeof value === 'string' && (GLOBAL_PERMISSIONS as readonly string[]).includes(value);
}

/** 0 = no global permission (cannot even log in), 4 = SYS_ADMIN. */
export function rank(permission: GlobalPermission | null | undefined): number {
  return permission ? GLOBAL_PERMISSIONS.indexOf(permission) + 1 : 0;
}

/** What a fresh Bitbucket grants: the default group is licensed; the demo's sys-admins administer. */
export const DEFAULT_GROUP_PERMISSIONS: Record<string, GlobalPermission> = {
  [STASH_USERS_GROUP]: 'LICENSED_USER',
  [SYS_ADMINS_GROUP]: 'SYS_ADMIN',
};

const EXTENSION = 'bitbucket-dc';
const lower = (s: string): string => s.toLowerCase();

export class BitbucketRecords implements StoreExtension {
  private readonly store: SandboxStore;
  /** user id → the permission granted to the user directly. */
  private readonly direct = new Map<number, GlobalPermission>();
  /** lower-cased group name → the permission granted to the group. */
  private readonly byGroup = new Map<string, GlobalPermission>();
  private readonly service = new Set<number>();

  constructor(store: SandboxStore, scenario: Scenario) {
    this.store = store;
    const given = scenario.globalPermissions ?? {};
    for (const [group, p] of Object.entries({ ...DEFAULT_GROUP_PERMISSIONS, ...given.groups })) {
      if (!isGlobalPermission(p))
        throw new Error(`scenario globalPermissions.groups.${group}: not a permission`);
      const explicit = given.groups !== undefined && Object.hasOwn(given.groups, group);
      if (store.group(group)) this.byGroup.set(lower(group), p);
      else if (explicit) throw new Error(`scenario globalPermissions.groups: no group named ${group}`);
    }
    for (const [name, p] of Object.entries(given.users ?? {})) {
      const user = store.userByName(name);
      if (!user) throw new Error(`scenario globalPermissions.users: no user named ${name}`);
      if (!isGlobalPermission(p))
        throw new Error(`scenario globalPermissions.users.${name}: not a permission`);
      this.direct.set(user.id, p);
    }
    for (const name of scenario.serviceUsers ?? []) {
      const user = store.userByName(name);
      if (!user) throw new Error(`scenario serviceUsers: no user named ${name}`);
      this.service.add(user.id);
    }
  }

  directOf(user: UserRecord): GlobalPermission | null {
    return this.direct.get(user.id) ?? null;
  }

  setDirect(user: UserRecord, permission: GlobalPermission | null): void {
    this.store.revision++;
    if ((this.direct.get(user.id) ?? null) !== permission) this.store.touch();
    if (permission) this.direct.set(user.id, permission);
    else this.direct.delete(user.id);
  }

  groupPermission(group: string): GlobalPermission | null {
    return this.store.group(group) ? (this.byGroup.get(lower(group)) ?? null) : null;
  }

  setGroupPermission(group: string, permission: GlobalPermission | null): void {
    this.store.revision++;
    if ((this.byGroup.get(lower(group)) ?? null) !== permission) this.store.touch();
    if (permission) this.byGroup.set(lower(group), permission);
    else this.byGroup.delete(lower(group));
  }

  /** Users holding a direct permission, in creation order. */
  usersWithPermission(): { user: UserRecord; permission: GlobalPermission }[] {
    return this.store
      .users()
      .filter((u) => this.direct.has(u.id))
      .map((u) => ({ user: u, permission: this.direct.get(u.id)! }));
  }

  /** Existing groups holding a permission, by name. */
  groupsWithPermission(): { group: string; permission: GlobalPermission }[] {
    return this.store
      .groups()
      .filter((g) => this.byGroup.has(lower(g.name)))
      .map((g) => ({ group: g.name, permission: this.byGroup.get(lower(g.name))! }));
  }

  /** The highest permission the user holds, directly or through any group (nested groups included). */
  effective(user: UserRecord, without?: { direct?: boolean; group?: string }): GlobalPermission | null {
    let best = without?.direct ? 0 : rank(this.directOf(user));
    for (const g of this.store.groupsOf(user, { nested: true })) {
      if (without?.group && lower(g) === lower(without.group)) continue;
      best = Math.max(best, rank(this.byGroup.get(lower(g))));
    }
    return best === 0 ? null : GLOBAL_PERMISSIONS[best - 1]!;
  }

  isService(user: UserRecord): boolean {
    return this.service.has(user.id);
  }

  /** A deleted user takes its direct permission with it. */
  forget(user: UserRecord): void {
    this.direct.delete(user.id);
    this.service.delete(user.id);
  }

  toScenario(): Partial<Scenario> {
    const users: Record<string, GlobalPermission> = {};
    for (const { user, permission } of this.usersWithPermission()) users[user.name] = permission;
    const groups: Record<string, GlobalPermission> = {};
    for (const { group, permission } of this.groupsWithPermission()) groups[group] = permission;
    return {
      globalPermissions: { users, groups },
      serviceUsers: this.store
        .users()
        .filter((u) => this.service.has(u.id))
        .map((u) => u.name),
    };
  }

  onGroupDeleted(name: string): void {
    this.byGroup.delete(lower(name));
  }
}

/** Gives a fresh store Bitbucket's records (from the scenario, with the default group permissions). */
export function attachBitbucketRecords(store: SandboxStore, scenario: Scenario): BitbucketRecords {
  const records = new BitbucketRecords(store, scenario);
  store.attach(EXTENSION, records);
  return records;
}

export function recordsOf(store: SandboxStore): BitbucketRecords {
  const records = store.extension<BitbucketRecords>(EXTENSION);
  if (!records) throw new Error('the store has no Bitbucket records');
  return records;
}
