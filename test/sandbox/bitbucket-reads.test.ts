// Bitbucket DC reads over real HTTP: the paged envelope (start/limit, isLastPage, nextPageStart; default
// 25, at most 1000, lower with maxPageSize), RestDetailedUser as Bitbucket writes it (no
// lastAuthenticationTimestamp for someone who never authenticated; the read-only flags of an LDAP user;
// type SERVICE), groups and members both ways, global permissions, application-properties under
// /rest/api/latest, user directories; who may read what; bad credentials 401 at once.
import { describe, expect, it } from 'vitest';
import { basic, call, get } from './helpers.ts';
import {
  API,
  bitbucketOrg,
  type BitbucketErrors,
  type BitbucketPage,
  type DetailedUser,
  withBitbucket,
} from './bitbucket-helpers.ts';

describe('admin/users', () => {
  it('lists every user by name in pages of 25 by default, with RestDetailedUser fields', async () => {
    const scenario = bitbucketOrg();
    for (let i = 0; i < 30; i++) scenario.users.push({ name: `user${String(i).padStart(2, '0')}` });
    await withBitbucket({ scenario }, async (sb) => {
      const first = await get<BitbucketPage<DetailedUser>>(sb, `${API}/admin/users`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        size: 25,
        limit: 25,
        isLastPage: false,
        start: 0,
        nextPageStart: 25,
      });
      const second = await get<BitbucketPage<DetailedUser>>(sb, `${API}/admin/users?start=25&limit=1000`);
      expect(second.body.isLastPage).toBe(true);
      expect(second.body).not.toHaveProperty('nextPageStart');
      const names = [...first.body.values, ...second.body.values].map((u) => u.name);
      expect(names).toEqual(
        sb.store
          .users()
          .map((u) => u.name)
          .sort((a, b) => a.localeCompare(b)),
      );

      const { values } = (await get<BitbucketPage<DetailedUser>>(sb, `${API}/admin/users?filter=ALI`)).body;
      expect(values.map((u) => u.name)).toEqual(['alice']);
      const alice = values[0]!;
      expect(Object.keys(alice)).toEqual([
        'name',
        'emailAddress',
        'id',
        'displayName',
        'active',
        'slug',
        'type',
        'directoryName',
        'deletable',
        'lastAuthenticationTimestamp',
        'mutableDetails',
        'mutableGroups',
        'links',
      ]);
      expect(alice).toMatchObject({
        emailAddress: 'alice@example.com',
        id: sb.store.user('alice')!.id,
        active: true,
        slug: 'alice',
        type: 'NORMAL',
        directoryName: 'Bitbucket Internal Directory',
        deletable: true,
        mutableDetails: true,
        mutableGroups: true,
        lastAuthenticationTimestamp: Date.parse(sb.store.user('alice')!.lastLogin!),
      });
    });
  });

  it('leaves out what is unknown and reports the read-only directory and service accounts', async () => {
    await withBitbucket({}, async (sb) => {
      const all = (await get<BitbucketPage<DetailedUser>>(sb, `${API}/admin/users?limit=1000`)).body.values;
      const by = (n: string) => all.find((u) => u.name === n)!;
      expect(by('dave')).not.toHaveProperty('lastAuthenticationTimestamp');
      expect(by('frank')).not.toHaveProperty('emailAddress');
      expect(by('erin').active).toBe(false);
      expect(by('carol')).toMatchObject({
        directoryName: 'Corporate LDAP',
        mutableDetails: false,
        mutableGroups: false,
        deletable: false,
      });
      expect(by('ci-bot').type).toBe('SERVICE');
    });
  });

  it('caps a page at 1000 and at the maxPageSize knob; /rest/api/latest is /rest/api/1.0', async () => {
    await withBitbucket({ maxPageSize: 3 }, async (sb) => {
      const page = await get<BitbucketPage<DetailedUser>>(sb, '/rest/api/latest/admin/users?limit=1000');
      expect(page.body).toMatchObject({ size: 3, limit: 3, isLastPage: false, nextPageStart: 3 });
    });
    const scenario = bitbucketOrg();
    for (let i = 0; i < 1005; i++) scenario.users.push({ name: `u${i}` });
    await withBitbucket({ scenario }, async (sb) => {
      const page = await get<BitbucketPage<DetailedUser>>(sb, `${API}/admin/users?limit=5000`);
      expect(page.body).toMatchObject({ size: 1000, limit: 1000, isLastPage: false, nextPageStart: 1000 });
    });
  });
});

