// Issue 3, "snapshot equals the seeded store", per Jira version over real HTTP: users, memberships of the
// groups the policy names (nested included), and activity from each source decision 2 allows.
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { groupsNamedBy } from '../../src/platforms/registry.ts';
import {
  expectSnapshotMatchesStore,
  harness,
  type Harness,
  LIFECYCLE,
  NOW,
  policy,
  VERSIONS,
} from './helpers.ts';

describe.each(VERSIONS)('Jira DC %s: snapshot', (version) => {
  let h: Harness;
  afterEach(() => h.close());

  it('with the embedded-Crowd app credentials equals the store, across many small pages', async () => {
    // Pages of 2 users and 2 members: every listing takes several requests.
    h = await harness(version, { maxPageSize: 2 });
    const resolved = policy(LIFECYCLE);
    const conn = await h.connect(resolved);
    const { snapshot } = await readAndPlan(resolved, conn, NOW);

    expect(snapshot.users).toHaveLength(h.sb.store.users().length);
    expectSnapshotMatchesStore(snapshot, h.sb.store, { activity: 'crowd' });
    // The groups the policy names, and the admin groups that exist.
    expect(snapshot.groups.map((g) => g.name).sort()).toEqual(
      [...groupsNamedBy(resolved), 'jira-administrators'].sort(),
    );
    expect(snapshot.admins?.map((a) => a.group)).toEqual(['jira-administrators']);
    expect(snapshot.self).toBe(h.sb.store.user('admin')!.key);
    expect(snapshot.instance).toBe(h.sb.url);

    const alice = snapshot.users.find((u) => u.name === 'alice')!;
    expect(alice.lastActive).toBe('2025-05-30T08:15:42.123Z');
    expect(alice.id).toMatch(/^JIRAUSER\d+$/);
    expect(snapshot.users.find((u) => u.name === 'henry')).toMatchObject({ id: 'henry', email: null });
    // frank is in developers through the nested contractors group (not named, so not read), as Jira lists him.
    expect(snapshot.users.find((u) => u.name === 'frank')!.groups).toEqual([
      'developers',
      'jira-software-users',
    ]);
    for (const name of ['dave', 'gina']) {
      const u = snapshot.users.find((x) => x.name === name)!;
      expect(u).toMatchObject({
        lastActive: null,
        activityKnown: true,
        created: h.sb.store.user(name)!.created,
      });
    }
  });

  it('reads the instance with GET requests only', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(h.sb.allRequests.length).toBeGreaterThan(0);
    expect(h.sb.requests).toEqual([]);
  });

  it('without app credentials never reads an unknown activity as inactive', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const { snapshot, plan } = await readAndPlan(resolved, await h.connect(resolved, { app: false }), NOW);
    const bean = version === '11.3';
    // 11.3's user bean carries lastLoginTime; 9.12 and 10.3 have no login times without Jira's Crowd API.
    expectSnapshotMatchesStore(snapshot, h.sb.store, { activity: bean ? 'bean' : 'unknown' });

    const deactivated = plan.changes.filter((c) => c.kind === 'deactivate').map((c) => c.user);
    const unknown = plan.skipped.filter((s) => s.why === 'activity-unknown').map((s) => s.user);
    if (bean) {
      // Logged-in users are measured; never-logged-in ones (no lastLoginTime, no creation date) are unknown.
      expect(deactivated).toEqual(['bob', 'carol']);
      expect(unknown).toEqual(['dave', 'gina']);
    } else {
      expect(deactivated).toEqual([]);
      expect(unknown).toEqual(['admin', 'alice', 'bob', 'carol', 'dave', 'frank', 'gina', 'henry', 'ivan']);
    }
  });

  it('plans the lifecycle from the snapshot', async () => {
    h = await harness(version);
    const resolved = policy(LIFECYCLE);
    const { plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(plan.changes.map((c) => `${c.kind} ${c.user}${'group' in c ? ` ${c.group}` : ''}`)).toEqual([
      'create-user judy',
      'activate erin',
      'add-member alice ldap-staff',
      'add-member gina developers',
      'add-member judy developers',
      'remove-member henry qa',
      'deactivate bob',
      'deactivate carol',
      'deactivate dave',
      'delete ivan',
    ]);
    expect(plan.applyable).toBe(true);
  });

  it('reads a group the policy spells in another case once (Jira group names are case-insensitive)', async () => {
    h = await harness(version, { contextPath: '/jira' });
    const resolved = policy(`version: 1
instance: { platform: jira-dc }
protect: { groups: [JIRA-Administrators] }
groups:
  Developers: { mode: additive, members: [alice] }
`);
    const { snapshot, plan } = await readAndPlan(resolved, await h.connect(resolved), NOW);
    expect(snapshot.groups.map((g) => g.name.toLowerCase()).sort()).toEqual([
      'developers',
      'jira-administrators',
    ]);
    expect(snapshot.users.find((u) => u.name === 'admin')!.groups).toHaveLength(1);
    const memberReads = h.sb.allRequests.filter((r) => r.path === '/rest/api/2/group/member');
    expect(memberReads.map((r) => String(r.query.groupname).toLowerCase()).sort()).toEqual([
      'developers',
      'jira-administrators',
      'jira-system-administrators',
    ]);
    expect(plan.changes).toEqual([]);
  });
});
