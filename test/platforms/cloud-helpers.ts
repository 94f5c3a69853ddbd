// Shared by the Cloud driver tests: a small organisation, a sandbox of it per test over real HTTP with a
// fixed clock, connections through the registry (as the CLI and the Action connect), and policy text with
// the organisation's id.
import { type Connection, connect, type Credentials } from '../../src/platforms/registry.ts';
import type { ResolvedPolicy } from '../../src/policy/resolved.ts';
import {
  CLOUD_CONFLUENCE_GROUP,
  CLOUD_JIRA_GROUP,
  CLOUD_ORG_ID,
  ORG_ADMINS_GROUP,
  SITE_ADMINS_GROUP,
  type SandboxHandle,
  type SandboxOptions,
  type Scenario,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { daysAgo, LDAP_DIR, NOW, policy } from './helpers.ts';

export { CLOUD_ORG_ID };
export const JIRA = CLOUD_JIRA_GROUP;
export const CONFLUENCE = CLOUD_CONFLUENCE_GROUP;

/**
 * alice (Jira and Confluence, recent), bob (Jira 200 days ago, Confluence 20), carol (synced from the
 * identity provider "Okta", dormant), dave (never used a product), erin (suspended), frank (no product),
 * gina (account deactivated at the Atlassian level), root (site admin), ivy and admin (org admins), bot
 * (an app). okta-staff is synced; all-staff cannot be modified.
 */
export function cloudOrg(): Scenario {
  const person = (name: string, lastLogin: string | null, groups: string[]) => ({
    name,
    displayName: `${name.charAt(0).toUpperCase()}${name.slice(1)} Tester`,
    email: `${name}@example.com`,
    created: daysAgo(400),
    lastLogin,
    groups,
  });
  return {
    directories: [{ id: LDAP_DIR, name: 'Okta', type: 'LDAP', readOnly: true }],
    groups: [{ name: 'developers' }, { name: 'all-staff' }, { name: 'okta-staff', directory: LDAP_DIR }],
    users: [
      person('admin', daysAgo(1), [ORG_ADMINS_GROUP, JIRA, CONFLUENCE]),
      person('alice', daysAgo(2), [JIRA, CONFLUENCE, 'developers', 'all-staff']),
      person('bob', daysAgo(200), [JIRA, CONFLUENCE]),
      { ...person('carol', daysAgo(300), [JIRA, 'okta-staff']), directory: LDAP_DIR },
      person('dave', null, [JIRA]),
      { ...person('erin', daysAgo(500), [JIRA]), active: false },
      person('frank', daysAgo(10), ['developers']),
      person('gina', daysAgo(250), [JIRA]),
      person('root', daysAgo(1), [SITE_ADMINS_GROUP, JIRA]),
      person('ivy', daysAgo(3), [ORG_ADMINS_GROUP]),
      person('bot', daysAgo(400), [JIRA]),
    ],
    cloud: {
      activity: {
        alice: { 'jira-software': daysAgo(2), confluence: daysAgo(4) },
        bob: { 'jira-software': daysAgo(200), confluence: daysAgo(20) },
        // Has Confluence access and never used it.
        frank: { confluence: null },
      },
      accountStatus: { gina: 'inactive' },
      apps: ['bot'],
      fixedGroups: ['all-staff'],
    },
  };
}

/** Policy text for the organisation: `instance` with its id, then `rest`. */
export function cloudPolicy(instanceKeys: string, rest = ''): ResolvedPolicy {
  return policy(`version: 1
instance: { platform: cloud, org: ${CLOUD_ORG_ID}${instanceKeys ? `, ${instanceKeys}` : ''} }
${rest}`);
}

export interface CloudHarness {
  sb: SandboxHandle;
  connect(
    resolved: ResolvedPolicy,
    o?: { readOnly?: boolean; credentials?: Credentials; sleep?: (ms: number) => Promise<void> },
  ): Promise<Connection>;
  /** The account id of a seeded user. */
  id(name: string): string;
  close(): Promise<void>;
}

export async function cloudSandbox(
  options: Partial<SandboxOptions> = {},
  scenario: Scenario = cloudOrg(),
): Promise<CloudHarness> {
  const sb = await startSandbox({
    platform: 'cloud',
    now: NOW,
    clock: () => NOW.getTime(),
    scenario,
    retireDeprecated: true,
    ...options,
  });
  const conns: Connection[] = [];
  return {
    sb,
    async connect(resolved, o = {}) {
      const conn = await connect(resolved, {
        url: sb.url,
        credentials: o.credentials ?? { token: sb.credentials.token },
        readOnly: o.readOnly ?? true,
        clock: () => NOW,
        sleep: o.sleep ?? (async () => undefined),
      });
      conns.push(conn);
      return conn;
    },
    id: (name) => sb.store.user(name)!.key,
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await sb.close();
    },
  };
}
