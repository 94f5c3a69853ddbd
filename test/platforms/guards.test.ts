// Issue 3, the guards in front of the first write, per Jira version over real HTTP: a write in plan mode is
// refused by the read-only client, a stale reviewed plan and a plan over its limits are refused before any
// mutating request reaches the instance.
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { ApplyRefused, applyLive } from '../../src/app/apply-run.ts';
import type { Change } from '../../src/model.ts';
import { daysAgo, harness, type Harness, LIFECYCLE, NOW, policy, tempDir, VERSIONS } from './helpers.ts';

const inactive = {
  type: 'inactive',
  lastActive: null,
  created: null,
  neverLoggedIn: true,
  days: 1,
  thresholdDays: 1,
};
const reason = inactive as Change['reason'];
const TEST_RULE: Change['rule'] = { type: 'inactivity', name: 'test', index: 0 };

function changesFor(keyOf: (name: string) => string): Change[] {
  const base = (user: string) => ({ user, userId: keyOf(user), rule: TEST_RULE, reason });
  return [
    {
      kind: 'create-user',
      user: 'zed',
      userId: null,
      rule: TEST_RULE,
      reason,
      email: 'z@example.com',
      displayName: 'Zed',
    },
    { kind: 'activate', ...base('erin') },
    { kind: 'add-member', ...base('gina'), group: 'developers' },
    { kind: 'remove-member', ...base('henry'), group: 'qa' },
    { kind: 'remove-access', ...base('bob'), groups: ['jira-software-users'] },
    { kind: 'deactivate', ...base('bob') },
    { kind: 'delete', ...base('ivan') },
  ];
}

async function apply(h: Harness, text: string, reviewed?: Awaited<ReturnType<typeof readAndPlan>>['plan']) {
  const resolved = policy(text);
  return applyLive(resolved, await h.connect(resolved, { readOnly: false }), {
    now: NOW,
    clock: () => NOW,
    outDir: await tempDir(),
    reviewed,
    context: { runId: 'r', trigger: 'merge', actor: 't', commit: null, runUrl: null },
  });
}

describe.each(VERSIONS)('Jira DC %s: guards', (version) => {
  let h: Harness;
  afterEach(() => h.close());

  it('a write attempted in plan mode is refused by the read-only guard', async () => {
    h = await harness(version);
    const before = h.sb.store.toScenario();
    const conn = await h.connect(policy(LIFECYCLE), { readOnly: true });
    for (const change of changesFor((name) => h.sb.store.user(name)!.key)) {
      const outcome = await conn.adapter.apply(change);
      expect({ kind: change.kind, ...outcome }).toEqual({
        kind: change.kind,
        outcome: 'failed',
        error: expect.stringMatching(
          /^(POST|PUT|DELETE) \/rest\/api\/2\/(user|group\/user): refused in plan mode: the client is read-only/,
        ),
      });
    }
    expect(h.sb.requests).toEqual([]);
    expect(conn.clients[0]!.stats().refused).toBe(7);
    expect(h.sb.store.toScenario().users.map((u) => [u.name, u.active, u.groups])).toEqual(
      before.users.map((u) => [u.name, u.active, u.groups]),
    );
  });

  it('a reviewed plan made stale by a change on the instance is refused before any write', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    // After review, someone else's account goes dormant on the instance.
    const store = h.sb.store;
    const kim = store.addUser({
      name: 'kim',
      displayName: 'Kim Lee',
      email: 'kim@example.com',
      created: daysAgo(700),
    });
    store.recordLogin(kim, daysAgo(365));

    const refused = apply(h, LIFECYCLE, plan);
    await expect(refused).rejects.toThrow(ApplyRefused);
    await expect(refused).rejects.toThrow(
      /the reviewed plan is stale: the live instance needs 1 change the reviewed plan does not contain[^]*\+ deactivate kim: /,
    );
    const stale = await refused.then(
      () => undefined,
      (e: ApplyRefused) => e.stale,
    );
    expect(stale?.unreviewed.map((c) => `${c.kind} ${c.user}`)).toEqual(['deactivate kim']);
    expect(h.sb.requests).toEqual([]);
    expect(store.user('bob')!.active).toBe(true);
  });

  it('a reviewed plan of another policy version is refused', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    const edited = `${LIFECYCLE}report: { upcoming_days: 7 }\n`;
    await expect(apply(h, edited, plan)).rejects.toThrow(/made from another version of the policy/);
    expect(h.sb.requests).toEqual([]);
  });

  it('a plan over max_deactivations is refused before any write', async () => {
    h = await harness(version);
    const limited = LIFECYCLE.replace(
      'limits: { max_fraction: 1,',
      'limits: { max_fraction: 1, max_deactivations: 2,',
    );
    const refused = apply(h, limited);
    await expect(refused).rejects.toThrow(ApplyRefused);
    await expect(refused).rejects.toThrow(
      'refusing to apply: plan deactivates 3 users, over the limit max_deactivations 2. Nothing was changed.',
    );
    expect(h.sb.requests).toEqual([]);
    expect(['bob', 'dave'].map((n) => h.sb.store.user(n)!.active)).toEqual([true, true]);
  });

  it('a plan over max_fraction is refused before any write', async () => {
    h = await harness(version);
    const refused = apply(h, LIFECYCLE.replace('max_fraction: 1', 'max_fraction: 0.1'));
    await expect(refused).rejects.toThrow(
      /plan deactivates, deletes or removes access of 4 of 10 users \(40\.0%\)/,
    );
    expect(h.sb.requests).toEqual([]);
  });
});
