// Hand-built plans and snapshots for the report tests. Fixed dates, no clock.
import { CHANGE_KINDS, isDestructive } from '../../src/model.ts';
import type {
  Change,
  ChangeKind,
  LimitCheck,
  Plan,
  RuleRef,
  Skipped,
  Snapshot,
  Upcoming,
  User,
} from '../../src/model.ts';

export const NOW = new Date('2026-11-24T12:00:00Z');

export function user(name: string, extra: Partial<User> = {}): User {
  return {
    id: `id-${name}`,
    name,
    email: `${name}@example.com`,
    displayName: name,
    active: true,
    lastActive: '2026-11-01T09:00:00Z',
    activityKnown: true,
    created: '2025-01-15T08:00:00Z',
    directory: { id: '1', name: 'Internal', readOnly: false },
    groups: [],
    ...extra,
  };
}

/** The inactivity rule most fixtures name. */
export const DORMANT: RuleRef = { type: 'inactivity', name: 'dormant', index: 0 };

export function snapshot(users: User[]): Snapshot {
  return {
    formatVersion: 1,
    platform: 'jira-dc',
    instance: 'https://jira.example.com',
    takenAt: NOW.toISOString(),
    users,
    groups: [],
  };
}

export function deactivate(name: string, days = 212, lastActive = '2026-04-27T10:00:00Z'): Change {
  return {
    kind: 'deactivate',
    user: name,
    userId: `id-${name}`,
    rule: DORMANT,
    reason: { type: 'inactive', lastActive, created: null, neverLoggedIn: false, days, thresholdDays: 90 },
  };
}

export function neverLoggedIn(name: string, kind: 'deactivate' | 'delete' = 'delete'): Change {
  return {
    kind,
    user: name,
    userId: `id-${name}`,
    rule: DORMANT,
    reason: {
      type: 'inactive',
      lastActive: null,
      created: '2026-01-10T00:00:00Z',
      neverLoggedIn: true,
      days: 319,
      thresholdDays: 30,
    },
  };
}

export function addMember(name: string, group: string): Change {
  return {
    kind: 'add-member',
    user: name,
    userId: `id-${name}`,
    group,
    rule: { type: 'group', group },
    reason: { type: 'group-member', group, source: { type: 'group', group } },
  };
}

export function removeMember(name: string, group: string): Change {
  return {
    kind: 'remove-member',
    user: name,
    userId: `id-${name}`,
    group,
    rule: { type: 'group', group },
    reason: { type: 'group-exact', group },
  };
}

export function createUser(name: string, displayName: string, email: string | null): Change {
  return {
    kind: 'create-user',
    user: name,
    userId: null,
    email,
    displayName,
    rule: { type: 'user', index: 0, name },
    reason: { type: 'declared', state: 'active' },
  };
}

export function skip(
  name: string,
  why: Skipped['why'],
  detail: string,
  kind: ChangeKind = 'deactivate',
): Skipped {
  return { user: name, userId: `id-${name}`, rule: DORMANT, kind, why, detail };
}

export function upcoming(name: string, inDays: number): Upcoming {
  const date = new Date(NOW.getTime() + inDays * 86_400_000).toISOString().slice(0, 10);
  return { user: name, userId: `id-${name}`, rule: DORMANT, action: 'deactivate', date, inDays };
}

export function limit(name: LimitCheck['name'], max: number, actual: number, message: string): LimitCheck {
  return { name, limit: max, actual, exceeded: actual > max, message };
}

/** A plan around the given parts; the summary is derived from them the way the planner would. */
export function plan(
  parts: Partial<Pick<Plan, 'changes' | 'skipped' | 'upcoming' | 'limits' | 'warnings'>> = {},
): Plan {
  const changes = parts.changes ?? [];
  const skipped = parts.skipped ?? [];
  const upcomingList = parts.upcoming ?? [];
  const limits = parts.limits ?? [];
  const counts = Object.fromEntries(
    CHANGE_KINDS.map((k) => [k, changes.filter((c) => c.kind === k).length]),
  ) as Record<ChangeKind, number>;
  const skippedCounts: Plan['summary']['skipped'] = {};
  for (const s of skipped) skippedCounts[s.why] = (skippedCounts[s.why] ?? 0) + 1;
  const seatsFreed = changes.filter((c) => ['deactivate', 'delete', 'remove-access'].includes(c.kind)).length;
  return {
    formatVersion: 2,
    generatedAt: NOW.toISOString(),
    policy: { path: 'policies/prod.yml', sha256: 'a'.repeat(64) },
    snapshot: {
      platform: 'jira-dc',
      instance: 'https://jira.example.com',
      takenAt: NOW.toISOString(),
      fingerprint: 'f'.repeat(16),
      users: 4000,
    },
    applyable: limits.every((l) => !l.exceeded),
    changes,
    skipped,
    upcoming: upcomingList,
    upcomingDays: 14,
    limits,
    warnings: parts.warnings ?? [],
    activity: null,
    summary: {
      users: 4000,
      counts,
      total: changes.length,
      destructive: changes.filter((c) => isDestructive(c.kind)).length,
      skipped: skippedCounts,
      upcoming: upcomingList.length,
      seatsFreed,
      saving: seatsFreed > 0 ? { amount: seatsFreed * 8.15, currency: 'USD', per: 'month' } : null,
    },
  };
}

/** The small plan most tests render. */
export function smallPlan(): Plan {
  return plan({
    changes: [
      createUser('alice', 'Alice Liddell', 'alice@example.com'),
      addMember('carol', 'developers'),
      removeMember('dave', 'developers'),
      deactivate('frank'),
      neverLoggedIn('gina'),
    ],
    skipped: [
      skip('admin', 'protected', 'in protect.users'),
      skip('ldap1', 'read-only-directory', 'Corporate LDAP'),
      skip('ldap2', 'read-only-directory', 'Corporate LDAP'),
    ],
    upcoming: [upcoming('henry', 7)],
    limits: [limit('max_deactivations', 10, 2, 'plan deactivates 2 users, limit max_deactivations 10')],
    warnings: ['exception for bob expired on 2026-10-01'],
  });
}
