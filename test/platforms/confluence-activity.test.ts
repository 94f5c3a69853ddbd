// Confluence DC activity and emails over real HTTP, per version: 10.2's active-user list gives last logins
// and emails; 9.5's list has no lastLogin (activity unavailable, said first with the remedy; emails still
// read); 9.2 has no list (unavailable, no emails); a list that moves while paged is read again.
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import type { Snapshot } from '../../src/model.ts';
import { activitySource } from '../../src/platforms/confluence-dc/activity.ts';
import { renderTerminal } from '../../src/report/terminal.ts';
import { confluence, type ConfluenceHarness, confluencePolicy, NOW, policy } from './confluence-helpers.ts';
import { daysAgo } from '../contract/org.ts';

let h: ConfluenceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DORMANT = confluencePolicy(`inactivity:
  - { name: dormant, inactive_days: 150, action: deactivate }
limits: { max_fraction: 1 }
`);

/** A login on the instance (the sandbox re-sorts its active list when the store changes). */
function logIn(name: string, at: string): void {
  const user = h!.sb.store.user(name)!;
  h!.sb.store.recordLogin(user, at);
  h!.sb.store.update(user, {});
}

const view = (s: Snapshot, name: string) => {
  const u = s.users.find((x) => x.name === name)!;
  return { email: u.email, lastActive: u.lastActive, activityKnown: u.activityKnown, created: u.created };
};

describe('Confluence 10.2: the active-user list', () => {
  it.each(['iso', 'epoch-ms'] as const)(
    'gives last logins (%s) and emails of licensed enabled users; never-logged-in licensed users are known, the rest unknown',
    async (format) => {
      h = await confluence('10.2', { lastLoginFormat: format });
      const { snapshot, plan } = await readAndPlan(policy(DORMANT), await h.connect(DORMANT), NOW);
      expect(snapshot.activity).toEqual({ source: 'admin/users/list/active lastLogin', available: true });
      expect(view(snapshot, 'bob')).toEqual({
        email: 'bob@example.com',
        lastActive: daysAgo(200),
        activityKnown: true,
        created: null,
      });
      // carol (read-only LDAP) holds a seat and logged in: listed like anyone.
      expect(view(snapshot, 'carol')).toMatchObject({ email: 'carol@example.com', lastActive: daysAgo(300) });
      // dave holds a seat and never logged in: known, but no creation date over REST, so never acted on.
      expect(view(snapshot, 'dave')).toEqual({
        email: null,
        lastActive: null,
        activityKnown: true,
        created: null,
      });
      // Disabled (erin) and seatless (kim) people are not on the list: unknown.
      for (const name of ['erin', 'kim'])
        expect(view(snapshot, name)).toEqual({
          email: null,
          lastActive: null,
          activityKnown: false,
          created: null,
        });
      expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual([
        'deactivate bob',
        'deactivate carol',
        'deactivate ivan',
      ]);
      expect(plan.skipped.filter((s) => s.why === 'activity-unknown').map((s) => [s.user, s.detail])).toEqual(
        [
          ['dave', 'never logged in and the creation date is unknown'],
          ['kim', 'the activity source has no record for this user'],
        ],
      );
      expect(plan.activity).toMatchObject({ available: true, unknown: 1 });
    },
  );

  it('is read again when it moves while paged (someone logged in), and the snapshot is still right', async () => {
    h = await confluence('10.2', { maxPageSize: 2 });
    // The third page of the list is throttled once; while the client waits, bob logs in: he moves to the end
    // of the list (it is ordered by last login) and every later entry shifts by one.
    h.sb.failNext('/rest/api/admin/users/list/active', 503, { skip: 2 });
    const later = new Date(NOW.getTime() + 60_000).toISOString();
    const sleep = async () => logIn('bob', later);
    const { snapshot } = await readAndPlan(policy(DORMANT), await h.connect(DORMANT, { sleep }), NOW);
    const lists = h.sb.allRequests.filter((r) => r.path === '/rest/api/admin/users/list/active');
    expect(lists.filter((r) => r.query.start === '0')).toHaveLength(2);
    expect(view(snapshot, 'bob')).toMatchObject({ email: 'bob@example.com', lastActive: later });
    for (const name of ['alice', 'carol', 'frank', 'gina', 'henry', 'ivan'])
      expect(view(snapshot, name), name).toMatchObject({
        email: `${name}@example.com`,
        lastActive: h.sb.store.user(name)!.lastLogin,
        activityKnown: true,
      });
  });

  it('that keeps moving fails the snapshot rather than miss someone', async () => {
    h = await confluence('10.2', { maxPageSize: 2 });
    h.sb.failNext('/rest/api/admin/users/list/active', 503, { skip: 2 });
    // …and the third page of the second read too, while ivan (read on its first page) logs in.
    h.sb.failNext('/rest/api/admin/users/list/active', 503, { skip: 4 });
    const movers = ['bob', 'ivan'];
    let minutes = 0;
    const sleep = async () =>
      logIn(movers.shift() ?? 'alice', new Date(NOW.getTime() + ++minutes * 60_000).toISOString());
    const read = readAndPlan(policy(DORMANT), await h.connect(DORMANT, { sleep }), NOW);
    await expect(read).rejects.toThrow(
      'listing active users (GET /rest/api/admin/users/list/active): the list changed while it was paged, in two reads (ivan came back twice: someone logging in moves to its end); plan again',
    );
  });
});

