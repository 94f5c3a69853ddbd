import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ApplyResult } from '../../src/model.ts';
import {
  AUDIT_COLUMNS,
  auditCsvHeader,
  auditCsvRow,
  auditRecord,
  inventoryCsv,
  planCsv,
} from '../../src/report/csv.ts';
import { NOW, createUser, deactivate, removeMember, smallPlan, snapshot, user } from './fixtures.ts';

function rows(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true }) as Record<string, string>[];
}

describe('planCsv', () => {
  it('writes one row per change, skip and upcoming entry with a header and LF endings', () => {
    const csv = planCsv(smallPlan());
    expect(csv.split('\n')[0]).toBe('type,kind,user,user_id,group,rule,reason,detail');
    expect(csv).not.toContain('\r');
    expect(csv.endsWith('\n')).toBe(true);
    const parsed = rows(csv);
    expect(parsed.map((r) => `${r.type}:${r.kind}:${r.user}`)).toEqual([
      'change:create-user:alice',
      'change:add-member:carol',
      'change:remove-member:dave',
      'change:deactivate:frank',
      'change:delete:gina',
      'skipped:deactivate:admin',
      'skipped:deactivate:ldap1',
      'skipped:deactivate:ldap2',
      'upcoming:deactivate:henry',
    ]);
    expect(parsed[3]).toEqual({
      type: 'change',
      kind: 'deactivate',
      user: 'frank',
      user_id: 'id-frank',
      group: '',
      rule: 'dormant',
      reason: 'inactive',
      detail: 'inactive 212 days (last active 2026-04-27), threshold 90 (rule dormant)',
    });
    expect(parsed[2]).toMatchObject({ group: 'developers', reason: 'group-exact' });
    expect(parsed[6]).toMatchObject({ reason: 'read-only-directory', detail: 'Corporate LDAP' });
  });

  it('neutralises formulas in every user-controlled cell', () => {
    const p = smallPlan();
    p.changes = [
      createUser('=cmd', '=HYPERLINK("http://evil","click")', '@evil.example'),
      removeMember('-2+3', '+group'),
    ];
    p.skipped = [];
    p.upcoming = [];
    const csv = planCsv(p);
    expect(csv).toContain(
      `change,create-user,'=cmd,,,users[0],declared,"'=HYPERLINK(""http://evil"",""click"") <@evil.example>`,
    );
    const parsed = rows(csv);
    expect(parsed[0]!.user).toBe("'=cmd");
    expect(parsed[1]).toMatchObject({ user: "'-2+3", group: "'+group" });
    for (const row of parsed) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('inventoryCsv', () => {
  const snap = snapshot([
    user('zoe', { lastActive: '2026-08-26T12:00:00Z', groups: ['jira-users', 'Developers'] }),
    user('Adam', { lastActive: '2026-11-24T11:59:59Z' }),
    user('bob', { lastActive: null }),
    user('carl', { lastActive: null, activityKnown: false }),
    user('dora', { lastActive: '2026-12-01T00:00:00Z' }),
    user('=evil', {
      displayName: '-2+3',
      email: '@x',
      directory: { id: '2', name: 'LDAP', readOnly: true },
      active: false,
    }),
  ]);

  it('lists every user sorted case-insensitively, with whole days inactive at a fixed now', () => {
    const parsed = rows(inventoryCsv(snap, NOW));
    expect(parsed.map((r) => r.username)).toEqual(["'=evil", 'Adam', 'bob', 'carl', 'dora', 'zoe']);
    const days = Object.fromEntries(parsed.map((r) => [r.username, [r.last_active, r.days_inactive]]));
    expect(days).toEqual({
      "'=evil": ['2026-11-01T09:00:00Z', '23'],
      Adam: ['2026-11-24T11:59:59Z', '0'],
      bob: ['never', ''],
      carl: ['', ''],
      dora: ['2026-12-01T00:00:00Z', '0'],
      zoe: ['2026-08-26T12:00:00Z', '90'],
    });
  });

  it('writes the columns, booleans, directory and sorted groups, neutralised', () => {
    const csv = inventoryCsv(snap, NOW);
    expect(csv.split('\n')[0]).toBe(
      'id,username,display_name,email,active,last_active,days_inactive,never_logged_in,created,directory,read_only,groups,licensed_access',
    );
    const parsed = rows(csv);
    expect(parsed.find((r) => r.username === 'zoe')!.groups).toBe('Developers;jira-users');
    expect(parsed[0]).toMatchObject({
      display_name: "'-2+3",
      email: "'@x",
      active: 'false',
      directory: 'LDAP',
      read_only: 'true',
    });
  });
});

describe('audit CSV', () => {
  const result: ApplyResult = {
    change: deactivate('frank'),
    outcome: 'failed',
    error: '=500 Internal',
    at: '2026-11-24T12:00:05Z',
  };
  const record = auditRecord(
    result,
    {
      runId: '42',
      trigger: 'schedule',
      actor: 'github-actions',
      platform: 'jira-dc',
      instance: 'https://jira.example.com',
      commit: 'abc123',
      runUrl: 'https://github.com/o/r/actions/runs/42',
    },
    'frank@example.com',
  );

  it('has a fixed header and appendable LF-terminated rows', () => {
    expect(auditCsvHeader()).toBe(`${AUDIT_COLUMNS.join(',')}\n`);
    const line = auditCsvRow(record);
    expect(line).toBe(
      '2026-11-24T12:00:05Z,42,schedule,github-actions,jira-dc,https://jira.example.com,deactivate,id-frank,frank,' +
        'frank@example.com,,dormant,"inactive 212 days (last active 2026-04-27), threshold 90 (rule dormant)",failed,\'=500 Internal,abc123,https://github.com/o/r/actions/runs/42\n',
    );
    const parsed = rows(
      auditCsvHeader() + line + auditCsvRow({ ...record, outcome: 'applied', error: null }),
    );
    expect(parsed.map((r) => [r.outcome, r.error])).toEqual([
      ['failed', "'=500 Internal"],
      ['applied', ''],
    ]);
  });

  it('takes group and email from the change where it has them', () => {
    const r = auditRecord(
      { change: removeMember('dave', 'developers'), outcome: 'applied', at: '2026-11-24T12:00:06Z' },
      {
        runId: '42',
        trigger: 'push',
        actor: 'octocat',
        platform: 'jira-dc',
        instance: 'x',
        commit: null,
        runUrl: null,
      },
    );
    expect(r).toMatchObject({
      group: 'developers',
      email: null,
      error: null,
      reason: 'not listed in exact group developers',
    });
  });
});
