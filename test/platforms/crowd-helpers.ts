// Shared by the Crowd integration tests: a small organisation over four directories (internal, a read-only
// LDAP, an AD connector that writes user status back, a directory the application is not mapped to), a
// sandbox per test over real HTTP with a fixed clock, and connections with application and (optionally)
// administrator credentials.
import { type Connection, connect, type Credentials } from '../../src/platforms/registry.ts';
import type { ResolvedPolicy } from '../../src/policy/resolved.ts';
import {
  type SandboxHandle,
  type SandboxOptions,
  type Scenario,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { daysAgo, NOW } from './helpers.ts';

export const LDAP = 10000;
export const AD = 10100;
export const PARTNER = 10200;

function user(
  name: string,
  createdDaysAgo: number,
  lastLogin: string | null,
  groups: string[],
  directory = 1,
) {
  const display = `${name.charAt(0).toUpperCase()}${name.slice(1)} Tester`;
  return { name, displayName: display, created: daysAgo(createdDaysAgo), lastLogin, groups, directory };
}

/**
 * alice (recent), bob (dormant), dave (never authenticated, old), gina (already inactive, dormant) in the
 * internal directory; carol (dormant) in the read-only LDAP; erin (dormant) and frank (recent) in the AD
 * connector that writes status back; pat (dormant) in a directory the application does not see. `admin`,
 * a Crowd administrator, is added by the sandbox.
 */
export function crowdScenario(): Scenario {
  return {
    directories: [
      { id: LDAP, name: 'Corporate LDAP', type: 'LDAP', readOnly: true },
      { id: AD, name: 'Corporate AD', type: 'LDAP', readOnly: false },
      { id: PARTNER, name: 'Partner Crowd', type: 'LDAP', readOnly: true },
    ],
    groups: [{ name: 'developers' }, { name: 'qa' }],
    users: [
      user('alice', 900, daysAgo(2), ['jira-software-users', 'developers']),
      user('bob', 800, daysAgo(200), ['jira-software-users', 'developers']),
      user('carol', 700, daysAgo(300), ['jira-software-users'], LDAP),
      user('dave', 400, null, ['jira-software-users']),
      user('erin', 600, daysAgo(250), ['jira-software-users', 'qa'], AD),
      user('frank', 300, daysAgo(5), ['jira-software-users'], AD),
      { ...user('gina', 500, daysAgo(400), ['qa']), active: false },
      user('pat', 800, daysAgo(600), [], PARTNER),
    ],
    crowd: {
      directories: [
        { id: LDAP, type: 'CONNECTOR', implementation: 'openldap' },
        { id: AD, type: 'CONNECTOR', implementation: 'active-directory', syncUserStatus: true },
        { id: PARTNER, type: 'CROWD' },
      ],
      application: { directories: [1, LDAP, AD] },
    },
  };
}

export const DORMANT = `version: 1
instance: { platform: crowd, access_groups: [jira-software-users] }
inactivity:
  - name: dormant
    inactive_days: 90
    action: deactivate
    never_logged_in: { grace_days: 30 }
limits: { max_fraction: 1 }
`;

export interface CrowdHarness {
  sb: SandboxHandle;
  waits: number[];
  /** admin: false = application credentials only. */
  connect(
    resolved: ResolvedPolicy,
    o?: { readOnly?: boolean; admin?: boolean; credentials?: Credentials },
  ): Promise<Connection>;
  close(): Promise<void>;
}

export async function crowdHarness(
  options: Partial<SandboxOptions> & { sleep?: (ms: number) => Promise<void> } = {},
): Promise<CrowdHarness> {
  const { sleep: injected, ...sandboxOptions } = options;
  const sb = await startSandbox({
    platform: 'crowd',
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: crowdScenario(),
    ...sandboxOptions,
  });
  const waits: number[] = [];
  const sleep = injected ?? (async (ms: number) => void waits.push(ms));
  const conns: Connection[] = [];
  return {
    sb,
    waits,
    async connect(resolved, o = {}) {
      const c = sb.credentials;
      const credentials = o.credentials ?? {
        appName: c.appName,
        appPassword: c.appPassword,
        ...(o.admin === false ? {} : { username: c.username, password: c.password }),
      };
      const conn = await connect(resolved, {
        url: sb.url,
        credentials,
        readOnly: o.readOnly ?? true,
        clock: () => NOW,
        sleep,
      });
      conns.push(conn);
      return conn;
    },
    async close() {
      await Promise.all(conns.map((c) => c.close()));
      await sb.close();
    },
  };
}
