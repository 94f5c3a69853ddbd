// Day arithmetic at its boundaries (src/days.ts): thresholds count UTC calendar days, the upcoming window
// includes its last day, and the planner, the reports and `aup list` count the same days.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { listUsers } from '../../src/commands/list.ts';
import { daysBetween, isoDay } from '../../src/days.ts';
import type { Plan, Snapshot, User } from '../../src/model.ts';
import { parseActivityCsv } from '../../src/platforms/shared/activity-csv.ts';
import { plan } from '../../src/planner/index.ts';
import { loadPolicy } from '../../src/policy/load.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';
import { inventoryCsv } from '../../src/report/csv.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { reasonText, upcomingText } from '../../src/report/reason.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { loadSnapshot } from '../../src/snapshot/load.ts';

const DAY = 86_400_000;

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(text, 'p.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { path: 'p.yml', sha256: '0'.repeat(64), policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

const DORMANT = policy(`version: 1
instance: { platform: jira-dc }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 30 } }
limits: { max_fraction: 1 }
report: { upcoming_days: 14 }
`);

function user(name: string, lastActive: string | null, created = '2020-01-01T00:00:00.000Z'): User {
  return {
    id: `id-${name}`,
    name,
    email: null,
    displayName: name,
    active: true,
    lastActive,
    activityKnown: true,
    created,
    directory: { id: '1', name: 'Internal', readOnly: false },
    groups: [],
  };
}

function snapshot(users: User[], takenAt: string): Snapshot {
  return {
    formatVersion: 1,
    platform: 'jira-dc',
    instance: 'https://jira.example.com',
    takenAt,
    users,
    groups: [],
  };
}

function planAt(now: string, users: User[], p = DORMANT): Plan {
  return plan(snapshot(users, now), p, { now: new Date(now) });
}

const deactivated = (p: Plan) => p.changes.filter((c) => c.kind === 'deactivate').map((c) => c.user);

describe('day arithmetic (src/days.ts)', () => {
  it('counts UTC calendar days: the time of day does not matter, the date does', () => {
    expect(daysBetween('2026-08-27T23:59:59.999Z', '2026-11-25T00:00:00.000Z')).toBe(90);
    expect(daysBetween('2026-08-27T00:00:00.000Z', '2026-11-25T23:59:59.999Z')).toBe(90);
    expect(daysBetween('2026-08-28T00:00:00.000Z', '2026-11-25T23:59:59.999Z')).toBe(89);
    expect(daysBetween('2026-11-25T23:59:59.999Z', '2026-11-25T00:00:00.000Z')).toBe(0);
    expect(daysBetween('2026-11-26T00:00:00.000Z', '2026-11-25T23:59:59.999Z')).toBe(-1);
    expect(isoDay(new Date('2026-11-25T23:59:59.999Z'))).toBe('2026-11-25');
  });
});

describe('inactivity thresholds at the boundary (inactive_days: 90)', () => {
  // 2026-08-27 + 90 days = 2026-11-25.
  it('exactly 90 days: acts, to the millisecond around midnight UTC', () => {
    const p = planAt('2026-11-25T00:00:00.000Z', [user('last-ms', '2026-08-27T23:59:59.999Z')]);
    expect(deactivated(p)).toEqual(['last-ms']);
    expect(reasonText(p.changes[0]!)).toBe(
      'inactive 90 days (last active 2026-08-27), threshold 90 (rule dormant)',
    );
    expect(p.upcoming).toEqual([]);
  });

  it('89 days: waits, and is upcoming tomorrow (in 1 day)', () => {
    // One millisecond before midnight: still 2026-11-24, day 89.
    const p = planAt('2026-11-24T23:59:59.999Z', [user('last-ms', '2026-08-27T00:00:00.000Z')]);
    expect(p.changes).toEqual([]);
    expect(p.upcoming).toEqual([expect.objectContaining({ user: 'last-ms', date: '2026-11-25', inDays: 1 })]);
    expect(upcomingText(p.upcoming[0]!)).toBe('deactivate on 2026-11-25 (in 1 day, rule dormant)');
  });

  it('91 days: acts and says 91 (the dates are 91 days apart, though only 90 days and 1 ms elapsed)', () => {
    const p = planAt('2026-11-25T00:00:00.000Z', [user('older', '2026-08-26T23:59:59.999Z')]);
    expect(deactivated(p)).toEqual(['older']);
    expect(p.changes[0]!.reason).toMatchObject({ days: 91, thresholdDays: 90 });
  });

  it('never logged in: counts from the creation date against grace_days, and says "today" for 0 days', () => {
    const now = '2026-11-25T00:00:00.000Z';
    const p = planAt(now, [
      user('created-30', null, '2026-10-26T23:59:59.999Z'),
      user('created-29', null, '2026-10-27T00:00:00.000Z'),
    ]);
    expect(deactivated(p)).toEqual(['created-30']);
    expect(reasonText(p.changes[0]!)).toBe(
      'never logged in, created 2026-10-26 (30 days ago), grace 30 days (rule dormant)',
    );
    expect(p.upcoming).toEqual([
      expect.objectContaining({ user: 'created-29', date: '2026-11-26', inDays: 1 }),
    ]);
    const noGrace = policy(`version: 1
instance: { platform: jira-dc }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 0 } }
limits: { max_fraction: 1 }
`);
    const today = planAt(now, [user('new', null, '2026-11-25T08:00:00.000Z')], noGrace);
    expect(reasonText(today.changes[0]!)).toBe(
      'never logged in, created 2026-11-25 (today), grace 0 days (rule dormant)',
    );
    const yesterday = planAt(now, [user('new', null, '2026-11-24T23:00:00.000Z')], noGrace);
    expect(reasonText(yesterday.changes[0]!)).toContain('created 2026-11-24 (1 day ago)');
  });

  it('activity timestamps with offsets count on their UTC date (CSV activity source)', () => {
    const activity = parseActivityCsv(
      [
        'username,last_login',
        // 01:00 in Berlin on 08-28 is 23:00 UTC on 08-27: 90 days on 2026-11-25.
        'berlin,2026-08-28T01:00:00+02:00',
        // 17:00 in San Francisco on 08-27 is 01:00 UTC on 08-28: 89 days on 2026-11-25.
        'sf,2026-08-27T17:00:00-08:00',
      ].join('\n'),
      'activity.csv',
    );
    expect(activity.get('berlin')).toBe('2026-08-27T23:00:00.000Z');
    const users = ['berlin', 'sf'].map((n) => user(n, activity.get(n) ?? null));
    const p = planAt('2026-11-25T00:00:00.000Z', users);
    expect(deactivated(p)).toEqual(['berlin']);
    expect(reasonText(p.changes[0]!)).toContain('inactive 90 days (last active 2026-08-27)');
    expect(p.upcoming).toEqual([expect.objectContaining({ user: 'sf', date: '2026-11-26', inDays: 1 })]);
  });
});

describe('the upcoming window (report.upcoming_days: 14, its last day included)', () => {
  const now = '2026-11-25T00:00:00.000Z';
  // Crossing 90 days on now + k days: last active (now + k − 90) days, at 18:30 UTC.
  const crossingIn = (k: number) =>
    user(`in-${k}`, new Date(Date.parse(now) + (k - 90) * DAY + 66_600_000).toISOString());

  it('holds the thresholds reached on the next 14 dates, the 14th included, and says 14', () => {
    const p = planAt(now, [crossingIn(1), crossingIn(14), crossingIn(15)]);
    expect(p.upcoming.map((u) => [u.user, u.date, u.inDays])).toEqual([
      ['in-1', '2026-11-26', 1],
      ['in-14', '2026-12-09', 14],
    ]);
    expect(p.upcomingDays).toBe(14);
    expect(renderMarkdown(p)).toContain('<details><summary>Upcoming in the next 14 days (2)</summary>');
    expect(renderTerminal(p)).toContain('Upcoming in the next 14 days (2)');
    expect(upcomingText(p.upcoming[1]!)).toBe('deactivate on 2026-12-09 (in 14 days, rule dormant)');
  });

  it('the demo: every upcoming date is --now plus its "in N days", and the heading says 14', async () => {
    const resolved = await loadPolicy('policies/example.yml');
    expect(resolved.policy.report.upcoming_days).toBe(14);
    const snap = await loadSnapshot('examples/snapshot.json');
    const at = new Date('2026-11-25');
    const p = plan(snap, resolved, { now: at });
    expect(p.upcoming.length).toBeGreaterThan(0);
    for (const u of p.upcoming) {
      expect(u.date, u.user).toBe(isoDay(new Date(at.getTime() + u.inDays * DAY)));
      expect(u.inDays).toBeGreaterThanOrEqual(1);
      expect(u.inDays).toBeLessThanOrEqual(14);
    }
    const anna = p.upcoming.find((u) => u.user === 'anna.boehm');
    expect(anna && upcomingText(anna)).toBe('deactivate on 2026-11-29 (in 4 days, rule dormant)');
    expect(renderMarkdown(p)).toContain(`Upcoming in the next 14 days (${p.upcoming.length})`);
    // The example comment the README links (docs/example-comment.md) says the same.
    const comment = await readFile('docs/example-comment.md', 'utf8');
    expect(comment).toContain(`Upcoming in the next 14 days (${p.upcoming.length})`);
    for (const doc of [comment, await readFile('README.md', 'utf8')])
      expect(doc).not.toMatch(/Upcoming in the next (?!14 )\d+ days/);
  });
});

describe('reports and aup list count the days the planner counts', () => {
  it('inventory.csv days_inactive and aup list agree with the plan at the boundary', () => {
    const now = new Date('2026-11-25T00:00:00.000Z');
    const snap = snapshot(
      [
        user('ninety', '2026-08-27T23:59:59.999Z'),
        user('yesterday', '2026-11-24T23:59:59.999Z'),
        user('today', '2026-11-25T00:00:00.000Z'),
        user('never', null, '2026-11-25T00:00:00.000Z'),
      ],
      now.toISOString(),
    );
    const csv = inventoryCsv(snap, now);
    expect(csv).toContain('ninety,ninety,,true,2026-08-27T23:59:59.999Z,90,');
    expect(csv).toContain('yesterday,yesterday,,true,2026-11-24T23:59:59.999Z,1,');
    expect(csv).toContain('today,today,,true,2026-11-25T00:00:00.000Z,0,');
    const listed = listUsers(snap, { now, format: 'table', filters: {} }).split('\n');
    const row = (name: string) => listed.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('ninety')).toContain('90 days ago');
    expect(row('yesterday')).toContain('1 day ago');
    expect(row('today')).toContain('today');
    expect(row('today')).not.toContain('0 days');
    expect(row('never')).toContain('never (created today)');
    const only = listUsers(snap, { now, format: 'table', filters: { inactiveDays: 90 } });
    const lines = only.split('\n');
    expect(lines.slice(1, lines.indexOf('')).map((l) => l.split(' ')[0])).toEqual(['ninety']);
    expect(only.trimEnd().split('\n').at(-1)).toBe('1 of 4 users: inactive 90 days or more');
  });
});
