// The sandbox's in-memory state: a generic user directory (directories, users, groups, memberships, login
// times). Plain data plus lookups; the product routes decide what a product allows, the store only records it.
// Products keep their own records beside it as extensions (Jira application roles).
// Tests read it directly to assert end state (`store.user('alice')?.active`, `store.memberNames('developers')`).
import {
  INTERNAL_DIRECTORY_ID,
  PLAIN_DIRECTORY,
  type DirectoryProfile,
  type DirectoryRecord,
  type GroupRecord,
  type StoreExtension,
  type UserRecord,
} from './records.ts';
import { addScenarioUsers, storeToScenario, type Scenario } from './scenario.ts';

export * from './records.ts';

const lower = (s: string): string => s.toLowerCase();

export class SandboxStore {
  readonly directories: DirectoryRecord[];
  /** The product's directory conventions (built-in groups, key style). */
  readonly profile: DirectoryProfile;
  private readonly extensions = new Map<string, StoreExtension>();
  private readonly usersById = new Map<number, UserRecord>();
  private readonly idByName = new Map<string, number>();
  private readonly idByKey = new Map<string, number>();
  private readonly groupsByName = new Map<string, GroupRecord>();
  /** group (lower-cased) → ids of direct members. */
  private readonly members = new Map<string, Set<number>>();
  private readonly idByToken = new Map<string, number>();
  /** user id → lower-cased names of the groups it is a direct member of (kept in step with `members`). */
  private readonly directGroups = new Map<number, Set<string>>();
  private nextId = 10000;
  /** Bumped on every write, so readers can cache sorted views. */
  revision = 0;
  /**
   * Bumped only when a write changes what the instance holds (a no-op write, such as adding a member twice
   * or a read-only directory ignoring a write, leaves it): tells a request that was carried out from one
   * that was not, in the request log.
   */
  effects = 0;

  /** Marks a change of state made by a product's own records (permissions, names). */
  touch(): void {
    this.effects++;
  }

