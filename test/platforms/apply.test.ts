// Issue 3, apply over real HTTP per Jira version: a rerun converges (only the read-only LDAP directory's
// refusals remain, skipped in the audit), and the token owner and the last active admin are never touched.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { applyLive } from '../../src/app/apply-run.ts';
import { changeKey } from '../../src/model.ts';
import {
  DAY,
  daysAgo,
  harness,
  type Harness,
  label,
  LIFECYCLE,
  NOW,
  policy,
  readAudit,
  run,
  tempDir,
  VERSIONS,
} from './helpers.ts';

describe.each(VERSIONS)('Jira DC %s: apply', (version) => {
  let h: Harness;
  afterEach(() => h.close());

  it('converges: a second plan has only the changes the read-only LDAP directory refused', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const reader = await h.connect(resolved, { readOnly: true });
    const writer = await h.connect(resolved, { readOnly: false });
    const first = await readAndPlan(resolved, reader, NOW);
    const out = await tempDir();
    const applied = await applyLive(resolved, writer, run(out, { reviewed: first.plan }));

    const store = h.sb.store;
    expect(store.user('judy')).toMatchObject({
      active: true,
      email: 'judy@example.com',
      displayName: 'Judy Jones',
    });
    expect(store.user('erin')!.active).toBe(true);
    expect(store.user('bob')!.active).toBe(false);
    expect(store.user('dave')!.active).toBe(false);
    expect(store.user('ivan')).toBeUndefined();
    expect(store.memberNames('developers')).toEqual(['alice', 'bob', 'erin', 'gina', 'judy']);
    expect(store.memberNames('qa')).toEqual(['alice']);
    // The LDAP account and the LDAP group are as they were.
    expect(store.user('carol')!.active).toBe(true);
    expect(store.memberNames('ldap-staff')).toEqual(['carol']);

    const rows = await readAudit(applied.auditFile);
    expect(rows.map((r) => `${label(r)}: ${r.outcome}`)).toEqual([
      'create-user judy: applied',
      'activate erin: applied',
      'add-member alice ldap-staff: skipped',
      'add-member gina developers: applied',
      'add-member judy developers: applied',
      'remove-member henry qa: applied',
      'deactivate bob: applied',
      'deactivate carol: skipped',
      'deactivate dave: applied',
      'delete ivan: applied',
    ]);
    const refused = rows.filter((r) => r.outcome === 'skipped');
    for (const r of refused) expect(r.error).toMatch(/^read-only directory: /);
    expect(refused.map((r) => r.error)).toEqual([
      "read-only directory: Directory 'Corporate LDAP' does not allow updates.",
      "read-only directory: The user's directory is read only.",
    ]);
    expect(
      rows.every((r) => r.platform === 'jira-dc' && r.instance === h.sb.url && r.run_id === 'run-1'),
    ).toBe(true);
    expect(rows.find((r) => r.username === 'bob')).toMatchObject({
      email: 'bob@example.com',
      rule: 'dormant',
    });

    const second = await readAndPlan(resolved, reader, NOW);
    const refusedKeys = applied.report.results
      .filter((r) => r.outcome === 'skipped')
      .map((r) => changeKey(r.change));
    expect(second.plan.changes.map(changeKey)).toEqual(refusedKeys);
    expect(second.plan.changes.map((c) => label(c))).toEqual([
      'add-member alice ldap-staff',
      'deactivate carol',
    ]);
  });

  it('never touches the token owner or the last active admin, even when they are dormant', async () => {
    // Every login the sandbox records (each request of the token owner) lies 400 days back.
    h = await harness(version, {
      clock: () => NOW.getTime() - 400 * DAY,
      scenario: {
        groups: [{ name: 'jira-system-administrators' }],
        users: [
          {
            name: 'root',
            lastLogin: daysAgo(150),
            created: daysAgo(3000),
            groups: ['jira-system-administrators'],
          },
          {
            name: 'sysop',
            lastLogin: daysAgo(200),
            created: daysAgo(3000),
            groups: ['jira-system-administrators'],
          },
          { name: 'zoe', lastLogin: daysAgo(1), created: daysAgo(3000), groups: ['jira-software-users'] },
        ],
      },
    });
    const resolved = policy(`version: 1
instance: { platform: jira-dc }
inactivity: [{ name: dormant, inactive_days: 90, action: deactivate }]
groups:
  jira-administrators: { mode: exact, members: [zoe] }
  jira-system-administrators: { mode: exact, members: [zoe] }
limits: { max_fraction: 1 }
`);
    const { plan, snapshot } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(snapshot.users.find((u) => u.name === 'admin')!.lastActive).toBe(daysAgo(400));
    expect(plan.skipped.filter((s) => s.user === 'admin').map((s) => [s.kind, s.why, s.detail])).toEqual([
      ['remove-member', 'protected', 'the account behind the credentials'],
      ['deactivate', 'protected', 'the account behind the credentials'],
    ]);
    // Of two dormant system administrators the most recently active one stays.
    expect(plan.skipped.filter((s) => s.user === 'root').map((s) => [s.kind, s.why, s.detail])).toEqual([
      ['remove-member', 'protected', 'last active member of admin group jira-system-administrators'],
      ['deactivate', 'protected', 'last active member of admin group jira-system-administrators'],
    ]);
    expect(plan.changes.map((c) => label(c))).toEqual([
      'add-member zoe jira-administrators',
      'add-member zoe jira-system-administrators',
      'remove-member sysop jira-system-administrators',
      'deactivate sysop',
    ]);

    const out = await tempDir();
    await applyLive(resolved, await h.connect(resolved, { readOnly: false }), run(out, { reviewed: plan }));
    const store = h.sb.store;
    expect(store.user('admin')!.active).toBe(true);
    expect(store.memberNames('jira-administrators')).toEqual(['admin', 'zoe']);
    expect(store.user('root')!.active).toBe(true);
    expect(store.memberNames('jira-system-administrators')).toEqual(['root', 'zoe']);
    expect(store.user('sysop')!.active).toBe(false);
    expect((await readAudit(path.join(out, 'audit.csv'))).map((r) => r.username)).toEqual([
      'zoe',
      'zoe',
      'sysop',
      'sysop',
    ]);
  });
});
