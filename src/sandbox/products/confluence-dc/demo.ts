// Confluence's demo organisation: the generator's few hundred people in confluence-users with team groups,
// dormant and never-logged-in people, a read-only "Corporate LDAP" directory, service accounts, a few
// unlicensed people (no "Can use": absent from the active-user list), and the named accounts the example
// policies talk about. Deterministic for a given `now`.
import { generateScenario } from '../../generator.ts';
import type { Scenario } from '../../scenario.ts';
import { CONFLUENCE_ADMIN_GROUP, CONFLUENCE_USERS_GROUP, INTERNAL_DIRECTORY_NAME } from './names.ts';

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

export function confluenceDemoScenario(now: Date): Scenario {
  const scenario = generateScenario({
    users: 300,
    groups: 4,
    seed: 20240612,
    now,
    groupNames: ['developers', 'contractors', 'qa', 'design'],
    accessGroup: CONFLUENCE_USERS_GROUP,
    adminGroup: CONFLUENCE_ADMIN_GROUP,
    internalDirectoryName: INTERNAL_DIRECTORY_NAME,
    legacyKeys: false,
  });
  // Every 40th person lost "Can use" (still in a team group, not in confluence-users).
  scenario.users.forEach((u, i) => {
    if (i % 40 === 17 && !u.name.startsWith('svc-') && !u.groups?.includes(CONFLUENCE_ADMIN_GROUP)) {
      u.groups = (u.groups ?? []).filter((g) => g !== CONFLUENCE_USERS_GROUP);
    }
  });
  const ago = (days: number): string => iso(now.getTime() - days * DAY);
  scenario.users.unshift(
    {
      name: 'admin',
      displayName: 'Confluence Administrator',
      email: 'admin@example.com',
      created: ago(6 * 365),
      lastLogin: iso(now.getTime() - 2 * 3_600_000),
      loginCount: 3977,
      groups: [CONFLUENCE_ADMIN_GROUP, CONFLUENCE_USERS_GROUP],
    },
    {
      name: 'alice',
      displayName: 'Alice Adams',
      created: ago(900),
      lastLogin: ago(1),
      loginCount: 812,
      groups: [CONFLUENCE_USERS_GROUP, 'developers'],
    },
    {
      name: 'bob',
      displayName: 'Bob Brown',
      created: ago(700),
      lastLogin: ago(120),
      loginCount: 340,
      groups: [CONFLUENCE_USERS_GROUP],
    },
    {
      name: 'ops-oncall',
      displayName: 'Ops On-Call (shared)',
      created: ago(1200),
      lastLogin: ago(200),
      loginCount: 95,
      groups: [CONFLUENCE_USERS_GROUP],
    },
  );
  return scenario;
}
