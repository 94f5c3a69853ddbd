import { describe, expect, it } from 'vitest';
import { reasonText, skipText, upcomingText } from '../../src/report/reason.ts';
import {
  addMember,
  createUser,
  deactivate,
  neverLoggedIn,
  removeMember,
  skip,
  upcoming,
} from './fixtures.ts';

describe('reasonText', () => {
  it('shows the inactivity evidence with dates as YYYY-MM-DD', () => {
    expect(reasonText(deactivate('frank'))).toBe(
      'inactive 212 days (last active 2026-04-27), threshold 90 (rule dormant)',
    );
  });

  it('converts an offset timestamp to its UTC day', () => {
    expect(reasonText(deactivate('frank', 1, '2026-04-27T23:30:00-05:00'))).toContain(
      'last active 2026-04-28',
    );
  });

  it('explains never-logged-in users with the creation date and grace', () => {
    expect(reasonText(neverLoggedIn('gina'))).toBe(
      'never logged in, created 2026-01-10 (319 days ago), grace 30 days (rule dormant)',
    );
  });

  it('names the policy source of declared and group changes', () => {
    expect(reasonText(createUser('alice', 'Alice', null))).toBe('declared active in users[0]');
    expect(reasonText(addMember('carol', 'developers'))).toBe('listed in groups.developers');
    expect(reasonText(removeMember('dave', 'developers'))).toBe('not listed in exact group developers');
    const fromUsers = {
      ...addMember('carol', 'qa'),
      reason: {
        type: 'group-member' as const,
        group: 'qa',
        source: { type: 'user' as const, index: 3, name: 'carol' },
      },
    };
    expect(reasonText(fromUsers)).toBe('listed for group qa in users[3]');
  });
});

describe('skipText and upcomingText', () => {
  it('says why and what would have happened', () => {
    expect(skipText(skip('ldap1', 'read-only-directory', 'Corporate LDAP'))).toBe(
      'read-only directory: Corporate LDAP (would deactivate, rule dormant)',
    );
    expect(skipText({ ...skip('x', 'protected', ''), kind: 'remove-member', group: 'admins' })).toBe(
      'protected (would remove from group admins, rule dormant)',
    );
  });

  it('gives the date and distance of an upcoming change', () => {
    expect(upcomingText(upcoming('henry', 7))).toBe('deactivate on 2026-12-01 (in 7 days, rule dormant)');
  });
});
