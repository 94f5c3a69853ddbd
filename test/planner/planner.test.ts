import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Snapshot, User } from '../../src/model.ts';
import { capabilityTable } from '../../src/model/capabilities.ts';
import { ruleText } from '../../src/model/rules.ts';
import { plan, PlanInputError } from '../../src/planner/index.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'p.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { path: 'p.yml', sha256: '0'.repeat(64), policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

function user(name: string, last: number | null, extra: Partial<User> = {}): User {
  return {
    id: `id-${name}`,
    name,
    email: `${name}@example.com`,
    displayName: name,
    active: true,
    lastActive: last === null ? null : daysAgo(last),
    activityKnown: true,
    created: daysAgo(1000),
    directory: { id: '1', name: 'Internal', readOnly: false },
    groups: ['jira-software-users'],
    ...extra,
  };
}

function snapshot(users: User[], extra: Partial<Snapshot> = {}): Snapshot {
  return {
    formatVersion: 1,
    platform: 'jira-dc',
    instance: 'https://jira.example.com',
    takenAt: NOW.toISOString(),
    users,
    groups: [
      { name: 'jira-software-users', readOnly: false },
      { name: 'jira-administrators', readOnly: false },
    ],
    ...extra,
  };
}

const LIFECYCLE = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: delete, inactive_days: 365, action: delete }
  - { name: seat, inactive_days: 60, action: remove-access }
  - { name: dormant, inactive_days: 90, action: deactivate }
limits: { max_deletions: 10, max_fraction: 1 }
`;

describe('planner', () => {
  it('is deterministic: the order of users in the snapshot does not change the plan', () => {
    const users = [user('a', 70), user('b', 100), user('c', 400), user('d', 5), user('e', 95)];
    const p1 = plan(snapshot(users), policy(LIFECYCLE), { now: NOW });
    const p2 = plan(snapshot([...users].reverse()), policy(LIFECYCLE), { now: NOW });
    expect(p2).toEqual(p1);
    expect(p1.changes.map((c) => `${c.kind}:${c.user}`)).toEqual([
      'remove-access:a',
      'deactivate:b',
      'deactivate:e',
      'delete:c',
    ]);
  });

  it('the largest passed threshold wins, ties go to the first listed rule', () => {
    const p = policy(`version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: first, inactive_days: 90, action: remove-access }
  - { name: second, inactive_days: 90, action: deactivate }
limits: { max_fraction: 1 }
`);
    const out = plan(snapshot([user('a', 100)]), p, { now: NOW });
    expect(out.changes.map((c) => `${c.kind}:${ruleText(c.rule)}`)).toEqual(['remove-access:first']);
  });

  it('never deactivates the last active admin, nor the account behind the credentials', () => {
    const admins = [
      user('root', 200, { groups: ['jira-administrators'] }),
      user('ops', 300, { groups: ['jira-administrators'] }),
      user('me', 500),
    ];
    const out = plan(
      snapshot(admins, { adminGroups: ['jira-administrators'], self: 'id-me' }),
      policy(LIFECYCLE),
      { now: NOW },
    );
    expect(out.changes.map((c) => `${c.kind}:${c.user}`)).toEqual(['deactivate:ops']);
    expect(out.skipped.map((s) => `${s.user}:${s.why}:${s.detail}`)).toEqual([
      'root:protected:last active member of admin group jira-administrators',
      'me:protected:the account behind the credentials',
    ]);
  });

  it('lists a platform capability gap as skipped unsupported, never drops it', () => {
    const out = plan(snapshot([user('a', 100)]), policy(LIFECYCLE), {
      now: NOW,
      capabilities: capabilityTable(
        { 'remove-access': 'leave groups', delete: 'delete user' },
        { deactivate: 'no deactivate over REST' },
      ),
    });
    expect(out.changes).toEqual([]);
    expect(out.skipped).toMatchObject([
      { user: 'a', why: 'unsupported', detail: 'no deactivate over REST', kind: 'deactivate' },
    ]);
  });

  it('refuses a snapshot of another platform than the policy names', () => {
    expect(() => plan({ ...snapshot([]), platform: 'crowd' }, policy(LIFECYCLE), { now: NOW })).toThrow(
      PlanInputError,
    );
  });

  it('an empty instance yields an empty plan, and the fraction limit holds at zero users', () => {
    const out = plan(snapshot([]), policy(LIFECYCLE), { now: NOW });
    expect(out.changes).toEqual([]);
    expect(out.applyable).toBe(true);
  });
});

describe('purity', () => {
  it('the planner imports no I/O module, reads no environment and no clock', () => {
    const dir = path.join(import.meta.dirname, '../../src/planner');
    for (const f of readdirSync(dir)) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) {
        expect(i, `${f} imports ${i}`).toMatch(/^(\.\.?\/|node:crypto$)/);
        expect(i, `${f} imports ${i}`).not.toMatch(
          /\/(http|platforms\/(?!types)|github|sandbox|executor|commands)/,
        );
      }
      expect(src, f).not.toMatch(/process\.|new Date\(\)|Date\.now\(|Math\.random\(/);
    }
  });
});

describe('exact groups', () => {
  it('an exact group with no members is emptied (protected members excepted)', () => {
    const p = policy(`version: 1
