import { describe, expect, it } from 'vitest';
import { renderTerminal } from '../../src/report/terminal.ts';
import { deactivate, limit, plan, skip, smallPlan } from './fixtures.ts';

describe('renderTerminal', () => {
  it('renders a terraform-like diff grouped by kind, then skipped, upcoming, warnings, verdict', () => {
    expect(renderTerminal(smallPlan())).toBe(
      [
        'Atlassian user policy plan: policies/prod.yml',
        'jira-dc https://jira.example.com · snapshot 2026-11-24 · 4,000 users',
        '',
        'Create user (1)',
        '  + alice (Alice Liddell <alice@example.com>)  declared active in users[0]',
        '',
        'Add to group (1)',
        '  + carol to developers  listed in groups.developers',
        '',
        'Remove from group (1)',
        '  - dave from developers  not listed in exact group developers',
        '',
        'Deactivate (1)',
        '  ~ frank  inactive 212 days (last active 2026-04-27), threshold 90 (rule dormant)',
        '',
        'Delete (1)',
        '  - gina  never logged in, created 2026-01-10 (319 days ago), grace 30 days (rule dormant)',
        '',
        'Skipped (3)',
        '  protected (1): admin',
        '  read-only directory (2): ldap1, ldap2',
        '',
        'Upcoming in the next 14 days (1)',
        '  henry: deactivate on 2026-12-01 (in 7 days, rule dormant)',
        '',
        'Warnings (1)',
        '  ! exception for bob expired on 2026-10-01',
        '',
        'Plan: 1 user to create, 1 membership to add, 1 membership to remove, 1 to deactivate, 1 to delete. ' +
          '3 skipped. Applyable.',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing changes', () => {
    const out = renderTerminal(plan());
    expect(out.trimEnd().split('\n').at(-1)).toBe('No changes. The instance matches the policy.');
  });

  it('aligns reasons within a kind', () => {
    const out = renderTerminal(plan({ changes: [deactivate('al'), deactivate('bartholomew')] }));
    expect(out).toContain('  ~ al           inactive 212 days');
    expect(out).toContain('  ~ bartholomew  inactive 212 days');
  });

  it('caps skipped names per reason with "… and N more"', () => {
    const skipped = Array.from({ length: 15 }, (_v, i) => skip(`ext${i}`, 'read-only-directory', 'LDAP'));
    const out = renderTerminal(plan({ skipped }));
    expect(out).toContain(
      '  read-only directory (15): ext0, ext1, ext2, ext3, ext4, ext5, ext6, ext7, ext8, ext9 … and 5 more',
    );
    expect(out).toContain('No changes. The instance matches the policy. 15 skipped.');
  });

  it('is NOT applyable with the limit messages when a limit is exceeded', () => {
    const message = 'plan deactivates 212 of 4,000 users (5.3%), over the limit max_fraction 0.05';
    const p = plan({ changes: [deactivate('frank')], limits: [limit('max_fraction', 0.05, 0.053, message)] });
    const out = renderTerminal(p);
    expect(out).toContain(`Limits exceeded\n  ✗ max_fraction (limit 0.05, actual 0.053): ${message}`);
    expect(out.trimEnd().split('\n').at(-1)).toBe(`Plan: 1 to deactivate. NOT applyable: ${message}`);
  });

  it('strips control characters from user text', () => {
    const out = renderTerminal(
      plan({ changes: [deactivate('evil\u001b[2J\nPlan: 0 to delete. Applyable.\r')] }),
    );
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
    expect(out).toContain('  ~ evil[2J Plan: 0 to delete. Applyable.   inactive 212 days');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderTerminal(smallPlan())).not.toContain('\u001b[');
    const coloured = renderTerminal(smallPlan(), { color: true });
    expect(coloured).toContain('\u001b[33m~\u001b[0m frank');
    expect(coloured).toContain('\u001b[31m-\u001b[0m gina');
    expect(coloured).toContain('\u001b[32m+\u001b[0m carol');
  });
});
