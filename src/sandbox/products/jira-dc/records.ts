// Jira's own records beside the directory: application roles (group-based licensing), kept as a store
// extension so they travel with the scenario and lose a group when it is deleted.
import type { ScenarioApplicationRole, Scenario } from '../../scenario.ts';
import type { DirectoryProfile, SandboxStore, StoreExtension, UserRecord } from '../../store.ts';
import { ADMIN_GROUP, INTERNAL_DIRECTORY_NAME, SOFTWARE_GROUP } from './names.ts';

export { ADMIN_GROUP, SOFTWARE_GROUP } from './names.ts';

export interface ApplicationRoleRecord {
  key: string;
  name: string;
  groups: string[];
  defaultGroups: string[];
  numberOfSeats: number;
  selectedByDefault: boolean;
  platform: boolean;
}

/** Jira 8.4 started giving new users JIRAUSERnnnnn keys; older users keep their lower-cased first username. */
const GENERATED_KEYS_SINCE = '2019-09-01T00:00:00.000Z';

export const JIRA_DIRECTORY: DirectoryProfile = {
  internalDirectoryName: INTERNAL_DIRECTORY_NAME,
  builtInGroups: [ADMIN_GROUP, SOFTWARE_GROUP],
  userKey: (id, user) => (user.created >= GENERATED_KEYS_SINCE ? `JIRAUSER${id}` : user.name.toLowerCase()),
};

export function defaultRoles(userCount: number): ScenarioApplicationRole[] {
  return [
    {
      key: 'jira-software',
      name: 'Jira Software',
      groups: [SOFTWARE_GROUP, ADMIN_GROUP],
      defaultGroups: [SOFTWARE_GROUP],
      numberOfSeats: Math.max(25, Math.ceil((userCount * 1.1) / 50) * 50),
      selectedByDefault: true,
      platform: false,
    },
    { key: 'jira-core', name: 'Jira Core', groups: [], defaultGroups: [], numberOfSeats: -1, platform: true },
  ];
}

const EXTENSION = 'jira-dc';
const lower = (s: string): string => s.toLowerCase();

class JiraRecords implements StoreExtension {
  readonly applicationRoles: ApplicationRoleRecord[];

  constructor(scenario: Scenario) {
    this.applicationRoles = (scenario.applicationRoles ?? defaultRoles(scenario.users.length)).map((r) => ({
      key: r.key,
      name: r.name,
      groups: [...r.groups],
      defaultGroups: [...(r.defaultGroups ?? [])],
      numberOfSeats: r.numberOfSeats ?? -1,
      selectedByDefault: r.selectedByDefault ?? false,
      platform: r.platform ?? false,
    }));
  }

  toScenario(): Partial<Scenario> {
    return { applicationRoles: this.applicationRoles.map((r) => ({ ...r, groups: [...r.groups] })) };
  }

  onGroupDeleted(name: string): void {
    for (const r of this.applicationRoles) {
      r.groups = r.groups.filter((g) => lower(g) !== lower(name));
      r.defaultGroups = r.defaultGroups.filter((g) => lower(g) !== lower(name));
    }
  }
}

/** Gives a fresh store Jira's application roles (from the scenario, or the defaults). */
export function attachJiraRecords(store: SandboxStore, scenario: Scenario): void {
  store.attach(EXTENSION, new JiraRecords(scenario));
}

export function applicationRoles(store: SandboxStore): ApplicationRoleRecord[] {
  return store.extension<JiraRecords>(EXTENSION)?.applicationRoles ?? [];
}

/** Application roles whose groups include the user (directly or through nesting). */
export function rolesOf(store: SandboxStore, user: UserRecord): ApplicationRoleRecord[] {
  const groups = new Set(store.groupsOf(user, { nested: true }).map(lower));
  return applicationRoles(store).filter((r) => r.groups.some((g) => groups.has(lower(g))));
}

/** Active users holding a seat of the role. */
export function roleUserCount(store: SandboxStore, role: ApplicationRoleRecord): number {
  const ids = new Set<number>();
  for (const g of role.groups)
    for (const u of store.membersOf(g, { nested: true })) if (u.active) ids.add(u.id);
  return ids.size;
}
