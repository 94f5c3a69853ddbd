// Issue 3, reruns over real HTTP per Jira version: applying the same plan twice ends in already-in-state
// (audited so), failed writes are audited with the API's message and a rerun converges, and a membership
// Jira only lists through a nested group is skipped with the reason instead of being reported as removed.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/executor/apply.ts';
import { CsvAuditFile } from '../../src/executor/audit.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { applyLive } from '../../src/app/apply-run.ts';
import {
  daysAgo,
  harness,
  type Harness,
  label,
  LIFECYCLE,
  NOW,
  orgScenario,
  policy,
  readAudit,
  run,
  storeState,
  tempDir,
  VERSIONS,
} from './helpers.ts';

const EVERY_KIND = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: seat, inactive_days: 60, action: remove-access }
  - { name: dormant, inactive_days: 90, action: deactivate, exclude: { users: [carol] } }
groups:
  developers: { mode: additive, members: [gina] }
  qa: { mode: exact, members: [alice] }
users:
  - { name: erin, state: active }
  - { name: ivan, state: absent }
  - { name: judy, email: judy@example.com, groups: [developers] }
limits: { max_fraction: 1, max_deletions: 1 }
`;

describe.each(VERSIONS)('Jira DC %s: reruns', (version) => {
  let h: Harness;
  afterEach(() => h.close());

  it('applying the same plan twice: the second time every change is already in state', async () => {
    const scenario = orgScenario();
    scenario.users.push({
      name: 'lena',
      created: daysAgo(500),
      lastLogin: daysAgo(70),
      groups: ['jira-software-users'],
    });
    h = await harness(version, { scenario });
    const resolved = policy(EVERY_KIND);
    const writer = await h.connect(resolved, { readOnly: false });
    const { plan, snapshot } = await readAndPlan(resolved, writer, NOW);
    const file = path.join(await tempDir(), 'audit.csv');
    const context = { runId: 'r', trigger: 'manual', actor: 't', commit: null, runUrl: null };
    const audit = new CsvAuditFile(file, {
      ...context,
      platform: snapshot.platform,
      instance: snapshot.instance,
    });
    const firstRun = await applyPlan(plan, writer.adapter, { audit, clock: () => NOW });
    expect(firstRun.counts).toEqual({ applied: 9, 'already-in-state': 0, skipped: 0, failed: 0 });
    const after = storeState(h.sb.store);
    const secondRun = await applyPlan(plan, writer.adapter, { audit, clock: () => NOW });

    expect(secondRun.results.map((r) => `${label(r.change)}: ${r.outcome}`)).toEqual([
      'create-user judy: already-in-state',
      'activate erin: already-in-state',
      'add-member gina developers: already-in-state',
      'add-member judy developers: already-in-state',
      'remove-member henry qa: already-in-state',
      'remove-access lena: already-in-state',
      'deactivate bob: already-in-state',
      'deactivate dave: already-in-state',
      'delete ivan: already-in-state',
    ]);
    expect(storeState(h.sb.store)).toEqual(after);
    const rows = await readAudit(file);
    expect(rows).toHaveLength(18);
    expect(rows.find((r) => r.kind === 'remove-access')).toMatchObject({ group: 'jira-software-users' });
    expect(rows.slice(9).map((r) => [r.kind, r.username, r.outcome, r.error])).toEqual(
      secondRun.results.map((r) => [r.change.kind, r.change.user, 'already-in-state', '']),
    );
  });

  it('failed writes are audited with the API message, and a rerun converges', async () => {
    h = await harness(version);
    // The second PUT user (deactivate bob, after activate erin) fails on all 5 attempts (PUT is retried).
    h.sb.failNext('/rest/api/2/user', 500, { method: 'PUT', times: 5, skip: 1 });
    const resolved = policy(LIFECYCLE);
    const out = await tempDir();
    const writer = await h.connect(resolved, { readOnly: false });
    const first = await applyLive(resolved, writer, run(out, { concurrency: 1 }));
    expect(first.report.counts).toEqual({ applied: 7, 'already-in-state': 0, skipped: 2, failed: 1 });
    expect(
      first.report.results.filter((r) => r.outcome === 'failed').map((r) => [label(r.change), r.error]),
    ).toEqual([
      [
        'deactivate bob',
        'PUT /rest/api/2/user: 500 Internal Server Error: Internal server error (injected by the sandbox, status 500)',
      ],
    ]);
    expect(h.sb.store.user('bob')!.active).toBe(true);
    expect(h.sb.store.user('dave')!.active).toBe(false);

    const context = { ...run(out).context, runId: 'run-2' };
    const second = await applyLive(resolved, writer, run(out, { context }));
    expect(second.report.results.map((r) => `${label(r.change)}: ${r.outcome}`)).toEqual([
      'add-member alice ldap-staff: skipped',
      'deactivate bob: applied',
      'deactivate carol: skipped',
    ]);
    const rows = await readAudit(path.join(out, 'audit.csv'));
    expect(rows.filter((r) => r.username === 'bob').map((r) => [r.run_id, r.outcome])).toEqual([
      ['run-1', 'failed'],
      ['run-2', 'applied'],
    ]);
    const third = await readAndPlan(resolved, writer, NOW);
    expect(third.plan.changes.map((c) => label(c))).toEqual([
      'add-member alice ldap-staff',
      'deactivate carol',
    ]);
  });

  it('a member listed only through a nested group is skipped with the reason, not reported removed', async () => {
    h = await harness(version);
    // frank is in contractors, which is nested in developers: Jira lists him as a developer.
    const resolved = policy(`version: 1
