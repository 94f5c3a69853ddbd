// Drift from two consecutive inventories: the first written by inventoryCsv, read back by parseInventoryCsv, compared
// with the next snapshot; what this tool applied (the audit history) is not drift.
import { describe, expect, it } from 'vitest';
import { parseInventoryCsv } from '../../src/app/inventory-file.ts';
import type { Snapshot, User } from '../../src/model.ts';
import { computeDrift } from '../../src/planner/drift.ts';
import type { HistoryEntry } from '../../src/planner/index.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { driftCsv, driftMarkdown, driftTerminal } from '../../src/report/drift.ts';
import { inventoryCsv } from '../../src/report/inventory.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const u = (name: string, groups: string[], extra: Partial<User> = {}): User => ({
  id: `id-${name}`,
  name,
  email: `${name}@example.com`,
  displayName: name,
  active: true,
  lastActive: '2026-11-01T00:00:00Z',
  activityKnown: true,
  created: null,
  directory: { id: '1', name: 'Internal', readOnly: false },
  groups,
  ...extra,
});
const snap = (users: User[]): Snapshot => ({
  formatVersion: 2,
  platform: 'jira-dc',
  instance: 'https://jira.example.com',
  takenAt: NOW.toISOString(),
  users,
  groups: [],
  admins: [{ label: 'group jira-administrators', group: 'jira-administrators', members: [] }],
});
const policy = parsePolicyText(
  `version: 1
instance: { platform: jira-dc }
protect: { groups: [security] }
groups:
  developers: { mode: additive, members: [alice] }
`,
  'p.yml',
).policy!;

describe('drift', () => {
  const yesterday = snap([
    u('alice', ['developers']),
    u('bob', ['developers']),
    u('carol', [], { active: false }),
    u('dave', ['developers']),
    u('erin', ['developers']),
    u('=cmd', []),
  ]);
  const today = snap([
    u('alice', ['developers']),
    u('bob', []), // removed by hand
    u('carol', []), // re-activated by hand
    u('erin', []), // removed by this tool
    u('=cmd', ['jira-administrators', 'security', 'developers']),
    u('frank', ['developers']),
  ]);
  const previous = parseInventoryCsv(inventoryCsv(yesterday, NOW), 'prev/inventory.csv');
  const history: HistoryEntry[] = [
    {
      at: '2026-11-20T00:00:00Z',
      run: 'r9',
      kind: 'remove-member',
      userId: 'id-erin',
      user: 'erin',
      groups: ['developers'],
      rule: 'groups.developers',
      outcome: 'applied',
      error: null,
    },
    {
      at: '2026-10-01T00:00:00Z',
      run: 'r1',
      kind: 'deactivate',
      userId: 'id-carol',
      user: 'carol',
      groups: [],
      rule: 'dormant',
      outcome: 'applied',
      error: null,
    },
  ];

  it('lists what changed outside the policy, in every output, CSV-neutralised and Markdown-escaped', () => {
    const drift = computeDrift(previous, today, policy, 'prev/inventory.csv', history);
    expect(driftTerminal({ kind: 'computed', drift })).toBe(
      [
        'Drift since prev/inventory.csv: 7 changes outside the policy',
        '  =cmd added to developers (managed group) outside the policy',
        '  frank added to developers (managed group) outside the policy',
        '  =cmd added to jira-administrators (admin group) outside the policy',
        '  =cmd added to security (protected group) outside the policy',
        '  bob removed from developers (managed group) outside the policy',
        '  dave removed from developers (managed group) outside the policy',
        '  carol re-activated by hand after this tool deactivated the account on 2026-10-01',
        '  note: jira-administrators had no member in the previous inventory (empty then, or not read by that run): 1 current member is listed as added',
        '  note: security had no member in the previous inventory (empty then, or not read by that run): 1 current member is listed as added',
      ].join('\n'),
    );
    const csv = driftCsv(drift);
    expect(csv.split('\n')[0]).toBe('kind,user,user_id,group,role,detail');
    expect(csv).toContain("member-added,'=cmd,id-=cmd,developers,managed,'=cmd added to developers");
    expect(driftMarkdown({ kind: 'computed', drift })).toContain('- carol re-activated by hand');
  });

  it('is empty between identical inventories, and says so', () => {
    const drift = computeDrift(previous, yesterday, policy, 'prev/inventory.csv');
    expect(drift.entries).toEqual([]);
    expect(driftTerminal({ kind: 'computed', drift })).toBe(
      'No drift since prev/inventory.csv: nothing changed outside the policy',
    );
  });

  it('says when there is no previous inventory, never "no drift"', () => {
    const text = driftMarkdown({ kind: 'unavailable', reason: 'no previous inventory (first run?)' });
    expect(text).toMatch(/Drift not computed: no previous inventory \\?\(first run\\?\?\\?\)/);
    expect(text).not.toMatch(/No drift/);
  });

  it('refuses a damaged inventory with the line', () => {
    expect(() => parseInventoryCsv('id,username,active,groups\nx,y,maybe,\n', 'i.csv')).toThrow(
      /i.csv:2:1: active: expected true or false, got "maybe"/,
    );
  });
});
