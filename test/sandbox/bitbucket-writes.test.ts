// Bitbucket DC writes over real HTTP, asserted on the store: add-groups and remove-group (context = user,
// itemName = group; the reversed pair of the official example finds no such user) are idempotent 200s;
// read-only directories and groups that outrank the caller refuse; deletion answers the deleted user, 403
// for a target that outranks the caller, 409 for yourself; global permissions follow the spec's rules.
import { describe, expect, it } from 'vitest';
import { bitbucketRecords } from '../../src/sandbox/index.ts';
import { call, type Answer } from './helpers.ts';
import { API, type BitbucketErrors, type DetailedUser, withBitbucket } from './bitbucket-helpers.ts';

type Sb = Parameters<typeof call>[0];
const post = (sb: Sb, path: string, body: unknown, auth?: string): Promise<Answer<BitbucketErrors>> =>
  call<BitbucketErrors>(sb, 'POST', `${API}${path}`, { body, ...(auth ? { auth } : {}) });
const del = <T = BitbucketErrors>(sb: Sb, path: string, auth?: string): Promise<Answer<T>> =>
  call<T>(sb, 'DELETE', `${API}${path}`, auth ? { auth } : {});
const put = (sb: Sb, path: string, auth?: string): Promise<Answer<BitbucketErrors>> =>
  call<BitbucketErrors>(sb, 'PUT', `${API}${path}`, auth ? { auth } : {});
/** A token for `name`, granted through the scenario (`pat` holds ADMIN directly). */
const tokenOf = (sb: Sb, name: string): string => {
  const user = sb.store.user(name)!;
  sb.store.setTokens(user, [`${name}-token`]);
  return `Bearer ${name}-token`;
};

describe('add-groups', () => {
  it('adds a user to groups, idempotently; a missing group adds nothing', async () => {
    await withBitbucket({}, async (sb) => {
      for (let i = 0; i < 2; i++) {
        const res = await post(sb, '/admin/users/add-groups', {
          user: 'bob',
          groups: ['developers', 'sys-admins'],
        });
        expect(res.status).toBe(200);
        expect(res.text).toBe('');
        expect(sb.store.groupsOf(sb.store.user('bob')!)).toEqual(['developers', 'stash-users', 'sys-admins']);
      }
      const missing = await post(sb, '/admin/users/add-groups', {
        user: 'gina',
        groups: ['developers', 'ghosts'],
      });
      expect(missing.status).toBe(404);
      expect(missing.body.errors[0]!.message).toBe('Group ghosts does not exist.');
      expect(sb.store.memberNames('developers')).not.toContain('gina');
      expect(
        (await post(sb, '/admin/users/add-groups', { user: 'nobody', groups: ['developers'] })).status,
      ).toBe(404);
      const invalid = await post(sb, '/admin/users/add-groups', { user: 'gina', groups: [] });
      expect(invalid.status).toBe(400);
      expect(invalid.body.errors[0]!.context).toBe('groups');
    });
  });

  it('refuses read-only directories (400) and groups that outrank the caller (403)', async () => {
    await withBitbucket({}, async (sb) => {
      const ldapUser = await post(sb, '/admin/users/add-groups', { user: 'carol', groups: ['developers'] });
      expect(ldapUser.status).toBe(400);
      expect(ldapUser.body.errors[0]!.message).toMatch(/read-only/);
      const ldapGroup = await post(sb, '/admin/users/add-groups', { user: 'alice', groups: ['ldap-staff'] });
      expect(ldapGroup.status).toBe(400);
      const pat = tokenOf(sb, 'pat');
      const higher = await post(
        sb,
        '/admin/users/add-groups',
        { user: 'alice', groups: ['sys-admins'] },
        pat,
      );
      expect(higher.status).toBe(403);
      expect(sb.store.memberNames('sys-admins')).toEqual(['root']);
      expect(sb.store.memberNames('developers')).toEqual(['alice']);
    });
  });
});

describe('remove-group', () => {
  it('removes with context = user and itemName = group, idempotently', async () => {
    await withBitbucket({}, async (sb) => {
      for (let i = 0; i < 2; i++) {
        const res = await post(sb, '/admin/users/remove-group', { context: 'alice', itemName: 'developers' });
        expect(res.status).toBe(200);
        expect(sb.store.memberNames('developers')).toEqual([]);
      }
    });
  });

  it('reads the official example’s reversed pair (BSERV-13706) as a user named like the group: 404', async () => {
    await withBitbucket({}, async (sb) => {
      const res = await post(sb, '/admin/users/remove-group', { context: 'stash-users', itemName: 'bob' });
      expect(res.status).toBe(404);
      expect(res.body.errors[0]).toMatchObject({
        message: 'User stash-users does not exist.',
        exceptionName: 'com.atlassian.bitbucket.user.NoSuchUserException',
      });
      expect(sb.store.memberNames('stash-users')).toContain('bob');
    });
  });

  it('refuses the read-only LDAP user (400), leaving the membership', async () => {
    await withBitbucket({}, async (sb) => {
      const res = await post(sb, '/admin/users/remove-group', { context: 'carol', itemName: 'stash-users' });
      expect(res.status).toBe(400);
      expect(sb.store.memberNames('stash-users')).toContain('carol');
    });
  });
});

