// Crowd's user search with expand=user,attributes over real HTTP, in both products that serve it (Crowd and
// Jira's embedded Crowd): GET with a CQL restriction or none, POST with a SearchRestrictionEntity body (as
// Atlassian's RestCrowdClient.searchUsersWithAttributes sends it), paging by start-index / max-results, and
// the searchAttributes knob (a server that ignores the expansion).
import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.ts';
import { crowdScenario } from '../platforms/crowd-helpers.ts';
import { orgScenario } from '../platforms/helpers.ts';
import { NOW } from './helpers.ts';

let sb: SandboxHandle;
afterEach(() => sb.close());

interface Listed {
  users: {
    name: string;
    active?: boolean;
    attributes?: { attributes?: { name: string; values: string[] }[] };
  }[];
}

function call(method: string, path: string, body?: unknown) {
  const c = sb.credentials;
  return fetch(`${sb.url}/rest/usermanagement/1${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${c.appName}:${c.appPassword}`).toString('base64')}`,
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function listed(method: string, path: string, body?: unknown): Promise<Listed> {
  const res = await call(method, path, body);
  expect(res.status).toBe(200);
  return (await res.json()) as Listed;
}

const attr = (u: Listed['users'][number], name: string) =>
  u.attributes?.attributes?.find((a) => a.name === name)?.values[0];

const ms = (iso: string | null | undefined) => (iso ? String(Date.parse(iso)) : undefined);

const PRODUCTS = [
  {
    platform: 'crowd' as const,
    scenario: crowdScenario,
    login: 'lastAuthenticated',
    // The application sees directories 1, LDAP and AD; pat's directory is not mapped.
    visible: ['admin', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'],
  },
  {
    platform: 'jira-dc' as const,
    scenario: orgScenario,
    login: 'login.lastLoginMillis',
    visible: ['admin', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'henry', 'ivan'],
  },
];

describe.each(PRODUCTS)('$platform: user search with attributes', (p) => {
  it('GET expand=user,attributes lists every user with its attribute list, paged by start-index', async () => {
    sb = await startSandbox({ platform: p.platform, now: NOW, scenario: p.scenario() });
    const all = await listed('GET', '/search?entity-type=user&expand=user,attributes&max-results=1000');
    expect(all.users.map((u) => u.name)).toEqual(p.visible);
    for (const u of all.users) {
      expect(Array.isArray(u.attributes?.attributes)).toBe(true);
      expect(attr(u, p.login)).toBe(ms(sb.store.user(u.name)!.lastLogin));
    }
    expect(
      attr(
        all.users.find((u) => u.name === 'dave')!,
        p.login,
      ),
    ).toBeUndefined();
    const second = await listed(
      'GET',
      '/search?entity-type=user&expand=user,attributes&start-index=3&max-results=3',
    );
    expect(second.users.map((u) => u.name)).toEqual(p.visible.slice(3, 6));
    const plain = await listed('GET', '/search?entity-type=user&expand=user');
    expect(plain.users.every((u) => u.attributes?.attributes === undefined)).toBe(true);
    const names = await listed('GET', '/search?entity-type=user');
    expect(names.users[0]).toEqual({ link: expect.anything(), name: 'admin' });
  });

  it('POST takes the restriction as a SearchRestrictionEntity body', async () => {
    sb = await startSandbox({ platform: p.platform, now: NOW, scenario: p.scenario() });
    const everyone = await listed('POST', '/search?entity-type=user&expand=user,attributes', {
      'restriction-type': 'null-search-restriction',
    });
    expect(everyone.users.map((u) => u.name)).toEqual(p.visible);
    expect(
      attr(
        everyone.users.find((u) => u.name === 'alice')!,
        p.login,
      ),
    ).toBe(ms(sb.store.user('alice')!.lastLogin));
    const some = await listed('POST', '/search?entity-type=user&expand=user,attributes', {
      'restriction-type': 'boolean-search-restriction',
      'boolean-logic': 'and',
      restrictions: [
        {
          'restriction-type': 'property-search-restriction',
          property: { name: 'name', type: 'STRING' },
          'match-mode': 'STARTS_WITH',
          value: 'E',
        },
        {
          'restriction-type': 'property-search-restriction',
          property: { name: 'active', type: 'BOOLEAN' },
          'match-mode': 'EXACTLY_MATCHES',
          value: String(sb.store.user('erin')!.active),
        },
      ],
    });
    expect(some.users.map((u) => u.name)).toEqual(['erin']);
    const bad = await call('POST', '/search?entity-type=user', { 'restriction-type': 'regex' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      reason: 'ILLEGAL_ARGUMENT',
      message: 'unknown restriction-type "regex"',
    });
  });

  it('searchAttributes: false answers whole users without attribute lists, GET and POST', async () => {
    sb = await startSandbox({
      platform: p.platform,
      now: NOW,
      scenario: p.scenario(),
      searchAttributes: false,
    });
    const get = await listed('GET', '/search?entity-type=user&expand=user,attributes');
    const post = await listed('POST', '/search?entity-type=user&expand=user,attributes', {
      'restriction-type': 'null-search-restriction',
    });
    for (const page of [get, post]) {
      expect(page.users.map((u) => u.name)).toEqual(p.visible);
      expect(
        page.users.every((u) => typeof u.active === 'boolean' && u.attributes?.attributes === undefined),
      ).toBe(true);
    }
    // The per-user read still carries them.
    const one = await call('GET', '/user?username=alice&expand=attributes');
    expect(attr((await one.json()) as Listed['users'][number], p.login)).toBe(
      ms(sb.store.user('alice')!.lastLogin),
    );
    sb.configure({ searchAttributes: true });
    const back = await listed('GET', '/search?entity-type=user&expand=user,attributes');
    expect(back.users.every((u) => Array.isArray(u.attributes?.attributes))).toBe(true);
  });
});