describe('Confluence 9.5: a list without lastLogin', () => {
  it('leaves activity unknown, says so first with the remedy, and still reads emails', async () => {
    h = await confluence('9.5');
    const { snapshot, plan } = await readAndPlan(policy(DORMANT), await h.connect(DORMANT), NOW);
    expect(snapshot.activity).toEqual({
      source: 'admin/users/list/active',
      available: false,
      detail:
        'Confluence 9.5.2 lists active users without lastLogin (expand=lastLogin is documented from 10.2)',
      remedy: expect.stringMatching(
        /^Upgrade to Confluence 10\.2 or later, or export login times .* instance\.activity: \{ source: csv, csv: <file> \}\.$/,
      ),
    });
    expect(view(snapshot, 'bob')).toEqual({
      email: 'bob@example.com',
      lastActive: null,
      activityKnown: false,
      created: null,
    });
    expect(plan.changes).toEqual([]);
    expect(plan.activity).toMatchObject({ available: false, unknown: plan.activity?.selected });
    expect(plan.activity?.alert).toContain('Upgrade to Confluence 10.2 or later');
    expect(renderTerminal(plan).split('\n').slice(0, 4).join('\n')).toContain('! Activity unknown');
    const asked = h.sb.allRequests.find((r) => r.path === '/rest/api/admin/users/list/active');
    expect(asked?.query.expand).toBe('lastLogin');
  });
});

describe('Confluence 9.2: no active-user list', () => {
  it('leaves activity unknown with the upgrade or CSV remedy, and emails unknown, without asking for the list', async () => {
    h = await confluence('9.2');
    const { snapshot, plan } = await readAndPlan(policy(DORMANT), await h.connect(DORMANT), NOW);
    expect(snapshot.activity).toMatchObject({
      source: 'none',
      available: false,
      detail:
        'Confluence 9.2.5 has no admin/users/list/active (it arrived in 9.3), so login times cannot be read over REST',
      remedy: expect.stringMatching(
        /^Upgrade to Confluence 10\.2 or later \(admin\/users\/list\/active arrived in 9\.3, its lastLogin in 10\.2\), or export login times/,
      ),
    });
    expect(snapshot.users.filter((u) => u.email !== null || u.activityKnown)).toEqual([]);
    expect(plan.activity?.alert).toMatch(
      /^Activity is unavailable \(source: none\): Confluence 9\.2\.5 has no admin\/users\/list\/active/,
    );
    expect(h.sb.allRequests.filter((r) => r.path.includes('/list/active'))).toEqual([]);
  });

  it('takes activity from a CSV where the policy says so', async () => {
    h = await confluence('9.2');
    const { writeFile } = await import('node:fs/promises');
    const { tempDir } = await import('./helpers.ts');
    const csv = `${await tempDir()}/logins.csv`;
    await writeFile(csv, `username,last_login\nbob,${daysAgo(200)}\nalice,${daysAgo(2)}\n`);
    const text = DORMANT.replace(
      'access_groups: [confluence-users] }',
      `access_groups: [confluence-users], activity: { source: csv, csv: ${csv} } }`,
    );
    const { plan, snapshot } = await readAndPlan(policy(text), await h.connect(text), NOW);
    expect(snapshot.activity?.source).toBe(`CSV ${csv}`);
    expect(plan.changes.map((c) => `${c.kind} ${c.user}`)).toEqual(['deactivate bob']);
  });
});

describe('activity source', () => {
  it('an empty list while licensed users are enabled is unavailable (the search index), never "nobody logged in"', () => {
    const source = activitySource({ entries: new Map() }, [10, 2, 1], 7);
    expect(source).toMatchObject({
      available: false,
      detail:
        'admin/users/list/active listed nobody although 7 licensed users are enabled (the list comes from the search index: is it being rebuilt?)',
    });
    expect(activitySource({ entries: new Map() }, [10, 2, 1], 0).available).toBe(true);
    const nulls = new Map([['k1', { lastLogin: null, email: null }]]);
    expect(activitySource({ entries: nulls }, [10, 2, 1], 1)).toMatchObject({
      available: false,
      detail: 'Confluence 10.2.1 lists active users without lastLogin values',
    });
  });
});
