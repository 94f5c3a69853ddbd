// The pull request's own changes: head plan vs the base branch's plan, grouped by rule, and the
// section placed under the status line of the comment at every degradation level.
import { describe, expect, it } from 'vitest';
import type { Change, Plan } from '../../src/model.ts';
import { renderMarkdownWithLevel } from '../../src/report/markdown.ts';
import { byRule, diffPlans, type PolicyRules, renderPrDiff } from '../../src/report/pr-diff.ts';
import { addMember, createUser, deactivate, neverLoggedIn, plan, removeMember } from './fixtures.ts';

const withSha = (p: Plan, sha: string): Plan => ({ ...p, policy: { ...p.policy, sha256: sha.repeat(64) } });
const purge = (name: string): Change => ({
  ...neverLoggedIn(name),
  rule: { type: 'inactivity', name: 'purge', index: 1 },
});

/** Base: dormant deactivates frank; developers is additive. Head: adds purge and makes developers exact. */
const BASE_RULES: PolicyRules = { dormant: 'inactivity', 'groups.developers': 'additive' };
const planned = (plan: Plan, rules: PolicyRules = BASE_RULES) => ({ kind: 'planned' as const, plan, rules });
function basePlan(): Plan {
  return withSha(plan({ changes: [deactivate('frank'), addMember('carol', 'developers')] }), 'a');
}
function headPlan(): Plan {
  return withSha(
    plan({
      changes: [
        createUser('alice', 'Alice', 'alice@example.com'),
        addMember('carol', 'developers'),
        removeMember('dave', 'developers'),
        removeMember('erin', 'developers'),
        deactivate('frank'),
        deactivate('gus'),
        purge('p1'),
        purge('p2'),
        purge('p3'),
      ],
    }),
    'b',
  );
}

describe('diffPlans and byRule', () => {
  it('keeps the changes only the head plan has, and those it drops, compared by changeKey', () => {
    const base = withSha(plan({ changes: [deactivate('frank'), deactivate('old')] }), 'a');
    const frank = { ...deactivate('FRANK'), userId: 'id-frank' }; // same account, other spelling
    const head = withSha(plan({ changes: [frank, deactivate('gus')] }), 'b');
    const { added, dropped } = diffPlans(base, head);
    expect(added.map((c) => c.user)).toEqual(['gus']);
    expect(dropped.map((c) => c.user)).toEqual(['old']);
  });

  it('groups by rule and tells new rules and newly exact groups from rules the base already has', () => {
    const head = headPlan();
    const rules = byRule(diffPlans(basePlan(), head).added, head, BASE_RULES);
    const flags = { firstEnforcement: false, exactGroup: false, nowExact: false };
    expect(rules).toEqual([
      {
        rule: 'users',
        type: 'user',
        counts: { 'create-user': 1 },
        total: 1,
        ...flags,
        firstEnforcement: true,
      },
      {
        rule: 'groups.developers',
        type: 'group',
        counts: { 'remove-member': 2 },
        total: 2,
        ...flags,
        exactGroup: true,
        nowExact: true,
      },
      { rule: 'dormant', type: 'inactivity', counts: { deactivate: 1 }, total: 1, ...flags },
      {
        rule: 'purge',
        type: 'inactivity',
        counts: { delete: 3 },
        total: 3,
        ...flags,
        firstEnforcement: true,
      },
    ]);
    // A group exact on both sides that only gains members is neither new nor newly exact.
    const exact = byRule([addMember('zed', 'developers')], head, { 'groups.developers': 'exact' });
    expect(exact[0]).toMatchObject({ firstEnforcement: false, exactGroup: true, nowExact: false });
  });
});

