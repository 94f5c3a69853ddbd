// The organisation and the staged lifecycle policy every platform of the contract suite is run with, in the
// platform's own group names. `admin`, the credentials' account, is the sandbox's (admin and access group).
import type { Scenario, ScenarioUser } from '../../src/sandbox/index.ts';
import type { ContractFixture } from './fixture.ts';

export const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 86_400_000;
export const daysAgo = (d: number): string => new Date(NOW.getTime() - d * DAY).toISOString();
export const LDAP_DIR = 10000;

function person(name: string, lastLoginDaysAgo: number | null, groups: string[]): ScenarioUser {
  return {
    name,
    displayName: `${name.charAt(0).toUpperCase()}${name.slice(1)} Tester`,
    email: `${name}@example.com`,
    created: daysAgo(380),
    lastLogin: lastLoginDaysAgo === null ? null : daysAgo(lastLoginDaysAgo),
    groups,
  };
}

/**
 * Recent, dormant, long-dormant, never-logged-in, disabled and unlicensed people; a read-only LDAP user and
 * group. `alice` also signs in with a password.
 */
export function contractOrg(f: ContractFixture): Scenario {
  const seat = f.accessGroup;
  return {
    directories: [{ id: LDAP_DIR, name: 'Corporate LDAP', type: 'LDAP', readOnly: true }],
    groups: [{ name: 'developers' }, { name: 'qa' }, { name: 'ldap-staff', directory: LDAP_DIR }],
    users: [
      { ...person('alice', 2, [seat, 'developers', 'qa']), password: 'wonderland' },
      person('bob', 200, [seat, 'developers']),
      { ...person('carol', 300, [seat, 'ldap-staff']), directory: LDAP_DIR },
      person('dave', null, [seat]),
      { ...person('erin', 500, [seat, 'developers']), active: false },
      person('frank', 70, [seat]),
      person('gina', 30, [seat]),
      person('henry', 20, [seat, 'qa']),
      person('ivan', 500, [seat]),
      // No seat: in a team group only.
      person('kim', 10, ['developers']),
    ],
  };
}

/**
 * Staged rules (seat at 60 days, disable at 150, delete at 400), an additive and an exact group, a
 * read-only group, a declared reactivation and a user to create.
 */
export function lifecyclePolicy(f: ContractFixture): string {
  const ref = refOf(f);
  return `version: 1
${instanceOf(f, `access_groups: [${f.accessGroup}]`)}
inactivity:
  - { name: seat, inactive_days: 60, action: remove-access }
  - { name: dormant, inactive_days: 150, action: deactivate, never_logged_in: { grace_days: 30 } }
  - { name: purge, inactive_days: 400, action: delete, select: { status: active } }
groups:
  developers: { mode: additive, members: [${ref('alice')}, ${ref('gina')}] }
  qa: { mode: exact, members: [${ref('alice')}] }
  ldap-staff: { mode: additive, members: [${ref('alice')}] }
users:
  - { name: ${ref('erin')}, state: active }
  - { name: ${ref('judy')}, email: judy@example.com, display_name: Judy Jones, state: active }
limits: { max_fraction: 1, max_deletions: 5 }
`;
}

/** How the fixture's policies name a seeded user. */
export function refOf(f: ContractFixture): (username: string) => string {
  return (username) => (f.ref ? f.ref(username) : username);
}

/** The policy's `instance:` line for the fixture's platform, with `keys` (its org where it has one). */
export function instanceOf(f: ContractFixture, keys = ''): string {
  const extra = [f.instanceKeys, keys].filter(Boolean).join(', ');
  return `instance: { platform: ${f.platform}${extra ? `, ${extra}` : ''} }`;
}
