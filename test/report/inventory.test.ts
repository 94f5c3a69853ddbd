// inventory.csv and groups.csv as `aup export` streams them: never-logged-in and licensed-access columns, a row
// per group with its member count, formula cells neutralised; the streamed files byte-equal the whole-text
// writers, and snapshot.json streamed user by user byte-equals JSON.stringify.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeExportFiles } from '../../src/app/export-files.ts';
import type { Snapshot } from '../../src/model.ts';
import { groupsCsv, inventoryCsv } from '../../src/report/csv.ts';
import { snapshotJsonChunks } from '../../src/snapshot/json.ts';
import { largeSnapshot } from '../helpers/large.ts';
import { NOW, snapshot, user } from './fixtures.ts';

const rows = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe('inventory.csv', () => {
  it('says who never logged in (empty when unknown) and how each user holds a seat', () => {
    const snap = snapshot([
      user('alice', { groups: ['Jira-Software-Users', 'devs'] }),
      user('bob', { lastActive: null }),
      user('carol', { lastActive: null, activityKnown: false }),
      user('dan', {
        groups: ['stash-users'],
        access: { groups: ['stash-users'], direct: ['LICENSED_USER'] },
      }),
      user('eve', { groups: [], access: { groups: [], direct: ['LICENSED_USER'] } }),
    ]);
    const parsed = rows(inventoryCsv(snap, NOW, ['jira-software-users']));
    expect(parsed.map((r) => [r.username, r.never_logged_in, r.licensed_access])).toEqual([
      // The instance's spelling of the access group.
      ['alice', 'false', 'Jira-Software-Users'],
      ['bob', 'true', ''],
      ['carol', '', ''],
      // The platform's own answer (Bitbucket), a direct grant named as such.
      ['dan', 'false', 'stash-users;direct LICENSED_USER'],
      ['eve', 'false', 'direct LICENSED_USER'],
    ]);
  });
});

describe('groups.csv', () => {
  const snap: Snapshot = {
    ...snapshot([
      user('alice', { groups: ['devs', 'QA'] }),
      user('bob', { groups: ['devs'] }),
      user('carol', { groups: ['=cmd'] }),
    ]),
    groups: [
      { name: 'devs', readOnly: false },
      { name: 'QA', readOnly: true },
      { name: '=cmd', readOnly: false },
      { name: 'empty', readOnly: false },
    ],
    allGroups: ['devs', 'qa', '=cmd', 'empty', 'not-read'],
  };

  it('has a row per group of the instance: members, read-only, how the policy manages it; unread groups left empty', () => {
    const csv = groupsCsv(snap, { devs: { mode: 'additive' }, qa: { mode: 'exact' } });
    expect(csv.split('\n')[0]).toBe('group,members,read_only,managed');
    expect(rows(csv)).toEqual([
      { group: "'=cmd", members: '1', read_only: 'false', managed: '' },
      { group: 'devs', members: '2', read_only: 'false', managed: 'additive' },
      { group: 'empty', members: '0', read_only: 'false', managed: '' },
      { group: 'not-read', members: '', read_only: '', managed: '' },
      { group: 'QA', members: '1', read_only: 'true', managed: 'exact' },
    ]);
  });
});

describe('streamed files', () => {
  it('snapshot.json made user by user is JSON.stringify(snapshot, null, 2), byte for byte', () => {
    const cases: Snapshot[] = [
      snapshot([]),
      snapshot([user('a'), user('b', { displayName: 'Line\nbreak "quoted" \u2028 é' })]),
      { ...snapshot([user('x')]), version: undefined, self: null, allGroups: [] },
      largeSnapshot(50, NOW),
    ];
    for (const s of cases)
      expect([...snapshotJsonChunks(s)].join('')).toBe(`${JSON.stringify(s, null, 2)}\n`);
  });

  it('aup export writes what the whole-text writers write', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'aup-export-'));
    const s: Snapshot = {
      ...largeSnapshot(2_000, NOW),
      users: [...largeSnapshot(2_000, NOW).users, user('=evil', { displayName: '-2+3, "quoted"' })],
      allGroups: ['jira-software-users', 'other'],
    };
    const policy = {
      instance: { access_groups: ['jira-software-users'] },
      groups: { other: { mode: 'exact' as const, members: [] } },
    } as unknown as Parameters<typeof writeExportFiles>[2];
    const files = await writeExportFiles(dir, s, policy, NOW);
    expect(await readFile(files.inventory, 'utf8')).toBe(inventoryCsv(s, NOW, ['jira-software-users']));
    expect(await readFile(files.groups, 'utf8')).toBe(groupsCsv(s, policy.groups));
    expect(await readFile(files.snapshot, 'utf8')).toBe(`${JSON.stringify(s, null, 2)}\n`);
    expect(await readFile(files.inventory, 'utf8')).toContain(`'=evil,"'-2+3, ""quoted"""`);
  });
});
