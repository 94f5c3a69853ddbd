// The Cloud driver's writes over real HTTP: deactivate suspends and activate restores in the user's
// directory, delete removes from the directory (read back until gone, or failed as unconfirmed),
// memberships by group id; every POST carries a JSON body; 200 and 204 both count; both error body shapes
// become outcomes (read-only from the spec's errors[], refused with the key's hint from the gateway's
// message); users and groups the identity provider manages are skipped before apply.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLive } from '../../src/app/apply-run.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import type { Change } from '../../src/model.ts';
import { applyPlan } from '../../src/executor/apply.ts';
import { cloudRecords } from '../../src/sandbox/index.ts';
import { type CloudHarness, cloudOrg, cloudPolicy, cloudSandbox, CONFLUENCE, JIRA } from './cloud-helpers.ts';
import { NOW } from './helpers.ts';

const label = (c: Pick<Change, 'kind' | 'user'> & { group?: string }) =>
  `${c.kind} ${c.user}${c.group ? ` ${c.group}` : ''}`;

async function applyIt(h: CloudHarness, keys: string, rest: string, sleep?: (ms: number) => Promise<void>) {
  const resolved = cloudPolicy(keys, `${rest}\nlimits: { max_fraction: 1, max_deletions: 10 }\n`);
  const out = await mkdtemp(path.join(tmpdir(), 'aup-cloud-'));
  return applyLive(resolved, await h.connect(resolved, { readOnly: false, ...(sleep ? { sleep } : {}) }), {
    now: NOW,
    clock: () => NOW,
    outDir: out,
    context: { runId: 'run-1', trigger: 'manual', actor: 'test', commit: null, runUrl: null },
  });
}

const outcomes = (r: Awaited<ReturnType<typeof applyIt>>) =>
  r.report.results.map((x) => `${label(x.change)}: ${x.outcome}${x.error ? ` (${x.error})` : ''}`);

