// Confluence DC writes over real HTTP, asserted on the store: disable/enable and group membership are
// idempotent 204s; a read-only LDAP user swallows disable and group changes (204, nothing changes) and
// refuses deletion (400 "User is not removable"); deletion is a 202 long task polled until it finishes,
// failing or never finishing when the knobs say so.
import { describe, expect, it } from 'vitest';
import { call, get } from './helpers.ts';
import { withConfluence, type ConfluenceErrorBody, type LongTaskStatus } from './confluence-helpers.ts';

const put = (sb: Parameters<typeof call>[0], path: string) => call(sb, 'PUT', path);
const del = (sb: Parameters<typeof call>[0], path: string) => call(sb, 'DELETE', path);

describe('disable and enable', () => {
  it('are idempotent 204s that change the user’s state', async () => {
    await withConfluence({}, async (sb) => {
      for (let i = 0; i < 2; i++) {
        const res = await put(sb, '/rest/api/admin/user/bob/disable');
        expect(res.status).toBe(204);
        expect(res.text).toBe('');
        expect(sb.store.user('bob')?.active).toBe(false);
      }
      for (let i = 0; i < 2; i++) {
        expect((await put(sb, '/rest/api/admin/user/erin/enable')).status).toBe(204);
        expect(sb.store.user('erin')?.active).toBe(true);
      }
      const missing = await put(sb, '/rest/api/admin/user/nobody/disable');
      expect(missing.status).toBe(404);
    });
  });
});

describe('group membership', () => {
  it('adds and removes with idempotent 204s', async () => {
    await withConfluence({}, async (sb) => {
      for (let i = 0; i < 2; i++) {
        expect((await put(sb, '/rest/api/user/bob/group/developers')).status).toBe(204);
        expect(sb.store.memberNames('developers')).toEqual(['alice', 'bob', 'frank']);
      }
      for (let i = 0; i < 2; i++) {
        expect((await del(sb, '/rest/api/user/alice/group/confluence-users')).status).toBe(204);
        expect(sb.store.memberNames('confluence-users')).not.toContain('alice');
      }
      expect((await put(sb, '/rest/api/user/bob/group/no-such-group')).status).toBe(404);
      expect((await put(sb, '/rest/api/user/nobody/group/developers')).status).toBe(404);
    });
  });
});

describe('a user of a read-only LDAP directory', () => {
  it('answers 204 to disable and to group changes, and nothing changes', async () => {
    await withConfluence({}, async (sb) => {
      expect((await put(sb, '/rest/api/admin/user/carol/disable')).status).toBe(204);
      expect(sb.store.user('carol')?.active).toBe(true);
      expect((await del(sb, '/rest/api/user/carol/group/confluence-users')).status).toBe(204);
      expect((await put(sb, '/rest/api/user/carol/group/developers')).status).toBe(204);
      expect((await put(sb, '/rest/api/user/alice/group/ldap-staff')).status).toBe(204);
      expect(sb.store.groupsOf(sb.store.user('carol')!)).toEqual(['confluence-users', 'ldap-staff']);
      expect(sb.store.memberNames('ldap-staff')).toEqual(['carol']);
      // The only way to tell: read the user back.
      const back = await get<{ status: string }>(sb, '/rest/api/user?username=carol&expand=status');
      expect(back.body.status).toBe('ACTIVE');
    });
  });

  it('answers 400 "User is not removable" to deletion', async () => {
    await withConfluence({}, async (sb) => {
      const res = await del(sb, '/rest/api/admin/user/carol');
      expect(res.status).toBe(400);
      expect((res.body as ConfluenceErrorBody).message).toBe('User is not removable');
      expect(sb.store.user('carol')).toBeDefined();
    });
  });
});

