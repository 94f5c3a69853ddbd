// Every name the policy relies on must exist on the instance: unknown groups and directories are plan
// errors located in the policy with the closest existing name; users and patterns matching no one warn.
import { describe, expect, it } from 'vitest';
import { planOrThrow } from '../../src/app/plan-run.ts';
import type { Snapshot, User } from '../../src/model.ts';
import { closest } from '../../src/model/suggest.ts';
import { formatDiagnostic, PolicyError } from '../../src/policy/diagnostics.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'policies/prod.yml');
  if (!r.policy || !r.locator) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  const locator = r.locator;
  return {
    path: 'policies/prod.yml',
    sha256: '0'.repeat(64),
    policy: r.policy,
    declared: declaredFromPolicy(r.policy),
    locate: (f) => locator.at(f),
  };
}

function user(name: string, last: number, groups: string[]): User {
  return {
    id: `id-${name}`,
    name,
    email: `${name}@example.com`,
    displayName: name,
    active: true,
    lastActive: daysAgo(last),
    activityKnown: true,
    created: daysAgo(2000),
    directory: { id: '1', name: 'Jira Internal Directory', readOnly: false },
    groups,
  };
}

/** An instance whose real admin group is jira-administrators; its member root is dormant. */
function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    formatVersion: 2,
    platform: 'jira-dc',
    instance: 'https://jira.example.com',
    takenAt: NOW.toISOString(),
    directories: null,
    users: [
      user('root', 400, ['jira-administrators', 'jira-software-users']),
      user('ann', 5, ['jira-administrators', 'jira-software-users']),
      user('bob', 300, ['jira-software-users']),
    ],
    // Only the groups the policy names (and that exist) are read; the picker lists every group.
    groups: [
      { name: 'jira-administrators', readOnly: false },
      { name: 'jira-software-users', readOnly: false },
    ],
    allGroups: ['jira-administrators', 'jira-software-users', 'jira-system-administrators', 'contractors'],
    ...extra,
  };
}

function errors(text: string, snap = snapshot()): string[] {
  try {
    planOrThrow(snap, policy(text), NOW);
  } catch (e) {
    if (e instanceof PolicyError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  return [];
}

const HEAD = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
`;
const DORMANT = `inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate }
limits: { max_fraction: 1 }
`;

describe('names the policy relies on', () => {
  it('refuses a misspelt protected group instead of deactivating the real group’s member', () => {
    const text = `${HEAD}protect: { groups: [jira-admins-typo] }\n${DORMANT}`;
    expect(errors(text)).toEqual([
      'policies/prod.yml:3:21: protect.groups[0]: group "jira-admins-typo" does not exist on the instance (did you mean "jira-administrators"?)',
    ]);
    // Spelt right, the protection holds: root is skipped as protected, bob is deactivated.
    const ok = planOrThrow(
      snapshot(),
      policy(`${HEAD}protect: { groups: [Jira-Administrators] }\n${DORMANT}`),
      NOW,
    );
    expect(ok.changes.map((c) => c.user)).toEqual(['bob']);
    expect(ok.skipped).toMatchObject([{ user: 'root', why: 'protected' }]);
  });

  it('checks exclude, select and access groups and declared groups, all at once with their lines', () => {
    const text = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-user] }
inactivity:
  - name: dormant
    inactive_days: 90
    action: deactivate
    select: { groups: [jira-sofware-users] }
    exclude: { groups: [contractor] }
groups:
  ghosts: { mode: additive, members: [] }
limits: { max_fraction: 1 }
`;
    expect(errors(text)).toEqual([
      'policies/prod.yml:2:48: instance.access_groups[0]: group "jira-software-user" does not exist on the instance (did you mean "jira-software-users"?)',
      'policies/prod.yml:7:24: inactivity[0].select.groups[0]: group "jira-sofware-users" does not exist on the instance (did you mean "jira-software-users"?)',
      'policies/prod.yml:8:25: inactivity[0].exclude.groups[0]: group "contractor" does not exist on the instance (did you mean "contractors"?)',
      'policies/prod.yml:10:11: groups.ghosts: group "ghosts" does not exist on the instance',
    ]);
  });

  it('tells a group the snapshot did not read from one the instance lacks', () => {
    const text = `${HEAD}protect: { groups: [contractors] }\n${DORMANT}`;
    expect(errors(text)[0]).toContain(
      'group "contractors" exists on the instance but is not in this snapshot (it was taken for another policy); take a new snapshot with this policy',
    );
  });

  it('refuses directory names where the platform cannot say which directory a user is in, and unknown ones elsewhere', () => {
    const text = `version: 1
instance: { platform: jira-dc, external_directories: [Corporate LDAP] }
`;
    expect(errors(text)[0]).toMatch(
      /^policies\/prod\.yml:2:55: instance\.external_directories\[0\]: jira-dc does not say over its API which directory a user is in, so directory "Corporate LDAP" can match no user; remove it/,
    );
    const listed = snapshot({ directories: ['Jira Internal Directory', 'Corporate LDAP'] });
    expect(errors(text, listed)).toEqual([]);
    const typo = text.replace('Corporate LDAP', 'Corporate LADP');
    expect(errors(typo, listed)).toEqual([
      'policies/prod.yml:2:55: instance.external_directories[0]: directory "Corporate LADP" does not exist on the instance (did you mean "Corporate LDAP"?)',
    ]);
  });

  it('warns about users, emails and patterns that match no one, and exceptions naming nobody', () => {
    const text = `${HEAD}protect: { users: [root, r00t, svc-*] }
exceptions:
  - { user: carol, until: 2027-01-31, reason: leave }
inactivity:
  - name: dormant
    inactive_days: 90
    action: deactivate
    exclude: { users: [bob], emails: ["*@partner.example"] }
limits: { max_fraction: 1 }
`;
    const p = planOrThrow(snapshot(), policy(text), NOW);
    expect(p.warnings).toEqual([
      'protect.users: user "r00t" matches no user of the instance',
      'protect.users: pattern "svc-*" matches no user of the instance',
      'inactivity[0].exclude.emails: pattern "*@partner.example" matches no user of the instance',
      'exceptions[0]: exception for carol names no user of the instance',
    ]);
  });
});

describe('closest', () => {
  it('suggests the nearest name, or nothing when none is near', () => {
    const known = ['jira-administrators', 'jira-software-users', 'developers'];
    expect(closest('jira-admins-typo', known)).toBe('jira-administrators');
    expect(closest('Developer', known)).toBe('developers');
    expect(closest('finance', known)).toBeNull();
  });
});