describe('Cloud writes', () => {
  let h: CloudHarness;
  afterEach(() => h.close());

  it('suspends, restores, removes and changes memberships, each POST with a JSON body', async () => {
    h = await cloudSandbox();
    const r = await applyIt(
      h,
      `access_groups: [${JIRA}, ${CONFLUENCE}]`,
      `users:
  - { name: bob@example.com, state: inactive }
  - { name: erin@example.com, state: active }
  - { name: dave@example.com, state: absent }
groups:
  developers: { mode: exact, members: [alice@example.com, root@example.com] }`,
    );
    expect(outcomes(r).sort()).toEqual([
      'activate erin@example.com: applied',
      'add-member root@example.com developers: applied',
      'deactivate bob@example.com: applied',
      'delete dave@example.com: applied',
      'remove-member frank@example.com developers: applied',
    ]);
    const store = h.sb.store;
    expect(store.user('bob')!.active).toBe(false);
    expect(store.user('erin')!.active).toBe(true);
    expect(store.user('dave')).toBeUndefined();
    expect(store.memberNames('developers')).toEqual(['alice', 'root']);
    // The lease's marker groups (POST …/groups) are not the writes of the plan.
    const posts = h.sb.requests.filter(
      (x) => x.method === 'POST' && !x.path.endsWith('/search') && !x.path.endsWith('/groups'),
    );
    expect(posts.map((x) => x.path.replace(/[0-9a-f-]{24,36}/g, '{id}')).sort()).toEqual([
      '/admin/v2/orgs/{id}/directories/{id}/groups/{id}/memberships',
      '/admin/v2/orgs/{id}/directories/{id}/users/{id}/restore',
      '/admin/v2/orgs/{id}/directories/{id}/users/{id}/suspend',
    ]);
    expect(posts.map((x) => x.body)).toEqual(expect.arrayContaining([{}, {}, { accountId: h.id('root') }]));
  });

  it('remove-access leaves every access group, and the plan prices the seats per product', async () => {
    h = await cloudSandbox();
    const keys = `access_groups: [${JIRA}, ${CONFLUENCE}], activity: { products: [jira-software] }`;
    const rules = (cost: string) => `inactivity:
  - { name: seat, inactive_days: 90, action: remove-access }
report: { seat_cost: { currency: EUR, per: month, ${cost} } }`;
    const perProduct = rules('products: { jira-software: 8.6, confluence: 6.4 }');
    const { plan } = await readAndPlan(
      cloudPolicy(keys, perProduct),
      await h.connect(cloudPolicy(keys, perProduct)),
      NOW,
    );
    // Only Jira counts: bob (Jira 200 days ago, Confluence 20) goes; carol is synced but her groups are not;
    // dave never used a product (added 400 days ago); gina's account is deactivated; bot is an app.
    expect(
      plan.changes.map((c) => `${label(c)} ${c.kind === 'remove-access' ? c.groups.join('+') : ''}`),
    ).toEqual([
      `remove-access bob@example.com ${JIRA}+${CONFLUENCE}`,
      `remove-access carol@example.com ${JIRA}`,
      `remove-access dave@example.com ${JIRA}`,
    ]);
    expect(plan.summary.seatsFreed).toBe(3);
    expect(plan.summary.seatsByProduct).toEqual({ confluence: 1, 'jira-software': 3 });
    expect(plan.summary.saving).toEqual({
      amount: 32.2,
      currency: 'EUR',
      per: 'month',
      byProduct: { confluence: 6.4, 'jira-software': 25.8 },
    });
    // One price per seat still works.
    const single = rules('amount: 5');
    const { plan: priced } = await readAndPlan(
      cloudPolicy(keys, single),
      await h.connect(cloudPolicy(keys, single)),
      NOW,
    );
    expect(priced.summary.saving).toEqual({ amount: 15, currency: 'EUR', per: 'month' });
    const r = await applyIt(h, keys, perProduct);
    expect(outcomes(r).sort()).toEqual([
      'remove-access bob@example.com: applied',
      'remove-access carol@example.com: applied',
      'remove-access dave@example.com: applied',
    ]);
    expect(h.sb.store.memberNames(JIRA)).toEqual(['admin', 'alice', 'bot', 'erin', 'gina', 'root']);
    expect(h.sb.store.memberNames(CONFLUENCE)).toEqual(['admin', 'alice']);
    expect(h.sb.store.memberNames('okta-staff')).toEqual(['carol']);
  });

  it('200 answers count as success too; a removal still listed is read back until gone', async () => {
    h = await cloudSandbox({ writeStatus: 200, removalLag: 2 });
    const slept: number[] = [];
    const r = await applyIt(
      h,
      '',
      'users: [{ name: dave@example.com, state: absent }, { name: bob@example.com, state: inactive }]',
      async (ms) => void slept.push(ms),
    );
    expect(outcomes(r).sort()).toEqual([
      'deactivate bob@example.com: applied',
      'delete dave@example.com: applied',
    ]);
    // Listed by two more reads after the removal: gone at the third.
    expect(slept).toEqual([2000, 5000]);
    expect(h.sb.store.user('dave')).toBeUndefined();
  });

  it('a removal the organisation keeps listing is failed as unconfirmed, never applied', async () => {
    h = await cloudSandbox({ removalLag: 100 });
    const r = await applyIt(
      h,
      '',
      'users: [{ name: dave@example.com, state: absent }]',
      async () => undefined,
    );
    expect(r.report.results).toMatchObject([
      {
        outcome: 'failed',
        class: 'unconfirmed',
        error: expect.stringContaining('dave@example.com is still listed 17 s later'),
      },
    ]);
  });

  it('users and groups of the identity provider are skipped before apply, saying to manage them there', async () => {
    h = await cloudSandbox();
    const resolved = cloudPolicy(
      `access_groups: [${JIRA}]`,
      `users: [{ name: carol@example.com, state: inactive }]
groups:
  okta-staff: { mode: additive, members: [alice@example.com] }
  all-staff: { mode: exact, members: [alice@example.com] }`,
    );
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.skipped.map((s) => [label(s), s.why, s.detail])).toEqual([
      [
        'add-member alice@example.com okta-staff',
        'read-only-directory',
        'group okta-staff is synced from an identity provider (externalSynced): manage its members in the identity provider',
      ],
      [
        'deactivate carol@example.com',
        'read-only-directory',
        'carol@example.com is synced from an identity provider (managementSource: synced): manage them in the identity provider',
      ],
    ]);
  });

  it('both error shapes become outcomes: the spec’s errors[] read-only, the gateway’s message refused', async () => {
    const org = cloudOrg();
    h = await cloudSandbox({}, { ...org, cloud: { ...org.cloud, fixedGroups: [] } });
    const resolved = cloudPolicy('', 'groups:\n  all-staff: { mode: additive, members: [bob@example.com] }');
    const conn = await h.connect(resolved, { readOnly: false });
    const { plan } = await readAndPlan(resolved, conn, NOW);
    expect(plan.changes.map(label)).toEqual(['add-member bob@example.com all-staff']);
    const audit = { write: () => undefined };
    // After the plan, the group stops being modifiable: the organisation answers with errors[].
    cloudRecords(h.sb.store).setFixed('all-staff', true);
    const first = await applyPlan(plan, conn.adapter, { audit, clock: () => NOW });
    expect(first.results).toMatchObject([
      {
        outcome: 'skipped',
        class: 'read-only',
        error: "read-only directory: Forbidden: The members of group all-staff can't be changed.",
      },
    ]);
    // A key with scopes: the gateway answers {message}.
    cloudRecords(h.sb.store).setFixed('all-staff', false);
    h.sb.configure({ apiKeyScopes: ['read:directories:admin', 'read:groups:admin'] });
    const second = await applyPlan(plan, conn.adapter, { audit, clock: () => NOW });
    expect(second.results).toMatchObject([
      {
        outcome: 'failed',
        class: 'refused',
        error: expect.stringMatching(
          /memberships: 403 Forbidden: Unauthorized: the API key has scopes, and this request is not allowed with any scope; organisation API keys with scopes may only read .*writes need an API key without scopes/,
        ),
      },
    ]);
    expect(h.sb.store.memberNames('all-staff')).toEqual(['alice']);
  });

  it('policies name people by email or account id: protection, exclusions and exact groups match either', async () => {
    h = await cloudSandbox();
    const keys = `access_groups: [${JIRA}]`;
    const rest = `protect: { users: [${h.id('dave')}] }
inactivity:
  - { name: dormant, inactive_days: 150, action: deactivate, exclude: { users: [${h.id('carol')}] }, never_logged_in: { grace_days: 30 } }
groups:
  developers: { mode: exact, members: [alice@example.com, ${h.id('frank')}] }
users: [{ name: ${h.id('erin')}, state: active }]`;
    const resolved = cloudPolicy(keys, rest);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    // frank, named by account id in the exact group, stays in it (he is deactivated: he never used a product).
    expect(plan.changes.map(label)).toEqual(['activate erin@example.com', 'deactivate frank@example.com']);
    expect(plan.skipped.map((s) => `${label(s)}: ${s.why} ${s.detail}`)).toEqual([
      'deactivate carol@example.com: excluded matches exclude.users',
      'deactivate dave@example.com: protected listed in protect.users',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('the last active org admin is never suspended: the key protects no one, the admin set does', async () => {
    h = await cloudSandbox();
    const resolved = cloudPolicy(
      '',
      'users: [{ name: admin@example.com, state: inactive }, { name: ivy@example.com, state: inactive }]\nlimits: { max_fraction: 1 }',
    );
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    // ivy was active 3 days ago, admin yesterday: the most recently active one stays.
    expect(plan.changes.map(label)).toEqual(['deactivate ivy@example.com']);
    expect(plan.skipped.map((s) => `${label(s)}: ${s.detail}`)).toEqual([
      'deactivate admin@example.com: last active member of admin role atlassian/org-admin',
    ]);
  });
});
