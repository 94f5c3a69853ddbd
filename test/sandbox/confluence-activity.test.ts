// Confluence DC activity: GET /rest/api/admin/users/list/active lists licensed, enabled users who have
// logged in (never the disabled, the unlicensed or the never-logged-in), oldest login first, each with
// its email; `lastLogin` only where the version has the expansion; the resource itself only from 9.3.
import { describe, expect, it } from 'vitest';
import { get, NOW } from './helpers.ts';
import { daysAgo, withConfluence, type Page, type Person } from './confluence-helpers.ts';

const ACTIVE = '/rest/api/admin/users/list/active';

describe('active users', () => {
  it('does not exist before 9.3 (404 in Confluence’s body)', async () => {
    for (const version of ['8.5', '9.2'] as const) {
      await withConfluence({ version }, async (sb) => {
        const res = await get<{ statusCode: number; message: string }>(sb, `${ACTIVE}?expand=lastLogin`);
        expect(res.status).toBe(404);
        expect(res.body.statusCode).toBe(404);
      });
    }
  });

  it('lists licensed, enabled, logged-in users with their email, oldest login first', async () => {
    await withConfluence({ version: '10.2' }, async (sb) => {
      const res = await get<Page<Person>>(sb, `${ACTIVE}?expand=lastLogin`);
      expect(res.status).toBe(200);
      // erin is disabled, frank unlicensed, dave never logged in; admin logs in with this very request.
      expect(res.body.results.map((p) => p.username)).toEqual(['bob', 'gina', 'carol', 'alice', 'admin']);
      const alice = res.body.results.find((p) => p.username === 'alice')!;
      expect(alice).toMatchObject({
        type: 'known',
        email: 'alice@example.com',
        lastLogin: daysAgo(2).replace('Z', '+00:00'),
      });
      expect(res.body.results.at(-1)?.lastLogin).toBe(NOW.toISOString().replace('Z', '+00:00'));
    });
  });

  it('answers without lastLogin where the version lacks the expansion', async () => {
    await withConfluence({ version: '9.5' }, async (sb) => {
      const res = await get<Page<Person>>(sb, `${ACTIVE}?expand=lastLogin`);
      expect(res.status).toBe(200);
      expect(res.body.results.map((p) => p.username)).toContain('alice');
      expect(res.body.results.every((p) => p.lastLogin === undefined)).toBe(true);
      expect(res.body.results.every((p) => typeof p.email === 'string')).toBe(true);
    });
  });

  it('leaves lastLogin out unless expanded, and gives epoch milliseconds when told to', async () => {
    await withConfluence({ version: '10.2' }, async (sb) => {
      const plain = await get<Page<Person>>(sb, ACTIVE);
      expect(plain.body.results.every((p) => p.lastLogin === undefined)).toBe(true);
      sb.configure({ lastLoginFormat: 'epoch-ms' });
      const epoch = await get<Page<Person>>(sb, `${ACTIVE}?expand=lastLogin`);
      expect(epoch.body.results.find((p) => p.username === 'gina')?.lastLogin).toBe(Date.parse(daysAgo(30)));
    });
  });

  it('pages with start/limit (default 100) and follows store changes', async () => {
    const generate = { users: 400, groups: 2, seed: 4 };
    await withConfluence({ version: '10.2', scenario: undefined, generate }, async (sb) => {
      const first = await get<Page<Person>>(sb, ACTIVE);
      expect(first.body.limit).toBe(100);
      expect(first.body._links.next).toBe(`${ACTIVE}?limit=100&start=100`);
      const names = first.body.results.map((p) => p.username);
      for (let next = first.body._links.next; next;) {
        const page = await get<Page<Person>>(sb, next);
        names.push(...page.body.results.map((p) => p.username));
        next = page.body._links.next;
      }
      expect(names.length).toBeGreaterThan(100);
      expect(names).toHaveLength(new Set(names).size);
      const expected = sb.store
        .users()
        .filter((u) => u.active && u.lastLogin && sb.store.groupsOf(u).includes('confluence-users'));
      expect(new Set(names)).toEqual(new Set(expected.map((u) => u.name)));
      const gone = expected[0]!;
      sb.store.update(gone, { active: false });
      const after = await get<Page<Person>>(sb, `${ACTIVE}?limit=200`);
      expect(after.body.results.map((p) => p.username)).not.toContain(gone.name);
    });
  });

  it('is for administrators only', async () => {
    await withConfluence({ version: '10.2' }, async (sb) => {
      const alice = `Basic ${Buffer.from('alice:wonderland').toString('base64')}`;
      expect((await get(sb, ACTIVE, alice)).status).toBe(403);
    });
  });
});
