// Bitbucket's demo organisation: the generator's few hundred people licensed through stash-users, team
// groups, dormant and never-authenticated people, a read-only "Corporate LDAP" directory, service accounts
// (svc-*, type SERVICE), people licensed directly (a LICENSED_USER permission of their own, no stash-users)
// or both ways, and the named accounts the example policy talks about. Deterministic for a given `now`.
import { generateScenario } from '../../generator.ts';
import type { Scenario, ScenarioGlobalPermission } from '../../scenario.ts';
import { INTERNAL_DIRECTORY_NAME, STASH_USERS_GROUP, SYS_ADMINS_GROUP } from './names.ts';

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

export function bitbucketDemoScenario(now: Date): Scenario {
  const scenario = generateScenario({
    users: 300,
    groups: 4,
    seed: 20240613,
    now,
    groupNames: ['developers', 'contractors', 'qa', 'release-managers'],
    accessGroup: STASH_USERS_GROUP,
    adminGroup: SYS_ADMINS_GROUP,
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    legacyKeys: false,
  });
  const direct: Record<string, ScenarioGlobalPermission> = {};
  // Every 20th person is licensed directly instead of through stash-users, and another every 20th both ways.
  scenario.users.forEach((u, i) => {
    if (u.name.startsWith('svc-') || u.groups?.includes(SYS_ADMINS_GROUP)) return;
    if (i % 20 === 7) {
      u.groups = (u.groups ?? []).filter((g) => g !== STASH_USERS_GROUP);
      direct[u.name] = 'LICENSED_USER';
    } else if (i % 20 === 13) direct[u.name] = 'LICENSED_USER';
  });
  const ago = (days: number): string => iso(now.getTime() - days * DAY);
  scenario.users.unshift(
    {
      name: 'admin',
      displayName: 'Bitbucket Administrator',
      email: 'admin@example.com',
      created: ago(6 * 365),
      lastLogin: iso(now.getTime() - 2 * 3_600_000),
      loginCount: 5120,
      groups: [SYS_ADMINS_GROUP, STASH_USERS_GROUP],
    },
    {
      name: 'alice',
      displayName: 'Alice Adams',
      created: ago(900),
      lastLogin: ago(1),
      loginCount: 2210,
      groups: [STASH_USERS_GROUP, 'developers'],
    },
    // Dormant and licensed both ways: remove-access leaves stash-users and drops her own permission.
    {
      name: 'bob',
      displayName: 'Bob Brown',
      created: ago(700),
      lastLogin: ago(120),
      loginCount: 340,
      groups: [STASH_USERS_GROUP],
    },
    // An administrator by a permission of his own, not by group.
    {
      name: 'ops-admin',
      displayName: 'Ops Administrator',
      created: ago(1500),
      lastLogin: ago(3),
      loginCount: 800,
      groups: [],
    },
    // A build account that has not authenticated for a year: type SERVICE, never touched by inactivity rules.
    {
      name: 'svc-nightly-build',
      displayName: 'Nightly build (service)',
      created: ago(1200),
      lastLogin: ago(365),
      loginCount: 90_000,
      groups: [STASH_USERS_GROUP],
    },
  );
  direct.bob = 'LICENSED_USER';
  direct['ops-admin'] = 'ADMIN';
  scenario.globalPermissions = {
    users: direct,
    groups: { [STASH_USERS_GROUP]: 'LICENSED_USER', [SYS_ADMINS_GROUP]: 'SYS_ADMIN' },
  };
  scenario.serviceUsers = scenario.users.filter((u) => u.name.startsWith('svc-')).map((u) => u.name);
  return scenario;
}
