// Writes change the store and persist between requests; read-only directory users refuse them with
// Jira's messages; membership edge cases answer as Jira's GroupResource does. Mutations are recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle, type Scenario } from '../../src/sandbox/index.ts';
import { call, get, NOW, type MemberPage, type UserBean } from './helpers.ts';

const SCENARIO: Scenario = {
  directories: [{ id: 10000, name: 'Corporate LDAP', type: 'LDAP', readOnly: true }],
  groups: [{ name: 'developers' }, { name: 'contractors' }, { name: 'ldap-staff', directory: 10000 }],
  users: [
    { name: 'alice', displayName: 'Alice Adams', groups: ['jira-software-users', 'developers'] },
    { name: 'bob', displayName: 'Bob Brown', groups: ['jira-software-users'] },
    { name: 'carol', displayName: 'Carol Clark', directory: 10000, groups: ['ldap-staff'] },
    { name: 'dave', key: 'dave.old', displayName: 'Dave Dunn', created: '2015-03-01T00:00:00.000Z' },
  ],
};

type Errors = { errorMessages: string[]; errors: Record<string, string> };

describe('writes', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ version: '10.3', now: NOW, scenario: SCENARIO });
  });
  afterAll(() => sb.close());

  it('deactivates and reactivates with PUT user {"active":…}, and reads show it', async () => {
    const put = await call<UserBean>(sb, 'PUT', '/rest/api/2/user?username=alice', {
      body: { active: false },
    });
    expect(put.status).toBe(200);
    expect(put.body.active).toBe(false);
    const read = await get<UserBean>(sb, '/rest/api/2/user?username=alice');
    expect(read.body.active).toBe(false);
    expect(sb.store.user('alice')?.active).toBe(false);
    const again = await call(sb, 'PUT', '/rest/api/2/user?username=alice', { body: { active: false } });
    expect(again.status).toBe(200);
    await call(sb, 'PUT', `/rest/api/2/user?key=${sb.store.user('alice')!.key}`, { body: { active: true } });
    expect(sb.store.user('alice')?.active).toBe(true);
  });

  it('adds a member with POST group/user and group/member then shows it', async () => {
    const add = await call<{ name: string }>(sb, 'POST', '/rest/api/2/group/user?groupname=developers', {
      body: { name: 'bob' },
    });
    expect(add.status).toBe(201);
    expect(add.body.name).toBe('developers');
    const members = await get<MemberPage>(sb, '/rest/api/2/group/member?groupname=developers');
    expect(members.body.values.map((v) => v.name)).toEqual(['alice', 'bob']);
    expect(sb.store.memberNames('developers')).toEqual(['alice', 'bob']);
  });

  it('answers 400 for an existing member and for removing a non-member', async () => {
    const dup = await call<Errors>(sb, 'POST', '/rest/api/2/group/user?groupname=developers', {
      body: { name: 'alice' },
    });
    expect(dup.status).toBe(400);
    expect(dup.body.errorMessages[0]).toMatch(/already a member of 'developers'/);
    const gone = await call<Errors>(
      sb,
      'DELETE',
      '/rest/api/2/group/user?groupname=contractors&username=bob',
    );
    expect(gone.status).toBe(400);
    expect(gone.body.errorMessages[0]).toMatch(/not a member/);
  });

  it('answers 404 for unknown groups and users', async () => {
    expect(
      (await call(sb, 'POST', '/rest/api/2/group/user?groupname=nope', { body: { name: 'bob' } })).status,
    ).toBe(404);
    expect(
      (await call(sb, 'POST', '/rest/api/2/group/user?groupname=developers', { body: { name: 'zed' } }))
        .status,
    ).toBe(404);
    const user = await get<Errors>(sb, '/rest/api/2/user?username=zed');
    expect(user.status).toBe(404);
    expect(user.body.errorMessages).toEqual(["The user named 'zed' does not exist"]);
  });

  it('removes a member with DELETE group/user', async () => {
    const del = await call(sb, 'DELETE', '/rest/api/2/group/user?groupname=developers&username=bob');
    expect(del.status).toBe(200);
    expect(sb.store.memberNames('developers')).toEqual(['alice']);
  });

  it('refuses every write to a read-only LDAP user with Jira messages', async () => {
    const put = await call<Errors>(sb, 'PUT', '/rest/api/2/user?username=carol', { body: { active: false } });
    expect(put.status).toBe(400);
    expect(put.body.errorMessages).toEqual(["The user's directory is read only."]);
    const del = await call<Errors>(sb, 'DELETE', '/rest/api/2/user?username=carol');
    expect(del.status).toBe(400);
    expect(del.body.errorMessages).toEqual(['Cannot delete user, the user directory is read-only.']);
    const join = await call<Errors>(sb, 'POST', '/rest/api/2/group/user?groupname=developers', {
      body: { name: 'carol' },
    });
    expect(join.status).toBe(400);
    expect(join.body.errorMessages).toEqual(["Directory 'Corporate LDAP' does not allow updates."]);
    const leave = await call<Errors>(
      sb,
      'DELETE',
      '/rest/api/2/group/user?groupname=ldap-staff&username=carol',
    );
    expect(leave.status).toBe(400);
    const carol = sb.store.user('carol')!;
    expect(carol.active).toBe(true);
    expect(sb.store.groupsOf(carol)).toEqual(['ldap-staff']);
  });

  it('keeps the key when a user is renamed, and deletes by key', async () => {
    const rename = await call<UserBean>(sb, 'PUT', '/rest/api/2/user?username=dave', {
      body: { name: 'david' },
    });
    expect(rename.body).toMatchObject({ name: 'david', key: 'dave.old' });
    const del = await call(sb, 'DELETE', '/rest/api/2/user?key=dave.old');
    expect(del.status).toBe(204);
    expect(sb.store.user('david')).toBeUndefined();
    expect((await call(sb, 'DELETE', '/rest/api/2/user?key=dave.old')).status).toBe(404);
  });

  it('refuses to delete or deactivate the calling account', async () => {
    const del = await call<Errors>(sb, 'DELETE', '/rest/api/2/user?username=admin');
    expect(del.body.errorMessages).toEqual(['You cannot delete the currently logged in user.']);
    const put = await call(sb, 'PUT', '/rest/api/2/user?username=admin', { body: { active: false } });
    expect(put.status).toBe(400);
  });

  it('creates users in the internal directory with the default application groups', async () => {
    const body = { name: 'erin', displayName: 'Erin Ernst', emailAddress: 'erin@example.com' };
    const created = await call<UserBean>(sb, 'POST', '/rest/api/2/user', { body });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^JIRAUSER\d+$/);
    expect(sb.store.groupsOf(sb.store.user('erin')!)).toEqual(['jira-software-users']);
    const dup = await call<Errors>(sb, 'POST', '/rest/api/2/user', { body });
    expect(dup.status).toBe(400);
    expect(dup.body.errors.username).toMatch(/already exists/);
  });

  it('requires JSON bodies like Jersey does', async () => {
    const res = await fetch(`${sb.url}/rest/api/2/group/user?groupname=developers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.credentials.token}`, 'content-type': 'text/plain' },
      body: 'name=bob',
    });
    expect(res.status).toBe(415);
  });

  it('records every mutating request with method, path, query, body and status', () => {
    const adds = sb.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/2/group/user');
    expect(adds[0]).toMatchObject({
      method: 'POST',
      path: '/rest/api/2/group/user',
      query: { groupname: 'developers' },
      body: { name: 'bob' },
      status: 201,
      user: 'admin',
    });
    expect(sb.requests.every((r) => r.method !== 'GET')).toBe(true);
    expect(sb.allRequests.some((r) => r.method === 'GET')).toBe(true);
    expect(sb.requests.some((r) => r.status === 400 && r.query.username === 'carol')).toBe(true);
  });
});
