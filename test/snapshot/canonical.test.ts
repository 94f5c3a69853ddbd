// canonical()'s fast path (ASCII without capitals is returned as is) gives what the full form gives.
import { describe, expect, it } from 'vitest';
import { canonical, includesName } from '../../src/model/identity.ts';

describe('canonical', () => {
  it('agrees with NFC + lower case on every ASCII character and on non-ASCII names', () => {
    for (let c = 0; c < 128; c++) {
      const s = `a${String.fromCharCode(c)}z`;
      expect(canonical(s)).toBe(s.normalize('NFC').toLowerCase());
    }
    for (const s of ['Émile', 'e\u0301mile', 'İstanbul', 'STRASSE', 'ß', 'Ωmega'])
      expect(canonical(s)).toBe(s.normalize('NFC').toLowerCase());
  });
  it('includesName compares canonically, remembered or not', () => {
    for (let i = 0; i < 3; i++) {
      expect(includesName(['Jira-Users', 'b'], 'jira-users')).toBe(true);
      expect(includesName(['e\u0301quipe'], 'ÉQUIPE')).toBe(true);
      expect(includesName(['a'], 'b')).toBe(false);
      expect(includesName([], 'a')).toBe(false);
    }
  });
});