instance: { platform: jira-dc }
groups:
  developers: { mode: exact, members: [alice, bob] }
`);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(plan.changes.map((c) => label(c))).toEqual([
      'remove-member erin developers',
      'remove-member frank developers',
    ]);
    const applied = await applyLive(
      resolved,
      await h.connect(resolved, { readOnly: false }),
      run(await tempDir()),
    );
    expect(applied.report.results.map((r) => [label(r.change), r.outcome, r.error])).toEqual([
      ['remove-member erin developers', 'applied', undefined],
      [
        'remove-member frank developers',
        'skipped',
        'frank is a member of developers through a nested group; remove them from that group',
      ],
    ]);
    expect(h.sb.store.memberNames('developers')).toEqual(['alice', 'bob']);
    expect(h.sb.store.memberNames('contractors')).toEqual(['frank']);
  });

  it('removing a membership whose user or group is gone since the plan is already in state', async () => {
    h = await harness(version);
    const resolved = policy(`version: 1
instance: { platform: jira-dc }
groups:
  qa: { mode: exact, members: [alice] }
  contractors: { mode: exact, members: [alice] }
`);
    const writer = await h.connect(resolved, { readOnly: false });
    const { plan } = await readAndPlan(resolved, writer, NOW);
    expect(plan.changes.map((c) => label(c))).toEqual([
      'add-member alice contractors',
      'remove-member frank contractors',
      'remove-member henry qa',
    ]);
    h.sb.store.deleteUser(h.sb.store.user('henry')!);
    h.sb.store.deleteGroup('contractors');
    const audit = new CsvAuditFile(path.join(await tempDir(), 'audit.csv'), {
      ...run('').context,
      platform: 'jira-dc',
      instance: h.sb.url,
    });
    const report = await applyPlan(plan, writer.adapter, { audit, clock: () => NOW });
    expect(report.results.map((r) => [label(r.change), r.outcome, r.error])).toEqual([
      [
        'add-member alice contractors',
        'failed',
        "POST /rest/api/2/group/user: 404 Not Found: Specified group does not exist: 'contractors'.",
      ],
      ['remove-member frank contractors', 'already-in-state', undefined],
      ['remove-member henry qa', 'already-in-state', undefined],
    ]);
    expect(h.sb.requests.filter((r) => r.status < 300)).toEqual([]);
  });
});
