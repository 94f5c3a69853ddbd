// The planner's memory of earlier runs (their audit): a user re-activated by hand is held back for
// reactivation_cooldown_days, counted in UTC days from the first run that saw it; restore_on_return gives the access
// groups back to a user active again since this tool removed them.
import { describe, expect, it } from 'vitest';
import type { Snapshot, User } from '../../src/model.ts';
import { HELD_BACK, type HistoryEntry, plan } from '../../src/planner/index.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import { reasonText } from '../../src/report/reason.ts';

const policy = (text: string): ResolvedPolicy => {
  const r = parsePolicyText(text, 'p.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { path: 'p.yml', sha256: '0'.repeat(64), policy: r.policy, declared: declaredFromPolicy(r.policy) };
};

const bob = (extra: Partial<User> = {}): User => ({
  id: 'id-bob',
  name: 'bob',
  email: 'bob@example.com',
  displayName: 'Bob',
  active: true,
  lastActive: '2026-01-10T09:00:00Z',
  activityKnown: true,
  created: '2025-01-01T00:00:00Z',
  directory: { id: '1', name: 'Internal', readOnly: false },
  groups: ['jira-software-users'],
  ...extra,
});

const snapshot = (users: User[]): Snapshot => ({
  formatVersion: 2,
  platform: 'jira-dc',
  instance: 'https://jira.example.com',
  takenAt: '2026-11-01T00:00:00Z',
  users,
  groups: [{ name: 'jira-software-users', readOnly: false }],
});

const entry = (e: Partial<HistoryEntry> & Pick<HistoryEntry, 'at' | 'kind'>): HistoryEntry => ({
  run: 'r1',
  userId: 'id-bob',
  user: 'bob',
  groups: [],
  rule: 'dormant',
  outcome: 'applied',
  error: null,
  ...e,
});

const DORMANT = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate }
limits: { max_fraction: 1 }
`;

const deactivated = entry({ at: '2026-10-20T03:00:00Z', kind: 'deactivate' });

describe('reactivation cooldown', () => {
  it('holds back a user this tool deactivated and an admin re-activated, counted from the first run that saw it', () => {
    const seen = entry({
      at: '2026-11-01T23:59:00Z',
      kind: 'deactivate',
      outcome: 'skipped',
      error: `${HELD_BACK} after …`,
    });
    const at = (now: string) =>
      plan(snapshot([bob()]), policy(DORMANT), { now: new Date(now), history: [deactivated, seen] });
    // Seen on 2026-11-01: held through 2026-11-14 (14 days), deactivated again on 2026-11-15 at any hour.
    const last = at('2026-11-14T23:59:59Z');
    expect(last.changes).toEqual([]);
    expect(last.skipped).toMatchObject([{ user: 'bob', why: 'reactivated-by-hand', kind: 'deactivate' }]);
    expect(last.skipped[0]!.detail).toBe(
      `${HELD_BACK} after this tool deactivated it on 2026-10-20 (run r1), first seen 2026-11-01; left alone until 2026-11-14 (reactivation_cooldown_days 14)`,
    );
    const next = at('2026-11-15T00:00:00Z');
    expect(next.changes.map((c) => [c.kind, c.user])).toEqual([['deactivate', 'bob']]);
    expect(next.skipped).toEqual([]);
  });

  it('counts from today when no run saw it yet; a cooldown of 0 holds nobody; the policy sets the days', () => {
    const now = new Date('2026-11-05T12:00:00Z');
    const first = plan(snapshot([bob()]), policy(DORMANT), { now, history: [deactivated] });
    expect(first.skipped[0]!.detail).toContain('first seen today; left alone until 2026-11-18');
    const none = plan(snapshot([bob()]), policy(`${DORMANT}reactivation_cooldown_days: 0\n`), {
      now,
      history: [deactivated],
    });
    expect(none.changes.map((c) => c.kind)).toEqual(['deactivate']);
    const two = plan(snapshot([bob()]), policy(`${DORMANT}reactivation_cooldown_days: 2\n`), {
      now,
      history: [deactivated],
    });
    expect(two.skipped[0]!.detail).toContain('left alone until 2026-11-06');
  });

  it('holds nobody the tool re-activated itself, or without history, or still inactive', () => {
    const now = new Date('2026-11-05T12:00:00Z');
    const byTool = entry({ at: '2026-10-25T00:00:00Z', kind: 'activate' });
    expect(
      plan(snapshot([bob()]), policy(DORMANT), { now, history: [deactivated, byTool] }).changes,
    ).toHaveLength(1);
    expect(plan(snapshot([bob()]), policy(DORMANT), { now }).changes).toHaveLength(1);
    const failed = { ...deactivated, outcome: 'failed' as const };
    expect(plan(snapshot([bob()]), policy(DORMANT), { now, history: [failed] }).changes).toHaveLength(1);
  });
});

const SEATS = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: seats, inactive_days: 90, action: remove-access, restore_on_return: true }
limits: { max_fraction: 1 }
`;

describe('welcome back (restore_on_return)', () => {
  const removed = entry({
    at: '2026-06-01T03:00:00Z',
    kind: 'remove-access',
    rule: 'seats',
    groups: ['jira-software-users'],
  });
  const now = new Date('2026-11-25T00:00:00Z');

  it('plans the access groups back for a user active since the removal, with that reason', () => {
    const back = bob({ groups: [], lastActive: '2026-11-20T08:00:00Z' });
    const p = plan(snapshot([back]), policy(SEATS), { now, history: [removed] });
    expect(p.changes).toMatchObject([
      { kind: 'add-member', user: 'bob', group: 'jira-software-users', rule: { name: 'seats' } },
    ]);
    expect(reasonText(p.changes[0]!)).toBe(
      'welcome back: active 2026-11-20 since this tool removed the access on 2026-06-01 (run r1, rule seats restore_on_return)',
    );
  });

  it('restores nothing without restore_on_return, before any activity since, or when already back', () => {
    const idle = bob({ groups: [], lastActive: '2026-05-01T08:00:00Z' });
    expect(plan(snapshot([idle]), policy(SEATS), { now, history: [removed] }).changes).toEqual([]);
    const back = bob({ groups: [], lastActive: '2026-11-20T08:00:00Z' });
    const off = SEATS.replace(', restore_on_return: true', '');
    expect(plan(snapshot([back]), policy(off), { now, history: [removed] }).changes).toEqual([]);
    const already = bob({ lastActive: '2026-11-20T08:00:00Z' });
    expect(plan(snapshot([already]), policy(SEATS), { now, history: [removed] }).changes).toEqual([]);
  });
});