instance: { platform: jira-dc }
protect: { users: [keeper] }
groups:
  jira-software-users: { mode: exact, members: [] }
limits: { max_removals: 10 }
`);
    const out = plan(snapshot([user('a', 1), user('keeper', 1), user('b', 1, { groups: [] })]), p, {
      now: NOW,
    });
    expect(out.changes.map((c) => `${c.kind}:${c.user}`)).toEqual(['remove-member:a']);
    expect(out.skipped.map((s) => `${s.kind}:${s.user}:${s.why}`)).toEqual([
      'remove-member:keeper:protected',
    ]);
  });
});

describe('the policy does not fight itself', () => {
  it('a user the policy names as a group member is not deleted, nor removed from that group by a rule', () => {
    const p = policy(`version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: seat, inactive_days: 60, action: remove-access }
  - { name: purge, inactive_days: 365, action: delete }
groups:
  jira-software-users: { mode: additive, members: [kept] }
  developers: { mode: additive, members: [ancient] }
limits: { max_deletions: 5, max_fraction: 1 }
`);
    const s = snapshot([
      user('kept', 100),
      user('ancient', 500, { groups: ['jira-software-users', 'developers'] }),
      user('other', 100),
    ]);
    s.groups.push({ name: 'developers', readOnly: false });
    const out = plan(s, p, { now: NOW });
    expect(out.changes.map((c) => `${c.kind}:${c.user}`)).toEqual([
      'remove-access:ancient',
      'remove-access:other',
    ]);
    expect(out.skipped.map((x) => `${x.kind}:${x.user}:${x.why}:${x.detail}`)).toEqual([
      'remove-access:kept:excluded:named as a member of jira-software-users by the policy',
      'delete:ancient:excluded:named as a member of developers by the policy',
    ]);
  });
});

describe('a platform that cannot create users', () => {
  it('skips the memberships of a declared user who does not exist, with the reason, instead of planning them', () => {
    const p = policy(`version: 1
instance: { platform: jira-dc }
groups:
  jira-software-users: { mode: additive, members: [zed] }
users:
  - { name: zed, email: zed@example.com }
`);
    const caps = capabilityTable(
      { 'add-member': 'add to group' },
      { 'create-user': 'no user creation over REST' },
    );
    const out = plan(snapshot([user('a', 5)]), p, { now: NOW, capabilities: caps });
    expect(out.changes).toEqual([]);
    expect(out.skipped.map((s) => `${s.why} ${s.kind} ${s.user} ${s.group ?? ''}`)).toEqual([
      'unsupported create-user zed ',
      'unsupported add-member zed jira-software-users',
    ]);
    expect(out.skipped[1]?.detail).toBe(
      'zed does not exist and cannot be created here: no user creation over REST',
    );
  });
});