describe('deletion', () => {
  it('answers 202 with a long task that removes the user when it finishes', async () => {
    await withConfluence({ contextPath: '/confluence' }, async (sb) => {
      const res = await del(sb, '/rest/api/admin/user/bob');
      expect(res.status).toBe(202);
      const submitted = res.body as { id: string; links: { status: string } };
      expect(submitted.links.status).toBe(`/confluence/rest/api/longtask/${submitted.id}`);
      expect(sb.store.user('bob')).toBeDefined();

      const first = await get<LongTaskStatus>(sb, `/rest/api/longtask/${submitted.id}`);
      expect(first.body).toMatchObject({
        id: submitted.id,
        finished: false,
        successful: true,
        percentageComplete: 50,
        messages: [],
      });
      expect(first.body.name.args).toEqual(['bob']);
      expect(sb.store.user('bob')).toBeDefined();

      const second = await get<LongTaskStatus>(sb, `/rest/api/longtask/${submitted.id}`);
      expect(second.body).toMatchObject({ finished: true, successful: true, percentageComplete: 100 });
      expect(sb.store.user('bob')).toBeUndefined();
      expect((await get(sb, '/rest/api/user?username=bob')).status).toBe(404);
      const again = await get<LongTaskStatus>(sb, `/rest/api/longtask/${submitted.id}`);
      expect(again.body.finished).toBe(true);
      expect((await get(sb, '/rest/api/longtask/no-such-task')).status).toBe(404);
    });
  });

  it('fails with a message, leaving the user, for the usernames the knob names', async () => {
    await withConfluence(
      { deleteTasks: { polls: 1, failWith: 'User has content that cannot be removed', usernames: ['gina'] } },
      async (sb) => {
        const gina = (await del(sb, '/rest/api/admin/user/gina')).body as { id: string };
        const bob = (await del(sb, '/rest/api/admin/user/bob')).body as { id: string };
        const failed = await get<LongTaskStatus>(sb, `/rest/api/longtask/${gina.id}`);
        expect(failed.body).toMatchObject({ finished: true, successful: false });
        expect(failed.body.messages[0]?.translation).toBe('User has content that cannot be removed');
        expect(sb.store.user('gina')).toBeDefined();
        const done = await get<LongTaskStatus>(sb, `/rest/api/longtask/${bob.id}`);
        expect(done.body).toMatchObject({ finished: true, successful: true });
        expect(sb.store.user('bob')).toBeUndefined();
      },
    );
  });

  it('never finishes when the knob says hang, until reconfigured tasks start', async () => {
    await withConfluence({ deleteTasks: { hang: true } }, async (sb) => {
      const task = (await del(sb, '/rest/api/admin/user/gina')).body as { id: string };
      for (let i = 0; i < 5; i++) {
        const polled = await get<LongTaskStatus>(sb, `/rest/api/longtask/${task.id}`);
        expect(polled.body).toMatchObject({ finished: false, percentageComplete: 50 });
      }
      expect(sb.store.user('gina')).toBeDefined();
      sb.configure({ deleteTasks: {} });
      const next = (await del(sb, '/rest/api/admin/user/gina')).body as { id: string };
      await get(sb, `/rest/api/longtask/${next.id}`);
      expect((await get<LongTaskStatus>(sb, `/rest/api/longtask/${next.id}`)).body.finished).toBe(true);
      expect(sb.store.user('gina')).toBeUndefined();
      expect((await get<LongTaskStatus>(sb, `/rest/api/longtask/${task.id}`)).body.finished).toBe(false);
    });
  });

  it('records every write, in order, for outcome assertions', async () => {
    await withConfluence({}, async (sb) => {
      await put(sb, '/rest/api/admin/user/bob/disable');
      await del(sb, '/rest/api/admin/user/carol');
      expect(sb.requests.map((r) => [r.method, r.path, r.status, r.user])).toEqual([
        ['PUT', '/rest/api/admin/user/bob/disable', 204, 'admin'],
        ['DELETE', '/rest/api/admin/user/carol', 400, 'admin'],
      ]);
    });
  });
});
