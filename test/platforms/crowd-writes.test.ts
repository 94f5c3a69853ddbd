// Crowd over real HTTP, writes: deactivation PUTs the whole user (names and email kept), memberships are
// idempotent on Crowd's 409/404 answers, a read-only directory's refusal is known before apply with the
// admin API and refused-then-carried without it, AD write-back happens with the note the plan showed, a
// created user gets a reset mail, and a rerun converges.
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { applyLive } from '../../src/app/apply-run.ts';
import { crowdRecords } from '../../src/sandbox/index.ts';
import { crowdHarness, type CrowdHarness, DORMANT } from './crowd-helpers.ts';
import { label, NOW, policy, readAudit, run, tempDir } from './helpers.ts';

const LIFECYCLE = `version: 1
instance: { platform: crowd, access_groups: [jira-software-users] }
inactivity:
  - name: dormant
    inactive_days: 90
    action: deactivate
    never_logged_in: { grace_days: 30 }
groups:
  developers: { mode: additive, members: [alice, frank] }
  qa: { mode: exact, members: [gina] }
users:
  - { name: gina, state: active, groups: [qa] }
  - { name: judy, email: judy@example.com, display_name: Judy Jones, groups: [developers] }
limits: { max_fraction: 1 }
`;

describe('Crowd: writes', () => {
  let h: CrowdHarness;
  afterEach(() => h.close());

  it('deactivates with the whole user: names and email stay as they were', async () => {
    h = await crowdHarness();
    const store = h.sb.store;
    const records = crowdRecords(store);
    const bob = store.user('bob')!;
    const before = { names: records.namesOf(bob), displayName: bob.displayName, email: bob.email };
    const resolved = policy(DORMANT);
    const writer = await h.connect(resolved, { readOnly: false });
    const applied = await applyLive(resolved, writer, run(await tempDir()));
    expect(applied.report.results.map((r) => `${label(r.change)}: ${r.outcome}`).sort()).toEqual([
      'deactivate bob: applied',
      'deactivate dave: applied',
      'deactivate erin: applied',
    ]);
    expect(store.user('bob')!.active).toBe(false);
    expect({ names: records.namesOf(bob), displayName: bob.displayName, email: bob.email }).toEqual(before);
    const put = h.sb.requests.find((r) => r.method === 'PUT' && r.query.username === 'bob')!;
    expect(put.body).toEqual({
      name: 'bob',
      'first-name': 'Bob',
      'last-name': 'Tester',
      'display-name': 'Bob Tester',
      email: 'bob@example.com',
      active: false,
    });
  });

  it('writes the status back to AD for the change whose plan said so, and activates it back', async () => {
    h = await crowdHarness();
    const records = crowdRecords(h.sb.store);
    const resolved = policy(DORMANT);
    await applyLive(resolved, await h.connect(resolved, { readOnly: false }), run(await tempDir()));
    expect([...records.adDisabled]).toEqual(['erin']);
    const back = policy(`${DORMANT}users:\n  - { name: erin, state: active }\n`);
    const { plan } = await readAndPlan(back, await h.connect(back), NOW);
    expect(plan.changes.map((c) => [c.kind, c.user, c.notes])).toContainEqual([
      'activate',
      'erin',
      ['also enables the Active Directory account (directory Corporate AD writes user status back)'],
    ]);
  });

  it('applies every kind and converges', async () => {
    h = await crowdHarness();
    const store = h.sb.store;
    const resolved = policy(LIFECYCLE);
    const writer = await h.connect(resolved, { readOnly: false });
    const first = await readAndPlan(resolved, await h.connect(resolved), NOW);
    const applied = await applyLive(resolved, writer, run(await tempDir(), { reviewed: first.plan }));
    const rows = await readAudit(applied.auditFile);
    // Phase by phase; within the deactivation phase rows come in the order the concurrent writes finish.
    const labels = rows.map((r) => `${label(r)}: ${r.outcome}`);
    expect(labels.slice(0, 5)).toEqual([
      'create-user judy: applied',
      'activate gina: applied',
      'add-member frank developers: applied',
      'add-member judy developers: applied',
      'remove-member erin qa: applied',
    ]);
    expect(labels.slice(5).sort()).toEqual([
      'deactivate bob: applied',
      'deactivate dave: applied',
      'deactivate erin: applied',
    ]);
    expect(store.user('judy')).toMatchObject({
      active: true,
      email: 'judy@example.com',
      displayName: 'Judy Jones',
    });
    expect(crowdRecords(store).resetMails).toEqual(['judy']);
    expect(crowdRecords(store).namesOf(store.user('judy')!)).toEqual({ first: 'Judy', last: 'Jones' });
    expect(store.user('judy')!.password).toMatch(/^[\w-]{32}$/);
    expect(store.memberNames('developers')).toEqual(['alice', 'bob', 'frank', 'judy']);
    expect(store.memberNames('qa')).toEqual(['gina']);
    const again = await readAndPlan(resolved, await h.connect(resolved), NOW, { refusals: applied.refusals });
    expect(again.plan.changes).toEqual([]);
  });

  it("takes Crowd's 409 on an existing membership and 404 on a missing one as already in state", async () => {
    h = await crowdHarness();
    const writer = await h.connect(policy(DORMANT), { readOnly: false });
    const alice = h.sb.store.user('alice')!;
    const base = {
      userId: alice.key,
      rule: { type: 'group', group: 'developers' },
      reason: { type: 'declared', state: 'active' },
    } as const;
    const add = { ...base, kind: 'add-member', user: 'alice', group: 'developers' } as const;
    const remove = { ...base, kind: 'remove-member', user: 'alice', group: 'qa' } as const;
    const gone = { ...base, kind: 'remove-member', user: 'nobody', userId: null, group: 'qa' } as const;
    expect(await writer.adapter.apply(add)).toEqual({ outcome: 'already-in-state' });
    expect(await writer.adapter.apply(remove)).toEqual({ outcome: 'already-in-state' });
    expect(await writer.adapter.apply(gone)).toEqual({ outcome: 'already-in-state' });
    expect(h.sb.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 409',
      'DELETE 404',
      'DELETE 404',
    ]);
    expect(h.sb.store.memberNames('developers')).toEqual(['alice', 'bob']);
  });

  it('without the admin API, a read-only directory refuses at apply and the refusal is carried to the next plan', async () => {
    h = await crowdHarness();
    const resolved = policy(DORMANT);
    const writer = await h.connect(resolved, { readOnly: false, admin: false });
    const applied = await applyLive(resolved, writer, run(await tempDir()));
    const carol = applied.report.results.find((r) => r.change.user === 'carol')!;
    expect(carol).toMatchObject({
      outcome: 'skipped',
      class: 'read-only',
      error:
        "read-only directory: Cannot update user 'carol' because directory 'Corporate LDAP' does not allow updates.",
    });
    expect(h.sb.store.user('carol')!.active).toBe(true);
    const again = await readAndPlan(resolved, await h.connect(resolved, { admin: false }), NOW, {
      refusals: applied.refusals,
    });
    expect(again.plan.changes).toEqual([]);
    expect(again.plan.skipped.filter((s) => s.user === 'carol')).toMatchObject([
      {
        kind: 'deactivate',
        why: 'read-only-directory',
        detail: expect.stringMatching(/does not allow updates/),
      },
    ]);
  });

  it('never touches the account behind the administrator credentials nor the last Crowd administrator', async () => {
    h = await crowdHarness();
    const store = h.sb.store;
    const admin = store.user('admin')!;
    admin.lastLogin = new Date(NOW.getTime() - 400 * 86_400_000).toISOString();
    const text = `${DORMANT}users:\n  - { name: admin, state: inactive }\n`;
    const { plan } = await readAndPlan(policy(text), await h.connect(policy(text)), NOW);
    expect(plan.changes.filter((c) => c.user === 'admin')).toEqual([]);
    expect(plan.skipped.filter((s) => s.user === 'admin').map((s) => s.detail)).toContain(
      'the account behind the credentials',
    );
  });
});
