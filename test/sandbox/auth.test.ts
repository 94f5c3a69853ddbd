// Authentication as Jira does it: dead credentials are reported in X-Seraph-LoginReason, and on anonymously
// reachable resources they come back as 200 (with empty data for user/search), never as an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.ts';
import { adminBasic, appBasic, basic, call, get, NOW, type MemberPage, type UserBean } from './helpers.ts';

describe('authentication (10.3)', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await startSandbox({
      version: '10.3',
      now: NOW,
      scenario: {
        users: [
          {
            name: 'alice',
            displayName: 'Alice Adams',
            groups: ['jira-software-users'],
            password: 'wonderland',
          },
          { name: 'bob', displayName: 'Bob Brown', groups: ['jira-software-users'] },
        ],
      },
    });
  });
  afterAll(() => sb.close());

  it('accepts the admin password and the admin token', async () => {
    for (const auth of [adminBasic(sb), `Bearer ${sb.credentials.token}`]) {
      const me = await get<UserBean>(sb, '/rest/api/2/myself', auth);
      expect(me.status).toBe(200);
      expect(me.body.name).toBe('admin');
      expect(me.headers.get('x-seraph-loginreason')).toBe('OK');
      expect(me.headers.get('x-ausername')).toBe('admin');
    }
  });

  it('answers anonymously reachable resources with 200 and AUTHENTICATED_FAILED for a wrong password', async () => {
    const wrong = basic('admin', 'not-the-password');
    const info = await get(sb, '/rest/api/2/serverInfo', wrong);
    expect(info.status).toBe(200);
    expect(info.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    const search = await get<UserBean[]>(sb, '/rest/api/2/user/search?username=.', wrong);
    expect(search.status).toBe(200);
    expect(search.body).toEqual([]);
    expect(search.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    expect(search.headers.get('x-ausername')).toBe('anonymous');
  });

  it('answers 401 with AUTHENTICATED_FAILED where authentication is required', async () => {
    for (const auth of [basic('admin', 'nope'), 'Bearer not-a-token']) {
      const me = await get<{ errorMessages: string[] }>(sb, '/rest/api/2/myself', auth);
      expect(me.status).toBe(401);
      expect(me.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
      expect(me.body.errorMessages[0]).toMatch(/not authenticated/);
    }
    const members = await get(sb, '/rest/api/2/group/member?groupname=jira-software-users', null);
    expect(members.status).toBe(401);
    expect(members.headers.get('x-seraph-loginreason')).toBeNull();
  });

  it('answers 403 to an authenticated non-administrator on admin resources', async () => {
    const alice = basic('alice', 'wonderland');
    expect((await get(sb, '/rest/api/2/myself', alice)).status).toBe(200);
    const members = await get<{ errorMessages: string[] }>(
      sb,
      '/rest/api/2/group/member?groupname=jira-software-users',
      alice,
    );
    expect(members.status).toBe(403);
    expect(members.body.errorMessages[0]).toMatch(/Administrator privileges are required/);
    const search = await get<UserBean[]>(sb, '/rest/api/2/user/search?username=b', alice);
    expect(search.body.map((u) => u.name)).toEqual(['bob']);
  });

  it('refuses an inactive account even with the right password', async () => {
    sb.store.update(sb.store.user('alice')!, { active: false });
    const res = await get(sb, '/rest/api/2/myself', basic('alice', 'wonderland'));
    expect(res.status).toBe(401);
    sb.store.update(sb.store.user('alice')!, { active: true });
  });

  it('authenticates Crowd requests with the application credentials only', async () => {
    const path = '/rest/usermanagement/1/user/attribute?username=alice';
    const ok = await get(sb, path, appBasic(sb));
    expect(ok.status).toBe(200);
    for (const auth of [adminBasic(sb), basic(sb.credentials.appName, 'wrong'), null]) {
      const res = await get(sb, path, auth);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/Crowd REST Service/);
      expect(res.text).toBe('Application failed to authenticate');
    }
    const unknown = await get<{ reason: string }>(
      sb,
      '/rest/usermanagement/1/user/attribute?username=nobody',
      appBasic(sb),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.reason).toBe('USER_NOT_FOUND');
  });

  it('records every Basic or Bearer request as a login of the account', async () => {
    const before = sb.store.user('admin')!.loginCount;
    await get(sb, '/rest/api/2/serverInfo');
    expect(sb.store.user('admin')!.loginCount).toBe(before + 1);
  });
});

describe('authentication (11.3)', () => {
  it('has Basic auth off by default and accepts the personal access token', async () => {
    const sb = await startSandbox({ version: '11.3', now: NOW });
    try {
      const res = await get<{ message: string }>(sb, '/rest/api/2/myself', adminBasic(sb));
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/Basic Authentication has been disabled/);
      expect((await get(sb, '/rest/api/2/myself')).status).toBe(200);
    } finally {
      await sb.close();
    }
    const on = await startSandbox({ version: '11.3', now: NOW, basicAuth: true });
    try {
      expect((await get(on, '/rest/api/2/myself', adminBasic(on))).status).toBe(200);
    } finally {
      await on.close();
    }
  });
});

describe('CAPTCHA after failed logins (opt-in)', () => {
  it('denies the username with AUTHENTICATION_DENIED once the limit is reached', async () => {
    const sb = await startSandbox({ version: '9.12', now: NOW, captchaAfterFailures: 2 });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await call(sb, 'GET', '/rest/api/2/myself', { auth: basic('admin', 'bad') });
        expect(res.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
      }
      const denied = await get<MemberPage>(sb, '/rest/api/2/myself', adminBasic(sb));
      expect(denied.status).toBe(403);
      expect(denied.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATION_DENIED');
      expect(denied.headers.get('x-authentication-denied-reason')).toMatch(/^CAPTCHA_CHALLENGE/);
      expect((await get(sb, '/rest/api/2/myself')).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});
