// A public Jira Server/DC REST v2 client that nobody here wrote (npm `jira-client`) works against the
// sandbox unchanged: it searches users, reads a group's members and adds a member, and the store shows it.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { NOW } from './helpers.ts';

/** The slice of jira-client's API this test uses (the package ships no types). */
interface JiraApi {
  getServerInfo(): Promise<{ version: string; baseUrl: string }>;
  getCurrentUser(): Promise<{ name: string; key: string }>;
  searchUsers(opts: {
    username: string;
    maxResults?: number;
    includeInactive?: boolean;
  }): Promise<UserJson[]>;
  getMembersOfGroup(
    group: string,
    startAt?: number,
    maxResults?: number,
    includeInactive?: boolean,
  ): Promise<MemberPage>;
  getUsersInGroup(group: string, startAt?: number, maxResults?: number): Promise<GroupJson>;
  makeUri(opts: { pathname: string; query?: Record<string, string> }): string;
  makeRequestHeader(uri: string, options?: { method?: string; body?: unknown }): unknown;
  doRequest(requestOptions: unknown): Promise<unknown>;
}
type JiraApiConstructor = new (options: Record<string, unknown>) => JiraApi;
interface UserJson {
  name: string;
  key: string;
  active: boolean;
}
interface MemberPage {
  total: number;
  isLast: boolean;
  values: UserJson[];
}
interface GroupJson {
  name: string;
  users: { size: number; items: UserJson[] };
}

const require = createRequire(import.meta.url);
// CommonJS with babel's add-module-exports: module.exports is the class itself.
const JiraClient = require('jira-client') as JiraApiConstructor;

describe('jira-client (npm) against the sandbox', () => {
  let sb: SandboxHandle;
  let jira: JiraApi;

  beforeAll(async () => {
    sb = await startSandbox({
      version: '9.12',
      now: NOW,
      contextPath: '/jira',
      scenario: {
        groups: [{ name: 'developers' }],
        users: [
          { name: 'alice', displayName: 'Alice Adams', groups: ['jira-software-users', 'developers'] },
          { name: 'alan', displayName: 'Alan Turing', groups: ['jira-software-users'] },
          { name: 'bob', displayName: 'Bob Brown', groups: ['jira-software-users'] },
          { name: 'olga', displayName: 'Olga Old', active: false, groups: ['developers'] },
        ],
      },
    });
    const url = new URL(sb.url);
    jira = new JiraClient({
      protocol: 'http',
      host: url.hostname,
      port: url.port,
      base: url.pathname,
      username: sb.credentials.username,
      password: sb.credentials.password,
      apiVersion: '2',
      strictSSL: false,
    });
  });
  afterAll(() => sb.close());

  it('reads serverInfo and the current user', async () => {
    expect((await jira.getServerInfo()).version).toMatch(/^9\.12\./);
    expect((await jira.getCurrentUser()).name).toBe('admin');
  });

  it('searches users', async () => {
    const found = await jira.searchUsers({ username: 'al' });
    expect(found.map((u) => u.name).sort()).toEqual(['alan', 'alice']);
    const everyone = await jira.searchUsers({ username: '.', maxResults: 1000, includeInactive: true });
    expect(everyone).toHaveLength(sb.store.users().length);
  });

  it("reads a group's members", async () => {
    const page = await jira.getMembersOfGroup('developers');
    expect(page.isLast).toBe(true);
    expect(page.values.map((u) => u.name)).toEqual(['alice']);
    const withInactive = await jira.getMembersOfGroup('developers', 0, 50, true);
    expect(withInactive.values.map((u) => u.name)).toEqual(['alice', 'olga']);
    const group = await jira.getUsersInGroup('jira-software-users');
    expect(group.users.items.map((u) => u.name).sort()).toEqual(['admin', 'alan', 'alice', 'bob']);
  });

  it('adds a member through its request builder, and the sandbox state shows it', async () => {
    // jira-client has no addUserToGroup; its public makeUri/makeRequestHeader/doRequest reach any v2 path.
    const uri = jira.makeUri({ pathname: '/group/user', query: { groupname: 'developers' } });
    const group = (await jira.doRequest(
      jira.makeRequestHeader(uri, { method: 'POST', body: { name: 'bob' } }),
    )) as {
      name: string;
    };
    expect(group.name).toBe('developers');
    expect(sb.store.memberNames('developers')).toEqual(['alice', 'bob', 'olga']);
    const page = await jira.getMembersOfGroup('developers');
    expect(page.values.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(sb.requests).toHaveLength(1);
    expect(sb.requests[0]).toMatchObject({
      method: 'POST',
      path: '/rest/api/2/group/user',
      body: { name: 'bob' },
      status: 201,
    });
  });

  it('surfaces Jira error messages through the client', async () => {
    const uri = jira.makeUri({ pathname: '/group/user', query: { groupname: 'developers' } });
    await expect(
      jira.doRequest(jira.makeRequestHeader(uri, { method: 'POST', body: { name: 'bob' } })),
    ).rejects.toThrow(/already a member of 'developers'/);
  });
});