describe('renderPrDiff', () => {
  it('names each rule with how many users the edit touches, newly enforced rules first', () => {
    const md = renderPrDiff(headPlan(), planned(basePlan()), { baseName: 'main (1a2b3c4)' });
    expect(md).toBe(
      [
        '#### Changes this pull request adds',
        '',
        "7 changes come only from this pull request's edit of the policy: the policy on main \\(1a2b3c4\\) " +
          'does not plan them against the same snapshot.',
        '',
        '- rule **purge** — **newly enforced**: ⚠️ delete 3 users',
        '- exact group **developers** — **now exact** (additive on the base branch): ⚠️ remove 2 members',
        '- declared **users** — **newly enforced**: create 1 user',
        '- rule **dormant**: ⚠️ deactivate 1 user',
      ].join('\n'),
    );
  });

  it('says what the edit drops, and shows caveats', () => {
    const base = withSha(plan({ changes: [deactivate('frank'), deactivate('old')] }), 'a');
    const head = withSha(plan({ changes: [deactivate('frank')] }), 'b');
    const md = renderPrDiff(head, { ...planned(base), caveats: ['groups <x> were not read'] });
    expect(md).toContain("This pull request's edit of the policy adds no change");
    expect(md).toContain(
      'The edit also drops 1 change the policy on the base branch plans: rule **dormant** 1.',
    );
    expect(md).toContain('_Note: groups &lt;x&gt; were not read_');
  });

  it('escapes rule and group names from the policy', () => {
    const evil: Change = {
      ...deactivate('x'),
      rule: { type: 'inactivity', name: '@team <b>*x*</b>', index: 0 },
    };
    const md = renderPrDiff(
      withSha(plan({ changes: [evil, addMember('y', '#1 [g](u)')] }), 'b'),
      planned(withSha(plan(), 'a')),
    );
    expect(md).toContain('rule **@&#8203;team &lt;b&gt;\\*x\\*&lt;/b&gt;**');
    expect(md).toContain('group **#&#8203;1 \\[g\\]\\(u\\)**');
    expect(md).not.toMatch(/<b>|@team|\[g\]\(/);
  });

  it('calls every change new when the policy file is new', () => {
    const md = renderPrDiff(headPlan(), { kind: 'new-file' });
    expect(md).toContain('The policy file is new in this pull request');
    expect(md).toContain('all 9 changes come from it');
    expect(md).toContain('- rule **purge**: ⚠️ delete 3 users');
    expect(md).not.toContain('newly enforced');
  });

  it('notes that the base could not be planned, with the reason escaped', () => {
    const md = renderPrDiff(headPlan(), { kind: 'unavailable', reason: 'policies/p.yml:3:5: bad <input>' });
    expect(md).toContain('> [!NOTE]');
    expect(md).toContain('could not be planned (policies/p.yml:3:5: bad &lt;input&gt;)');
  });

  it('lists at most maxRules rules, then how many more', () => {
    const changes = Array.from({ length: 5 }, (_, i) => ({
      ...deactivate(`u${i}`),
      rule: { type: 'inactivity' as const, name: `r${i}`, index: i },
    }));
    const md = renderPrDiff(withSha(plan({ changes }), 'b'), planned(withSha(plan(), 'a')), { maxRules: 2 });
    expect(md.match(/^- rule/gm)).toHaveLength(2);
    expect(md).toContain('- … and 3 more rules (3 changes)');
  });
});

describe('renderMarkdown preface', () => {
  const big = () =>
    withSha(plan({ changes: Array.from({ length: 3000 }, (_, i) => deactivate(`user-${i}`)) }), 'b');
  const preface = renderPrDiff(big(), { kind: 'new-file' });

  it('sits right after the status line', () => {
    const { body, level } = renderMarkdownWithLevel(big(), { preface, maxLength: 1e9 });
    expect(level).toBe('full');
    const lines = body.split('\n');
    expect(lines[2]).toMatch(/^\*\*✅ Applyable\.\*\*/);
    expect(lines.slice(3, 6)).toEqual(['', '#### Changes this pull request adds', '']);
  });

  it('is kept at every degradation level', () => {
    const levels = [1e9, 60_000, 1_000].map((maxLength) => {
      const { body, level } = renderMarkdownWithLevel(big(), { preface, maxLength });
      expect(body, level).toContain('- rule **dormant**: ⚠️ deactivate 3,000 users');
      expect(body.length).toBeLessThanOrEqual(maxLength);
      return level;
    });
    expect(levels).toEqual(['full', 'counts', 'summary']);
  });

  it('changes nothing when empty', () => {
    expect(renderMarkdownWithLevel(big(), { preface: '' })).toEqual(renderMarkdownWithLevel(big()));
  });
});
