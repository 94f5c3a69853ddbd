// The Cloud driver reads over real HTTP: the snapshot is the organisation as its admin API tells it (people
// named by email with their account id as an alias, activity per product, addedToOrg as creation date,
// synced users and groups read-only before apply, org and site admins as admin sets, apps as service
// accounts, no account behind the key), from the search POSTs only — never a deprecated list — in about
// users/100 requests: 100,000 users in at most 1,100. Wrong org ids, directories and keys fail naming them.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, HttpError } from '../../src/http/index.ts';
import type { Snapshot } from '../../src/model.ts';
import { CLOUD_ORG_ID, cloudDirectoryId, cloudRecords } from '../../src/sandbox/index.ts';
import { type CloudHarness, cloudPolicy, cloudSandbox, CONFLUENCE, JIRA } from './cloud-helpers.ts';
import { daysAgo, fakeTime, LDAP_DIR, NOW } from './helpers.ts';

const POLICY = `access_groups: [${JIRA}, ${CONFLUENCE}]`;
const GROUPS = `groups:
  developers: { mode: additive, members: [alice@example.com] }
  okta-staff: { mode: additive, members: [] }
  all-staff: { mode: additive, members: [] }
`;
const DEPRECATED =
  /\/users$|\/groups$|^\/admin\/v1\/orgs\/[^/]+\/(users\/search|directory\/users\/[^/]+\/(suspend|restore)-access)$/;

