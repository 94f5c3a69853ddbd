// remove-access on a platform with direct grants (Bitbucket's own LICENSED_USER permission): every report
// says what the change takes away — the access groups and the direct permission — never an empty "from".
import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/model.ts';
import { planCsv } from '../../src/report/csv.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { DORMANT, plan } from './fixtures.ts';

function removeAccess(name: string, groups: string[], direct?: string[]): Change {
  return {
    kind: 'remove-access',
    user: name,
    userId: `id-${name}`,
    rule: DORMANT,
    reason: {
      type: 'inactive',
      lastActive: '2026-04-27T10:00:00Z',
      created: null,
      neverLoggedIn: false,
      days: 212,
      thresholdDays: 90,
    },
    groups,
    ...(direct ? { direct } : {}),
  };
}

const seats = plan({
  changes: [
    removeAccess('bob', ['stash-users'], ['LICENSED_USER']),
    removeAccess('gina', [], ['LICENSED_USER']),
    removeAccess('ivan', ['stash-users']),
  ],
});

describe('remove-access with direct grants', () => {
  it('names the groups and the direct permission in the terminal', () => {
    const text = renderTerminal(seats);
    expect(text).toContain(
      '  - bob from stash-users and the direct LICENSED_USER permission  inactive 212 days',
    );
    expect(text).toContain('  - gina from the direct LICENSED_USER permission  inactive 212 days');
    expect(text).toMatch(/^ {2}- ivan from stash-users +inactive 212 days/m);
  });

  it('names them in the Markdown table', () => {
    const md = renderMarkdown(seats);
    expect(md).toContain('| bob | stash-users and the direct LICENSED\\_USER permission |');
    expect(md).toContain('| gina | the direct LICENSED\\_USER permission |');
    expect(md).toContain('| ivan | stash-users |');
  });

  it('says in plan.csv which direct permission is dropped', () => {
    const rows = planCsv(seats).split('\n');
    expect(rows.find((r) => r.includes(',gina,'))).toMatch(
      /,,dormant,inactive,".*; drops the direct LICENSED_USER permission"$/,
    );
    expect(rows.find((r) => r.includes(',ivan,'))).not.toContain('drops');
  });
});
