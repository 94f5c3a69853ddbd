// Confluence DC reads and credentials over real HTTP: the version from the anonymous application-links
// manifest on every version, PAT or Basic, a bad PAT served as anonymous (200 + X-Seraph-LoginReason) fails
// the run, a context path, the capabilities each version declares, and the groups a policy without access
// groups reads (confluence-users holds the seats).
import { afterEach, describe, expect, it } from 'vitest';
import { readAndPlan } from '../../src/app/plan-run.ts';
import { AuthError, HttpError } from '../../src/http/index.ts';
import { capabilitiesFor, CONFLUENCE_OUTCOMES } from '../../src/platforms/confluence-dc/capabilities.ts';
import { classifyWriteError } from '../../src/platforms/shared/write-outcomes.ts';
import { CONFLUENCE_VERSIONS } from '../../src/sandbox/index.ts';
import { confluence, type ConfluenceHarness, confluencePolicy, NOW, policy } from './confluence-helpers.ts';

let h: ConfluenceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const GROUPS = confluencePolicy(`groups:
  developers: { mode: additive, members: [alice] }
`);

describe.each(CONFLUENCE_VERSIONS)('Confluence %s: reading the instance', (version) => {
  it('reads the version from the anonymous manifest first, then the instance with GETs only', async () => {
    h = await confluence(version, { contextPath: '/confluence' });
    const { snapshot, plan } = await readAndPlan(policy(GROUPS), await h.connect(GROUPS), NOW);
    expect(h.sb.allRequests[0]).toMatchObject({ path: '/rest/applinks/1.0/manifest', status: 200 });
    expect(h.sb.allRequests.filter((r) => r.path === '/rest/api/server-information')).toEqual([]);
    expect(plan.snapshot.version).toBe(snapshot.version);
    expect(snapshot.version?.startsWith(`${version}.`)).toBe(true);
    expect(snapshot.instance).toBe(`${h.sb.url}`);
    expect(snapshot.directories).toBeNull();
    expect(snapshot.allGroups).toEqual(h.sb.store.groups().map((g) => g.name));
    expect(snapshot.groups.map((g) => g.name)).toEqual([
      'confluence-administrators',
      'confluence-users',
      'developers',
    ]);
    expect(plan.changes).toEqual([]);
    expect(h.sb.requests).toEqual([]);
  });
});

describe('credentials', () => {
  it('Basic username and password read the instance like a token', async () => {
    h = await confluence('10.2');
    const c = h.sb.credentials;
    const { snapshot } = await readAndPlan(
      policy(GROUPS),
      await h.connect(GROUPS, { credentials: { username: c.username, password: c.password } }),
      NOW,
    );
    expect(snapshot.self).toBe(h.sb.store.user('admin')!.key);
    expect(snapshot.users).toHaveLength(h.sb.store.users().length);
  });

  it('a bad token on an instance open to anonymous users (200 + X-Seraph-LoginReason) fails the run', async () => {
    h = await confluence('10.2', { anonymousAccess: true });
    const read = readAndPlan(
      policy(GROUPS),
      await h.connect(GROUPS, { credentials: { token: 'stale-token' } }),
      NOW,
    );
    await expect(read).rejects.toThrow(AuthError);
    await expect(read).rejects.toThrow(
      'GET /rest/applinks/1.0/manifest: 200 OK: credentials rejected (X-Seraph-LoginReason: AUTHENTICATED_FAILED)',
    );
  });

  it('a bad Basic password is a 401 that fails the run', async () => {
    h = await confluence('8.5');
    const conn = await h.connect(GROUPS, { credentials: { username: 'admin', password: 'wrong' } });
    const read = readAndPlan(policy(GROUPS), conn, NOW);
    await expect(read).rejects.toThrow(AuthError);
    await expect(read).rejects.toThrow(/^GET \/rest\/applinks\/1\.0\/manifest: 401 Unauthorized/);
  });

  it('an account without administration rights fails on the admin-only list, not as an empty instance', async () => {
    h = await confluence('10.2');
    const conn = await h.connect(GROUPS, { credentials: { username: 'alice', password: 'wonderland' } });
    const read = readAndPlan(policy(GROUPS), conn, NOW);
    await expect(read).rejects.toThrow(HttpError);
    await expect(read).rejects.toThrow(
      'GET /rest/api/admin/users/list/active: 403 Forbidden: Only a Confluence administrator can perform this operation',
    );
  });
});

describe('a policy without access groups', () => {
  it('counts confluence-users as the seat: its never-logged-in members are known, the others unknown', async () => {
    h = await confluence('10.2');
    const text = `version: 1
instance: { platform: confluence-dc }
inactivity: [{ name: dormant, inactive_days: 150, action: deactivate }]
limits: { max_fraction: 1 }
`;
    const { snapshot } = await readAndPlan(policy(text), await h.connect(text), NOW);
    expect(snapshot.groups.map((g) => g.name)).toEqual(['confluence-administrators', 'confluence-users']);
    const known = (name: string) => snapshot.users.find((u) => u.name === name)?.activityKnown;
    expect([known('dave'), known('kim')]).toEqual([true, false]);
  });
});

describe('capabilities and write outcomes', () => {
  it('declare disable/enable/delete from 8.2, and never user creation', () => {
    const now = capabilitiesFor([10, 2]);
    expect(now.deactivate).toEqual({ supported: true, operation: 'PUT admin/user/{username}/disable' });
    expect(now['create-user']).toMatchObject({
      supported: false,
      reason: expect.stringMatching(
        /^Confluence Data Center: creating accounts is left to the user directory/,
      ),
    });
    expect(capabilitiesFor([8, 1]).deactivate).toEqual({
      supported: false,
      reason:
        'Confluence 8.1 cannot disable, enable or delete users over REST (admin/user/{username}/disable|enable and DELETE admin/user arrived in 8.2)',
    });
    expect(capabilitiesFor([8, 1])['remove-member'].supported).toBe(true);
  });

  it('a 404 on removing is already in state, on adding a failure; "not removable" is read-only', () => {
    const e404 = new HttpError({
      method: 'DELETE',
      path: '/x',
      status: 404,
      detail: 'No group found with name: qa',
    });
    expect(classifyWriteError(e404, CONFLUENCE_OUTCOMES, 'remove-member')).toEqual({
      outcome: 'already-in-state',
    });
    expect(classifyWriteError(e404, CONFLUENCE_OUTCOMES, 'remove-access')).toEqual({
      outcome: 'already-in-state',
    });
    expect(classifyWriteError(e404, CONFLUENCE_OUTCOMES, 'add-member').outcome).toBe('failed');
    expect(classifyWriteError(e404, CONFLUENCE_OUTCOMES, 'deactivate')).toMatchObject({
      outcome: 'skipped',
      class: 'not-found',
    });
    const e400 = new HttpError({
      method: 'DELETE',
      path: '/x',
      status: 400,
      detail: 'User is not removable',
    });
    expect(classifyWriteError(e400, CONFLUENCE_OUTCOMES, 'delete')).toMatchObject({
      outcome: 'skipped',
      class: 'read-only',
    });
  });
});
