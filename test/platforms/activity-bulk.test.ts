// Issue 14, activity cost: login times come in bulk from Crowd's user search with expand=user,attributes
// (Jira's embedded Crowd and Crowd the platform), 1000 users a request, instead of one request per user;
// the values equal those of the per-user reads, which remain the fallback when the server ignores the
// expansion or does not serve the search. Counted from the sandbox's request log over real HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.ts';
import { crowdHarness, type CrowdHarness, DORMANT } from './crowd-helpers.ts';
import { expectSnapshotMatchesStore, harness, type Harness, NOW, policy, VERSIONS } from './helpers.ts';

const GENERATED = { scenario: undefined, generate: { users: 300, groups: 5, seed: 14, now: NOW } };
const UM = '/rest/usermanagement/1';
const crowdReads = (rs: RecordedRequest[]) => rs.filter((r) => r.path.startsWith(`${UM}/`));
const perUser = (rs: RecordedRequest[]) => rs.filter((r) => r.path === `${UM}/user`);

const JIRA_POLICY = `version: 1
instance: { platform: jira-dc, access_groups: [jira-software-users] }
inactivity:
  - { name: dormant, inactive_days: 90, action: deactivate, never_logged_in: { grace_days: 30 } }
limits: { max_fraction: 1 }
`;

describe.each(VERSIONS)('Jira DC %s: login times in bulk from the embedded Crowd', (version) => {
  let h: Harness;
  afterEach(() => h.close());

  it('reads 300 users’ login times in one page (plus the empty page that ends it), equal to the per-user reads', async () => {
    h = await harness(version, GENERATED);
    const resolved = policy(JIRA_POLICY);
    const users = h.sb.store.users().length;
    expect(users).toBeGreaterThanOrEqual(300);

    const bulk = await (await h.connect(resolved)).adapter.snapshot();
    const bulkReads = crowdReads(h.sb.allRequests);
    expect(perUser(bulkReads)).toEqual([]);
    expect(bulkReads.map((r) => [r.path, r.query['expand']])).toEqual([
      [`${UM}/search`, 'user,attributes'],
      [`${UM}/search`, 'user,attributes'],
    ]);
    expect(bulkReads.length / users).toBeLessThan(0.01);
    expectSnapshotMatchesStore(bulk, h.sb.store, { activity: 'crowd' });

    // The same instance read one request per user (the server ignores expand=attributes on search).
    h.sb.configure({ searchAttributes: false });
    const seen = h.sb.allRequests.length;
    const single = await (await h.connect(resolved)).adapter.snapshot();
    expect(perUser(h.sb.allRequests.slice(seen))).toHaveLength(users);
    expect(single.users).toEqual(bulk.users);
    expect(single.activity).toEqual(bulk.activity);
  });

  it('falls back to per-user reads when the embedded Crowd does not serve the search (404)', async () => {
    h = await harness(version, GENERATED);
    h.sb.failNext(`${UM}/search`, 404);
    const resolved = policy(JIRA_POLICY);
    const s = await (await h.connect(resolved)).adapter.snapshot();
    expect(perUser(h.sb.allRequests)).toHaveLength(h.sb.store.users().length);
    expectSnapshotMatchesStore(s, h.sb.store, { activity: 'crowd' });
  });

  it('a search that keeps failing fails the snapshot: never "never logged in", never a quiet fallback', async () => {
    h = await harness(version, GENERATED);
    h.sb.failNext(`${UM}/search`, 500, { times: 10 });
    const resolved = policy(JIRA_POLICY);
    const read = (await h.connect(resolved)).adapter.snapshot();
    await expect(read).rejects.toThrow(`GET ${UM}/search: 500 Internal Server Error`);
    expect(perUser(h.sb.allRequests)).toEqual([]);
  });
});

describe('Crowd: attributes in bulk from the user search', () => {
  let h: CrowdHarness;
  afterEach(() => h.close());

  it('lists 300 users with their attributes in one page, the same snapshot as one request per user', async () => {
    h = await crowdHarness(GENERATED);
    const resolved = policy(DORMANT);
    const users = h.sb.store.users().length;
    expect(users).toBeGreaterThanOrEqual(300);

    const bulk = await (await h.connect(resolved)).adapter.snapshot();
    const bulkUserReads = crowdReads(h.sb.allRequests).filter((r) => r.query['entity-type'] !== 'group');
    expect(perUser(bulkUserReads)).toEqual([]);
    expect(bulkUserReads.filter((r) => r.path === `${UM}/search`).map((r) => r.query['expand'])).toEqual([
      'user,attributes',
      'user,attributes',
    ]);
    expect(bulk.users.every((u) => u.activityKnown)).toBe(true);
    expect(bulk.users.filter((u) => u.lastActive !== null).length).toBeGreaterThan(100);

    h.sb.configure({ searchAttributes: false });
    const seen = h.sb.allRequests.length;
    const single = await (await h.connect(resolved)).adapter.snapshot();
    expect(perUser(h.sb.allRequests.slice(seen))).toHaveLength(users);
    expect(single.users).toEqual(bulk.users);
  });
});
