// A public Crowd REST client that nobody here wrote (npm `atlassian-crowd-client` 2.0.0) works against the
// Crowd sandbox unchanged, for every call it shares with our routes: user get (with attributes), search,
// update, attributes, delete, and direct memberships list/add/remove; the store shows each write. The
// client insists on a JSON content type on every answer, 201s included.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crowdRecords, startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

/** The slice of the client's API this test uses (the package ships no types). */
interface CrowdUserModel {
  firstname: string;
  lastname: string;
  displayname: string;
  email: string;
  username: string;
  active: boolean;
  attributes: Record<string, unknown> | unknown[];
}
interface CrowdApi {
  user: {
    get(username: string, withAttributes?: boolean): Promise<CrowdUserModel>;
    update(username: string, user: CrowdUserModel): Promise<CrowdUserModel>;
    remove(username: string): Promise<void>;
    attributes: { list(username: string): Promise<{ attributes: Record<string, unknown> }> };
    groups: {
      list(username: string): Promise<string[]>;
      get(username: string, groupname: string): Promise<string>;
      add(username: string, groupname: string): Promise<void>;
      remove(username: string, groupname: string): Promise<void>;
    };
  };
  group: {
    users: {
      list(groupname: string): Promise<string[]>;
      add(groupname: string, username: string): Promise<void>;
      remove(groupname: string, username: string): Promise<void>;
    };
  };
  search: { user(restriction: string, expand?: boolean): Promise<(string | CrowdUserModel)[]> };
  config: { cookie(): Promise<{ name: string }> };
  userModel: new (
    first: string,
    last: string,
    display: string,
    email: string,
    username: string,
    password?: string,
    active?: boolean,
  ) => CrowdUserModel;
}
type CrowdClientConstructor = new (settings: Record<string, unknown>) => CrowdApi;

const require = createRequire(import.meta.url);
const CrowdClient = require('atlassian-crowd-client') as CrowdClientConstructor;

describe('atlassian-crowd-client (npm) against the Crowd sandbox', () => {
  let sb: SandboxHandle;
  let crowd: CrowdApi;

  beforeAll(async () => {
    sb = await startSandbox({
      platform: 'crowd',
      now: NOW,
      contextPath: '/crowd',
      scenario: {
        groups: [{ name: 'developers' }, { name: 'qa' }],
        users: [
          {
            name: 'alice',
            displayName: 'Alice Adams',
            lastLogin: '2025-05-30T08:15:42.123Z',
            groups: ['developers'],
          },
          { name: 'alan', displayName: 'Alan Turing', groups: ['developers', 'qa'] },
          { name: 'bob', displayName: 'Bob Brown', groups: [] },
        ],
      },
    });
    crowd = new CrowdClient({
      baseUrl: `${sb.url}/`,
      application: { name: sb.credentials.appName, password: sb.credentials.appPassword },
    });
  });
  afterAll(() => sb.close());

  it('reads a user, with its attributes', async () => {
    const alice = await crowd.user.get('alice', true);
    expect(alice).toMatchObject({
      username: 'alice',
      firstname: 'Alice',
      lastname: 'Adams',
      displayname: 'Alice Adams',
      email: 'alice@example.com',
      active: true,
    });
    // The client JSON-parses each attribute's first value: epoch milliseconds come back as numbers.
    expect(alice.attributes).toMatchObject({
      lastAuthenticated: Date.parse('2025-05-30T08:15:42.123Z'),
      lastActive: Date.parse('2025-05-30T08:15:42.123Z'),
      requiresPasswordChange: false,
    });
    const attrs = await crowd.user.attributes.list('bob');
    expect(attrs.attributes).not.toHaveProperty('lastAuthenticated');
    await expect(crowd.user.get('nobody')).rejects.toThrow('User <nobody> does not exist');
  });

  it('searches users with a restriction, by name or expanded', async () => {
    expect(await crowd.search.user('name=al*')).toEqual(['alan', 'alice']);
    const found = (await crowd.search.user('firstName=Bob', true)) as CrowdUserModel[];
    expect(found.map((u) => [u.username, u.email])).toEqual([['bob', 'bob@example.com']]);
    expect((await crowd.config.cookie()).name).toBe('crowd.token_key');
  });

  it('updates a user with the whole user, and reads it back', async () => {
    const User = crowd.userModel;
    const changed = new User('Robert', 'Brown', 'Robert Brown', 'bob@example.com', 'bob', undefined, false);
    const back = await crowd.user.update('bob', changed);
    expect(back).toMatchObject({ firstname: 'Robert', displayname: 'Robert Brown', active: false });
    const bob = sb.store.user('bob')!;
    expect({ active: bob.active, displayName: bob.displayName, email: bob.email }).toEqual({
      active: false,
      displayName: 'Robert Brown',
      email: 'bob@example.com',
    });
    expect(crowdRecords(sb.store).namesOf(bob)).toEqual({ first: 'Robert', last: 'Brown' });
  });

  it('lists, adds and removes direct memberships both ways, with Crowd’s errors', async () => {
    expect(await crowd.user.groups.list('alan')).toEqual(['developers', 'qa']);
    expect(await crowd.group.users.list('developers')).toEqual(['alan', 'alice']);
    expect(await crowd.user.groups.get('alan', 'qa')).toBe('qa');
    await crowd.user.groups.add('bob', 'developers');
    await crowd.group.users.add('qa', 'alice');
    expect(sb.store.memberNames('developers')).toEqual(['alan', 'alice', 'bob']);
    expect(sb.store.memberNames('qa')).toEqual(['alan', 'alice']);
    await expect(crowd.user.groups.add('bob', 'developers')).rejects.toMatchObject({
      type: 'MEMBERSHIP_ALREADY_EXISTS',
    });
    await crowd.user.groups.remove('alan', 'qa');
    await crowd.group.users.remove('developers', 'bob');
    expect(sb.store.memberNames('qa')).toEqual(['alice']);
    expect(sb.store.memberNames('developers')).toEqual(['alan', 'alice']);
    await expect(crowd.user.groups.remove('alan', 'qa')).rejects.toMatchObject({
      type: 'MEMBERSHIP_NOT_FOUND',
    });
    await expect(crowd.user.groups.get('alan', 'qa')).rejects.toMatchObject({ type: 'MEMBERSHIP_NOT_FOUND' });
  });

  it('deletes a user', async () => {
    await crowd.user.remove('alan');
    expect(sb.store.user('alan')).toBeUndefined();
    await expect(crowd.user.remove('alan')).rejects.toMatchObject({ type: 'USER_NOT_FOUND' });
    const statuses = sb.requests.map(
      (r) => `${r.method} ${r.path.replace('/rest/usermanagement/1', '')} ${r.status}`,
    );
    expect(statuses).toContain('DELETE /user 204');
    expect(statuses).toContain('POST /user/group/direct 201');
  });

  it('refuses wrong application credentials', async () => {
    const wrong = new CrowdClient({
      baseUrl: `${sb.url}/`,
      application: { name: sb.credentials.appName, password: 'nope' },
    });
    await expect(wrong.user.get('alice')).rejects.toMatchObject({ type: 'APPLICATION_ACCESS_DENIED' });
  });
});
