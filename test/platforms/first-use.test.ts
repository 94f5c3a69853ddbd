// The first-use safety holes, end to end against the sandbox over real HTTP: a misspelt protected group
// fails the plan (with the instance's closest group) and nothing is applied; missing activity is said at
// the top of every report instead of "no changes"; a change the instance refused as read-only is carried to
// the next plans as skipped, not planned again.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApplyRefused, applyLive } from '../../src/app/apply-run.ts';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { parseRefusalsCsv } from '../../src/app/refusals.ts';
import { formatDiagnostic, PolicyError } from '../../src/policy/diagnostics.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { harness, type Harness, LDAP_DIR, NOW, policy, run, tempDir } from './helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DORMANT = `inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 30 } }
limits: { max_fraction: 1 }
`;

describe('a protection naming a group the instance lacks', () => {
  it('fails the plan with the closest existing group, and an apply writes nothing', async () => {
    h = await harness('10.3');
    const admin = h.sb.store.user('admin')!;
    h.sb.store.addMember('jira-administrators', h.sb.store.user('bob')!);
    const text = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
protect: { groups: [jira-admins-typo] }
${DORMANT}`;
    const resolved = policy(text, 'policies/prod.yml');
    const failure = await readAndPlan(resolved, await h.connect(resolved), NOW).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PolicyError);
    expect((failure as PolicyError).diagnostics.map(formatDiagnostic)).toEqual([
      'policies/prod.yml:1:1: protect.groups[0]: group "jira-admins-typo" does not exist on the instance (did you mean "jira-administrators"?)',
    ]);
    const writer = await h.connect(resolved, { readOnly: false });
    await expect(applyLive(resolved, writer, run(await tempDir()))).rejects.toBeInstanceOf(PolicyError);
    expect(h.sb.requests).toEqual([]);
    expect(h.sb.store.user('bob')!.active).toBe(true);
    expect(admin.active).toBe(true);
  });
});

describe('missing activity', () => {
  it('is said first on Jira 10.3 without the embedded-Crowd credentials, with what to set', async () => {
    h = await harness('10.3');
    const resolved = policy(`version: 1\ninstance: { platform: jira-dc }\n${DORMANT}`);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved, { app: false }), NOW);
    expect(plan.changes).toEqual([]);
    expect(plan.activity).toMatchObject({
      source: 'none',
      available: false,
      unknown: plan.activity?.selected,
    });
    expect(plan.activity?.alert).toContain('ATLASSIAN_APP_NAME and ATLASSIAN_APP_PASSWORD');

    const terminal = renderTerminal(plan);
    expect(terminal.split('\n').slice(0, 4).join('\n')).toContain(
      '! Activity unknown: Activity is unavailable',
    );
    expect(terminal).not.toContain('The instance matches the policy');
    expect(terminal).toContain('No changes found, but the plan cannot see dormant accounts.');

    const md = renderMarkdown(plan);
    const caution = md.indexOf('> [!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(md.indexOf('jira-dc ·'));
    expect(md).toContain('Set ATLASSIAN\\_APP\\_NAME and ATLASSIAN\\_APP\\_PASSWORD');
  });

  it('is not raised when the activity is there', async () => {
    h = await harness('10.3');
    const resolved = policy(`version: 1\ninstance: { platform: jira-dc }\n${DORMANT}`);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(plan.activity).toMatchObject({
      source: 'embedded Crowd login.lastLoginMillis',
      available: true,
      alert: null,
    });
    expect(renderTerminal(plan)).not.toContain('Activity unknown');
  });
});

describe('a change the instance refuses as read-only', () => {
  it('is carried to later plans as skipped with the instance’s answer, and drops out once no longer wanted', async () => {
    h = await harness('10.3');
    const resolved = policy(`version: 1\ninstance: { platform: jira-dc }\n${DORMANT}`);
    const out = await tempDir();
    const writer = await h.connect(resolved, { readOnly: false });
    const first = await applyLive(resolved, writer, run(out));
    // carol lives in the read-only LDAP directory: Jira refuses her deactivation.
    const refused = first.report.results.filter((r) => r.class === 'read-only');
    expect(refused.map((r) => `${r.change.kind} ${r.change.user}`)).toEqual(['deactivate carol']);
    const carried = parseRefusalsCsv(await readFile(path.join(out, 'refused.csv'), 'utf8'), 'refused.csv');
    expect(carried).toMatchObject([{ user: 'carol', kind: 'deactivate', runId: 'run-1' }]);

    // Without the refusals carol comes back as a change; with them she is skipped, and the plan is empty.
    const reader = await h.connect(resolved);
    expect((await readAndPlan(resolved, reader, NOW)).plan.changes.map((c) => c.user)).toEqual(['carol']);
    const next = await readAndPlan(resolved, reader, NOW, { refusals: carried });
    expect(next.plan.changes).toEqual([]);
    expect(next.plan.skipped).toContainEqual(
      expect.objectContaining({
        user: 'carol',
        why: 'read-only-directory',
        detail: expect.stringMatching(
          /^the instance refused this change on 2025-06-01 \(run run-1\): read-only directory: /,
        ),
      }),
    );

    // The next apply keeps the refusal while it is still wanted…
    const second = await applyLive(resolved, writer, run(out, { refusals: carried }));
    expect(second.report.results).toEqual([]);
    expect(second.refusals).toMatchObject([{ user: 'carol', kind: 'deactivate' }]);
    // …and drops it once the account was fixed where it is managed (deactivated in LDAP, synced).
    h.sb.store.update(h.sb.store.user('carol')!, { active: false });
    const third = await applyLive(resolved, writer, run(out, { refusals: second.refusals }));
    expect(third.refusals).toEqual([]);
    expect(h.sb.store.directory(LDAP_DIR)?.readOnly).toBe(true);
  });

  it('never hides a limit: an apply over its limits is still refused', async () => {
    h = await harness('10.3');
    const resolved = policy(
      `version: 1\ninstance: { platform: jira-dc }\n${DORMANT.replace('max_fraction: 1', 'max_fraction: 0.01')}`,
    );
    const writer = await h.connect(resolved, { readOnly: false });
    await expect(applyLive(resolved, writer, run(await tempDir()))).rejects.toBeInstanceOf(ApplyRefused);
    expect(h.sb.requests).toEqual([]);
  });
});
