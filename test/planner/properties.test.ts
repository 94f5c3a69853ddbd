// Properties of the planner over many seeded random instances and policies: protection holds, unknown
// activity is never inactivity, the order of users does not matter, and a plan applied to the instance
// converges (planning again finds nothing left to do).
import { describe, expect, it } from 'vitest';
import { type Change, isDestructive, type Snapshot, type User } from '../../src/model.ts';
import { plan } from '../../src/planner/index.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import { mulberry32 } from '../../src/sandbox/prng.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const DAY = 86_400_000;
const GROUPS = ['jira-software-users', 'developers', 'contractors', 'jira-administrators'];

function randomSnapshot(seed: number, n: number): Snapshot {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const users: User[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    const known = r > 0.05;
    const never = r > 0.05 && r < 0.15;
    const days = Math.floor(rand() * 500);
    users.push({
      id: `k${i}`,
      name: (i < 10 ? 'u' : pick(['ops-', 'svc-', 'u', 'x.'])) + i,
      email: rand() < 0.1 ? null : `u${i}@${pick(['example.com', 'partner.example'])}`,
      displayName: `User ${i}`,
      active: rand() > 0.15,
      lastActive: known && !never ? new Date(NOW.getTime() - days * DAY).toISOString() : null,
      activityKnown: known,
      created: rand() < 0.1 ? null : new Date(NOW.getTime() - (days + 30) * DAY).toISOString(),
      directory:
        rand() < 0.1
          ? { id: 'ldap', name: 'Corporate LDAP', readOnly: true }
          : { id: '1', name: 'Internal', readOnly: false },
      groups: GROUPS.filter(() => rand() < 0.35),
    });
  }
  return {
    formatVersion: 1,
    platform: 'jira-dc',
    instance: 'https://jira.example.com',
    takenAt: NOW.toISOString(),
    self: 'k0',
    adminGroups: ['jira-administrators'],
    users,
    groups: GROUPS.map((name) => ({ name, readOnly: false })),
  };
}

function randomPolicy(seed: number): ResolvedPolicy {
  const rand = mulberry32(seed * 7919);
  const t = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo));
  const text = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
protect: { users: ["svc-*"], groups: [${rand() < 0.5 ? 'contractors' : ''}] }
exceptions: [{ user: u3, until: 2027-01-01, reason: leave }]
inactivity:
  - { name: purge, inactive_days: ${t(200, 400)}, action: delete, exclude: { emails: ["*@partner.example"] } }
  - { name: seat, inactive_days: ${t(30, 60)}, action: remove-access, select: { groups: [jira-software-users] } }
  - name: dormant
    inactive_days: ${t(60, 200)}
    action: deactivate
    exclude: { users: ["ops-*"] }
    never_logged_in: { grace_days: ${t(0, 60)} }
groups:
  developers: { mode: ${rand() < 0.5 ? 'exact' : 'additive'}, members: [u1, u2, u5] }
limits: { max_deletions: 100000, max_fraction: 1 }
`;
  const r = parsePolicyText(text, 'p.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { path: 'p.yml', sha256: '0'.repeat(64), policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

// Staged thresholds (remove-access < deactivate < delete), as the README recommends: with inverted stages a
// user may pass through two of them on consecutive runs, which validation warns about.

/** What the instance looks like once every change of the plan took effect. */
function simulate(s: Snapshot, changes: Change[]): Snapshot {
  const byId = new Map(s.users.map((u) => [u.id, { ...u, groups: [...u.groups] }]));
  for (const c of changes) {
    const u = c.userId ? byId.get(c.userId) : undefined;
    if (!u) continue;
    if (c.kind === 'deactivate') u.active = false;
    if (c.kind === 'activate') u.active = true;
    if (c.kind === 'delete') byId.delete(u.id);
    if (c.kind === 'add-member') u.groups.push(c.group);
    if (c.kind === 'remove-member') u.groups = u.groups.filter((g) => g !== c.group);
    if (c.kind === 'remove-access') u.groups = u.groups.filter((g) => !c.groups.includes(g));
  }
  return { ...s, users: [...byId.values()] };
}

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

describe.each(SEEDS)('planner properties, seed %i', (seed) => {
  const snapshot = randomSnapshot(seed, 120);
  const policy = randomPolicy(seed);
  const p = plan(snapshot, policy, { now: NOW });
  const byId = new Map(snapshot.users.map((u) => [u.id, u]));

  it('never takes anything from a protected user, the token owner, or an unknown-activity user through a rule', () => {
    for (const c of p.changes.filter((x) => isDestructive(x.kind))) {
      const u = byId.get(c.userId!)!;
      expect(u.name.startsWith('svc-'), `${c.kind} ${u.name}`).toBe(false);
      expect(u.id).not.toBe('k0');
      if (policy.policy.protect.groups.includes('contractors')) expect(u.groups).not.toContain('contractors');
      if (c.reason.type === 'inactive') expect(u.activityKnown).toBe(true);
      if (c.kind === 'deactivate' || c.kind === 'delete') expect(u.directory.readOnly).toBe(false);
    }
  });

  it('does not depend on the order of users', () => {
    const reversed = plan({ ...snapshot, users: [...snapshot.users].reverse() }, policy, { now: NOW });
    expect(reversed).toEqual(p);
  });

  it('converges: once the plan took effect, planning again finds nothing to do', () => {
    const after = simulate(snapshot, p.changes);
    const again = plan(after, policy, { now: NOW });
    expect(again.changes.map((c) => `${c.kind} ${c.user} ${'group' in c ? c.group : ''}`)).toEqual([]);
  });
});
