// planRevert is pure: from audit rows and a snapshot alone it plans what brings each account and membership back
// to its state before the first change the audit records, and nothing where the instance is there already.
import { describe, expect, it } from 'vitest';
import type { ChangeKind, Snapshot, User } from '../../src/model.ts';
import { type AppliedChange, planRevert } from '../../src/planner/revert.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy } from '../../src/policy/resolved.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const policy = (extra = '') => {
  const p = parsePolicyText(`version: 1\ninstance: { platform: jira-dc }\n${extra}`, 'p.yml').policy!;
  return { path: 'p.yml', sha256: 'x', policy: p, declared: declaredFromPolicy(p) };
};

function user(name: string, active: boolean, groups: string[]): User {
  return {
    id: `id-${name}`,
    name,
    email: null,
    displayName: name.toUpperCase(),
    active,
    lastActive: null,
    activityKnown: true,
    created: null,
    directory: { id: '1', name: 'Internal', readOnly: false },
    groups,
  };
}

const snapshot = (users: User[]): Snapshot => ({
  formatVersion: 2,
  platform: 'jira-dc',
  instance: 'https://jira.example.com',
  takenAt: NOW.toISOString(),
  users,
  groups: ['devs', 'jira-software-users'].map((name) => ({ name, readOnly: false })),
});

let line = 1;
const row = (kind: ChangeKind, u: string, groups: string[] = [], runId = 'r1'): AppliedChange => ({
  kind,
  userId: `id-${u}`,
  user: u,
  groups,
  runId,
  at: '2026-11-20T03:00:00Z',
  file: 'audit.csv',
  line: ++line,
});

const summary = (p: ReturnType<typeof planRevert>) => [
  ...p.changes.map((c) => `${c.kind} ${c.user}${'group' in c ? ` ${c.group}` : ''}`),
  ...p.skipped.map((s) => `skip ${s.why} ${s.kind} ${s.user}`),
];

describe('planRevert', () => {
  it('inverts each change where the instance has not gone back, and lists what cannot be undone', () => {
    const s = snapshot([
      user('bob', false, []),
      user('carl', true, ['devs']),
      user('dan', true, ['devs']),
      user('eve', false, []),
    ]);
    const p = planRevert(
      s,
      policy('limits: { max_fraction: 1 }'),
      [
        row('deactivate', 'bob'),
        row('remove-access', 'bob', ['jira-software-users']),
        row('add-member', 'carl', ['devs']),
        row('remove-member', 'dan', ['devs']), // dan is back in devs already: nothing to do
        row('delete', 'frank'),
        row('create-user', 'gina'),
        row('activate', 'eve'), // eve was inactive before: deactivate her again (she is inactive: nothing)
      ],
      { now: NOW, source: { path: 'audit.csv', sha256: 'abc' } },
    );
    expect(summary(p)).toEqual([
      'activate bob',
      'add-member bob jira-software-users',
      'remove-member carl devs',
      'skip irreversible create-user gina',
      'skip irreversible delete frank',
    ]);
    expect(p.policy).toEqual({ path: 'audit.csv', sha256: 'abc' });
    expect(p.warnings[0]).toMatch(/^remove-access is reverted by re-adding the access groups/);
  });

  it('takes the net effect of several runs: a change undone later needs no revert', () => {
    const s = snapshot([user('bob', true, ['devs']), user('carl', false, [])]);
    const p = planRevert(
      s,
      policy(),
      [
        row('deactivate', 'bob', [], 'r1'),
        row('activate', 'bob', [], 'r2'),
        row('add-member', 'carl', ['devs'], 'r1'),
        row('remove-member', 'carl', ['devs'], 'r2'),
        row('deactivate', 'carl', [], 'r2'),
      ],
      { now: NOW, source: { path: 'audit.csv', sha256: 'abc' } },
    );
    expect(summary(p)).toEqual(['activate carl']);
  });

  it('keeps the policy protections and limits: a protected user is not stripped, limits are checked', () => {
    const s = snapshot([user('svc-bot', true, ['devs']), user('carl', true, ['devs'])]);
    const p = planRevert(
      s,
      policy('protect: { users: ["svc-*"] }\nlimits: { max_removals: 0 }'),
      [row('add-member', 'svc-bot', ['devs']), row('add-member', 'carl', ['devs'])],
      { now: NOW, source: { path: 'audit.csv', sha256: 'abc' } },
    );
    expect(summary(p)).toEqual(['remove-member carl devs', 'skip protected remove-member svc-bot']);
    expect(p.applyable).toBe(false);
    expect(p.limits.find((l) => l.exceeded)?.message).toBe(
      'plan removes 1 group membership, over the limit max_removals 0',
    );
  });
});
