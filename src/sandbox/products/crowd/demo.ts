// Crowd's demo organisation: the generator's few hundred people in jira-software-users (most also in
// confluence-users) with team groups; the internal directory; a read-only "Corporate LDAP"; a read/write
// "Corporate AD" connector that writes user status back to Active Directory; a "Partner Crowd" directory
// the application is not mapped to (invisible to it); dormant and never-authenticated people; the named
// accounts the example policy talks about. Deterministic for a given `now`.
import { generateScenario, LDAP_DIRECTORY_ID } from '../../generator.ts';
import type { Scenario, ScenarioUser } from '../../scenario.ts';
import {
  AD_DIRECTORY_ID,
  AD_DIRECTORY_NAME,
  CONFLUENCE_USERS_GROUP,
  CROWD_ADMIN_GROUP,
  CROWD_INTERNAL_DIRECTORY,
  JIRA_USERS_GROUP,
  PARTNER_DIRECTORY_ID,
  PARTNER_DIRECTORY_NAME,
} from './names.ts';

const DAY = 86_400_000;

export function crowdDemoScenario(now: Date): Scenario {
  const scenario = generateScenario({
    users: 300,
    groups: 4,
    seed: 20240917,
    now,
    groupNames: ['developers', 'contractors', 'qa', 'design'],
    accessGroup: JIRA_USERS_GROUP,
    adminGroup: CROWD_ADMIN_GROUP,
    internalDirectoryName: CROWD_INTERNAL_DIRECTORY,
    legacyKeys: false,
  });
  // Every fifth internal person lives in Active Directory instead; most people also use Confluence.
  scenario.users.forEach((u, i) => {
    if (!u.directory && !u.name.startsWith('svc-') && !u.groups?.includes(CROWD_ADMIN_GROUP) && i % 5 === 2) {
      u.directory = AD_DIRECTORY_ID;
      u.email = `${u.name}@ad.example.com`;
    }
    if (i % 4 !== 3) u.groups = [...(u.groups ?? []), CONFLUENCE_USERS_GROUP];
  });
  const ago = (days: number): string => new Date(now.getTime() - days * DAY).toISOString();
  const named: ScenarioUser[] = [
    {
      name: 'admin',
      displayName: 'Crowd Administrator',
      email: 'admin@example.com',
      created: ago(6 * 365),
      lastLogin: new Date(now.getTime() - 2 * 3_600_000).toISOString(),
      groups: [CROWD_ADMIN_GROUP, JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    },
    {
      name: 'alice',
      displayName: 'Alice Adams',
      created: ago(900),
      lastLogin: ago(1),
      groups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP, 'developers'],
    },
    {
      name: 'bob',
      displayName: 'Bob Brown',
      created: ago(700),
      lastLogin: ago(120),
      groups: [JIRA_USERS_GROUP],
    },
    {
      name: 'ops-oncall',
      displayName: 'Ops On-Call (shared)',
      created: ago(1200),
      lastLogin: ago(200),
      groups: [JIRA_USERS_GROUP],
    },
    {
      name: 'carla.ad',
      displayName: 'Carla Active',
      email: 'carla.ad@ad.example.com',
      directory: AD_DIRECTORY_ID,
      created: ago(1000),
      lastLogin: ago(300),
      groups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    },
    {
      name: 'pat.partner',
      displayName: 'Pat Partner',
      email: 'pat@partner.example.com',
      directory: PARTNER_DIRECTORY_ID,
      created: ago(800),
      lastLogin: ago(600),
      groups: [],
    },
  ];
  scenario.users.unshift(...named);
  scenario.directories = [
    ...(scenario.directories ?? []),
    { id: AD_DIRECTORY_ID, name: AD_DIRECTORY_NAME, type: 'LDAP', readOnly: false },
    { id: PARTNER_DIRECTORY_ID, name: PARTNER_DIRECTORY_NAME, type: 'LDAP', readOnly: true },
  ];
  scenario.groups = [...(scenario.groups ?? []), { name: CONFLUENCE_USERS_GROUP }];
  scenario.crowd = {
    directories: [
      { id: LDAP_DIRECTORY_ID, type: 'CONNECTOR', implementation: 'openldap' },
      { id: AD_DIRECTORY_ID, type: 'CONNECTOR', implementation: 'active-directory', syncUserStatus: true },
      { id: PARTNER_DIRECTORY_ID, type: 'CROWD' },
    ],
    application: { directories: [1, LDAP_DIRECTORY_ID, AD_DIRECTORY_ID] },
  };
  return scenario;
}
