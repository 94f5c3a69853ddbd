// Policy patterns (`*`, `?`) match as a RegExp would, without its backtracking: a pattern from a pull request
// cannot hang validation or planning. The bound is proven by counting comparisons, never by timing.
import { describe, expect, it } from 'vitest';
import type { Snapshot, User } from '../../src/model.ts';
import { plan } from '../../src/planner/index.ts';
import { compileGlob, type GlobCounter, globMatches, matchCompiled, Matcher } from '../../src/policy/glob.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy } from '../../src/policy/resolved.ts';
import { mulberry32 } from '../../src/sandbox/prng.ts';

/** The old implementation, as an oracle on short inputs (where its backtracking does not matter). */
function oracle(pattern: string, value: string): boolean {
  const body = Array.from(pattern)
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'isu').test(value);
}

describe('glob patterns', () => {
  it('match exactly as the anchored RegExp did, on 5,000 seeded pattern/value pairs', () => {
    const rand = mulberry32(13);
    const alphabet = ['a', 'b', 'A', '.', '@', '*', '?', 'é', '-'];
    const word = (n: number, chars: string[]) =>
      Array.from({ length: n }, () => chars[Math.floor(rand() * chars.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const pattern = word(Math.floor(rand() * 8), alphabet);
      const value = word(
        Math.floor(rand() * 10),
        alphabet.filter((c) => c !== '*' && c !== '?'),
      );
      expect({ pattern, value, m: globMatches(pattern, value) }).toEqual({
        pattern,
        value,
        m: oracle(pattern, value),
      });
    }
  });

  it('examples: case-insensitive, ? is one character, * any run', () => {
    expect(globMatches('svc-*', 'SVC-backup')).toBe(true);
    expect(globMatches('*@partner.example', 'Bob@Partner.Example')).toBe(true);
    expect(globMatches('u?', 'u12')).toBe(false);
    expect(globMatches('*a*b*', 'xxaxxbxx')).toBe(true);
    expect(globMatches('*a*b*', 'xxbxxaxx')).toBe(false);
    expect(new Matcher(['ops-*', 'alice']).matchesAny('nobody', 'OPS-1')).toBe(true);
  });

  it('never compares more than |pattern| × |value| characters, on pathological patterns', () => {
    const cases = [
      ['*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000)],
      ['*' + 'a'.repeat(200) + 'b*', 'a'.repeat(5000)],
      ['*?*?*?*?*?*?*?*?*?*?*x', 'y'.repeat(5000)],
      ['a*'.repeat(2000) + 'b', 'a'.repeat(5000)],
      ['*'.repeat(10_000), 'a'.repeat(5000)],
    ];
    for (const [pattern, value] of cases) {
      const counter: GlobCounter = { steps: 0 };
      matchCompiled(compileGlob(pattern!), value!, counter);
      expect(counter.steps, pattern!.slice(0, 30)).toBeLessThanOrEqual(
        (pattern!.length + 1) * (value!.length + 1),
      );
    }
    // A pattern with more fixed characters than the value is refused without comparing anything.
    const counter: GlobCounter = { steps: 0 };
    expect(matchCompiled(compileGlob('?'.repeat(100_000)), 'short', counter)).toBe(false);
    expect(counter.steps).toBe(0);
  });

  it('planning a policy with a backtracking pattern against a long username finishes', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const text = `version: 1
instance: { platform: jira-dc }
protect: { users: ["${pattern}"] }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate, exclude: { users: ["${pattern}"], emails: ["${pattern}"] } }
limits: { max_fraction: 1 }
`;
    const parsed = parsePolicyText(text, 'p.yml');
    expect(parsed.diagnostics).toEqual([]);
    const long = 'a'.repeat(3000);
    const users: User[] = [long, `${long}c`].map((name, i) => ({
      id: `k${i}`,
      name,
      email: `${name}@example.com`,
      displayName: name,
      active: true,
      lastActive: '2020-01-01T00:00:00Z',
      activityKnown: true,
      created: '2019-01-01T00:00:00Z',
      directory: { id: '1', name: 'Internal', readOnly: false },
      groups: [],
    }));
    const snapshot: Snapshot = {
      formatVersion: 2,
      platform: 'jira-dc',
      instance: 'https://jira.example.com',
      takenAt: '2026-11-25T00:00:00Z',
      users,
      groups: [],
    };
    const p = plan(
      snapshot,
      { path: 'p.yml', sha256: 'x', policy: parsed.policy!, declared: declaredFromPolicy(parsed.policy!) },
      { now: new Date('2026-11-25T00:00:00Z') },
    );
    expect(p.changes.map((c) => `${c.kind} ${c.user.length}`)).toEqual([
      'deactivate 3000',
      'deactivate 3001',
    ]);
  });
});
