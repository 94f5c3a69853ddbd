// aup dump without an instance: the policy it writes is valid and plans empty against the snapshot it came from;
// text from the instance cannot break out of a comment; the starter rules follow what the platform can do; the
// schema reference points at the schema from where the file is written.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DumpError, dumpPolicy } from '../../src/app/dump.ts';
import { planOrThrow } from '../../src/app/plan-run.ts';
import { schemaRefFor } from '../../src/commands/dump.ts';
import { capabilityTable, GENERIC_CAPABILITIES } from '../../src/model/capabilities.ts';
import type { Snapshot } from '../../src/model.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy } from '../../src/policy/resolved.ts';
import { NOW, user } from '../report/fixtures.ts';

const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const snap: Snapshot = {
  formatVersion: 2,
  platform: 'jira-dc',
  instance: 'https://jira.example.com',
  version: '10.3.6',
  takenAt: NOW.toISOString(),
  users: [
    user('admin', { groups: ['jira-administrators', 'users'], lastActive: daysAgo(1) }),
    user('alice', { groups: ['users', 'team\nnot: a key'], lastActive: daysAgo(100) }),
    user('bob', { groups: ['users'], lastActive: daysAgo(200) }),
    user('carol', { groups: ['users', 'team\nnot: a key'], lastActive: daysAgo(400) }),
    user('dan', { groups: ['users'], lastActive: null, activityKnown: false }),
  ],
  groups: [
    { name: 'jira-administrators', readOnly: false },
    { name: 'users', readOnly: false },
    { name: 'team\nnot: a key', readOnly: true, readOnlyReason: 'synced\n# from LDAP' },
  ],
  admins: [{ label: 'group jira-administrators', group: 'jira-administrators', members: ['id-admin'] }],
};
const source = parsePolicyText(
  'version: 1\ninstance: { platform: jira-dc, access_groups: [users] }\n',
  'p.yml',
).policy!;

function resolve(text: string) {
  const r = parsePolicyText(text, 'dump.yml');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { path: 'dump.yml', sha256: 'x', policy: r.policy!, declared: declaredFromPolicy(r.policy!) };
}

describe('aup dump', () => {
  it('writes a valid policy whose plan against the same snapshot is empty, even with hostile group names', () => {
    const d = dumpPolicy({
      snapshot: snap,
      policy: source,
      groups: ['USERS', 'team\nnot: a key'],
      schemaRef: '../schema/policy.v1.json',
      now: NOW,
    });
    const r = resolve(d.text);
    expect(Object.keys(r.policy.groups)).toEqual(['users', 'team\nnot: a key']);
    expect(r.policy.groups.users).toEqual({
      mode: 'exact',
      members: ['admin', 'alice', 'bob', 'carol', 'dan'],
    });
    expect(r.policy.protect.groups).toEqual(['jira-administrators']);
    expect(r.policy.inactivity).toEqual([]);
    const plan = planOrThrow(snap, r, NOW, { capabilities: GENERIC_CAPABILITIES });
    expect(plan.changes).toEqual([]);
    // Every line of the header and of the comments is a comment: a line break in a name cannot end one.
    const lines = d.text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schema/policy.v1.json');
    expect(d.text).toContain('  # 2 members today; read-only: synced # from LDAP\n');
    expect(lines.filter((l) => /^\s*#/.test(l)).every((l) => !l.includes('\n'))).toBe(true);
    expect(d.groups).toEqual([
      { name: 'users', members: 5 },
      { name: 'team\nnot: a key', members: 2 },
    ]);
  });

  it('counts each starter rule with the planner: the largest threshold passed wins, unknown activity is skipped', () => {
    const d = dumpPolicy({ snapshot: snap, policy: source, groups: [], schemaRef: 's.json', now: NOW });
    expect(d.starters).toEqual([
      { name: 'seat-90', action: 'remove-access', days: 90, users: 1 },
      { name: 'dormant-180', action: 'deactivate', days: 180, users: 1 },
      { name: 'purge-365', action: 'delete', days: 365, users: 1 },
    ]);
    expect(d.text).toContain(
      '#   seat-90: take the product access of 1 user (skipped: 1 activity-unknown)\n',
    );
    expect(d.text).toContain(
      '# inactivity:\n#   - name: seat-90\n#     inactive_days: 90\n#     action: remove-access\n',
    );
    expect(d.text).toContain(
      '# groups: name groups with aup dump --groups G,... to manage them as mode: exact\n',
    );
  });

  it('leaves out the rules the platform cannot carry out, saying why, and starts at 90 days', () => {
    const caps = capabilityTable(
      { delete: 'DELETE user', 'remove-access': 'leave groups' },
      { deactivate: 'Bitbucket has no deactivation over REST' },
    );
    const noAccessGroups = parsePolicyText('version: 1\ninstance: { platform: jira-dc }\n', 'p.yml').policy!;
    const d = dumpPolicy({
      snapshot: snap,
      policy: noAccessGroups,
      groups: [],
      schemaRef: 's',
      now: NOW,
      capabilities: caps,
    });
    expect(d.starters.map((s) => [s.name, s.action])).toEqual([['purge-365', 'delete']]);
    expect(d.text).toContain(
      '#   (no remove-access rule: it needs instance.access_groups (the groups that grant a seat))\n#   (no deactivate rule: Bitbucket has no deactivation over REST)\n',
    );
    const jira = dumpPolicy({ snapshot: snap, policy: noAccessGroups, groups: [], schemaRef: 's', now: NOW });
    expect(jira.starters.map((s) => [s.name, s.days])).toEqual([
      ['dormant-90', 90],
      ['purge-365', 365],
    ]);
  });

  it('refuses a group the snapshot does not hold, with a suggestion', () => {
    expect(() =>
      dumpPolicy({ snapshot: snap, policy: source, groups: ['user'], schemaRef: 's', now: NOW }),
    ).toThrow(new DumpError('--groups: group "user" does not exist on the instance (did you mean "users"?)'));
  });
});

describe('the schema reference of a dumped policy', () => {
  const cwd = '/repo';
  it("re-points the source policy's own reference from where the dump is written", () => {
    const policyText = '# yaml-language-server: $schema=../schema/policy.v1.json\nversion: 1\n';
    expect(schemaRefFor({ policyPath: 'policies/p.yml', policyText, cwd })).toBe('schema/policy.v1.json');
    expect(
      schemaRefFor({ policyPath: 'policies/p.yml', policyText, outFile: 'policies/new/d.yml', cwd }),
    ).toBe('../../schema/policy.v1.json');
  });

  it('keeps a URL, and names the installed package’s schema when the source has none', () => {
    expect(
      schemaRefFor({
        policyPath: 'p.yml',
        policyText: '# yaml-language-server: $schema=https://example.com/policy.v1.json\n',
        cwd,
      }),
    ).toBe('https://example.com/policy.v1.json');
    expect(
      schemaRefFor({ policyPath: 'p.yml', policyText: 'version: 1\n', outFile: 'policies/d.yml', cwd }),
    ).toBe(path.posix.join('..', 'node_modules/atlassian-user-policy/schema/policy.v1.json'));
  });
});
