// The Cloud demo organisation: the generator's few hundred people in the organisation's directory, a
// quarter of them synced from an identity provider ("Okta", read-only), Jira and Confluence access through
// the default groups, activity per product (some people use only one product, some left one behind), an
// app account, org and site admins, and the named accounts the example policy talks about. Deterministic
// for a given `now`.
import { generateScenario, LDAP_DIRECTORY_ID } from '../../generator.ts';
import type { Scenario } from '../../scenario.ts';
import {
  CLOUD_DIRECTORY_NAME,
  CONFLUENCE_USERS_GROUP,
  JIRA_USERS_GROUP,
  ORG_ADMINS_GROUP,
  SITE_ADMINS_GROUP,
} from './names.ts';

const DAY = 86_400_000;

export function cloudDemoScenario(now: Date): Scenario {
  const scenario = generateScenario({
    users: 300,
    groups: 4,
    seed: 20250601,
    now,
    groupNames: ['developers', 'marketing', 'contractors', 'support'],
    accessGroup: JIRA_USERS_GROUP,
    adminGroup: SITE_ADMINS_GROUP,
    internalDirectoryName: CLOUD_DIRECTORY_NAME,
    legacyKeys: false,
  });
  const okta = scenario.directories!.find((d) => d.id === LDAP_DIRECTORY_ID)!;
  okta.name = 'Okta';
  const ago = (days: number): string => new Date(now.getTime() - days * DAY).toISOString();
  const shift = (iso: string, days: number): string =>
    new Date(Math.min(now.getTime(), Date.parse(iso) + days * DAY)).toISOString();
  const activity: Record<string, Record<string, string | null>> = {};
  const apps: string[] = [];
  // Service accounts are apps; people are in Jira, two in five also in Confluence (a few only there).
  scenario.users.forEach((u, i) => {
    if (u.name.startsWith('svc-')) {
      apps.push(u.name);
      return;
    }
    const jira = u.lastLogin ?? null;
    if (i % 5 === 1 || i % 5 === 3) {
      u.groups = [...(u.groups ?? []), CONFLUENCE_USERS_GROUP];
      const confluence = jira === null ? null : shift(jira, (i % 7) * 20 - 60);
      activity[u.name] = { 'jira-software': jira, confluence };
      if (i % 15 === 3) {
        // Confluence only.
        u.groups = u.groups.filter((g) => g !== JIRA_USERS_GROUP);
        activity[u.name] = { confluence };
      }
    }
  });
  scenario.users.unshift(
    {
      name: 'admin',
      displayName: 'Org Administrator',
      email: 'admin@example.com',
      created: ago(6 * 365),
      lastLogin: ago(0.1),
      groups: [ORG_ADMINS_GROUP, JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    },
    // The person whose account runs the automation (an API key belongs to no one): protected by the policy.
    {
      name: 'it-automation',
      displayName: 'IT Automation',
      email: 'it-automation@example.com',
      created: ago(900),
      lastLogin: ago(400),
      groups: [ORG_ADMINS_GROUP, JIRA_USERS_GROUP],
    },
    {
      name: 'alice',
      displayName: 'Alice Adams',
      email: 'alice@example.com',
      created: ago(900),
      lastLogin: ago(1),
      groups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP, 'developers'],
    },
    // Active in Confluence, dormant in Jira: counted per product, Confluence keeps her.
    {
      name: 'bianca',
      displayName: 'Bianca Berg',
      email: 'bianca@example.com',
      created: ago(800),
      lastLogin: ago(200),
      groups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    },
    // Dormant in both for four months: leaves the access groups (remove-access).
    {
      name: 'bob',
      displayName: 'Bob Brown',
      email: 'bob@example.com',
      created: ago(700),
      lastLogin: ago(130),
      groups: [JIRA_USERS_GROUP, CONFLUENCE_USERS_GROUP],
    },
    // Synced from Okta and dormant: the plan says to manage her in the identity provider.
    {
      name: 'carol',
      displayName: 'Carol Clark',
      email: 'carol@corp.example.com',
      directory: LDAP_DIRECTORY_ID,
      created: ago(1000),
      lastLogin: ago(300),
      groups: [JIRA_USERS_GROUP, 'corporate-staff'],
    },
    // Invited two months ago, never used a product.
    {
      name: 'dave',
      displayName: 'Dave Dawson',
      email: 'dave@example.com',
      created: ago(60),
      lastLogin: null,
      groups: [JIRA_USERS_GROUP],
    },
  );
  activity.admin = { 'jira-software': ago(0.1), confluence: ago(1) };
  activity.alice = { 'jira-software': ago(1), confluence: ago(2) };
  activity.bianca = { 'jira-software': ago(200), confluence: ago(5) };
  activity.bob = { 'jira-software': ago(130), confluence: ago(140) };
  scenario.cloud = { activity, apps };
  return scenario;
}