describe('Cloud snapshot', () => {
  let h: CloudHarness;
  afterEach(() => h.close());

  const snapshotOf = async (keys = POLICY, rest = GROUPS): Promise<Snapshot> =>
    (await h.connect(cloudPolicy(keys, rest))).adapter.snapshot();

  it('is the organisation as its admin API tells it', async () => {
    h = await cloudSandbox();
    const s = await snapshotOf();
    const by = (n: string) => s.users.find((u) => u.name === `${n}@example.com`)!;
    expect(s).toMatchObject({
      platform: 'cloud',
      self: null,
      directories: ['Example Org', 'Okta'],
      activity: { available: true },
      allGroups: expect.arrayContaining(['developers', 'okta-staff', 'org-admins', JIRA, CONFLUENCE]),
    });
    expect(s.instance).toBe(`${h.sb.url}/admin/v2/orgs/${CLOUD_ORG_ID}`);
    expect(s.users.map((u) => u.id).sort()).toEqual(
      h.sb.store
        .users()
        .map((u) => u.key)
        .sort(),
    );
    expect(by('alice')).toMatchObject({
      id: h.id('alice'),
      aliases: [h.id('alice')],
      email: 'alice@example.com',
      displayName: 'Alice Tester',
      active: true,
      lastActive: daysAgo(2),
      activityKnown: true,
      products: [
        { product: 'confluence', lastActive: daysAgo(4) },
        { product: 'jira-software', lastActive: daysAgo(2) },
      ],
      created: daysAgo(400),
      directory: { id: cloudDirectoryId(CLOUD_ORG_ID, 1), name: 'Example Org', readOnly: false },
      groups: ['all-staff', CONFLUENCE, 'developers', JIRA],
    });
    // The latest product counts; a product with access and no use is null; none at all is never.
    expect(by('bob').lastActive).toBe(daysAgo(20));
    expect(by('frank')).toMatchObject({ lastActive: null, activityKnown: true });
    expect(by('frank').products).toEqual([{ product: 'confluence', lastActive: null }]);
    expect(by('dave')).toMatchObject({ lastActive: null, activityKnown: true, products: [] });
    expect(by('erin').active).toBe(false);
    // Synced from the identity provider: account changes are read-only, with what to do.
    expect(by('carol').directory.name).toBe('Okta');
    expect(by('carol').readOnly).toEqual([
      {
        kinds: ['activate', 'deactivate', 'delete'],
        reason:
          'carol@example.com is synced from an identity provider (managementSource: synced): manage them in the identity provider',
      },
    ]);
    expect(by('gina').readOnly?.[0]).toMatchObject({ kinds: ['activate'] });
    expect(by('gina').active).toBe(false);
    expect(by('bot').service).toBe(true);
    expect(by('alice').service).toBeUndefined();
    expect(s.groups).toEqual([
      { name: 'all-staff', readOnly: true, readOnlyReason: expect.stringContaining('modifiable: false') },
      { name: CONFLUENCE, readOnly: false, grants: ['confluence'] },
      { name: 'developers', readOnly: false },
      { name: JIRA, readOnly: false, grants: ['jira-software'] },
      { name: 'okta-staff', readOnly: true, readOnlyReason: expect.stringContaining('identity provider') },
    ]);
    const names = (ids: string[]) => ids.map((id) => s.users.find((u) => u.id === id)!.name).sort();
    expect(s.admins?.map((a) => ({ label: a.label, group: a.group, members: names(a.members) }))).toEqual([
      { label: 'role atlassian/org-admin', group: null, members: ['admin@example.com', 'ivy@example.com'] },
      { label: 'role atlassian/site-admin', group: null, members: ['root@example.com'] },
    ]);
    // Only the search POSTs read (allowlisted in plan mode), and nothing was written.
    expect(
      h.sb.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, '{id}')}`).sort(),
    ).toEqual([
      'POST /admin/v2/orgs/{id}/directories/{id}/groups/search',
      'POST /admin/v2/orgs/{id}/directories/{id}/groups/search',
      'POST /admin/v2/orgs/{id}/directories/{id}/users/search',
      'POST /admin/v2/orgs/{id}/directories/{id}/users/search',
    ]);
  });

  it('reads 100,000 users in at most 1,100 requests, none per user and none to a deprecated list', async () => {
    h = await cloudSandbox({ scenario: undefined, generate: { users: 100_000, groups: 5, seed: 7 } });
    const conn = await h.connect(cloudPolicy(`access_groups: [${JIRA}]`));
    const s = await conn.adapter.snapshot();
    expect(s.users).toHaveLength(100_001);
    const requests = conn.clients.reduce((a, c) => a + c.stats().requests, 0);
    expect(requests).toBe(h.sb.allRequests.length);
    expect(requests).toBeLessThanOrEqual(1_100);
    expect(
      h.sb.allRequests.filter((r) => DEPRECATED.test(r.path) || /last-active-dates/.test(r.path)),
    ).toEqual([]);
    expect(s.users.filter((u) => !u.activityKnown)).toEqual([]);
  }, 120_000);

  it('reads activity one by one only for users listed without productAccess, at most the bound', async () => {
    h = await cloudSandbox({ productAccessExpand: false });
    const { CloudDirectory } = await import('../../src/platforms/cloud/directory.ts');
    const { createHttpClient } = await import('../../src/http/index.ts');
    const { SEARCHES } = await import('../../src/platforms/cloud/api.ts');
    const http = createHttpClient({
      baseUrl: h.sb.url,
      readOnly: true,
      readOnlyAllow: [SEARCHES],
      auth: { type: 'bearer', token: h.sb.credentials.token },
    });
    const directory = new CloudDirectory({
      http,
      scope: { groups: [], accessGroups: [], activityFromCsv: false, org: CLOUD_ORG_ID },
      clock: () => NOW,
      sleep: async () => undefined,
      fallbackLimit: 4,
    });
    try {
      const s = await directory.snapshot();
      const lookups = h.sb.allRequests.filter((r) => r.path.endsWith('/last-active-dates'));
      expect(lookups).toHaveLength(4);
      const known = s.users.filter((u) => u.activityKnown);
      expect(known).toHaveLength(4);
      expect(s.users.filter((u) => !u.activityKnown)).toHaveLength(s.users.length - 4);
      expect(s.activity).toMatchObject({
        available: true,
        detail: `users/search listed ${s.users.length} users without productAccess; 4 were read one by one with last-active-dates, ${s.users.length - 4} users left with unknown activity (at most 4 per run)`,
      });
      // What the fallback read is what the bulk would have said.
      const records = cloudRecords(h.sb.store);
      for (const u of known) {
        const r = h.sb.store.userByKey(u.id)!;
        const latest = records
          .activityOf(r)
          .map(([, at]) => at)
          .filter((at): at is string => at !== null)
          .sort()
          .at(-1);
        expect({ user: u.name, lastActive: u.lastActive }).toEqual({
          user: u.name,
          lastActive: latest ?? null,
        });
      }
    } finally {
      await directory.close();
    }
  });

  it('reads one directory with instance.directory (by name or id); an unknown one names those there are', async () => {
    h = await cloudSandbox();
    const okta = cloudDirectoryId(CLOUD_ORG_ID, LDAP_DIR);
    for (const d of ['Okta', okta]) {
      const s = await snapshotOf(`directory: ${JSON.stringify(d)}`, '');
      expect(s.directories).toEqual(['Okta']);
      expect(s.users.map((u) => u.name)).toEqual(['carol@example.com']);
    }
    await expect(snapshotOf('directory: Oktaa', '')).rejects.toThrow(
      `instance.directory "Oktaa": no directory of the organisation has this id or name (the API key reads: Example Org (${cloudDirectoryId(CLOUD_ORG_ID, 1)}), Okta (${okta}))`,
    );
  });

  it('fails naming instance.org when the organisation is not the key’s, and a dead key as an AuthError', async () => {
    h = await cloudSandbox();
    const wrong = (
      await h.connect(cloudPolicyFor('00000000-0000-4000-8000-000000000000'))
    ).adapter.snapshot();
    await expect(wrong).rejects.toThrow(HttpError);
    await expect(wrong).rejects.toThrow(
      /directories: 404 Not Found: Not Found: Organization 00000000-0000-4000-8000-000000000000 not found\.; instance\.org 00000000-0000-4000-8000-000000000000 is not an organisation this API key belongs to/,
    );
    const dead = (await h.connect(cloudPolicy(''), { credentials: { token: 'revoked' } })).adapter.snapshot();
    await expect(dead).rejects.toThrow(AuthError);
    await expect(dead).rejects.toThrow(/401 Unauthorized: Unauthorized$/);
  });

  it('a key with scopes plans; without a scope it needs, the read fails saying which keys read', async () => {
    h = await cloudSandbox({
      apiKeyScopes: ['read:directories:admin', 'read:groups:admin', 'read:accounts:admin'],
    });
    expect((await snapshotOf()).users.length).toBeGreaterThan(5);
    h.sb.configure({ apiKeyScopes: ['read:directories:admin'] });
    await expect(snapshotOf()).rejects.toThrow(
      /groups\/search: 403 Forbidden: Unauthorized: the API key lacks the scope read:groups:admin; organisation API keys with scopes may only read \(read:directories:admin, read:groups:admin, read:accounts:admin\); writes need an API key without scopes/,
    );
  });

  it('429s are waited out as Retry-After asks, and the snapshot is whole', async () => {
    const time = fakeTime();
    h = await cloudSandbox({
      clock: time.now,
      maxPageSize: 3,
      rateLimit: { capacity: 2, fillRate: 1, intervalSeconds: 2 },
    });
    const conn = await h.connect(cloudPolicy(POLICY, GROUPS), { sleep: time.sleep });
    const s = await conn.adapter.snapshot();
    expect(s.users).toHaveLength(h.sb.store.users().length);
    const throttled = h.sb.allRequests.filter((r) => r.status === 429).length;
    expect(throttled).toBeGreaterThan(2);
    expect(conn.clients[0]!.stats().throttled).toBe(throttled);
    expect(new Set(time.waits)).toEqual(new Set([2000]));
  });
});

function cloudPolicyFor(org: string) {
  const p = cloudPolicy('');
  return { ...p, policy: { ...p.policy, instance: { ...p.policy.instance, org } } };
}
