// `aup list` rendering: a table that fits the terminal's width (given, as process.stdout.columns is), json as an
// array of user objects, csv as inventory.csv rows; filters that name nothing on the instance are errors; a
// filter on activity says how many users it could not judge.
import { describe, expect, it } from 'vitest';
import { filterProblems, listUsers, selectUsers } from '../../src/commands/list.ts';
import { fitColumns } from '../../src/commands/table.ts';
import type { Snapshot, User } from '../../src/model.ts';
import { NOW, snapshot, user } from '../report/fixtures.ts';

const people: User[] = [
  user('alice', {
    displayName: 'Alice Liddell-Wonderland',
    email: 'alice.liddell@wonderland.example.com',
    groups: ['developers', 'jira-software-users', 'qa', 'confluence-users'],
  }),
  user('bob', { active: false, lastActive: '2025-01-01T00:00:00Z', groups: ['developers'] }),
  user('carol', { lastActive: null, created: '2026-01-01T00:00:00Z' }),
  user('dan', { lastActive: null, activityKnown: false }),
  user('evil\u001b[31m', { displayName: 'Eve\r\nforged line' }),
];
const snap: Snapshot = {
  ...snapshot(people),
  groups: [
    { name: 'developers', readOnly: false },
    { name: 'qa', readOnly: false },
  ],
  allGroups: ['developers', 'qa', 'design'],
};

describe('aup list: the table', () => {
  it('fits the terminal: every line within its width, the groups and names cut with …', () => {
    const wide = listUsers(snap, { now: NOW, filters: {}, format: 'table' });
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeGreaterThan(100);
    for (const columns of [100, 80, 60]) {
      const out = listUsers(snap, { now: NOW, filters: {}, format: 'table', columns });
      const lines = out.split('\n');
      expect(Math.max(...lines.map((l) => [...l].length)), `${columns}`).toBeLessThanOrEqual(columns);
      expect(lines[0]).toMatch(/^USERNAME\s+DISPLAY NAME\s+EMAIL\s+STATE\s+LAST ACTIVE\s+GROUPS$/);
      expect(out).toContain('…');
      // The username is the last to give way.
      expect(lines[1]!.startsWith('alice ')).toBe(true);
    }
  });

  it('shows state, activity (never, unknown) and a line of what was selected; terminal control characters are gone', () => {
    const out = listUsers(snap, { now: NOW, filters: {}, format: 'table' });
    const row = (name: string) => out.split('\n').find((l) => l.startsWith(name))!;
    expect(row('bob')).toMatch(/\binactive\s+692 days ago\b/);
    expect(row('carol')).toContain('never (created 327 days ago)');
    expect(row('dan')).toMatch(/\bunknown\b/);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
    expect(out.split('\n').filter((l) => l.includes('forged line'))).toHaveLength(1);
    expect(out.split('\n').at(-1)).toBe('5 of 5 users');
  });

  it('a filter on activity counts the users it could not judge; unknown activity is never inactive', () => {
    const out = listUsers(snap, { now: NOW, filters: { inactiveDays: 30 }, format: 'table' });
    expect(out.split('\n').at(-1)).toBe(
      '2 of 5 users: inactive 30 days or more (activity unknown for 1 user: never counted as inactive or as never logged in)',
    );
    expect(selectUsers(snap, { neverLoggedIn: true }, NOW).map((u) => u.name)).toEqual(['carol']);
    // A user who never logged in and whose creation is unknown never logged in all the same.
    const noCreated = snapshot([user('x', { lastActive: null, created: null })]);
    expect(selectUsers(noCreated, { neverLoggedIn: true }, NOW).map((u) => u.name)).toEqual(['x']);
    expect(selectUsers(noCreated, { inactiveDays: 0 }, NOW)).toEqual([]);
  });

  it('adds a directory column where the platform names directories', () => {
    const out = listUsers({ ...snap, directories: ['Internal'] }, { now: NOW, filters: {}, format: 'table' });
    expect(out.split('\n')[0]).toMatch(/LAST ACTIVE\s+DIRECTORY\s+GROUPS$/);
  });
});

describe('aup list: json and csv', () => {
  it('json is an array of the selected users as a snapshot holds them', () => {
    const out = listUsers(snap, { now: NOW, filters: { groups: ['DEVELOPERS'] }, format: 'json' });
    expect(JSON.parse(out)).toEqual([people[0], people[1]]);
  });

  it('csv is inventory.csv of the selected users', () => {
    const out = listUsers(snap, { now: NOW, filters: { name: '*lid*' }, format: 'csv' });
    expect(out.split('\n')).toHaveLength(2);
    expect(out.split('\n')[1]).toMatch(/^id-alice,alice,Alice Liddell-Wonderland,/);
  });
});

describe('aup list: filters that can match no one', () => {
  it('an unknown group is an error with a suggestion; one the snapshot did not read says so', () => {
    expect(filterProblems(snap, { groups: ['developer'] })).toEqual([
      '--group: group "developer" does not exist on the instance (did you mean "developers"?)',
    ]);
    expect(filterProblems(snap, { groups: ['design'] })).toEqual([
      '--group: group "design" exists on the instance but is not in this snapshot (it was taken for another policy); take a new snapshot with this policy',
    ]);
    expect(filterProblems(snap, { groups: ['QA'] })).toEqual([]);
  });

  it('a directory on a platform that names none, or that the instance lacks', () => {
    expect(filterProblems({ ...snap, directories: null }, { directory: 'LDAP' })[0]).toContain(
      'jira-dc does not say over its API which directory a user is in',
    );
    expect(
      filterProblems({ ...snap, directories: ['Internal', 'Corporate LDAP'] }, { directory: 'LDPA' }),
    ).toEqual([
      '--directory: directory "LDPA" does not exist on the instance (the instance has: Internal, Corporate LDAP)',
    ]);
  });
});

describe('fitColumns', () => {
  it('cuts the columns named first down to their heading, and leaves the others', () => {
    const rows = [
      ['A', 'BB', 'C'],
      ['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'],
    ];
    expect(fitColumns(rows)).toEqual(['A           BB          C', 'aaaaaaaaaa  bbbbbbbbbb  cccccccccc']);
    expect(fitColumns(rows, { columns: 24, shrinkOrder: [2, 1] })).toEqual([
      'A           BB      C',
      'aaaaaaaaaa  bbbbb…  ccc…',
    ]);
    // Narrower than the headings allow: the table stays readable and overflows.
    expect(fitColumns(rows, { columns: 5, shrinkOrder: [2, 1] })[1]).toBe('aaaaaaaaaa  bbb…  ccc…');
  });
});
