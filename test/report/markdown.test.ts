import { describe, expect, it } from 'vitest';
import { type Change, SKIP_REASONS } from '../../src/model.ts';
import { activityHistogram } from '../../src/report/markdown-sections.ts';
import { markerComment, renderMarkdown, renderMarkdownWithLevel } from '../../src/report/markdown.ts';
import {
  addMember,
  createUser,
  deactivate,
  limit,
  neverLoggedIn,
  plan,
  removeMember,
  skip,
  smallPlan,
} from './fixtures.ts';

const OPTS = {
  marker: '<!-- aup:policies/prod.yml -->',
  runUrl: 'https://github.com/acme/policies/actions/runs/42',
  artifactName: 'aup-plan',
};
const POINTER = 'plan.md, plan.json of the artifact **aup-plan**';

/** Cells of a Markdown table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1);
}

function manyChanges(n: number): Change[] {
  const makers = [
    (i: number) => deactivate(`dormant.user.${i}`),
    (i: number) => neverLoggedIn(`never.user.${i}`),
    (i: number) => addMember(`member.${i}`, 'developers'),
    (i: number) => removeMember(`leaver.${i}`, 'jira-administrators'),
  ];
  return Array.from({ length: n }, (_v, i) => makers[i % makers.length]!(i));
}

describe('renderMarkdown', () => {
  it('shows seats and the saving per product where the plan has them (escaped)', () => {
    const plan = smallPlan();
    plan.summary.seatsByProduct = { confluence: 1, jira_software: 2 };
    plan.summary.saving = {
      amount: 23.6,
      currency: 'USD',
      per: 'month',
      byProduct: { jira_software: 17.2 },
      unpriced: ['confluence'],
    };
    const { body } = renderMarkdownWithLevel(plan, OPTS);
    expect(body).toContain(
      '**Seats freed:** 2 (confluence 1, jira\\_software 2) · **Estimated saving:** 23.60 USD per month (jira\\_software 17.20); not priced in report.seat_cost.products: confluence',
    );
  });

  it('renders the full report for a small plan, marker first', () => {
    const { body, level } = renderMarkdownWithLevel(smallPlan(), OPTS);
    expect(level).toBe('full');
    const lines = body.split('\n');
    expect(lines[0]).toBe('<!-- aup:policies/prod.yml -->');
    expect(lines[1]).toBe('### Atlassian user policy: policies/prod.yml');
    expect(body).toContain(
      '**✅ Applyable.** Plan: 1 user to create, 1 membership to add, 1 membership to remove, 1 to deactivate, 1 to delete. 3 skipped.',
    );
    expect(body).toContain('| ⚠️ **Deactivate** | 1 |');
    expect(body).toContain('| Add to group | 1 |');
    expect(body).toContain('| **Total** | **5** (3 destructive) |');
    expect(body).toContain('**Seats freed:** 2 · **Estimated saving:** 16.30 USD per month');
    expect(body).toContain('**Skipped:** 3 (protected 1 · read-only directory 2)');
    expect(body).toContain('> [!WARNING]\n> - exception for bob expired on 2026-10-01');
    expect(body).toContain('<details><summary>⚠️ <b>Deactivate</b> (1)</summary>');
    expect(body).toContain(
      '| frank | dormant | inactive 212 days \\(last active 2026-04-27\\), threshold 90 \\(rule dormant\\) |',
    );
    expect(body).toContain(
      '| dave | developers | groups.developers | not listed in exact group developers |',
    );
    expect(body).toContain('<details><summary>Skipped: read-only directory (2)</summary>');
    expect(body).toContain('<details><summary>Upcoming in the next 14 days (1)</summary>');
    expect(body).toContain('| max\\_deactivations | 10 | 2 | ✅ ok |');
    expect(body).not.toContain('xychart-beta');
    expect(body.trimEnd().split('\n').at(-1)).toBe(
      `[Workflow run](https://github.com/acme/policies/actions/runs/42) · Full plan in ${POINTER}`,
    );
  });

  it('says when the instance already matches', () => {
    expect(renderMarkdown(plan())).toContain('**✅ No changes. The instance matches the policy.**');
  });

  it('shows NOT applyable with the limit messages and their numbers', () => {
    const message = 'plan deactivates 212 of 4,000 users (5.3%), over the limit max_fraction 0.05';
    const body = renderMarkdown(
      plan({ changes: [deactivate('frank')], limits: [limit('max_fraction', 0.05, 0.053, message)] }),
    );
    expect(body).toContain('**⛔ NOT applyable.** Plan: 1 to deactivate.');
    expect(body).toContain(
      '- plan deactivates 212 of 4,000 users \\(5.3%\\), over the limit max\\_fraction 0.05',
    );
    expect(body).toContain('| max\\_fraction | 0.05 | 0.053 | ⛔ exceeded |');
  });

  it('escapes user-controlled text: no HTML, no mentions, no links, no extra cells', () => {
    const evil = plan({
      changes: [
        createUser('@octocat', '<img src=x onerror=alert(1)>', 'x@evil.com'),
        addMember('| pipe', '[click](http://evil)'),
        { ...deactivate('line\nbreak'), rule: { type: 'inactivity', name: '**bold**', index: 0 } },
      ],
      skipped: [skip('@hubot', 'protected', '<script>alert(1)</script>')],
      warnings: ['exception for @admin expired'],
    });
    const body = renderMarkdown(evil, OPTS);
    expect(body).not.toMatch(/<img|<script/);
    expect(body).not.toMatch(/@(octocat|hubot|admin|evil)/);
    expect(body).toContain('@&#8203;octocat');
    expect(body).not.toContain('](http://evil');
    expect(body).toContain('\\[click\\]\\(http:&#8203;//evil\\)');
    expect(body).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(body).toContain('\\*\\*bold\\*\\*');
    const pipeRow = body.split('\n').find((l) => l.startsWith('| \\| pipe'));
    expect(pipeRow && cells(pipeRow)).toHaveLength(4);
    const createRow = body.split('\n').find((l) => l.startsWith('| @&#8203;octocat'));
    expect(createRow && cells(createRow)).toHaveLength(5);
    expect(body).toContain('| line break | \\*\\*bold\\*\\* |');
  });

  it('adds the activity chart with the rule thresholds under it', () => {
    const body = renderMarkdown(smallPlan(), {
      activity: {
        days: [3, 45, 200, 400, null, null],
        thresholds: [
          { rule: 'stale_users', days: 180 },
          { rule: 'dormant', days: 90 },
        ],
      },
    });
    expect(body).toContain(
      [
        '```mermaid',
        'xychart-beta',
        '    title "Users by days since last activity (6 users)"',
        '    x-axis "Days since last activity" ["0–30", "31–60", "61–90", "91–180", "181–365", ">365", "never/unknown"]',
        '    y-axis "Users"',
        '    bar [1, 1, 0, 0, 1, 1, 2]',
        '```',
        '',
        'Rule thresholds: dormant 90 days · stale\\_users 180 days',
      ].join('\n'),
    );
  });

  it('buckets days since last activity at the boundaries', () => {
    expect(activityHistogram([0, 30, 31, 60, 61, 90, 91, 180, 181, 365, 366, null, -2])).toEqual([
      3, 2, 2, 2, 2, 1, 1,
    ]);
  });
});

describe('renderMarkdown size limit', () => {
  it('keeps 20,000 changes under 65,536 characters with the summary and the artifact pointer', () => {
    const p = plan({ changes: manyChanges(20_000) });
    const { body, level } = renderMarkdownWithLevel(p, OPTS);
    expect(body.length).toBeLessThan(65_536);
    expect(level).toBe('counts');
    expect(body.startsWith('<!-- aup:policies/prod.yml -->\n')).toBe(true);
    expect(body).toContain(
      'Plan: 5,000 memberships to add, 5,000 memberships to remove, 5,000 to deactivate, 5,000 to delete.',
    );
    expect(body).toContain('| **Total** | **20,000** (15,000 destructive) |');
    expect(body).toContain(
      "This report was shortened to fit GitHub's size limit. The full plan is in " + POINTER,
    );
    expect(body).toContain('<details><summary>⚠️ <b>Deactivate</b> (5,000)</summary>');
    expect(body).toMatch(/_… and 4,9\d\d more in plan\.md, plan\.json of the artifact \*\*aup-plan\*\*\._/);
    expect(body.trimEnd().split('\n').at(-1)).toContain(`Full plan in ${POINTER}`);
  });

  it('reaches each level as the limit shrinks, never exceeding it', () => {
    const p = plan({
      changes: manyChanges(400),
      skipped: SKIP_REASONS.map((why) => skip(`s-${why}`, why, 'detail')),
    });
    const levelAt = (maxLength: number) => {
      const { body, level } = renderMarkdownWithLevel(p, { ...OPTS, maxLength });
      expect(body.length).toBeLessThanOrEqual(maxLength);
      return level;
    };
    expect(levelAt(200_000)).toBe('full');
    expect(levelAt(20_000)).toBe('counts');
    expect(levelAt(6_000)).toBe('counts');
    expect(levelAt(2_500)).toBe('summary');
    const counts = renderMarkdownWithLevel(p, { ...OPTS, maxLength: 6_000 }).body;
    expect(counts).toContain('<details><summary>⚠️ <b>Delete</b> (100)</summary>');
    expect(counts).toContain(`_… and 95 more in ${POINTER}._`);
    const summary = renderMarkdownWithLevel(p, { ...OPTS, maxLength: 2_500 }).body;
    expect(summary).toContain('| **Total** | **400** (300 destructive) |');
    expect(summary).not.toContain('<details>');
    expect(summary).toContain(
      '**Skipped:** 8 (protected 1 · excluded by the rule 1 · exception 1 · read-only directory 1',
    );
    expect(summary).toContain("> This report was shortened to fit GitHub's size limit.");
    expect(summary).toContain(`Full plan in ${POINTER}`);
  });

  it('cuts even the summary when the limit is absurdly small, keeping the marker first', () => {
    const { body, level } = renderMarkdownWithLevel(plan({ changes: manyChanges(40) }), {
      ...OPTS,
      maxLength: 600,
    });
    expect(level).toBe('summary');
    expect(body.length).toBeLessThanOrEqual(600);
    expect(body.startsWith('<!-- aup:policies/prod.yml -->')).toBe(true);
  });
});

describe('markerComment and links', () => {
  it('accepts the bare marker or the comment and cannot be closed early', () => {
    expect(markerComment('aup:policies/prod.yml')).toBe('<!-- aup:policies/prod.yml -->');
    expect(markerComment('<!-- aup:policies/prod.yml -->')).toBe('<!-- aup:policies/prod.yml -->');
    expect(markerComment('aup:x --> <img src=x>\n')).toBe('<!-- aup:x - img src=x -->');
  });

  it('links only http(s) run URLs', () => {
    expect(renderMarkdown(plan(), { runUrl: 'javascript:alert(1)' })).not.toContain('javascript');
    expect(renderMarkdown(plan(), { runUrl: 'https://x.test/a)b' })).toContain(
      '[Workflow run](https://x.test/a%29b)',
    );
  });
});
