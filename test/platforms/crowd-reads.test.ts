// Crowd over real HTTP, reads: the snapshot equals the sandbox's store (ids, names, emails, activity,
// creation, directories, groups), what the admin API adds and what is unknown without it, the scope of
// instance.directories, and the ways a read fails loudly (dead application credentials, XML, refused address).
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { crowdHarness, type CrowdHarness, DORMANT } from './crowd-helpers.ts';
import { fakeTime, NOW, policy } from './helpers.ts';

describe('Crowd: reads', () => {
  let h: CrowdHarness;
  afterEach(() => h.close());

  it('reads every user the application sees, with activity, creation, directory and groups as the store has them', async () => {
    h = await crowdHarness();
    const conn = await h.connect(policy(DORMANT));
    const s = await conn.adapter.snapshot();
    const store = h.sb.store;
    const visible = store.users().filter((u) => u.name !== 'pat');
    expect(s.users.map((u) => u.name).sort()).toEqual(visible.map((u) => u.name).sort());
    for (const r of visible) {
      const u = s.users.find((x) => x.name === r.name)!;
      expect({
        name: u.name,
        id: u.id,
        email: u.email,
        displayName: u.displayName,
        active: u.active,
        lastActive: u.lastActive,
        activityKnown: u.activityKnown,
        created: u.created,
        directory: u.directory.name,
      }).toEqual({
        name: r.name,
        id: r.key,
        email: r.email,
        displayName: r.displayName,
        active: r.active,
        lastActive: r.lastLogin,
        activityKnown: true,
        created: r.created,
        directory: store.directory(r.directoryId)!.name,
      });
    }
    expect(s.users.find((u) => u.name === 'dave')).toMatchObject({ lastActive: null, activityKnown: true });
    expect(s.directories).toEqual([
      'Corporate AD',
      'Corporate LDAP',
      'Crowd Internal Directory',
      'Partner Crowd',
    ]);
    expect(s.self).toBe(store.user('admin')!.key);
    expect(s.admins).toEqual([
      {
        label: 'group crowd-administrators',
        group: 'crowd-administrators',
        members: [store.user('admin')!.key],
      },
    ]);
    const members = s.users.filter((u) => u.groups.includes('jira-software-users')).map((u) => u.name);
    expect(members.sort()).toEqual(store.memberNames('jira-software-users'));
    expect(s.activity?.source).toMatch(/lastAuthenticated.*only when people authenticate through Crowd/);
  });

  it('knows before apply what a read-only directory refuses, and says an AD deactivation disables the AD account', async () => {
    h = await crowdHarness();
    const { snapshot, plan } = await readAndPlan(policy(DORMANT), await h.connect(policy(DORMANT)), NOW);
    const carol = snapshot.users.find((u) => u.name === 'carol')!;
    expect(carol.directory).toEqual({ id: '10000', name: 'Corporate LDAP', readOnly: true });
    expect(plan.skipped.map((x) => `${x.kind} ${x.user} ${x.why}`)).toContain(
      'deactivate carol read-only-directory',
    );
    const kinds = plan.changes.map((c) => `${c.kind} ${c.user}`).sort();
    expect(kinds).toEqual(['deactivate bob', 'deactivate dave', 'deactivate erin']);
    const erin = plan.changes.find((c) => c.user === 'erin')!;
    expect(erin.notes).toEqual([
      'also disables the Active Directory account (directory Corporate AD writes user status back)',
    ]);
    expect(plan.changes.find((c) => c.user === 'bob')!.notes).toBeUndefined();
    expect(renderTerminal(plan)).toMatch(
      /erin .*rule dormant\) — also disables the Active Directory account/,
    );
  });

  it('without administrator credentials: directories unknown, no read-only marks, no notes', async () => {
    h = await crowdHarness();
    const { snapshot, plan } = await readAndPlan(
      policy(DORMANT),
      await h.connect(policy(DORMANT), { admin: false }),
      NOW,
    );
    expect(snapshot.directories).toBeNull();
    expect(snapshot.self).toBeNull();
    expect(new Set(snapshot.users.map((u) => u.directory.name))).toEqual(new Set(['Crowd directories']));
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`).sort()).toEqual([
      'deactivate bob',
      'deactivate carol',
      'deactivate dave',
      'deactivate erin',
    ]);
    expect(plan.changes.every((c) => c.notes === undefined)).toBe(true);
  });

  it('instance.directories reads only the users of the named directories', async () => {
    h = await crowdHarness();
    const text = DORMANT.replace(
      'access_groups: [jira-software-users] }',
      'access_groups: [jira-software-users], directories: [Corporate AD] }',
    );
    const { snapshot, plan } = await readAndPlan(policy(text), await h.connect(policy(text)), NOW);
    expect(snapshot.users.map((u) => u.name)).toEqual(['erin', 'frank']);
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual(['deactivate erin']);
  });

  it('instance.directories without administrator credentials is an error naming what to set, never all users', async () => {
    h = await crowdHarness();
    const text = DORMANT.replace(
      'access_groups: [jira-software-users] }',
      'access_groups: [jira-software-users], directories: [Corporate AD] }',
    );
    const conn = await h.connect(policy(text), { admin: false });
    await expect(conn.adapter.snapshot()).rejects.toThrow(
      /instance\.directories \(Corporate AD\).*needs a Crowd administrator's credentials \(ATLASSIAN_USERNAME and ATLASSIAN_PASSWORD\)/,
    );
  });

  it('a directory name the instance does not have is a plan problem with a suggestion', async () => {
    h = await crowdHarness();
    const text = DORMANT.replace(
      'access_groups: [jira-software-users] }',
      'access_groups: [jira-software-users], directories: [Corporate AD, Corprate LDAP] }',
    );
    await expect(readAndPlan(policy(text), await h.connect(policy(text)), NOW)).rejects.toThrow(
      /instance\.directories\[1\]: directory "Corprate LDAP" does not exist on the instance.*Corporate LDAP/,
    );
  });

  it('dead application credentials fail the snapshot', async () => {
    h = await crowdHarness();
    const c = h.sb.credentials;
    const conn = await h.connect(policy(DORMANT), {
      credentials: { appName: c.appName, appPassword: 'wrong-password' },
    });
    await expect(conn.adapter.snapshot()).rejects.toThrow(
      /401 Unauthorized: Application failed to authenticate/,
    );
  });

  it("an address the application does not allow fails the snapshot with Crowd's answer", async () => {
    h = await crowdHarness({ remoteAddresses: ['10.1.2.3'] });
    const conn = await h.connect(policy(DORMANT));
    await expect(conn.adapter.snapshot()).rejects.toThrow(
      /403 Forbidden: Client with address "127\.0\.0\.1" is forbidden/,
    );
  });

  it('XML where JSON was asked for fails clearly (a proxy dropping the Accept header)', async () => {
    h = await crowdHarness({ forceXml: true });
    const conn = await h.connect(policy(DORMANT));
    await expect(conn.adapter.snapshot()).rejects.toThrow(
      /Crowd answers XML unless asked for JSON.*dropped the Accept header/,
    );
  });

  it('waits out the rate limit on application requests (Crowd DC 5.2+) and still reads everyone', async () => {
    const time = fakeTime();
    h = await crowdHarness({
      clock: time.now,
      sleep: time.sleep,
      rateLimit: { capacity: 5, fillRate: 5, intervalSeconds: 1 },
    });
    const conn = await h.connect(policy(DORMANT), { admin: false });
    const s = await conn.adapter.snapshot();
    expect(s.users).toHaveLength(8);
    expect(s.users.every((u) => u.activityKnown)).toBe(true);
    expect(time.waits.length).toBeGreaterThan(0);
    expect(h.sb.allRequests.some((r) => r.status === 429)).toBe(true);
  });
});
