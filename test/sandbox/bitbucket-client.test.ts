// A public Bitbucket DC client nobody here wrote — @coderabbitai/bitbucket, generated from Atlassian's
// Bitbucket Data Center OpenAPI spec — works against the sandbox unchanged, for every call it shares with
// our routes: list users and groups, members both ways, add to / remove from groups, delete a user, read
// and change global permissions, application properties, user directories. Results are asserted on its
// answers and on the store.
import { createBitbucketServerClient } from '@coderabbitai/bitbucket/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitbucketRecords, startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { bitbucketOrg } from './bitbucket-helpers.ts';
import { NOW } from './helpers.ts';

describe('@coderabbitai/bitbucket (npm) against the sandbox', () => {
  let sb: SandboxHandle;
  let client: ReturnType<typeof createBitbucketServerClient>;

  beforeAll(async () => {
    sb = await startSandbox({
      platform: 'bitbucket-dc',
      now: NOW,
      clock: () => NOW.getTime(),
      contextPath: '/bitbucket',
      scenario: bitbucketOrg(),
    });
    client = createBitbucketServerClient({
      baseUrl: `${sb.url}/rest`,
      headers: { Accept: 'application/json', Authorization: `Bearer ${sb.credentials.token}` },
    });
  });
  afterAll(() => sb.close());

  it('reads the application properties', async () => {
    const { data, response } = await client.GET('/api/latest/application-properties');
    expect(response.status).toBe(200);
    expect(data?.version).toBe('9.4.13');
  });

  it('lists users page by page', async () => {
    const names: string[] = [];
    let start: number | undefined = 0;
    while (start !== undefined) {
      const query = { start, limit: 4 };
      const res = await client.GET('/api/latest/admin/users', { params: { query } });
      const page: { values?: readonly { name?: string }[]; isLastPage?: boolean; nextPageStart?: number } =
        res.data ?? {};
      names.push(...(page.values ?? []).map((u) => u.name ?? ''));
      start = page.isLastPage ? undefined : page.nextPageStart;
    }
    expect(names).toEqual(
      sb.store
        .users()
        .map((u) => u.name)
        .sort((a, b) => a.localeCompare(b)),
    );
    const { data } = await client.GET('/api/latest/admin/users', { params: { query: { filter: 'carol' } } });
    expect(data?.values?.[0]).toMatchObject({
      name: 'carol',
      directoryName: 'Corporate LDAP',
      mutableGroups: false,
      deletable: false,
      lastAuthenticationTimestamp: Date.parse(sb.store.user('carol')!.lastLogin!),
    });
  });

  it('lists groups, the members of a group and the groups of a user', async () => {
    const groups = await client.GET('/api/latest/admin/groups');
    expect(groups.data?.values?.map((g) => g.name)).toEqual([
      'developers',
      'ldap-staff',
      'stash-users',
      'sys-admins',
    ]);
    const members = await client.GET('/api/latest/admin/groups/more-members', {
      params: { query: { context: 'sys-admins' } },
    });
    expect(members.data?.values?.map((u) => u.name)).toEqual(['root']);
    // The spec types these items as users; Bitbucket answers the user's groups.
    const mine = await client.GET('/api/latest/admin/users/more-members', {
      params: { query: { context: 'alice' } },
    });
    expect(mine.data?.values?.map((g) => g.name)).toEqual(['developers', 'stash-users']);
  });

  it('adds a user to groups and removes them from one; the store shows it', async () => {
    const added = await client.POST('/api/latest/admin/users/add-groups', {
      body: { user: 'gina', groups: ['developers', 'stash-users'] },
    });
    expect(added.response.status).toBe(200);
    expect(added.error).toBeUndefined();
    expect(sb.store.groupsOf(sb.store.user('gina')!)).toEqual(['developers', 'stash-users']);
    const removed = await client.POST('/api/latest/admin/users/remove-group', {
      body: { context: 'gina', itemName: 'developers' },
    });
    expect(removed.response.status).toBe(200);
    expect(sb.store.groupsOf(sb.store.user('gina')!)).toEqual(['stash-users']);
    const refused = await client.POST('/api/latest/admin/users/add-groups', {
      body: { user: 'gina', groups: ['no-such-group'] },
    });
    expect(refused.response.status).toBe(404);
    expect(refused.error?.errors?.[0]?.message).toBe('Group no-such-group does not exist.');
  });

  it('reads, grants and revokes global permissions', async () => {
    const users = await client.GET('/api/latest/admin/permissions/users', {
      params: { query: { filter: 'gina' } },
    });
    // The spec types the items as RestPermittedGroup; Bitbucket answers {user, permission}.
    const entries = (users.data?.values ?? []) as unknown as { user: { name: string }; permission: string }[];
    expect(entries).toEqual([
      { user: expect.objectContaining({ name: 'gina' }), permission: 'LICENSED_USER' },
    ]);
    const groups = await client.GET('/api/latest/admin/permissions/groups');
    expect(groups.data?.values?.map((g) => `${g.group?.name}:${g.permission}`)).toEqual([
      'ldap-staff:LICENSED_USER',
      'stash-users:LICENSED_USER',
      'sys-admins:SYS_ADMIN',
    ]);
    const granted = await client.PUT('/api/latest/admin/permissions/users', {
      params: { query: { name: ['frank', 'dave'], permission: 'PROJECT_CREATE' } },
    });
    expect(granted.response.status).toBe(204);
    const records = bitbucketRecords(sb.store);
    expect(records.directOf(sb.store.user('frank')!)).toBe('PROJECT_CREATE');
    expect(records.directOf(sb.store.user('dave')!)).toBe('PROJECT_CREATE');
    const revoked = await client.DELETE('/api/latest/admin/permissions/users', {
      params: { query: { name: 'frank' } },
    });
    expect(revoked.response.status).toBe(204);
    expect(records.directOf(sb.store.user('frank')!)).toBeNull();
  });

  it('reads the user directories', async () => {
    const { data } = await client.GET('/api/latest/admin/user-directories');
    const page = data as unknown as { values: { name: string }[] };
    expect(page.values.map((d) => d.name)).toEqual(['Bitbucket Internal Directory', 'Corporate LDAP']);
  });

  it('deletes a user, and gets 409 deleting itself', async () => {
    const { data, response } = await client.DELETE('/api/latest/admin/users', {
      params: { query: { name: 'dave' } },
    });
    expect(response.status).toBe(200);
    expect(data?.name).toBe('dave');
    expect(sb.store.user('dave')).toBeUndefined();
    const self = await client.DELETE('/api/latest/admin/users', { params: { query: { name: 'admin' } } });
    expect(self.response.status).toBe(409);
    expect(self.error?.errors?.[0]?.message).toBe('You cannot delete yourself.');
  });
});
