// The Cloud sandbox product over real HTTP, as a client of the organisation admin API sees it: the key as
// Bearer, the search POSTs with cursor paging and page caps, 415 for a POST without the JSON content type
// (the gateway), both error body shapes, 429 with Retry-After and an ISO-8601 X-RateLimit-Reset, keys with
// scopes that may only read, and the deprecated lists served or retired by the knob.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLOUD_ORG_ID,
  cloudDirectoryId,
  runSandboxCommand,
  type SandboxHandle,
  type SandboxOptions,
  startSandbox,
} from '../../src/sandbox/index.ts';
import { cloudOrg } from '../platforms/cloud-helpers.ts';
import { NOW } from '../platforms/helpers.ts';

const ORG = `/admin/v2/orgs/${CLOUD_ORG_ID}`;
const DIR = `${ORG}/directories/${cloudDirectoryId(CLOUD_ORG_ID, 1)}`;

let sb: SandboxHandle;
afterEach(() => sb.close());

async function start(o: Partial<SandboxOptions> = {}) {
  sb = await startSandbox({
    platform: 'cloud',
    now: NOW,
    clock: () => NOW.getTime(),
    scenario: cloudOrg(),
    ...o,
  });
  return sb;
}

async function call(
  method: string,
  path: string,
  o: { body?: unknown; raw?: string; type?: string | null; token?: string } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? sb.credentials.token}` };
  const type = o.type === undefined ? 'application/json' : o.type;
  if (type) headers['content-type'] = type;
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers,
    ...(o.raw !== undefined ? { body: o.raw } : o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return {
    status: res.status,
    headers: res.headers,
    body: text && json ? (JSON.parse(text) as Record<string, unknown>) : null,
    text,
  };
}

describe('cloud sandbox', () => {
  it('pages users/search with opaque cursors, at most 100 per page (lower with the page cap)', async () => {
    await start({ generate: { users: 250, groups: 2, seed: 3 }, scenario: undefined });
    const first = await call('POST', `${DIR}/users/search`, { body: { limit: 500, expand: ['groups'] } });
    expect(first.status).toBe(200);
    const data = first.body!.data as { accountId: string; groups: unknown[] }[];
    expect(data).toHaveLength(100);
    expect(data[0]!.groups.length).toBeGreaterThan(0);
    const next = (first.body!.links as { next: string }).next;
    expect(next).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await call('POST', `${DIR}/users/search`, { body: { limit: 500, cursor: next } });
    expect((second.body!.data as { accountId: string }[])[0]!.accountId).not.toBe(data[0]!.accountId);
    sb.configure({ maxPageSize: 7 });
    const capped = await call('POST', `${DIR}/users/search`, { body: { limit: 50 } });
    expect(capped.body!.data).toHaveLength(7);
    const bad = await call('POST', `${DIR}/users/search`, { body: { cursor: 'nonsense' } });
    expect(bad.status).toBe(400);
  });

  it('answers a POST without the JSON content type 415, as the gateway does', async () => {
    await start();
    const id = sb.store.user('bob')!.key;
    const refused = await call('POST', `${DIR}/users/${id}/suspend`, { type: null });
    expect([refused.status, refused.text]).toEqual([415, 'Unsupported Media Type']);
    expect((await call('POST', `${DIR}/users/search`, { type: null })).status).toBe(415);
    expect(sb.store.user('bob')!.active).toBe(true);
    expect((await call('POST', `${DIR}/users/${id}/suspend`, { body: {} })).status).toBe(204);
    expect(sb.store.user('bob')!.active).toBe(false);
  });

  it('answers errors in both shapes: the spec’s errors[] and the gateway’s {message}', async () => {
    await start();
    const missing = await call('POST', `${DIR}/users/5b10a2844c20165700000000/suspend`, { body: {} });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      errors: [{ status: '404', title: 'Not Found', detail: expect.stringContaining('not found') }],
    });
    const both = await call('POST', `${DIR}/users/search`, { body: { emails: ['a@b.c'], searchTerm: 'a' } });
    expect(both.status).toBe(400);
    const dead = await call('POST', `${DIR}/users/search`, { body: {}, token: 'nope' });
    expect(dead.status).toBe(401);
    expect(dead.body).toMatchObject({ status: 401, error: 'Unauthorized', message: 'Unauthorized' });
    sb.configure({ apiKeyScopes: ['read:directories:admin'] });
    const scoped = await call('POST', `${DIR}/users/${sb.store.user('bob')!.key}/suspend`, { body: {} });
    expect(scoped.status).toBe(403);
    expect(scoped.body).toMatchObject({
      status: 403,
      error: 'Forbidden',
      path: expect.stringContaining('/suspend'),
    });
    expect((await call('POST', `${DIR}/users/search`, { body: {} })).status).toBe(200);
    expect((await call('POST', `${DIR}/groups/search`, { body: {} })).status).toBe(403);
  });

  it('throttles with 429, Retry-After and X-RateLimit-Limit, -Remaining and an ISO-8601 -Reset', async () => {
    await start({ rateLimit: { capacity: 1, fillRate: 1, intervalSeconds: 5 } });
    const ok = await call('POST', `${DIR}/groups/search`, { body: {} });
    expect(ok.status).toBe(200);
    const limited = await call('POST', `${DIR}/groups/search`, { body: {} });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('5');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('1');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe(new Date(NOW.getTime() + 5000).toISOString());
    expect(limited.body).toMatchObject({ errors: [{ status: '429' }] });
  });

  it('serves the deprecated lists until retired, then answers 410 naming the replacement', async () => {
    await start();
    const served = await call('GET', `${DIR}/users?limit=2`, { type: null });
    expect(served.status).toBe(200);
    expect(served.body!.data).toHaveLength(2);
    expect((await call('GET', `${DIR}/groups`, { type: null })).status).toBe(200);
    sb.configure({ retireDeprecated: true });
    const gone = await call('GET', `${DIR}/users`, { type: null });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ errors: [{ detail: expect.stringContaining('POST …/users/search') }] });
    const v1 = await call('POST', `/admin/v1/orgs/${CLOUD_ORG_ID}/directory/users/x/suspend-access`, {
      body: {},
    });
    expect(v1.status).toBe(410);
  });

  it('tells one user’s activity per product with v1 last-active-dates', async () => {
    await start();
    const id = sb.store.user('alice')!.key;
    const r = await call('GET', `/admin/v1/orgs/${CLOUD_ORG_ID}/directory/users/${id}/last-active-dates`, {
      type: null,
    });
    expect(r.body).toMatchObject({
      data: {
        product_access: [
          {
            key: 'jira-software',
            last_active: '2025-05-30',
            last_active_timestamp: '2025-05-30T12:00:00.000Z',
          },
          { key: 'confluence', last_active: '2025-05-28' },
        ],
        added_to_org: '2024-04-27',
      },
    });
  });

  it('aup sandbox --platform cloud prints the organisation id and the API key', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const running = runSandboxCommand(
      { platform: 'cloud', now: NOW },
      { out: (l) => lines.push(l), signal: stop.signal, watchParent: false, onReady: (h) => (sb = h) },
    );
    await new Promise((r) => setTimeout(r, 50));
    while (lines.length < 4) await new Promise((r) => setTimeout(r, 20));
    expect(lines[0]).toMatch(/^Atlassian sandbox: Atlassian Cloud organization \(admin API v2\) at http:/);
    expect(lines.join('\n')).toContain(`organisation: ${CLOUD_ORG_ID} (Example Org): instance.org`);
    expect(lines.join('\n')).toContain(`API key:      ${sb.credentials.token}`);
    stop.abort();
    await running;
    sb = { close: async () => undefined } as unknown as SandboxHandle;
  });
});
