// Confluence DC reads over real HTTP: user/list paging by start/limit with _links.next relative to
// _links.base, disabled users through expand=status, no email on a Person, lookups, groups, the version
// probes, the context path and the loud 501.
import { describe, expect, it } from 'vitest';
import { call, get } from './helpers.ts';
import { withConfluence, type ConfluenceErrorBody, type Page, type Person } from './confluence-helpers.ts';

/** Follows _links.next the way a client must: relative to _links.base. */
async function allPages<T>(sb: Parameters<typeof get>[0], first: string): Promise<{ pages: Page<T>[] }> {
  const pages: Page<T>[] = [];
  let res = await get<Page<T>>(sb, first);
  for (;;) {
    expect(res.status).toBe(200);
    pages.push(res.body);
    const next = res.body._links.next;
    if (!next) return { pages };
    expect(next.startsWith('/rest/api/')).toBe(true);
    const absolute = `${res.body._links.base}${next}`;
    expect(absolute.startsWith(sb.url)).toBe(true);
    res = await get<Page<T>>(sb, absolute.slice(sb.url.length));
  }
}

describe('user/list', () => {
  it('pages every user, disabled ones included, with _links.next relative to _links.base', async () => {
    await withConfluence({ contextPath: '/confluence' }, async (sb) => {
      const { pages } = await allPages<Person>(sb, '/rest/api/user/list?limit=3&expand=status');
      expect(pages.map((p) => [p.start, p.limit, p.size])).toEqual([
        [0, 3, 3],
        [3, 3, 3],
        [6, 3, 2],
      ]);
      const first = pages[0]!;
      expect(first._links.base).toBe(sb.url);
      expect(first._links.context).toBe('/confluence');
      expect(first._links.next).toBe('/rest/api/user/list?limit=3&expand=status&start=3');
      expect(pages[1]!._links.prev).toBe('/rest/api/user/list?limit=3&expand=status&start=0');
      const people = pages.flatMap((p) => p.results);
      expect(people.map((p) => p.username).sort()).toEqual(
        ['admin', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'].sort(),
      );
      expect(people.find((p) => p.username === 'erin')?.status).toBe('DEACTIVATED');
      expect(people.find((p) => p.username === 'alice')?.status).toBe('ACTIVE');
    });
  });

  it('answers a Person without an email address, status only when expanded', async () => {
    await withConfluence({}, async (sb) => {
      const res = await get<Page<Person>>(sb, '/rest/api/user/list?limit=200');
      const alice = res.body.results.find((p) => p.username === 'alice')!;
      expect(Object.keys(alice)).toEqual([
        'type',
        'username',
        'userKey',
        'profilePicture',
        'displayName',
        '_links',
        '_expandable',
      ]);
      expect(JSON.stringify(res.body)).not.toContain('@example.com');
      expect(alice).toMatchObject({ type: 'known', displayName: 'Alice', _expandable: { status: '' } });
      expect(alice.userKey).toMatch(/^[0-9a-f]{32}$/);
      expect(alice._links.self).toBe(`${sb.url}/rest/api/user?key=${alice.userKey}`);
      expect(res.body._links.next).toBeUndefined();
    });
  });

  it('clamps limit to the page cap knob', async () => {
    await withConfluence({ maxPageSize: 2 }, async (sb) => {
      const res = await get<Page<Person>>(sb, '/rest/api/user/list?limit=500');
      expect(res.body.limit).toBe(2);
      expect(res.body.results).toHaveLength(2);
      expect(res.body._links.next).toBe('/rest/api/user/list?limit=2&start=2');
    });
  });
});

describe('single users and groups', () => {
  it('finds a user by username or key, 404s in Confluence’s error body otherwise', async () => {
    await withConfluence({}, async (sb) => {
      const alice = await get<Person>(sb, '/rest/api/user?username=alice&expand=status');
      expect(alice.body).toMatchObject({ username: 'alice', status: 'ACTIVE' });
      const byKey = await get<Person>(sb, `/rest/api/user?key=${alice.body.userKey}`);
      expect(byKey.body.username).toBe('alice');
      const missing = await get<ConfluenceErrorBody>(sb, '/rest/api/user?username=nobody');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        data: {
          authorized: false,
          valid: true,
          allowedInReadOnlyMode: true,
          errors: [],
          successful: false,
        },
        message: 'No user found with username: nobody',
        reason: 'Not Found',
      });
    });
  });

  it('lists a user’s groups, the groups, and a group’s members', async () => {
    await withConfluence({}, async (sb) => {
      const of = await get<Page<{ type: string; name: string }>>(
        sb,
        '/rest/api/user/memberof?username=alice',
      );
      expect(of.body.results.map((g) => g.name)).toEqual(['confluence-users', 'developers']);
      expect(of.body.results[0]).toMatchObject({ type: 'group' });
      const groups = await get<Page<{ name: string }>>(sb, '/rest/api/group?limit=2');
      expect(groups.body.results.map((g) => g.name)).toEqual([
        'confluence-administrators',
        'confluence-users',
      ]);
      expect(groups.body._links.next).toBe('/rest/api/group?limit=2&start=2');
      const members = await get<Page<Person>>(sb, '/rest/api/group/developers/member');
      expect(members.body.results.map((p) => p.username)).toEqual(['alice', 'frank']);
      expect((await get(sb, '/rest/api/group/nope/member')).status).toBe(404);
    });
  });
});

describe('version probes', () => {
  it('serves the applinks manifest anonymously, as XML unless JSON is asked for', async () => {
    await withConfluence({ version: '8.5' }, async (sb) => {
      const json = await get<{ name: string; typeId: string; version: string }>(
        sb,
        '/rest/applinks/1.0/manifest',
        null,
      );
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ name: 'Confluence', typeId: 'confluence', version: '8.5.16' });
      const xml = await fetch(`${sb.url}/rest/applinks/1.0/manifest`);
      expect(xml.headers.get('content-type')).toMatch(/xml/);
      expect(await xml.text()).toContain('<version>8.5.16</version>');
    });
  });

  it('serves server-information from 9.1 to authenticated callers only', async () => {
    await withConfluence({ version: '8.5' }, async (sb) => {
      const res = await get<ConfluenceErrorBody>(sb, '/rest/api/server-information');
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('null for uri');
    });
    await withConfluence({ version: '9.2' }, async (sb) => {
      const info = await get<{ version: string; baseUrl: string; buildNumber: number }>(
        sb,
        '/rest/api/server-information',
      );
      expect(info.body).toMatchObject({ version: '9.2.5', baseUrl: sb.url });
      expect((await get(sb, '/rest/api/server-information', null)).status).toBe(401);
    });
  });
});

describe('paths', () => {
  it('serves under a context path and 404s outside it', async () => {
    await withConfluence({ contextPath: 'confluence' }, async (sb) => {
      expect(sb.url.endsWith('/confluence')).toBe(true);
      expect((await get(sb, '/rest/api/user/current')).status).toBe(200);
      const outside = await fetch(`${sb.url.replace(/\/confluence$/, '')}/rest/api/user/current`);
      expect(outside.status).toBe(404);
    });
  });

  it('answers 501 naming the method and path of a route it does not model', async () => {
    await withConfluence({}, async (sb) => {
      const res = await call<ConfluenceErrorBody & { method: string; path: string }>(
        sb,
        'POST',
        '/rest/api/admin/space',
        { body: { name: 'x' } },
      );
      expect(res.status).toBe(501);
      expect(res.body).toMatchObject({ statusCode: 501, method: 'POST', path: '/rest/api/admin/space' });
      expect(res.body.message).toContain('POST /rest/api/admin/space');
    });
  });
});