describe('DELETE admin/users', () => {
  it('answers the deleted user; the user, memberships and permission are gone', async () => {
    await withBitbucket({}, async (sb) => {
      const id = sb.store.user('bob')!.id;
      const res = await del<DetailedUser>(sb, '/admin/users?name=bob');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'bob', id, slug: 'bob', deletable: true });
      expect(sb.store.user('bob')).toBeUndefined();
      expect(sb.store.memberNames('stash-users')).not.toContain('bob');
      expect(
        bitbucketRecords(sb.store)
          .usersWithPermission()
          .map((p) => p.user.name),
      ).not.toContain('bob');
      const again = await del(sb, '/admin/users?name=bob');
      expect(again.status).toBe(404);
      expect(again.body.errors[0]!.exceptionName).toBe('com.atlassian.bitbucket.user.NoSuchUserException');
    });
  });

  it('refuses a target that outranks the caller (403), yourself (409) and read-only users (400)', async () => {
    await withBitbucket({}, async (sb) => {
      const pat = tokenOf(sb, 'pat');
      const higher = await del(sb, '/admin/users?name=root', pat);
      expect(higher.status).toBe(403);
      expect(higher.body.errors[0]!.message).toBe(
        'You cannot delete root because they have a higher global permission than you.',
      );
      const self = await del(sb, '/admin/users?name=admin');
      expect(self.status).toBe(409);
      expect(self.body.errors[0]!.message).toBe('You cannot delete yourself.');
      const ldap = await del(sb, '/admin/users?name=carol');
      expect(ldap.status).toBe(400);
      expect(ldap.body.errors[0]!.message).toMatch(/read-only/);
      expect(['root', 'admin', 'carol'].map((n) => Boolean(sb.store.user(n)))).toEqual([true, true, true]);
    });
  });
});

describe('global permissions', () => {
  it('grants and revokes a user’s permission; revoking twice is 204 too', async () => {
    await withBitbucket({}, async (sb) => {
      const records = bitbucketRecords(sb.store);
      const alice = sb.store.user('alice')!;
      expect(
        (await put(sb, '/admin/permissions/users?name=alice&name=frank&permission=PROJECT_CREATE')).status,
      ).toBe(204);
      expect(records.directOf(alice)).toBe('PROJECT_CREATE');
      expect(records.directOf(sb.store.user('frank')!)).toBe('PROJECT_CREATE');
      for (let i = 0; i < 2; i++) {
        expect((await del(sb, '/admin/permissions/users?name=alice')).status).toBe(204);
        expect(records.directOf(alice)).toBeNull();
      }
      const bad = await put(sb, '/admin/permissions/users?name=alice&permission=GOD');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0]!.context).toBe('permission');
      expect((await del(sb, '/admin/permissions/users?name=nobody')).status).toBe(404);
    });
  });

  it('refuses to grant above the caller (401), to touch a higher user (409) or to lower yourself (409)', async () => {
    await withBitbucket({}, async (sb) => {
      const pat = tokenOf(sb, 'pat');
      expect((await put(sb, '/admin/permissions/users?name=alice&permission=SYS_ADMIN', pat)).status).toBe(
        401,
      );
      expect((await del(sb, '/admin/permissions/users?name=admin', pat)).status).toBe(409);
      expect((await del(sb, '/admin/permissions/users?name=pat', pat)).status).toBe(409);
      expect((await del(sb, '/admin/permissions/users?name=admin')).status).toBe(409);
      expect((await del(sb, '/admin/permissions/groups?name=sys-admins', pat)).status).toBe(409);
      expect((await del(sb, '/admin/permissions/groups?name=stash-users')).status).toBe(204);
      expect(bitbucketRecords(sb.store).groupPermission('stash-users')).toBeNull();
      expect(
        (await put(sb, '/admin/permissions/groups?name=developers&permission=LICENSED_USER')).status,
      ).toBe(204);
      expect(bitbucketRecords(sb.store).groupPermission('developers')).toBe('LICENSED_USER');
    });
  });
});
