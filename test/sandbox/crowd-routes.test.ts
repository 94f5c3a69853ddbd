// The Crowd sandbox's own quirks, over real HTTP: XML unless JSON is asked for, PUT /user replaces the
// user (missing names blanked, a missing or changed email refused unless the knob allows it, a missing
// `active` means active), an application sees only its mapped directories, the admin API pages every
// user with its directory and needs an administrator.
import { afterEach, describe, expect, it } from 'vitest';
import { crowdRecords, type SandboxHandle, startSandbox } from '../../src/sandbox/index.ts';
import { crowdScenario } from '../platforms/crowd-helpers.ts';
import { NOW } from './helpers.ts';

let sb: SandboxHandle;
afterEach(() => sb.close());

const start = (knobs: Parameters<typeof startSandbox>[0] = {}) =>
  startSandbox({ platform: 'crowd', now: NOW, scenario: crowdScenario(), ...knobs });

function call(method: string, path: string, o: { body?: unknown; accept?: string; admin?: boolean } = {}) {
  const c = sb.credentials;
  const who = o.admin ? `${c.username}:${c.password}` : `${c.appName}:${c.appPassword}`;
  return fetch(`${sb.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(who).toString('base64')}`,
      ...(o.accept !== undefined ? { accept: o.accept } : { accept: 'application/json' }),
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
}

describe('Crowd sandbox', () => {
  it('answers XML unless asked for JSON, errors included', async () => {
    sb = await start();
    const res = await call('GET', '/rest/usermanagement/1/user?username=nobody', { accept: '' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(await res.text()).toContain('<reason>USER_NOT_FOUND</reason>');
  });

  it('PUT /user replaces the user: missing names are blanked, a missing email is refused, no active means active', async () => {
    sb = await start();
    const bob = sb.store.user('bob')!;
    const refused = await call('PUT', '/rest/usermanagement/1/user?username=bob', {
      body: { name: 'bob', active: false },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      reason: 'APPLICATION_PERMISSION_DENIED',
      message: 'External applications are not allowed to change user emails',
    });
    expect(bob.active).toBe(true);
    const partial = await call('PUT', '/rest/usermanagement/1/user?username=bob', {
      body: { name: 'bob', email: 'bob@example.com', active: false },
    });
    expect(partial.status).toBe(204);
    expect({
      active: bob.active,
      displayName: bob.displayName,
      names: crowdRecords(sb.store).namesOf(bob),
    }).toEqual({
      active: false,
      displayName: '',
      names: { first: '', last: '' },
    });
    await call('PUT', '/rest/usermanagement/1/user?username=bob', {
      body: { name: 'bob', email: 'bob@example.com' },
    });
    expect(bob.active).toBe(true);
    sb.configure({ emailChangeByApps: true });
    await call('PUT', '/rest/usermanagement/1/user?username=bob', { body: { name: 'bob' } });
    expect(bob.email).toBeNull();
  });

  it('shows the application only its mapped directories; the admin API shows everyone with their directory', async () => {
    sb = await start({ maxPageSize: 3 });
    expect((await call('GET', '/rest/usermanagement/1/user?username=pat')).status).toBe(404);
    const names: string[] = [];
    const dirs = new Map<string, string>();
    for (let startAt = 0, last = false; !last;) {
      const page = (await (
        await call('POST', `/rest/admin/1.0/users/search?start=${startAt}&limit=50`, {
          body: {},
          admin: true,
        })
      ).json()) as {
        values: { username: string; directory: { displayName: string; directoryType: string } }[];
        isLastPage: boolean;
        size: number;
      };
      expect(page.size).toBeLessThanOrEqual(3);
      for (const v of page.values) {
        names.push(v.username);
        dirs.set(v.directory.displayName, v.directory.directoryType);
      }
      last = page.isLastPage;
      startAt += page.size;
    }
    expect(names).toHaveLength(sb.store.users().length);
    expect(Object.fromEntries(dirs)).toEqual({
      'Crowd Internal Directory': 'INTERNAL',
      'Corporate LDAP': 'CONNECTOR',
      'Corporate AD': 'CONNECTOR',
      'Partner Crowd': 'CROWD',
    });
    const app = await call('POST', '/rest/admin/1.0/users/search', { body: {} });
    expect(app.status).toBe(401);
    const ad = (await (await call('GET', '/rest/admin/1.0/directory/10100', { admin: true })).json()) as {
      allowedOperations: string[];
      attributes: Record<string, string>;
    };
    expect(ad.allowedOperations).toContain('UPDATE_USER');
    expect(ad.attributes).toEqual({ localUserStatusEnabled: 'false' });
  });
});
