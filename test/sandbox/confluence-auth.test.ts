// Confluence DC authentication and knobs: a bad PAT is served as anonymous (200 + X-Seraph-LoginReason
// where anonymous access is allowed), a bad Basic password gets 401 at once; "Can use" and administrator
// checks; rate limiting and injected faults in Confluence's shapes.
import { describe, expect, it } from 'vitest';
import { basic, call, get, NOW } from './helpers.ts';
import { withConfluence, type ConfluenceErrorBody, type Page, type Person } from './confluence-helpers.ts';

const BAD_PAT = 'Bearer not-a-token';

describe('credentials', () => {
  it('serves a bad PAT as anonymous, with X-Seraph-LoginReason, where anonymous access is allowed', async () => {
    await withConfluence({ anonymousAccess: true }, async (sb) => {
      for (const path of ['/rest/api/user/anonymous', '/rest/api/user/current']) {
        const res = await get<Person>(sb, path, BAD_PAT);
        expect(res.status).toBe(200);
        expect(res.body.type).toBe('anonymous');
        expect(res.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
        expect(res.headers.get('x-ausername')).toBe('anonymous');
      }
      const manifest = await get(sb, '/rest/applinks/1.0/manifest', BAD_PAT);
      expect(manifest.status).toBe(200);
      expect(manifest.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
      const list = await get<ConfluenceErrorBody>(sb, '/rest/api/user/list', BAD_PAT);
      expect(list.status).toBe(401);
      expect(list.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    });
  });

  it('refuses anonymous use when anonymous access is off (the default)', async () => {
    await withConfluence({}, async (sb) => {
      const res = await get<ConfluenceErrorBody>(sb, '/rest/api/user/anonymous', BAD_PAT);
      expect(res.status).toBe(403);
      expect(res.body.statusCode).toBe(403);
      expect(res.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    });
  });

  it('answers a wrong Basic password with 401 at once, even on anonymous resources', async () => {
    await withConfluence({ anonymousAccess: true }, async (sb) => {
      for (const path of ['/rest/applinks/1.0/manifest', '/rest/api/user/anonymous', '/rest/api/user/list']) {
        const res = await get(sb, path, basic('alice', 'not-her-password'));
        expect(res.status).toBe(401);
        expect(res.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      }
      const ok = await get<Person>(sb, '/rest/api/user/current', basic('alice', 'wonderland'));
      expect(ok.status).toBe(200);
      expect(ok.body.username).toBe('alice');
      expect(ok.headers.get('x-seraph-loginreason')).toBe('OK');
    });
  });

  it('lets no disabled account in', async () => {
    await withConfluence({}, async (sb) => {
      sb.store.update(sb.store.user('alice')!, { active: false });
      expect((await get(sb, '/rest/api/user/current', basic('alice', 'wonderland'))).status).toBe(401);
    });
  });
});

describe('permissions', () => {
  it('keeps admin resources for confluence-administrators (403 otherwise, nothing changes)', async () => {
    await withConfluence({}, async (sb) => {
      const alice = basic('alice', 'wonderland');
      const res = await call<ConfluenceErrorBody>(sb, 'PUT', '/rest/api/admin/user/bob/disable', {
        auth: alice,
      });
      expect(res.status).toBe(403);
      expect(res.body.reason).toBe('Forbidden');
      expect(sb.store.user('bob')?.active).toBe(true);
      expect(
        (await call(sb, 'DELETE', '/rest/api/user/bob/group/confluence-users', { auth: alice })).status,
      ).toBe(403);
      expect(sb.store.memberNames('confluence-users')).toContain('bob');
      expect((await call(sb, 'PUT', '/rest/api/admin/user/bob/disable', { auth: null })).status).toBe(401);
      // Reads need "Can use" only.
      expect((await get(sb, '/rest/api/user/list', alice)).status).toBe(200);
    });
  });

  it('refuses user reads to an account without "Can use"', async () => {
    await withConfluence({}, async (sb) => {
      const frank = basic('frank', 'frank');
      const res = await get<ConfluenceErrorBody>(sb, '/rest/api/user/list', frank);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-seraph-loginreason')).toBe('OK');
      sb.store.addMember('confluence-users', sb.store.user('frank')!);
      expect((await get<Page<Person>>(sb, '/rest/api/user/list', frank)).status).toBe(200);
    });
  });
});

describe('knobs', () => {
  it('rate limits per user: 429 with Retry-After and the X-RateLimit-* headers', async () => {
    let now = NOW.getTime();
    await withConfluence(
      { rateLimit: { capacity: 2, fillRate: 1, intervalSeconds: 30 }, clock: () => now },
      async (sb) => {
        expect((await get(sb, '/rest/api/user/current')).headers.get('x-ratelimit-remaining')).toBe('1');
        expect((await get(sb, '/rest/api/user/current')).headers.get('x-ratelimit-remaining')).toBe('0');
        now += 10_000;
        const limited = await get<ConfluenceErrorBody>(sb, '/rest/api/user/list');
        expect(limited.status).toBe(429);
        expect(limited.body).toMatchObject({ statusCode: 429, reason: 'Too Many Requests' });
        expect(limited.headers.get('retry-after')).toBe('20');
        expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
        expect(limited.headers.get('x-ratelimit-interval-seconds')).toBe('30');
        expect(limited.headers.get('x-ratelimit-fillrate')).toBe('1');
        now += 20_000;
        expect((await get(sb, '/rest/api/user/list')).status).toBe(200);
      },
    );
  });

  it('injects 5xx in Confluence’s body, proxy pages, and resets', async () => {
    await withConfluence({}, async (sb) => {
      sb.failNext('/rest/api/user/list', 500);
      const failed = await get<ConfluenceErrorBody>(sb, '/rest/api/user/list');
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({ statusCode: 500, reason: 'Internal Server Error' });
      sb.failNext('/rest/api/admin/user/', 503, { method: 'PUT' });
      const busy = await call(sb, 'PUT', '/rest/api/admin/user/bob/disable');
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(sb.store.user('bob')?.active).toBe(true);
      sb.failNext('/rest/api/longtask', 'reset');
      await expect(get(sb, '/rest/api/longtask/x')).rejects.toThrow();
    });
  });
});