  constructor(scenario: Scenario, now: Date, profile: DirectoryProfile = PLAIN_DIRECTORY) {
    this.profile = profile;
    this.directories = (scenario.directories ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      type: d.type ?? 'INTERNAL',
      readOnly: d.readOnly ?? false,
      localGroups: d.localGroups ?? false,
    }));
    if (!this.directories.some((d) => d.id === INTERNAL_DIRECTORY_ID)) {
      this.directories.unshift({
        id: INTERNAL_DIRECTORY_ID,
        name: profile.internalDirectoryName,
        type: 'INTERNAL',
        readOnly: false,
        localGroups: false,
      });
    }
    for (const name of profile.builtInGroups) this.addGroup(name, INTERNAL_DIRECTORY_ID);
    for (const g of scenario.groups ?? []) {
      const group = this.addGroup(g.name, g.directory ?? INTERNAL_DIRECTORY_ID);
      group.children = [...(g.children ?? [])];
    }
    addScenarioUsers(this, scenario.users, now);
  }

  // ---- product records ----

  /** Keeps a product's records beside the directory under `name` (e.g. 'jira-dc'). */
  attach(name: string, extension: StoreExtension): void {
    this.extensions.set(name, extension);
  }

  extension<T extends StoreExtension>(name: string): T | undefined {
    return this.extensions.get(name) as T | undefined;
  }

  // ---- reads ----

  directory(id: number): DirectoryRecord | undefined {
    return this.directories.find((d) => d.id === id);
  }

  /** All users in creation order. */
  users(): UserRecord[] {
    return [...this.usersById.values()];
  }

  /** A user by username (case-insensitive), or by key when no username matches. */
  user(nameOrKey: string): UserRecord | undefined {
    return this.userByName(nameOrKey) ?? this.userByKey(nameOrKey);
  }

  userByName(name: string): UserRecord | undefined {
    const id = this.idByName.get(lower(name));
    return id === undefined ? undefined : this.usersById.get(id);
  }

  userByKey(key: string): UserRecord | undefined {
    const id = this.idByKey.get(lower(key));
    return id === undefined ? undefined : this.usersById.get(id);
  }

  /** The account a personal access token belongs to. */
  userByToken(token: string): UserRecord | undefined {
    const id = this.idByToken.get(token);
    return id === undefined ? undefined : this.usersById.get(id);
  }

  /** All groups sorted by name. */
  groups(): GroupRecord[] {
    return [...this.groupsByName.values()].sort((a, b) => lower(a.name).localeCompare(lower(b.name)));
  }

  group(name: string): GroupRecord | undefined {
    return this.groupsByName.get(lower(name));
  }

  isDirectMember(group: string, user: UserRecord): boolean {
    return this.members.get(lower(group))?.has(user.id) ?? false;
  }

  /** Members of a group; with `nested`, members of its child groups too (as Jira's group/member). */
  membersOf(group: string, opts: { nested?: boolean } = {}): UserRecord[] {
    const ids = new Set<number>();
    const seen = new Set<string>();
    const visit = (name: string): void => {
      if (seen.has(lower(name))) return;
      seen.add(lower(name));
      for (const id of this.members.get(lower(name)) ?? []) ids.add(id);
      if (opts.nested) for (const child of this.group(name)?.children ?? []) visit(child);
    };
    visit(group);
    return [...ids].map((id) => this.usersById.get(id)).filter((u): u is UserRecord => u !== undefined);
  }

  /** Usernames of a group's members, sorted: the handiest read for tests. */
  memberNames(group: string, opts: { nested?: boolean } = {}): string[] {
    return this.membersOf(group, opts)
      .map((u) => u.name)
      .sort();
  }

  /** Names of the groups a user belongs to, sorted; with `nested`, the parents of those groups too. */
  groupsOf(user: UserRecord, opts: { nested?: boolean } = {}): string[] {
    const names = new Set<string>(this.directGroups.get(user.id));
    for (let grew = opts.nested === true; grew;) {
      grew = false;
      for (const [g, group] of this.groupsByName) {
        if (!names.has(g) && group.children.some((c) => names.has(lower(c))))
          grew = names.add(g) !== undefined;
      }
    }
    return [...names]
      .map((g) => this.groupsByName.get(g)?.name ?? g)
      .sort((a, b) => lower(a).localeCompare(lower(b)));
  }

  /** Whether the user belongs (directly or through nesting) to any of `groups`. */
  inAnyGroup(user: UserRecord, groups: readonly string[]): boolean {
    const wanted = new Set(groups.map(lower));
    return this.groupsOf(user, { nested: true }).some((g) => wanted.has(lower(g)));
  }

  // ---- writes ----

  addUser(input: {
    name: string;
    key?: string;
    displayName: string;
    email: string | null;
    active?: boolean;
    directoryId?: number;
    created: string;
    password?: string | null;
  }): UserRecord {
    this.revision++;
    this.effects++;
    if (this.userByName(input.name)) throw new Error(`user ${input.name} already exists`);
    const id = this.nextId++;
    const key = input.key ?? this.profile.userKey(id, input);
    if (this.userByKey(key)) throw new Error(`user key ${key} already exists`);
    const user: UserRecord = {
      id,
      key,
      name: input.name,
      displayName: input.displayName,
      email: input.email,
      active: input.active ?? true,
      directoryId: input.directoryId ?? INTERNAL_DIRECTORY_ID,
      created: input.created,
      lastLogin: null,
      previousLogin: null,
      loginCount: 0,
      password: input.password ?? null,
      tokens: [],
      timeZone: 'Europe/Berlin',
      locale: 'en_US',
    };
    this.usersById.set(id, user);
    this.idByName.set(lower(user.name), id);
    this.idByKey.set(lower(user.key), id);
    return user;
  }

  /** Renames keep the key, as Jira does. */
  rename(user: UserRecord, newName: string): void {
    this.revision++;
    if (newName !== user.name) this.effects++;
    this.idByName.delete(lower(user.name));
    user.name = newName;
    this.idByName.set(lower(newName), user.id);
  }

  setTokens(user: UserRecord, tokens: string[]): void {
    for (const t of user.tokens) this.idByToken.delete(t);
    user.tokens = [...tokens];
    for (const t of user.tokens) this.idByToken.set(t, user.id);
  }

  deleteUser(user: UserRecord): void {
    this.revision++;
    this.effects++;
    for (const g of this.directGroups.get(user.id) ?? []) this.members.get(g)?.delete(user.id);
    this.directGroups.delete(user.id);
    for (const t of user.tokens) this.idByToken.delete(t);
    this.usersById.delete(user.id);
    this.idByName.delete(lower(user.name));
    this.idByKey.delete(lower(user.key));
  }

  addGroup(name: string, directoryId: number): GroupRecord {
    const existing = this.group(name);
    if (existing) return existing;
    this.revision++;
    this.effects++;
    const group: GroupRecord = { name, directoryId, children: [] };
    this.groupsByName.set(lower(name), group);
    this.members.set(lower(name), new Set());
    return group;
  }

  addMember(group: string, user: UserRecord): void {
    this.revision++;
    const set = this.members.get(lower(group));
    if (!set) return;
    if (!set.has(user.id)) this.effects++;
    set.add(user.id);
    const groups = this.directGroups.get(user.id) ?? new Set<string>();
    groups.add(lower(group));
    this.directGroups.set(user.id, groups);
  }

  removeMember(group: string, user: UserRecord): void {
    this.revision++;
    if (this.members.get(lower(group))?.delete(user.id)) this.effects++;
    this.directGroups.get(user.id)?.delete(lower(group));
  }

  /** Changes profile fields and the active flag (renames go through `rename`). */
  update(
    user: UserRecord,
    patch: Partial<Pick<UserRecord, 'active' | 'displayName' | 'email' | 'password'>>,
  ): void {
    this.revision++;
    if (Object.entries(patch).some(([k, v]) => user[k as keyof typeof patch] !== v)) this.effects++;
    Object.assign(user, patch);
  }

  deleteGroup(name: string): void {
    this.revision++;
    if (this.group(name)) this.effects++;
    this.groupsByName.delete(lower(name));
    for (const id of this.members.get(lower(name)) ?? []) this.directGroups.get(id)?.delete(lower(name));
    this.members.delete(lower(name));
    for (const g of this.groupsByName.values())
      g.children = g.children.filter((c) => lower(c) !== lower(name));
    for (const extension of this.extensions.values()) extension.onGroupDeleted?.(name);
  }

  recordLogin(user: UserRecord, at: string): void {
    user.previousLogin = user.lastLogin;
    user.lastLogin = at;
    user.loginCount += 1;
  }

  /** The current state as a scenario: start another sandbox from it, or write it to a file. */
  toScenario(): Scenario {
    const scenario = storeToScenario(this);
    for (const extension of this.extensions.values()) Object.assign(scenario, extension.toScenario?.());
    return scenario;
  }
}
