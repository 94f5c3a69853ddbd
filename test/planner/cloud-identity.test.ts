// What the planner does for a platform whose people have no username (Cloud): the policy names them by
// email or by their aliases (account ids), and every place that matches people matches either; activity
// counts per product, and a product list that matches nothing the instance reports cannot make a plan; seats
// freed are counted and priced per product where groups say what they grant, and one price still works.
import { describe, expect, it } from 'vitest';
import { planOrThrow } from '../../src/app/plan-run.ts';
import type { Change, Snapshot, User } from '../../src/model.ts';
import { parsePolicyText } from '../../src/policy/parse.ts';
import { declaredFromPolicy, type ResolvedPolicy } from '../../src/policy/resolved.ts';

const NOW = new Date('2026-11-25T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function policy(text: string): ResolvedPolicy {
  const r = parsePolicyText(`version: 1\n${text}`, 'p.yml');
  if (!r.policy) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { path: 'p.yml', sha256: '0'.repeat(64), policy: r.policy, declared: declaredFromPolicy(r.policy) };
}

/** A person named by email, with the account id as alias, and activity per product. */
function person(name: string, products: Record<string, number | null>, groups: string[]): User {
  const entries = Object.entries(products).map(([product, d]) => ({
    product,
    lastActive: d === null ? null : daysAgo(d),
  }));
  const latest = entries
    .map((e) => e.lastActive)
    .filter((x): x is string => x !== null)
    .sort()
    .at(-1);
  return {
    id: `acc-${name}`,
    name: `${name}@example.com`,
    aliases: [`acc-${name}`],
    email: `${name}@example.com`,
    displayName: name,
    active: true,
    lastActive: latest ?? null,
    activityKnown: true,
    products: entries,
    created: daysAgo(900),
    directory: { id: 'd1', name: 'Example Org', readOnly: false },
    groups,
  };
}

function snapshot(): Snapshot {
  return {
    formatVersion: 2,
    platform: 'cloud',
    instance: 'https://api.atlassian.com/admin/v2/orgs/o',
    takenAt: NOW.toISOString(),
    self: null,
    users: [
      person('ann', { 'jira-software': 5 }, ['jira-users', 'devs']),
      person('bob', { 'jira-software': 200, confluence: 10 }, ['jira-users', 'wiki-users', 'devs']),
      person('cem', { 'jira-software': 300, confluence: 250 }, ['jira-users', 'wiki-users']),
      person('dan', {}, ['jira-users']),
    ],
    groups: [
      { name: 'devs', readOnly: false },
      { name: 'jira-users', readOnly: false, grants: ['jira-software'] },
      { name: 'wiki-users', readOnly: false, grants: ['confluence'] },
    ],
  };
}

const INSTANCE = 'instance: { platform: cloud, org: o, access_groups: [jira-users, wiki-users]';
const label = (c: Pick<Change, 'kind' | 'user'> & { group?: string }) =>
  `${c.kind} ${c.user}${c.group ? ` ${c.group}` : ''}`;

describe('people named by email or account id', () => {
  it('matches aliases in protect, exclusions, exceptions, declared users and exact groups', () => {
    const plan = planOrThrow(
      snapshot(),
      policy(`${INSTANCE}, activity: { products: [jira-software] } }
protect: { users: [acc-cem] }
exceptions: [{ user: acc-dan, until: 2027-01-01, reason: leave }]
inactivity:
  - { name: dormant, inactive_days: 100, action: deactivate, exclude: { users: [acc-bob] } }
groups:
  devs: { mode: exact, members: [ann@example.com, acc-bob] }
users: [{ name: acc-ann, state: active, groups: [wiki-users] }]
`),
      NOW,
    );
    expect(plan.changes.map(label)).toEqual(['add-member ann@example.com wiki-users']);
    expect(plan.skipped.map((s) => `${label(s)}: ${s.why}`)).toEqual([
      'deactivate dan@example.com: exception',
      'deactivate bob@example.com: excluded',
      'deactivate cem@example.com: protected',
    ]);
    expect(plan.warnings).toEqual([]);
  });
});

describe('activity per product', () => {
  it('counts only the listed products; a never-used one is never', () => {
    const jira = planOrThrow(
      snapshot(),
      policy(`${INSTANCE}, activity: { products: [jira-software] } }
inactivity: [{ name: dormant, inactive_days: 100, action: deactivate }]
`),
      NOW,
    );
    expect(jira.changes.map(label)).toEqual([
      'deactivate bob@example.com',
      'deactivate cem@example.com',
      'deactivate dan@example.com',
    ]);
  });

  it('refuses a product list the instance reports no activity in, and warns about one unknown product', () => {
    const plan = () =>
      planOrThrow(
        snapshot(),
        policy(`${INSTANCE}, activity: { products: [jira] } }
inactivity: [{ name: dormant, inactive_days: 100, action: deactivate }]
`),
        NOW,
      );
    expect(plan).toThrow(
      'instance.activity.products: none of jira is a product the instance reports activity in, so every user would count as never active (the instance reports activity in: confluence, jira-software)',
    );
    const some = planOrThrow(
      snapshot(),
      policy(`${INSTANCE}, activity: { products: [jira-software, confluenc] } }
`),
      NOW,
    );
    expect(some.warnings).toEqual([
      'instance.activity.products: no user has activity in product "confluenc" (did you mean "confluence"?)',
    ]);
  });
});

describe('seats and saving per product', () => {
  const rules = `inactivity:
  - { name: seat, inactive_days: 100, action: remove-access, select: { groups: [wiki-users] } }
  - { name: dormant, inactive_days: 250, action: deactivate }`;

  it('counts each product a change frees, and prices them', () => {
    const plan = planOrThrow(
      snapshot(),
      policy(`${INSTANCE}, activity: { products: [jira-software] } }
${rules}
report: { seat_cost: { currency: USD, products: { jira-software: 10, confluence: 5.5, trello: 1 } } }
`),
      NOW,
    );
    // bob: 200 days in Jira → remove-access (both groups); cem: deactivated (both products); dan: never.
    expect(plan.changes.map(label)).toEqual([
      'remove-access bob@example.com',
      'deactivate cem@example.com',
      'deactivate dan@example.com',
    ]);
    expect(plan.summary.seatsFreed).toBe(3);
    expect(plan.summary.seatsByProduct).toEqual({ confluence: 2, 'jira-software': 3 });
    expect(plan.summary.saving).toEqual({
      amount: 41,
      currency: 'USD',
      per: 'month',
      byProduct: { confluence: 11, 'jira-software': 30 },
    });
  });

  it('names products freed without a price, and keeps one price per seat working', () => {
    const unpriced = planOrThrow(
      snapshot(),
      policy(`${INSTANCE}, activity: { products: [jira-software] } }
${rules}
report: { seat_cost: { currency: USD, products: { jira-software: 10 } } }
`),
      NOW,
    );
    expect(unpriced.summary.saving).toEqual({
      amount: 30,
      currency: 'USD',
      per: 'month',
      byProduct: { 'jira-software': 30 },
      unpriced: ['confluence'],
    });
    const single = planOrThrow(
      snapshot(),
      policy(`${INSTANCE}, activity: { products: [jira-software] } }
${rules}
report: { seat_cost: { currency: USD, amount: 7 } }
`),
      NOW,
    );
    expect(single.summary.saving).toEqual({ amount: 21, currency: 'USD', per: 'month' });
  });
});
