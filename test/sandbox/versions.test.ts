// Each emulated version lists every user through its own paging style, and activity comes from where
// that version keeps it (user bean lastLoginTime on 11.3, embedded Crowd attributes everywhere).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type JiraVersion, type SandboxHandle } from '../../src/sandbox/index.ts';
import { appBasic, bearer, get, NOW, type MemberPage, type StreamPage, type UserBean } from './helpers.ts';

const USERS = 1250;

async function listBySearch(sb: SandboxHandle): Promise<UserBean[]> {
  const all: UserBean[] = [];
  for (let startAt = 0; ; startAt += 1000) {
    const page = await get<UserBean[]>(
      sb,
      `/rest/api/2/user/search?username=.&includeInactive=true&startAt=${startAt}&maxResults=1000`,
    );
    expect(page.status).toBe(200);
    all.push(...page.body);
    if (page.body.length < 1000) return all;
  }
}

async function listByCursor(
  sb: SandboxHandle,
  maxResults: number,
): Promise<{ users: UserBean[]; pages: number }> {
  const users: UserBean[] = [];
  let path = `/rest/api/2/user/list?maxResults=${maxResults}`;
  for (let pages = 1; ; pages++) {
    const page = await get<StreamPage>(sb, path);
    expect(page.status).toBe(200);
    users.push(...page.body.values);
    if (page.body.isLast) return { users, pages };
    expect(page.body.nextPage).toContain(`cursor=${page.body.nextCursor}`);
    path = `/rest/api/2/user/list?cursor=${page.body.nextCursor}&maxResults=${maxResults}`;
  }
}

function expectSameKeys(sb: SandboxHandle, users: UserBean[]): void {
  const keys = users.map((u) => u.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys.sort()).toEqual(
    sb.store
      .users()
      .map((u) => u.key)
      .sort(),
  );
}

describe.each(['9.12', '10.3', '11.3'] as JiraVersion[])('Jira %s', (version) => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({ version, now: NOW, generate: { users: USERS, groups: 6, seed: 42 } });
  });
  afterAll(() => sb.close());

  it('reports its version in serverInfo', async () => {
    const info = await get<{ version: string; versionNumbers: number[]; deploymentType: string }>(
      sb,
      '/rest/api/2/serverInfo',
    );
    expect(info.body.version.startsWith(`${version}.`)).toBe(true);
    expect(info.body.versionNumbers.slice(0, 2).join('.')).toBe(version);
    expect(info.body.deploymentType).toBe('Server');
  });

  it('lists every member of a group through the paged group/member envelope', async () => {
    const auth = bearer(sb);
    const names: string[] = [];
    let startAt = 0;
    for (;;) {
      const page = await get<MemberPage>(
        sb,
        `/rest/api/2/group/member?groupname=jira-software-users&includeInactiveUsers=true&startAt=${startAt}`,
        auth,
      );
      expect(page.body.maxResults).toBe(50);
      expect(page.body.startAt).toBe(startAt);
      names.push(...page.body.values.map((v) => v.name));
      if (page.body.isLast) break;
      expect(page.body.nextPage).toContain(`startAt=${startAt + 50}`);
      startAt += 50;
    }
    expect(names.sort()).toEqual(sb.store.memberNames('jira-software-users', { nested: true }));
    const activeOnly = await get<MemberPage>(
      sb,
      '/rest/api/2/group/member?groupname=jira-software-users',
      auth,
    );
    const active = sb.store.membersOf('jira-software-users').filter((u) => u.active).length;
    expect(activeOnly.body.total).toBe(active);
  });

  it('serves login times from the embedded Crowd attributes', async () => {
    const user = sb.store.users().find((u) => u.lastLogin !== null && u.name !== 'admin')!;
    const never = sb.store.users().find((u) => u.lastLogin === null)!;
    const headers = { authorization: appBasic(sb), accept: 'application/json' };
    const res = await fetch(`${sb.url}/rest/usermanagement/1/user/attribute?username=${user.name}`, {
      headers,
    });
    const body = (await res.json()) as { attributes: { name: string; values: string[] }[] };
    const millis = body.attributes.find((a) => a.name === 'login.lastLoginMillis')?.values[0];
    expect(Number(millis)).toBe(Date.parse(user.lastLogin!));
    const res2 = await fetch(`${sb.url}/rest/usermanagement/1/user/attribute?username=${never.name}`, {
      headers,
    });
    const body2 = (await res2.json()) as { attributes: { name: string }[] };
    expect(body2.attributes.some((a) => a.name.startsWith('login.'))).toBe(false);
  });

  if (version === '9.12') {
    it('lists all users with user/search?username=. in pages of 1000', async () => {
      const users = await listBySearch(sb);
      expectSameKeys(sb, users);
      expect(users.some((u) => !u.active)).toBe(true);
    });

    it('has no user/list (404 like a resource Jira does not have)', async () => {
      const res = await get<{ 'status-code': number }>(sb, '/rest/api/2/user/list');
      expect(res.status).toBe(404);
      expect(res.body['status-code']).toBe(404);
    });
  } else {
    it('lists all users with user/list cursors, without duplicates', async () => {
      const { users, pages } = await listByCursor(sb, 500);
      expect(pages).toBe(Math.ceil(sb.store.users().length / 500));
      expectSameKeys(sb, users);
    });

    it('caps user/search at 100 results in total (JRASERVER-78660)', async () => {
      const first = await get<UserBean[]>(sb, '/rest/api/2/user/search?username=.&maxResults=1000');
      expect(first.body).toHaveLength(100);
      const beyond = await get<UserBean[]>(
        sb,
        '/rest/api/2/user/search?username=.&startAt=100&maxResults=50',
      );
      expect(beyond.status).toBe(200);
      expect(beyond.body).toEqual([]);
      const straddling = await get<UserBean[]>(
        sb,
        '/rest/api/2/user/search?username=.&startAt=80&maxResults=50',
      );
      expect(straddling.body).toHaveLength(20);
    });
  }

  it(`${version === '11.3' ? 'fills' : 'has no'} lastLoginTime on the user bean`, async () => {
    const user = sb.store.users().find((u) => u.lastLogin !== null && u.name !== 'admin')!;
    const res = await get<UserBean>(sb, `/rest/api/2/user?username=${user.name}`, bearer(sb));
    expect(res.status).toBe(200);
    expect(res.body.key).toBe(user.key);
    if (version === '11.3') expect(Date.parse(res.body.lastLoginTime!)).toBe(Date.parse(user.lastLogin!));
    else expect(res.body.lastLoginTime).toBeUndefined();
  });
});