describe('groups and members', () => {
  it('lists groups, members of a group and groups of a user', async () => {
    await withBitbucket({}, async (sb) => {
      const groups = await get<BitbucketPage<{ name: string; deletable: boolean }>>(
        sb,
        `${API}/admin/groups`,
      );
      expect(groups.body.values).toEqual([
        { name: 'developers', deletable: true },
        { name: 'ldap-staff', deletable: false },
        { name: 'stash-users', deletable: true },
        { name: 'sys-admins', deletable: true },
      ]);
      const members = await get<BitbucketPage<DetailedUser>>(
        sb,
        `${API}/admin/groups/more-members?context=stash-users&filter=CAR`,
      );
      expect(members.body.values.map((u) => u.name)).toEqual(['carol']);
      const mine = await get<BitbucketPage<{ name: string }>>(
        sb,
        `${API}/admin/users/more-members?context=carol`,
      );
      expect(mine.body.values.map((g) => g.name)).toEqual(['ldap-staff', 'stash-users']);
      const missing = await get<BitbucketErrors>(sb, `${API}/admin/groups/more-members?context=nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.errors[0]).toEqual({
        context: null,
        message: 'Group nope does not exist.',
        exceptionName: 'com.atlassian.bitbucket.user.NoSuchGroupException',
      });
      expect((await get(sb, `${API}/admin/users/more-members?context=nobody`)).status).toBe(404);
    });
  });
});

describe('global permissions', () => {
  it('lists direct grants of users and groups', async () => {
    await withBitbucket({}, async (sb) => {
      const users = await get<BitbucketPage<{ user: { name: string; id: number }; permission: string }>>(
        sb,
        `${API}/admin/permissions/users`,
      );
      expect(users.body.values.map((p) => `${p.user.name}:${p.permission}`)).toEqual([
        'admin:SYS_ADMIN',
        'bob:LICENSED_USER',
        'gina:LICENSED_USER',
        'pat:ADMIN',
      ]);
      expect(users.body.values[0]!.user.id).toBe(sb.store.user('admin')!.id);
      const filtered = await get<BitbucketPage<{ user: { name: string } }>>(
        sb,
        `${API}/admin/permissions/users?filter=gin`,
      );
      expect(filtered.body.values.map((p) => p.user.name)).toEqual(['gina']);
      const groups = await get<BitbucketPage<{ group: { name: string }; permission: string }>>(
        sb,
        `${API}/admin/permissions/groups`,
      );
      expect(groups.body.values).toEqual([
        { group: { name: 'ldap-staff' }, permission: 'LICENSED_USER' },
        { group: { name: 'stash-users' }, permission: 'LICENSED_USER' },
        { group: { name: 'sys-admins' }, permission: 'SYS_ADMIN' },
      ]);
    });
  });
});

describe('instance information', () => {
  it('answers application-properties anonymously and the directories to administrators', async () => {
    await withBitbucket({ version: '8.19', contextPath: '/bitbucket' }, async (sb) => {
      expect(sb.url.endsWith('/bitbucket')).toBe(true);
      const props = await get<Record<string, string>>(sb, '/rest/api/latest/application-properties', null);
      expect(props.status).toBe(200);
      expect(props.body).toEqual({
        version: '8.19.20',
        buildNumber: '8019020',
        buildDate: expect.stringMatching(/^\d+$/),
        displayName: 'Bitbucket',
      });
      const dirs = await get<BitbucketPage<{ name: string; type: string; active: boolean }>>(
        sb,
        `${API}/admin/user-directories`,
      );
      expect(dirs.body.values.map((d) => `${d.name}:${d.type}`)).toEqual([
        'Bitbucket Internal Directory:INTERNAL',
        'Corporate LDAP:CONNECTOR',
      ]);
    });
  });
});

describe('authentication and permissions', () => {
  it('answers bad credentials with 401 at once, even where anonymous access works', async () => {
    await withBitbucket({}, async (sb) => {
      for (const auth of ['Bearer not-a-token', basic('admin', 'wrong')]) {
        const res = await get<BitbucketErrors>(sb, `${API}/application-properties`, auth);
        expect(res.status).toBe(401);
        expect(res.body.errors[0]!.message).toBe(
          'Authentication failed. Please check your credentials and try again.',
        );
        expect(res.headers.get('x-seraph-loginreason')).toBeNull();
      }
    });
  });

  it('names the caller in X-AUSERID / X-AUSERNAME', async () => {
    await withBitbucket({}, async (sb) => {
      const res = await get(sb, `${API}/application-properties`);
      expect(res.headers.get('x-ausername')).toBe('admin');
      expect(res.headers.get('x-auserid')).toBe(String(sb.store.user('admin')!.id));
    });
  });

  it('lets a licensed user list users but not permissions, and an unlicensed one nothing', async () => {
    await withBitbucket({}, async (sb) => {
      const alice = basic('alice', 'wonderland');
      expect((await get(sb, `${API}/admin/users`, alice)).status).toBe(200);
      expect((await get(sb, `${API}/admin/groups/more-members?context=developers`, alice)).status).toBe(200);
      const perms = await get<BitbucketErrors>(sb, `${API}/admin/permissions/users`, alice);
      expect(perms.status).toBe(401);
      expect(perms.body.errors[0]!.exceptionName).toBe('com.atlassian.bitbucket.AuthorisationException');
      expect((await get(sb, `${API}/admin/user-directories`, alice)).status).toBe(401);
      const write = await call(sb, 'POST', `${API}/admin/users/add-groups`, {
        auth: alice,
        body: { user: 'bob', groups: ['developers'] },
      });
      expect(write.status).toBe(401);
      expect((await get(sb, `${API}/admin/users`, basic('frank', 'frank'))).status).toBe(401);
      expect((await get(sb, `${API}/admin/users`, null)).status).toBe(401);
    });
  });

  it('rate-limits per user with 429, Retry-After and the X-RateLimit headers', async () => {
    await withBitbucket({ rateLimit: { capacity: 2, fillRate: 1 } }, async (sb) => {
      expect((await get(sb, `${API}/admin/users`)).status).toBe(200);
      expect((await get(sb, `${API}/admin/users`)).status).toBe(200);
      const limited = await get<BitbucketErrors>(sb, `${API}/admin/users`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
      expect(limited.body.errors[0]!.message).toMatch(/rate limited/);
    });
  });

  it('answers a route it does not model with 501 naming it', async () => {
    await withBitbucket({}, async (sb) => {
      const res = await get<BitbucketErrors & { method: string; path: string }>(sb, `${API}/projects`);
      expect(res.status).toBe(501);
      expect(res.body.path).toBe(`${API}/projects`);
      expect(res.body.errors[0]!.message).toMatch(/does not model GET/);
    });
  });
});
